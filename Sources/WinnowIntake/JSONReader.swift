public import WinnowModel

/// A strict JSON (RFC 8259) reader into `DocNode`, recording each value's line.
///
/// Written for requests from untrusted sources: nesting depth is bounded (a 200,000-deep array is
/// refused without recursion blowing the stack), duplicate keys are errors, and the input must be
/// valid UTF-8 (checked by the caller).
public struct JSONReader {
    public struct Failure: Error, Equatable {
        public var line: Int
        public var message: String
    }

    public static let defaultMaxDepth = 64

    private let bytes: [UInt8]
    private var index = 0
    private var line = 1
    private let maxDepth: Int
    private let maxNodes: Int
    private var nodes = 0

    /// Values a document may hold at most. A request passes `Intake.Limits.maxNodes`, so that its
    /// memory is bounded by that, not by the file's size (an 8 MiB file of one-byte array items
    /// would otherwise become millions of nodes); a registry import, which may hold a million
    /// persons, is bounded by its size alone.
    public static func parse(_ bytes: [UInt8], maxDepth: Int = defaultMaxDepth, maxNodes: Int = .max) throws(Failure) -> DocNode {
        var reader = JSONReader(bytes: bytes, maxDepth: maxDepth, maxNodes: maxNodes)
        reader.skipWhitespace()
        let node = try reader.parseValue(depth: 0)
        reader.skipWhitespace()
        if reader.index < reader.bytes.count {
            throw reader.fail("unexpected content after the JSON value")
        }
        return node
    }

    private init(bytes: [UInt8], maxDepth: Int, maxNodes: Int) {
        self.bytes = bytes
        self.maxDepth = maxDepth
        self.maxNodes = maxNodes
    }

    private func fail(_ message: String) -> Failure { Failure(line: line, message: message) }

    private var atEnd: Bool { index >= bytes.count }

