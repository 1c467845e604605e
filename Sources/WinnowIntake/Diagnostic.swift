import WinnowModel

/// One problem found in an input file, printed as `file:line: path: message`.
public struct Diagnostic: Sendable, Hashable, Codable, CustomStringConvertible {
    public var file: String
    public var line: Int?
    /// JSON Pointer (JSON) or XPath (XML) of the offending value, when known.
    public var path: String?
    public var message: String

    public init(file: String, line: Int? = nil, path: String? = nil, message: String) {
        self.file = file
        self.line = line
        self.path = path
        self.message = message
    }

    public var description: String {
        var out = RawFileName.display(file)
        if let line { out += ":\(line)" }
        out += ": "
        if let path, !path.isEmpty { out += "\(path): " }
        return out + message
    }
}

/// Why a request could not be read.
public enum IntakeError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The input is bad: every problem found, one per line. Exit code 2.
    case invalid([Diagnostic])
    /// Winnow itself failed (its schema did not load, say). Exit code 3.
    case `internal`(String)

    public var diagnostics: [Diagnostic] {
        if case .invalid(let d) = self { return d }
        return []
    }

    public var description: String {
        switch self {
        case .invalid(let d): return d.map(\.description).joined(separator: "\n")
        case .internal(let message): return "internal error: \(message)"
        }
    }
}
