import WinnowModel

/// Encodes `Encodable` values as the JSON that Foundation's `JSONEncoder` writes with
/// `[.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]`, byte for byte, at a fraction of its
/// cost: a batch writes one report per request, and Foundation's encoder took a quarter of a batch
/// with reports. The report tests compare the two on every sample.
public enum PrettyJSON {
    /// A scalar as it is written: a string (quoted and escaped on output) or a literal (a number,
    /// `true`, `false`, `null`).
    enum Scalar {
        case string(String)
        case literal(String)
    }

    public static func encode(_ value: some Encodable) throws -> String {
        String(decoding: try bytes(value), as: UTF8.self)
    }

    /// `encode`'s UTF-8 (valid by construction: it is made of Strings' UTF-8 and ASCII).
    public static func bytes(_ value: some Encodable) throws -> [UInt8] {
        let root = Box()
        try value.encode(to: TreeEncoder(box: root))
        var out: [UInt8] = []
        out.reserveCapacity(1 << 15)
        write(root, indent: 0, into: &out)
        return out
    }

    static func write(_ child: Child, indent: Int, into out: inout [UInt8]) {
        switch child {
        case .scalar(let s): write(s, into: &out)
        case .box(let box): write(box, indent: indent, into: &out)
        case .flat(let members): write(members, indent: indent, into: &out)
        }
    }

