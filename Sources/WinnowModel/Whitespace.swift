extension String {
    /// The text without leading and trailing white space (Unicode White_Space: what Foundation's
    /// `.whitespacesAndNewlines` trims), without going through Foundation: only the two ends are
    /// looked at, and ASCII is decided without a property lookup.
    public var trimmingWhitespace: String { trimming(keepingNewlines: false) }

    /// The text without leading and trailing spaces and tabs, line breaks kept (what Foundation's
    /// `.whitespaces` trims).
    public var trimmingBlanks: String { trimming(keepingNewlines: true) }

    private func trimming(keepingNewlines: Bool) -> String {
        let scalars = unicodeScalars
        let isTrimmed = { (s: Unicode.Scalar) -> Bool in
            if keepingNewlines, Self.newlines.contains(s.value) { return false }
            return s.isASCII ? (s == " " || (s.value >= 9 && s.value <= 13)) : s.properties.isWhitespace
        }
        guard let first = scalars.firstIndex(where: { !isTrimmed($0) }) else { return "" }
        let last = scalars.lastIndex(where: { !isTrimmed($0) })!
        if first == scalars.startIndex && last == scalars.index(before: scalars.endIndex) { return self }
        return String(scalars[first...last])
    }

    /// Line breaks: LF, VT, FF, CR, NEL, LINE and PARAGRAPH SEPARATOR.
    private static let newlines: Set<UInt32> = [0x0A, 0x0B, 0x0C, 0x0D, 0x85, 0x2028, 0x2029]
}
