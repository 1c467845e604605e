/// `s` as a JSON string literal (RFC 8259 §7): quotes, backslashes and control characters
/// escaped the way Foundation's `JSONEncoder` escapes them, everything else (slashes, non-ASCII)
/// as it is.
public func jsonStringLiteral(_ s: String) -> String {
    if !jsonNeedsEscaping(s) { return "\"" + s + "\"" }
    var out = "\""
    for scalar in s.unicodeScalars {
        switch scalar {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case "\r": out += "\\r"
        case "\t": out += "\\t"
        case "\u{8}": out += "\\b"
        case "\u{C}": out += "\\f"
        case _ where scalar.value < 0x20:
            let hex = String(scalar.value, radix: 16)
            out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        default: out.unicodeScalars.append(scalar)
        }
    }
    return out + "\""
}

/// Whether `s` holds a character that a JSON string literal must escape (a control character, a
/// quote or a backslash); most text does not and can be written as it is.
public func jsonNeedsEscaping(_ s: String) -> Bool {
    s.utf8.contains { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }
}