    /// An object's members, already in key order (a box's, sorted; a `FlatJSON` object's, as it
    /// lists them); absent ones are left out.
    static func write(_ members: [(key: String, value: Child?)], indent: Int, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "{"))
        out.append(UInt8(ascii: "\n"))
        var first = true
        for member in members {
            guard let value = member.value else { continue }
            if !first {
                out.append(UInt8(ascii: ","))
                out.append(UInt8(ascii: "\n"))
            }
            first = false
            pad(indent + 2, &out)
            writeString(member.key, into: &out)
            out.append(contentsOf: " : ".utf8)
            write(value, indent: indent + 2, into: &out)
        }
        // After the last member, or in an empty object ("{", two line breaks, "}"), one line break.
        out.append(UInt8(ascii: "\n"))
        pad(indent, &out)
        out.append(UInt8(ascii: "}"))
    }

    static func write(_ scalar: Scalar?, into out: inout [UInt8]) {
        switch scalar {
        case .string(let s)?: writeString(s, into: &out)
        case .literal(let text)?: out.append(contentsOf: text.utf8)
        case nil: out.append(contentsOf: "null".utf8)
        }
    }

    /// Writes the tree as it was filled: members sorted by key (the last value of a key written
    /// twice wins, as in a dictionary), two spaces per level.
    static func write(_ box: Box, indent: Int, into out: inout [UInt8]) {
        switch box.kind {
        case .single:
            write(box.value, into: &out)
        case .array:
            out.append(UInt8(ascii: "["))
            out.append(UInt8(ascii: "\n"))
            for (i, item) in box.items.enumerated() {
                pad(indent + 2, &out)
                write(item, indent: indent + 2, into: &out)
                if i < box.items.count - 1 { out.append(UInt8(ascii: ",")) }
                out.append(UInt8(ascii: "\n"))
            }
            if box.items.isEmpty { out.append(UInt8(ascii: "\n")) }
            pad(indent, &out)
            out.append(UInt8(ascii: "]"))
        case .object:
            // By key, then by the order written, keeping the last of each key.
            let order = box.members.indices.sorted { a, b in
                box.members[a].key != box.members[b].key ? box.members[a].key < box.members[b].key : a < b
            }
            var members: [(key: String, value: Child?)] = []
            members.reserveCapacity(order.count)
            for i in order {
                let member = (key: box.members[i].key, value: Optional(box.members[i].value))
                if let last = members.last, last.key == member.key { members[members.count - 1] = member } else { members.append(member) }
            }
            write(members, indent: indent, into: &out)
        }
    }

    static func pad(_ n: Int, _ out: inout [UInt8]) {
        out.append(contentsOf: repeatElement(UInt8(ascii: " "), count: n))
    }

    static let hexDigits = Array("0123456789abcdef".utf8)

    /// A string literal, escaped as `jsonStringLiteral` escapes it, written in one pass over the
    /// string's UTF-8: runs that need no escape are copied whole.
    static func writeString(_ s: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        var s = s
        s.withUTF8 { utf8 in
            var start = 0
            for i in utf8.indices {
                let byte = utf8[i]
                guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start..<i]))
                out.append(UInt8(ascii: "\\"))
                switch byte {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"): out.append(byte)
                case 0x0A: out.append(UInt8(ascii: "n"))
                case 0x0D: out.append(UInt8(ascii: "r"))
                case 0x09: out.append(UInt8(ascii: "t"))
                case 0x08: out.append(UInt8(ascii: "b"))
                case 0x0C: out.append(UInt8(ascii: "f"))
                default:
                    out.append(contentsOf: [UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"), hexDigits[Int(byte >> 4)], hexDigits[Int(byte & 0xF)]])
                }
                start = i + 1
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start...]))
        }
        out.append(UInt8(ascii: "\""))
    }

    /// A member or an item: a scalar in place, or a box that an encoder fills. Most values of a
    /// report are scalars, and keeping them in place saves an object for each.
    enum Child {
        case scalar(Scalar?)
        case box(Box)
        /// An object that says its own members (`FlatJSON`), in key order.
        case flat([(key: String, value: Child?)])
    }

    /// Where an encoder puts what it encodes; containers fill theirs in place. Members are kept in
    /// the order written and sorted once, when written out.
    final class Box {
        var value: Scalar?
        var members: [(key: String, value: Child)] = []
        var items: [Child] = []
        var kind = Kind.single

        enum Kind { case single, object, array }

        init() {}
        init(_ value: Scalar) { self.value = value }
    }

    /// The encoder. Nothing here reads a coding path (errors are never thrown from inside), so
    /// none is kept: building one per value was a large part of the cost.
    struct TreeEncoder: Encoder {
        let box: Box
        var codingPath: [any CodingKey] { [] }
        var userInfo: [CodingUserInfoKey: Any] { [:] }

        func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
            box.kind = .object
            return KeyedEncodingContainer(Keyed<Key>(box: box))
        }

        func unkeyedContainer() -> any UnkeyedEncodingContainer {
            box.kind = .array
            return Unkeyed(box: box)
        }

        func singleValueContainer() -> any SingleValueEncodingContainer { Single(box: box) }
    }

    /// The JSON of a value that encodes itself as a single value, or nil to encode it generically.
    /// The types are compared first (a pointer comparison each): a failed dynamic cast, above all
    /// to `any BinaryInteger`, costs a conformance lookup, and most values that come here are
    /// structs, arrays and enums that are no scalar.
    static func scalar<T: Encodable>(_ value: T) -> Scalar? {
        if T.self == String.self { return .string(value as! String) }
        if T.self == Int.self { return .literal(String(value as! Int)) }
        if T.self == Bool.self { return .literal(value as! Bool ? "true" : "false") }
        if T.self == Double.self { return .literal(number(value as! Double)) }
        for integer in integerTypes where T.self == integer {
            return .literal(String(describing: value))
        }
        return nil
    }

    /// The other integer types a value may hold.
    static let integerTypes: [any Any.Type] = [Int8.self, Int16.self, Int32.self, Int64.self, UInt.self,
                                                UInt8.self, UInt16.self, UInt32.self, UInt64.self]

    /// Doubles as Foundation writes them: whole numbers without a fraction, others shortest.
    static func number(_ d: Double) -> String {
        if d == d.rounded(), abs(d) < 1e15 { return String(Int(d)) }
        return "\(d)"
    }

    static func child<T: Encodable>(_ value: T) throws -> Child {
        if let s = scalar(value) { return .scalar(s) }
        // The objects a report holds most of, written without the Encodable machinery (most of the
        // writer's cost was in it: two thirds of a report's objects are evidence and citations).
        if T.self == Evidence.self { return .flat((value as! Evidence).jsonMembers) }
        if T.self == Citation.self { return .flat((value as! Citation).jsonMembers) }
        if T.self == DataGap.MissingFact.self { return .flat((value as! DataGap.MissingFact).jsonMembers) }
        if T.self == Finding.self { return .flat((value as! Finding).jsonMembers) }
        if T.self == DataGap.self { return .flat((value as! DataGap).jsonMembers) }
        let box = Box()
        try value.encode(to: TreeEncoder(box: box))
        // A value that encoded itself as one scalar (an enum's raw value) needs no box.
        return box.kind == .single ? .scalar(box.value) : .box(box)
    }

    struct Keyed<Key: CodingKey>: KeyedEncodingContainerProtocol {
        let box: Box
        var codingPath: [any CodingKey] { [] }

        mutating func encodeNil(forKey key: Key) { box.members.append((key.stringValue, .scalar(nil))) }
        mutating func encode(_ value: String, forKey key: Key) { set(.string(value), key) }
        mutating func encode(_ value: Bool, forKey key: Key) { set(.literal(value ? "true" : "false"), key) }
        mutating func encode(_ value: Int, forKey key: Key) { set(.literal(String(value)), key) }
        mutating func encode(_ value: Double, forKey key: Key) { set(.literal(number(value)), key) }
        mutating func encode(_ value: some Encodable, forKey key: Key) throws {
            box.members.append((key.stringValue, try child(value)))
        }

        private func set(_ value: Scalar, _ key: Key) {
            box.members.append((key.stringValue, .scalar(value)))
        }

        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
            let child = Box()
            box.members.append((key.stringValue, .box(child)))
            return TreeEncoder(box: child).container(keyedBy: keyType)
        }

        mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
            let child = Box()
            box.members.append((key.stringValue, .box(child)))
            return TreeEncoder(box: child).unkeyedContainer()
        }

        mutating func superEncoder() -> any Encoder { superEncoder(forKey: Key(stringValue: "super")!) }
        mutating func superEncoder(forKey key: Key) -> any Encoder {
            let child = Box()
            box.members.append((key.stringValue, .box(child)))
            return TreeEncoder(box: child)
        }
    }

    struct Unkeyed: UnkeyedEncodingContainer {
        let box: Box
        var codingPath: [any CodingKey] { [] }
        var count: Int { box.items.count }

        mutating func encodeNil() { box.items.append(.scalar(.literal("null"))) }
        mutating func encode(_ value: some Encodable) throws { box.items.append(try child(value)) }

        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
            let child = Box()
            box.items.append(.box(child))
            return TreeEncoder(box: child).container(keyedBy: keyType)
        }

        mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
            let child = Box()
            box.items.append(.box(child))
            return TreeEncoder(box: child).unkeyedContainer()
        }

        mutating func superEncoder() -> any Encoder {
            let child = Box()
            box.items.append(.box(child))
            return TreeEncoder(box: child)
        }
    }

    struct Single: SingleValueEncodingContainer {
        let box: Box
        var codingPath: [any CodingKey] { [] }

        mutating func encodeNil() { box.value = .literal("null") }
        mutating func encode(_ value: String) { box.value = .string(value) }
        mutating func encode(_ value: Bool) { box.value = .literal(value ? "true" : "false") }
        mutating func encode(_ value: Int) { box.value = .literal(String(value)) }
        mutating func encode(_ value: Double) { box.value = .literal(number(value)) }
        mutating func encode(_ value: some Encodable) throws {
            if let s = scalar(value) { box.value = s } else { try value.encode(to: TreeEncoder(box: box)) }
        }
    }
}

