import Foundation

/// Where a value came from in a request file: the canonical JSON Pointer (the same for the XML and
/// the JSON form of a request), the XPath when the file was XML, and the line.
public struct SourceLocation: Sendable, Hashable, Codable {
    public var file: String
    /// Canonical JSON Pointer into the request (RFC 6901), e.g. `/persons/0/names/1/text`.
    public var pointer: String
    /// XPath of the element when the file was XML, e.g. `/request/persons/person[1]/names/name[2]/text`.
    public var xpath: String?
    /// 1-based line in the file, when known.
    public var line: Int?

    public init(file: String, pointer: String, xpath: String? = nil, line: Int? = nil) {
        self.file = file
        self.pointer = pointer
        self.xpath = xpath
        self.line = line
    }

    /// What a reviewer reads: the XPath for XML files, the JSON Pointer otherwise.
    public var path: String { xpath ?? pointer }

    /// `file:line` when the line is known, else `file`.
    public var fileAndLine: String { line.map { "\(file):\($0)" } ?? file }
}

/// Where each value of a request stands in its file. The map keeps the parsed tree itself, so
/// reading a file costs nothing extra: a value's JSON Pointer, XPath and line are worked out only
/// when a finding or a problem asks for them.
public struct SourceMap: Sendable {
    /// How the XML form names what the tree holds: its root element, and the item element of each
    /// list wrapper (`persons` holds `person` elements).
    public struct XMLNaming: Sendable {
        public var root: String
        public var listItems: [String: String]

        public init(root: String, listItems: [String: String]) {
            self.root = root
            self.listItems = listItems
        }
    }

    public var file: String
    private var root: DocNode?
    private var xml: XMLNaming?

    /// A map that knows nothing (a request built in code).
    public init() {
        file = ""
    }

    /// The map of a file read into `root`; `xml` when the file was XML.
    public init(file: String, root: DocNode, xml: XMLNaming? = nil) {
        self.file = file
        self.root = root
        self.xml = xml
    }

    /// Where the value at `pointer` stands, or nil when the file has no such value.
    public subscript(pointer: String) -> SourceLocation? { resolve(pointer).flatMap { $0.node != nil ? $0.location : nil } }

    /// The scalar that stands at `pointer` as the file wrote it (a number in its literal form, a
    /// boolean as true or false), or nil when there is none or it is an object, an array or null.
    public func scalar(at pointer: String) -> String? { pointer.hasPrefix("/") ? resolve(pointer)?.node.flatMap(Self.scalar) : nil }

    /// A scalar node's text as the file wrote it; nil for an object, an array or null.
    public static func scalar(_ node: DocNode) -> String? {
        switch node.value {
        case .string(let s), .number(let s): return s
        case .bool(let b): return b ? "true" : "false"
        case .object, .array, .null: return nil
        }
    }

    /// For the node found at `pointer`, an object or a list: the first scalar inside it that names
    /// it (an object's reference, type, kind, name, label or text before its other members; a
    /// list's first item), with its pointer, so a row about a whole measure or linked request can
    /// quote a value that stands in the file. Nil when the node is a scalar or null.
    public static func namingScalar(in found: DocNode, at pointer: String) -> (pointer: String, value: String)? {
        guard scalar(found) == nil else { return nil }
        var node = found
        var path = pointer
        for _ in 0..<4 {
            if let value = scalar(node) { return (path, value) }
            switch node.value {
            case .null, .string, .number, .bool: return nil   // a scalar was answered above
            case .array(let items):
                guard let first = items.first else { return nil }
                path += "/0"
                node = first
            case .object(let members):
                let preferred = ["reference", "type", "kind", "name", "label", "text", "from"]
                guard let pick = preferred.lazy.compactMap({ key in members.first { $0.key == key } }).first ?? members.first else { return nil }
                path += "/" + jsonPointerToken(pick.key)
                node = pick.node
            }
        }
        return nil
    }

    /// The location of `pointer`, or of its closest existing ancestor (a missing field is reported
    /// at the object that should have held it).
    public func nearest(_ pointer: String) -> SourceLocation? { resolve(pointer)?.location }

    /// Follows `pointer` down the tree once: the location it reaches, or its closest existing
    /// ancestor's, with the node at `pointer` when the pointer itself exists (nil when only an
    /// ancestor does). What `nearest`, `scalar(at:)` and `namingScalar(in:at:)` each need, for a
    /// caller that needs several of them.
    public func resolve(_ pointer: String) -> (location: SourceLocation, node: DocNode?)? {
        guard var node = root, pointer.isEmpty || pointer.hasPrefix("/") else { return nil }
        var canonical = ""
        var xpath = xml.map { "/" + $0.root }
        var holder = xml?.root ?? ""   // the element name of the current node (names list items)
        for raw in pointer.utf8.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false).dropFirst() {
            let token = unescapePointerToken(String(decoding: raw, as: UTF8.self))
            var next: DocNode?
            switch node.value {
            case .object(let members):
                if let child = members.first(where: { $0.key == token })?.node {
                    next = child
                    xpath? += "/" + token
                    holder = token
                }
            case .array(let items):
                if let i = Int(token), String(i) == token, items.indices.contains(i) {
                    next = items[i]
                    let item = xml?.listItems[holder] ?? holder
                    xpath? += "/\(item)[\(i + 1)]"
                    holder = item
                }
            default:
                break
            }
            guard let next else {
                return (SourceLocation(file: file, pointer: canonical, xpath: xpath, line: node.line), nil)
            }
            canonical += "/" + jsonPointerToken(token)
            node = next
        }
        return (SourceLocation(file: file, pointer: canonical, xpath: xpath, line: node.line), node)
    }
}

/// Reads one reference token of a JSON Pointer back (RFC 6901 §4: `~1` is `/`, then `~0` is `~`).
public func unescapePointerToken(_ token: String) -> String {
    guard token.utf8.contains(UInt8(ascii: "~")) else { return token }
    return token.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
}

/// Escapes one reference token of a JSON Pointer (RFC 6901 §4).
public func jsonPointerToken(_ token: String) -> String {
    // Almost no key holds ~ or /: skip Foundation's (slow, bridged) replacement then.
    guard token.utf8.contains(where: { $0 == UInt8(ascii: "~") || $0 == UInt8(ascii: "/") }) else { return token }
    return token.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
}
