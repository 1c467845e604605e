import WinnowModel

/// Encodes `Encodable` values as the JSON that Foundation's `JSONEncoder` writes with
/// `[.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]`, byte for byte, at a fraction of its
/// cost: a batch writes one report per request, and Foundation's encoder took a quarter of a batch
/// with reports. The report tests compare the two on every sample.
public enum PrettyJSON {
    indirect enum Value {
        /// Members sorted by key.
        case object([(key: String, value: Value)])
        case array([Value])
        case string(String)
        /// A number or a literal (`true`, `false`, `null`), written as it is.
        case literal(String)
    }

    public static func encode(_ value: some Encodable) throws -> String {
        let root = Box()
        try value.encode(to: TreeEncoder(box: root, codingPath: []))
        var out: [UInt8] = []
        out.reserveCapacity(1 << 14)
        write(root.resolved, indent: 0, into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    static func write(_ value: Value, indent: Int, into out: inout [UInt8]) {
        switch value {
        case .string(let s):
            writeString(s, into: &out)
        case .literal(let text):
            out.append(contentsOf: text.utf8)
        case .array(let items):
            out.append(UInt8(ascii: "["))
            out.append(UInt8(ascii: "\n"))
            for (i, item) in items.enumerated() {
                pad(indent + 2, &out)
                write(item, indent: indent + 2, into: &out)
                if i < items.count - 1 { out.append(UInt8(ascii: ",")) }
                out.append(UInt8(ascii: "\n"))
            }
            if items.isEmpty { out.append(UInt8(ascii: "\n")) }
            pad(indent, &out)
            out.append(UInt8(ascii: "]"))
        case .object(let members):
            out.append(UInt8(ascii: "{"))
            out.append(UInt8(ascii: "\n"))
            for (i, member) in members.enumerated() {
                pad(indent + 2, &out)
                writeString(member.key, into: &out)
                out.append(contentsOf: " : ".utf8)
                write(member.value, indent: indent + 2, into: &out)
                if i < members.count - 1 { out.append(UInt8(ascii: ",")) }
                out.append(UInt8(ascii: "\n"))
            }
            if members.isEmpty { out.append(UInt8(ascii: "\n")) }
            pad(indent, &out)
            out.append(UInt8(ascii: "}"))
        }
    }

    static func pad(_ n: Int, _ out: inout [UInt8]) {
        for _ in 0..<n { out.append(UInt8(ascii: " ")) }
    }

    static func writeString(_ s: String, into out: inout [UInt8]) {
        if jsonNeedsEscaping(s) {
            out.append(contentsOf: jsonStringLiteral(s).utf8)
        } else {
            out.append(UInt8(ascii: "\""))
            out.append(contentsOf: s.utf8)
            out.append(UInt8(ascii: "\""))
        }
    }

    /// Where an encoder puts what it encodes; containers fill theirs in place.
    final class Box {
        var value: Value?
        var members: [String: Box] = [:]
        var items: [Box] = []
        var kind = Kind.single

        enum Kind { case single, object, array }

        var resolved: Value {
            switch kind {
            case .single: return value ?? .literal("null")
            case .object: return .object(members.sorted { $0.key < $1.key }.map { ($0.key, $0.value.resolved) })
            case .array: return .array(items.map(\.resolved))
            }
        }
    }

    struct TreeEncoder: Encoder {
        let box: Box
        var codingPath: [any CodingKey]
        var userInfo: [CodingUserInfoKey: Any] { [:] }

        func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
            box.kind = .object
            return KeyedEncodingContainer(Keyed<Key>(box: box, codingPath: codingPath))
        }

        func unkeyedContainer() -> any UnkeyedEncodingContainer {
            box.kind = .array
            return Unkeyed(box: box, codingPath: codingPath)
        }

        func singleValueContainer() -> any SingleValueEncodingContainer { Single(box: box, codingPath: codingPath) }
    }

    /// The JSON of a value that encodes itself as a single value, or nil to encode it generically.
    static func scalar(_ value: some Encodable) -> Value? {
        switch value {
        case let s as String: return .string(s)
        case let b as Bool: return .literal(b ? "true" : "false")
        case let i as Int: return .literal(String(i))
        case let d as Double: return .literal(number(d))
        case let i as any BinaryInteger: return .literal(String(describing: i))
        default: return nil
        }
    }

    /// Doubles as Foundation writes them: whole numbers without a fraction, others shortest.
    static func number(_ d: Double) -> String {
        if d == d.rounded(), abs(d) < 1e15 { return String(Int(d)) }
        return "\(d)"
    }

    static func child(_ value: some Encodable, codingPath: [any CodingKey]) throws -> Box {
        let box = Box()
        if let s = scalar(value) { box.value = s } else { try value.encode(to: TreeEncoder(box: box, codingPath: codingPath)) }
        return box
    }

    struct Keyed<Key: CodingKey>: KeyedEncodingContainerProtocol {
        let box: Box
        var codingPath: [any CodingKey]

        mutating func encodeNil(forKey key: Key) { box.members[key.stringValue] = Box() }
        mutating func encode(_ value: String, forKey key: Key) { set(.string(value), key) }
        mutating func encode(_ value: Bool, forKey key: Key) { set(.literal(value ? "true" : "false"), key) }
        mutating func encode(_ value: Int, forKey key: Key) { set(.literal(String(value)), key) }
        mutating func encode(_ value: Double, forKey key: Key) { set(.literal(number(value)), key) }
        mutating func encode(_ value: some Encodable, forKey key: Key) throws {
            box.members[key.stringValue] = try child(value, codingPath: codingPath + [key])
        }

        private func set(_ value: Value, _ key: Key) {
            let child = Box()
            child.value = value
            box.members[key.stringValue] = child
        }

        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
            let child = Box()
            box.members[key.stringValue] = child
            return TreeEncoder(box: child, codingPath: codingPath + [key]).container(keyedBy: keyType)
        }

        mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
            let child = Box()
            box.members[key.stringValue] = child
            return TreeEncoder(box: child, codingPath: codingPath + [key]).unkeyedContainer()
        }

