/// A rule's explanation, split once at load into literal text and `{fact.name}` /
/// `{quote:fact.name}` placeholders, so rendering a finding is one pass with no searching.
public struct ExplainTemplate: Sendable, Equatable, Codable {
    public enum Part: Sendable, Equatable, Codable {
        case text(String)
        /// `{fact.name}`: the fact's value.
        case value(String)
        /// `{quote:fact.name}`: the fact's evidence, quoted.
        case quote(String)
    }

    public var parts: [Part]

    public init(_ template: String) {
        parts = []
        var literal = Substring()
        var rest = template[...]
        while let open = rest.firstIndex(of: "{") {
            literal += rest[..<open]
            let afterOpen = rest.index(after: open)
            guard let close = rest[afterOpen...].firstIndex(of: "}") else { break }
            let inner = rest[afterOpen..<close]
            let isQuote = inner.hasPrefix("quote:")
            let name = isQuote ? inner.dropFirst("quote:".count) : inner
            guard Self.isFactName(name) else {
                literal += "{"
                rest = rest[afterOpen...]
                continue
            }
            if !literal.isEmpty { parts.append(.text(String(literal))) }
            literal = ""
            parts.append(isQuote ? .quote(String(name)) : .value(String(name)))
            rest = rest[rest.index(after: close)...]
        }
        literal += rest
        if !literal.isEmpty { parts.append(.text(String(literal))) }
    }

    /// Fact names the template refers to, each once, sorted.
    public var facts: [String] {
        Array(Set(parts.compactMap { part -> String? in
            switch part {
            case .value(let name), .quote(let name): return name
            case .text: return nil
            }
        })).sorted()
    }

    /// `family.name`, lower-case letters and underscores on each side of one dot.
    static func isFactName(_ name: Substring) -> Bool {
        let halves = name.split(separator: ".", omittingEmptySubsequences: false)
        return halves.count == 2 && halves.allSatisfy { half in
            !half.isEmpty && half.utf8.allSatisfy { ($0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "z")) || $0 == UInt8(ascii: "_") }
        }
    }
}
