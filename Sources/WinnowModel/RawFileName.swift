/// File names that are not valid UTF-8, carried in a `String`. Swift strings hold only valid
/// Unicode, so each byte that is not part of a valid UTF-8 sequence becomes the private-use scalar
/// U+F700 + byte (a reversible escape, like Python's surrogateescape); every system call turns the
/// name back into its bytes, and what is shown to people writes the byte as `\xE9`. A name that
/// really holds U+F700...U+F7FF is read as those bytes: that range is private use, which file names
/// do not carry in practice.
public enum RawFileName {
    static let base: UInt32 = 0xF700

    /// The bytes of a name as a string: valid UTF-8 decoded, every other byte escaped.
    public static func string(_ bytes: [UInt8]) -> String {
        if let valid = String(validating: bytes, as: UTF8.self) { return valid }
        var scalars = String.UnicodeScalarView()
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            let length = b < 0x80 ? 1 : b >= 0xC2 && b <= 0xDF ? 2 : b >= 0xE0 && b <= 0xEF ? 3 : b >= 0xF0 && b <= 0xF4 ? 4 : 0
            if length > 0, i + length <= bytes.count, let s = String(validating: bytes[i..<(i + length)], as: UTF8.self) {
                scalars.append(contentsOf: s.unicodeScalars)
                i += length
            } else {
                scalars.append(Unicode.Scalar(base + UInt32(b))!)
                i += 1
            }
        }
        return String(scalars)
    }

    /// The bytes a name stands for on the file system.
    public static func bytes(_ name: String) -> [UInt8] {
        guard hasEscapes(name) else { return Array(name.utf8) }
        var out: [UInt8] = []
        for s in name.unicodeScalars {
            if s.value >= base && s.value <= base + 0xFF { out.append(UInt8(s.value - base)) } else { out.append(contentsOf: String(s).utf8) }
        }
        return out
    }

    public static func hasEscapes(_ name: String) -> Bool {
        name.unicodeScalars.contains { $0.value >= base && $0.value <= base + 0xFF }
    }

    /// Calls `body` with the name as a C path of its file-system bytes.
    public static func withCPath<T>(_ name: String, _ body: (UnsafePointer<CChar>) -> T) -> T {
        guard hasEscapes(name) else { return name.withCString(body) }
        let bytes = self.bytes(name) + [0]
        return bytes.withUnsafeBufferPointer { buffer in
            buffer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buffer.count) { body($0) }
        }
    }

    /// The name as shown to people: each escaped byte written `\xE9`.
    public static func display(_ name: String) -> String {
        guard hasEscapes(name) else { return name }
        var out = ""
        for s in name.unicodeScalars {
            if s.value >= base && s.value <= base + 0xFF {
                let byte = s.value - base
                out += "\\x" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
            } else {
                out.unicodeScalars.append(s)
            }
        }
        return out
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String { count >= width ? self : String(repeating: "0", count: width - count) + self }
}