        mutating func superEncoder() -> any Encoder { superEncoder(forKey: Key(stringValue: "super")!) }
        mutating func superEncoder(forKey key: Key) -> any Encoder {
            let child = Box()
            box.members[key.stringValue] = child
            return TreeEncoder(box: child, codingPath: codingPath + [key])
        }
    }

    struct Unkeyed: UnkeyedEncodingContainer {
        let box: Box
        var codingPath: [any CodingKey]
        var count: Int { box.items.count }

        mutating func encodeNil() { box.items.append(Box()) }
        mutating func encode(_ value: some Encodable) throws { box.items.append(try child(value, codingPath: codingPath)) }

        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
            let child = Box()
            box.items.append(child)
            return TreeEncoder(box: child, codingPath: codingPath).container(keyedBy: keyType)
        }

        mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
            let child = Box()
            box.items.append(child)
            return TreeEncoder(box: child, codingPath: codingPath).unkeyedContainer()
        }

        mutating func superEncoder() -> any Encoder {
            let child = Box()
            box.items.append(child)
            return TreeEncoder(box: child, codingPath: codingPath)
        }
    }

    struct Single: SingleValueEncodingContainer {
        let box: Box
        var codingPath: [any CodingKey]

        mutating func encodeNil() { box.value = .literal("null") }
        mutating func encode(_ value: String) { box.value = .string(value) }
        mutating func encode(_ value: Bool) { box.value = .literal(value ? "true" : "false") }
        mutating func encode(_ value: Int) { box.value = .literal(String(value)) }
        mutating func encode(_ value: Double) { box.value = .literal(number(value)) }
        mutating func encode(_ value: some Encodable) throws {
            if let s = scalar(value) { box.value = s } else { try value.encode(to: TreeEncoder(box: box, codingPath: codingPath)) }
        }
    }
}