    private mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0D: index += 1
            case 0x0A: index += 1; line += 1
            default: return
            }
        }
    }

    private func describeNext() -> String {
        guard !atEnd else { return "end of input" }
        let b = bytes[index]
        if b >= 0x21 && b < 0x7F { return "'\(Character(Unicode.Scalar(b)))'" }
        return "byte 0x\(String(b, radix: 16))"
    }

    private mutating func parseValue(depth: Int) throws(Failure) -> DocNode {
        guard !atEnd else { throw fail("unexpected end of input (truncated JSON?)") }
        nodes += 1
        guard nodes <= maxNodes else { throw fail("more than \(maxNodes) values in one document; a request needs far fewer") }
        let startLine = line
        switch bytes[index] {
        case UInt8(ascii: "{"):
            guard depth < maxDepth else { throw fail("nesting deeper than \(maxDepth) levels") }
            return try parseObject(depth: depth + 1)
        case UInt8(ascii: "["):
            guard depth < maxDepth else { throw fail("nesting deeper than \(maxDepth) levels") }
            return try parseArray(depth: depth + 1)
        case UInt8(ascii: "\""):
            return DocNode(.string(try parseString()), line: startLine)
        case UInt8(ascii: "t"):
            try expectLiteral("true")
            return DocNode(.bool(true), line: startLine)
        case UInt8(ascii: "f"):
            try expectLiteral("false")
            return DocNode(.bool(false), line: startLine)
        case UInt8(ascii: "n"):
            try expectLiteral("null")
            return DocNode(.null, line: startLine)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return DocNode(.number(try parseNumber()), line: startLine)
        default:
            throw fail("expected a JSON value, found \(describeNext())")
        }
    }

    private mutating func expectLiteral(_ word: String) throws(Failure) {
        for b in word.utf8 {
            guard !atEnd, bytes[index] == b else { throw fail("invalid literal, expected '\(word)'") }
            index += 1
        }
    }

    private mutating func parseObject(depth: Int) throws(Failure) -> DocNode {
        let startLine = line
        index += 1
        var members: [(key: String, node: DocNode)] = []
        var seen = Set<String>()
        skipWhitespace()
        if !atEnd, bytes[index] == UInt8(ascii: "}") {
            index += 1
            return DocNode(.object(members), line: startLine)
        }
        while true {
            skipWhitespace()
            guard !atEnd else { throw fail("unexpected end of input inside an object (truncated JSON?)") }
            guard bytes[index] == UInt8(ascii: "\"") else {
                throw fail("expected a quoted key, found \(describeNext())")
            }
            let keyLine = line
            let key = try parseString()
            guard seen.insert(key).inserted else {
                throw Failure(line: keyLine, message: "duplicate key \"\(key)\"")
            }
            skipWhitespace()
            guard !atEnd, bytes[index] == UInt8(ascii: ":") else {
                throw fail("expected ':' after key \"\(key)\", found \(describeNext())")
            }
            index += 1
            skipWhitespace()
            let value = try parseValue(depth: depth)
            members.append((key, value))
            skipWhitespace()
            guard !atEnd else { throw fail("unexpected end of input inside an object (truncated JSON?)") }
            if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
            if bytes[index] == UInt8(ascii: "}") { index += 1; break }
            throw fail("expected ',' or '}' in an object, found \(describeNext())")
        }
        return DocNode(.object(members), line: startLine)
    }

    private mutating func parseArray(depth: Int) throws(Failure) -> DocNode {
        let startLine = line
        index += 1
        var items: [DocNode] = []
        skipWhitespace()
        if !atEnd, bytes[index] == UInt8(ascii: "]") {
            index += 1
            return DocNode(.array(items), line: startLine)
        }
        while true {
            skipWhitespace()
            items.append(try parseValue(depth: depth))
            skipWhitespace()
            guard !atEnd else { throw fail("unexpected end of input inside an array (truncated JSON?)") }
            if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
            if bytes[index] == UInt8(ascii: "]") { index += 1; break }
            throw fail("expected ',' or ']' in an array, found \(describeNext())")
        }
        return DocNode(.array(items), line: startLine)
    }

    private mutating func parseString() throws(Failure) -> String {
        index += 1  // opening quote
        var out: [UInt8] = []
        while true {
            guard !atEnd else { throw fail("unterminated string (truncated JSON?)") }
            let b = bytes[index]
            switch b {
            case UInt8(ascii: "\""):
                index += 1
                return String(decoding: out, as: UTF8.self)
            case UInt8(ascii: "\\"):
                index += 1
                guard !atEnd else { throw fail("unterminated escape") }
                let e = bytes[index]
                index += 1
                switch e {
                case UInt8(ascii: "\""): out.append(0x22)
                case UInt8(ascii: "\\"): out.append(0x5C)
                case UInt8(ascii: "/"): out.append(0x2F)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "u"):
                    var scalar = try parseHex4()
                    if (0xD800...0xDBFF).contains(scalar) {
                        guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"),
                              bytes[index + 1] == UInt8(ascii: "u") else {
                            throw fail("unpaired UTF-16 surrogate in \\u escape")
                        }
                        index += 2
                        let low = try parseHex4()
                        guard (0xDC00...0xDFFF).contains(low) else { throw fail("invalid UTF-16 surrogate pair") }
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    } else if (0xDC00...0xDFFF).contains(scalar) {
                        throw fail("unpaired UTF-16 surrogate in \\u escape")
                    }
                    guard let u = Unicode.Scalar(scalar) else { throw fail("invalid \\u escape") }
                    out.append(contentsOf: Array(String(Character(u)).utf8))
                default:
                    throw fail("invalid escape '\\\(Character(Unicode.Scalar(e)))'")
                }
            case 0x00..<0x20:
                throw fail("control character 0x\(String(b, radix: 16)) inside a string (must be escaped)")
            default:
                out.append(b)
                index += 1
            }
        }
    }

    private mutating func parseHex4() throws(Failure) -> UInt32 {
        guard index + 4 <= bytes.count else { throw fail("truncated \\u escape") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let b = bytes[index]
            let digit: UInt32
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(b - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(b - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(b - UInt8(ascii: "A") + 10)
            default: throw fail("invalid hex digit in \\u escape")
            }
            value = value * 16 + digit
            index += 1
        }
        return value
    }

    private mutating func parseNumber() throws(Failure) -> String {
        let start = index
        func isDigit(_ b: UInt8) -> Bool { b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }
        if bytes[index] == UInt8(ascii: "-") { index += 1 }
        guard !atEnd, isDigit(bytes[index]) else { throw fail("invalid number") }
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
        } else {
            while !atEnd, isDigit(bytes[index]) { index += 1 }
        }
        if !atEnd, bytes[index] == UInt8(ascii: ".") {
            index += 1
            guard !atEnd, isDigit(bytes[index]) else { throw fail("invalid number: digit expected after '.'") }
            while !atEnd, isDigit(bytes[index]) { index += 1 }
        }
        if !atEnd, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            index += 1
            if !atEnd, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            guard !atEnd, isDigit(bytes[index]) else { throw fail("invalid number: digit expected in exponent") }
            while !atEnd, isDigit(bytes[index]) { index += 1 }
        }
        return String(decoding: bytes[start..<index], as: UTF8.self)
    }
}
