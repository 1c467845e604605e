/// Risk bands of a report, in increasing order.
public enum Band: String, Vocabulary, Comparable {
    case low, elevated, high, critical

    public var rank: Int { Band.allCases.firstIndex(of: self)! }

    public static func < (a: Band, b: Band) -> Bool { a.rank < b.rank }
}
