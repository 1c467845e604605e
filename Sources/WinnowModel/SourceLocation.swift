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

/// Canonical JSON Pointer -> where that value stands in the file.
public struct SourceMap: Sendable, Hashable, Codable {
    public private(set) var locations: [String: SourceLocation]

    public init(_ locations: [String: SourceLocation] = [:]) { self.locations = locations }

    public subscript(pointer: String) -> SourceLocation? { locations[pointer] }

    public mutating func record(_ location: SourceLocation) { locations[location.pointer] = location }

    /// The location of `pointer`, or of its closest recorded ancestor (a missing field is reported at
    /// the object that should have held it).
    public func nearest(_ pointer: String) -> SourceLocation? {
        var current = pointer
        while true {
            if let hit = locations[current] { return hit }
            guard let slash = current.lastIndex(of: "/"), !current.isEmpty else { return locations[""] }
            current = String(current[..<slash])
        }
    }
}

/// Escapes one reference token of a JSON Pointer (RFC 6901 §4).
public func jsonPointerToken(_ token: String) -> String {
    // Almost no key holds ~ or /: skip Foundation's (slow, bridged) replacement then.
    guard token.utf8.contains(where: { $0 == UInt8(ascii: "~") || $0 == UInt8(ascii: "/") }) else { return token }
    return token.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
}