/// The objects a report holds most of, with their members as `Codable`'s synthesized
/// `encode(to:)` writes them: every stored property under its own name, an absent optional left
/// out, here in key order. A test holds each list to its type's stored properties and to
/// Foundation's bytes, so that a property added to the type and not here fails it.
protocol FlatJSON {
    var jsonMembers: [(key: String, value: PrettyJSON.Child?)] { get }
}

extension PrettyJSON.Child {
    static func of(_ s: String?) -> Self? { s.map { .scalar(.string($0)) } }
    static func of(_ n: Int?) -> Self? { n.map { .scalar(.literal(String($0))) } }
    static func of(_ d: Double) -> Self { .scalar(.literal(PrettyJSON.number(d))) }
    static func of<V: Vocabulary>(_ v: V?) -> Self? { v.map { .scalar(.string($0.rawValue)) } }
    /// An array of flat objects.
    static func of(_ items: [some FlatJSON]) -> Self {
        let box = PrettyJSON.Box()
        box.kind = .array
        box.items = items.map { .flat($0.jsonMembers) }
        return .box(box)
    }
}

extension Evidence: FlatJSON {
    var jsonMembers: [(key: String, value: PrettyJSON.Child?)] {
        [("fact", .of(fact)), ("file", .of(file)), ("kind", .of(kind.rawValue)), ("line", .of(line)), ("note", .of(note)),
         ("pointer", .of(pointer)), ("quote", .of(quote)), ("record", .of(record)), ("source", .of(source)),
         ("xpath", .of(xpath)), ("year", .of(year))]
    }
}

extension Citation: FlatJSON {
    var jsonMembers: [(key: String, value: PrettyJSON.Child?)] {
        [("citation", .of(citation)), ("date", .of(date)), ("holds", .of(holds)), ("id", .of(id)), ("note", .of(note)),
         ("pinpoint", .of(pinpoint)), ("url", .of(url))]
    }
}

extension DataGap.MissingFact: FlatJSON {
    var jsonMembers: [(key: String, value: PrettyJSON.Child?)] {
        [("fact", .of(fact)), ("settle", .of(settle)), ("why", .of(why))]
    }
}

extension Finding: FlatJSON {
    var jsonMembers: [(key: String, value: PrettyJSON.Child?)] {
        [("citations", .of(citations)), ("evidence", .of(evidence)), ("explanation", .of(explanation)), ("floor", .of(floor)),
         ("pattern", .of(pattern)), ("points", .of(points)), ("role", .of(role)), ("rule", .of(rule)), ("title", .of(title)),
         ("version", .of(version)), ("weight", .of(weight))]
    }
}

extension DataGap: FlatJSON {
    var jsonMembers: [(key: String, value: PrettyJSON.Child?)] {
        [("couldRaiseTo", .of(couldRaiseTo)), ("missing", .of(missing)), ("points", .of(points)), ("rule", .of(rule)), ("title", .of(title))]
    }
}
