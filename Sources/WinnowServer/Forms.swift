import Foundation

/// The fields of a submitted HTML form: `application/x-www-form-urlencoded` or
/// `multipart/form-data` (a file upload). A field may repeat (checkboxes).
struct FormFields: Sendable {
    struct Field: Sendable {
        var name: String
        var value: [UInt8]
        /// The file name a browser sent with an uploaded file.
        var filename: String?
        var text: String { String(decoding: value, as: UTF8.self) }
    }
    var fields: [Field] = []

    subscript(_ name: String) -> String? { fields.first { $0.name == name }.map(\.text) }
    func all(_ name: String) -> [String] { fields.filter { $0.name == name }.map(\.text) }
    func file(_ name: String) -> Field? { fields.first { $0.name == name && $0.filename != nil } }

    /// The form, by its content type; nil when the body is neither kind or is malformed.
    static func parse(_ body: [UInt8], contentType: String?) -> FormFields? {
        let type = (contentType ?? "").lowercased()
        if type.hasPrefix("application/x-www-form-urlencoded") { return urlEncoded(body) }
        if type.hasPrefix("multipart/form-data"), let boundary = parameter("boundary", of: contentType ?? "") {
            return multipart(body, boundary: boundary)
        }
        return nil
    }

    static func urlEncoded(_ body: [UInt8]) -> FormFields? {
        var form = FormFields()
        for pair in body.split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: true) {
            let parts = pair.split(separator: UInt8(ascii: "="), maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = decode(parts[0]) else { return nil }
            let value = parts.count > 1 ? decode(parts[1]) : ""
            guard let value else { return nil }
            form.fields.append(Field(name: name, value: Array(value.utf8)))
        }
        return form
    }

    /// `+` is a space; `%XY` a byte; the bytes must be UTF-8.
    static func decode(_ part: ArraySlice<UInt8>) -> String? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(part.count)
        var i = part.startIndex
        while i < part.endIndex {
            let b = part[i]
            if b == UInt8(ascii: "+") {
                bytes.append(0x20)
            } else if b == UInt8(ascii: "%") {
                guard i + 2 < part.endIndex, let hi = hex(part[i + 1]), let lo = hex(part[i + 2]) else { return nil }
                bytes.append(hi << 4 | lo)
                i += 2
            } else {
                bytes.append(b)
            }
            i += 1
        }
        return String(validating: bytes, as: UTF8.self)
    }

    static func hex(_ b: UInt8) -> UInt8? {
        switch b {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return b - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return b - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return b - UInt8(ascii: "A") + 10
        default: return nil
        }
    }

    /// A parameter of a header value (`boundary=...`, `name="..."`), unquoted.
    static func parameter(_ key: String, of header: String) -> String? {
        for piece in header.split(separator: ";").dropFirst() {
            let kv = piece.split(separator: "=", maxSplits: 1)
            guard kv.count == 2, kv[0].trimmingCharacters(in: .whitespaces).lowercased() == key else { continue }
            var value = kv[1].trimmingCharacters(in: .whitespaces)
            if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 { value = String(value.dropFirst().dropLast()) }
            return value
        }
        return nil
    }

    /// RFC 7578 (RFC 2046's framing): parts between delimiter lines `--boundary`, each delimiter
    /// after a CRLF but the first, the last followed by `--`; a part is headers, a blank line and
    /// its bytes. Text that merely contains the boundary inside a line is content.
    static func multipart(_ body: [UInt8], boundary: String) -> FormFields? {
        guard !boundary.isEmpty, boundary.utf8.count <= 70 else { return nil }
        let dash = Array("--\(boundary)".utf8), delimiter = [0x0D, 0x0A] + dash
        var cursor: Int
        if body.starts(with: dash) { cursor = dash.count } else {
            guard let at = find(delimiter, in: body, from: 0) else { return nil }
            cursor = at + delimiter.count
        }
        var form = FormFields()
        while true {
            // After a delimiter: `--` ends the body, CRLF starts a part.
            guard cursor + 2 <= body.count else { return nil }
            if body[cursor] == UInt8(ascii: "-"), body[cursor + 1] == UInt8(ascii: "-") { return form }
            guard body[cursor] == 0x0D, body[cursor + 1] == 0x0A else { return nil }
            let partStart = cursor + 2
            guard let partEnd = find(delimiter, in: body, from: partStart),
                  let split = find([0x0D, 0x0A, 0x0D, 0x0A], in: body, from: partStart) else { return nil }
            let headerText = String(decoding: body[partStart..<split], as: UTF8.self)
            var name: String?, filename: String?
            for line in headerText.components(separatedBy: "\r\n") where line.lowercased().hasPrefix("content-disposition:") {
                name = parameter("name", of: line)
                filename = parameter("filename", of: line)
            }
            guard let name, split + 4 <= partEnd else { return nil }
            form.fields.append(Field(name: name, value: Array(body[(split + 4)..<partEnd]), filename: filename))
            cursor = partEnd + delimiter.count
        }
    }

    static func find(_ needle: [UInt8], in haystack: [UInt8], from: Int) -> Int? {
        guard !needle.isEmpty, haystack.count >= needle.count else { return nil }
        var i = from
        let first = needle[0]
        while i <= haystack.count - needle.count {
            if haystack[i] == first, (1..<needle.count).allSatisfy({ haystack[i + $0] == needle[$0] }) { return i }
            i += 1
        }
        return nil
    }
}

/// The value of one cookie in a `Cookie` header.
func cookie(_ name: String, in header: String?) -> String? {
    for piece in (header ?? "").split(separator: ";") {
        let kv = piece.split(separator: "=", maxSplits: 1)
        if kv.count == 2, kv[0].trimmingCharacters(in: .whitespaces) == name { return kv[1].trimmingCharacters(in: .whitespaces) }
    }
    return nil
}
