public import WinnowModel

/// A figure of a state profile: its value, when it became public (or started to hold), until when it
/// held, and its source. Evaluation as of a date sees only figures public by then.
public struct Figure<Value: Sendable & Hashable & Codable>: Sendable, Hashable, Codable {
    public var value: Value
    /// First day the figure was public or held; nil when the reference gives no date.
    public var from: Day?
    /// Day the figure stopped holding (a treaty ceased), if any.
    public var until: Day?
    public var source: String
    /// The year the figure describes (edition, observation year), for citations.
    public var year: Int?
    public var unverified: Bool
    public var note: String?

    /// Whether the figure was public and still held on `day`.
    public func holds(on day: Day) -> Bool {
        if let from, from > day { return false }
        if let until, until <= day { return false }
        return true
    }
}

public struct FreedomScore: Sendable, Hashable, Codable {
    public var edition: Int
    public var dataYear: Int
    public var status: String
    public var score: Int?
    public var prRating: Int?
    public var clRating: Int?
}

public struct PressFreedom: Sendable, Hashable, Codable {
    public var rank: Int
    public var score: Double?
}

public struct RepressionRecord: Sendable, Hashable, Codable {
    /// "yes", or "unverified".
    public var origin: String
    public var incidents: Int?
    public var period: String?
}

/// What the reference records about one requesting state, dated.
public struct StateProfile: Sendable, Hashable, Codable {
    public var state: String
    public var name: String
    public var freedom: [Figure<FreedomScore>]
    public var liberalDemocracy: [Figure<Double>]
    public var pressFreedom: [Figure<PressFreedom>]
    public var repression: [Figure<RepressionRecord>]
    public var echr: [Figure<Bool>]
    public var extraditionConvention: [Figure<Bool>]
    public var mutualAssistanceConvention: [Figure<Bool>]
    public var tortureConvention: [Figure<Bool>]
    /// Findings of abuse; `from` nil means undated (listed, never counted).
    public var abuseFindings: [Figure<String>]
    public var documents: [String]
    public var file: String

    /// The latest verified figure public on `day`, and a newer unverified one if any.
    public static func latest<V>(_ figures: [Figure<V>], on day: Day) -> (figure: Figure<V>?, newerUnverified: Figure<V>?) {
        let usable = figures.filter { $0.holds(on: day) }
        let verified = usable.filter { !$0.unverified }.max { ($0.from ?? Day(ordinal: Int.min / 4)) < ($1.from ?? Day(ordinal: Int.min / 4)) }
        let unverified = usable.filter { $0.unverified }.max { ($0.from ?? Day(ordinal: 0)) < ($1.from ?? Day(ordinal: 0)) }
        if let u = unverified, let v = verified, let uf = u.from, let vf = v.from, uf <= vf { return (verified, nil) }
        return (verified, unverified)
    }

    /// The findings the rules count on `day`: dated, public by then, and verified. An UNVERIFIED
    /// finding is shown (`unverifiedFindings`) but never counted.
    public func abuseFindings(on day: Day) -> [Figure<String>] {
        abuseFindings.filter { $0.from != nil && $0.holds(on: day) && !$0.unverified }
    }

    /// Dated findings public by `day` that the reference marks UNVERIFIED: listed, never counted.
    public func unverifiedFindings(on day: Day) -> [Figure<String>] {
        abuseFindings.filter { $0.from != nil && $0.holds(on: day) && $0.unverified }
    }
}
