extension String {
    /// The text without leading and trailing white space (Unicode White_Space: what Foundation's
    /// `.whitespacesAndNewlines` trims), without going through Foundation: only the two ends are
    /// looked at, and ASCII is decided without a property lookup.
    public var trimmingWhitespace: String {
        let scalars = unicodeScalars
        let isSpace = { (s: Unicode.Scalar) -> Bool in
            s.isASCII ? (s == " " || (s.value >= 9 && s.value <= 13)) : s.properties.isWhitespace
        }
        guard let first = scalars.firstIndex(where: { !isSpace($0) }) else { return "" }
        let last = scalars.lastIndex(where: { !isSpace($0) })!
        if first == scalars.startIndex && last == scalars.index(before: scalars.endIndex) { return self }
        return String(scalars[first...last])
    }
}
