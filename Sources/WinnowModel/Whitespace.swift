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

extension String {
    /// The text with every character a terminal would obey shown instead: control characters (C0
    /// but for line feeds when `keepingLineFeeds`, DEL, C1) and Unicode direction controls become
    /// `[U+XXXX]`, as the HTML report shows them. For anything printed that carries request content.
    public func visibleControls(keepingLineFeeds: Bool = false) -> String {
        guard unicodeScalars.contains(where: { Self.isHidden($0, keepingLineFeeds) }) else { return self }
        var out = String.UnicodeScalarView()
        for scalar in unicodeScalars {
            if Self.isHidden(scalar, keepingLineFeeds) {
                out.append(contentsOf: "[U+\(String(scalar.value, radix: 16, uppercase: true).leftPadded(4))]".unicodeScalars)
            } else {
                out.append(scalar)
            }
        }
        return String(out)
    }

    private static func isHidden(_ s: Unicode.Scalar, _ keepingLineFeeds: Bool) -> Bool {
        switch s.value {
        case 0x0A: return !keepingLineFeeds
        case 0x00...0x1F, 0x7F...0x9F: return true
        case 0x200E, 0x200F, 0x061C, 0x202A...0x202E, 0x2066...0x2069: return true
        default: return false
        }
    }

    fileprivate func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
