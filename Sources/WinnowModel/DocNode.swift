/// A parsed document before it becomes a `Request` (or a registry import): the common shape of the
/// XML and the JSON form, each node remembering its line. A request keeps its tree as the map of
/// where each value stands (`SourceMap`).
public struct DocNode: Sendable {
    public enum Value: Sendable {
        case object([(key: String, node: DocNode)])
        case array([DocNode])
        case string(String)
        /// A JSON number, kept as its literal text.
        case number(String)
        case bool(Bool)
        case null
    }

    public var value: Value
    public var line: Int

    public init(_ value: Value, line: Int) {
        self.value = value
        self.line = line
    }

    public var typeName: String {
        switch value {
        case .object: return "object"
        case .array: return "array"
        case .string: return "string"
        case .number: return "number"
        case .bool: return "boolean"
        case .null: return "null"
        }
    }

    public subscript(key: String) -> DocNode? {
        guard case .object(let members) = value else { return nil }
        return members.first { $0.key == key }?.node
    }

    public var string: String? {
        if case .string(let s) = value { return s }
        return nil
    }
}
