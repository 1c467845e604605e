import WinnowModel

/// A JSON Schema (draft 2020-12) validator for the subset Winnow's request schema uses.
///
/// Strict in both directions: a keyword this validator does not implement makes the *schema* fail
/// to load, so the shipped schema can never promise a check that is not carried out.
struct JSONSchema: @unchecked Sendable {
    struct Violation: Equatable, Sendable {
        var pointer: String
        var line: Int
        var message: String
    }

    enum LoadError: Error, Equatable { case invalid(String) }

    /// Keywords understood. Annotations (title, description, ...) are accepted and ignored.
    static let keywords: Set<String> = [
        "$schema", "$id", "$comment", "$defs", "$ref", "title", "description", "examples",
        "type", "enum", "const", "properties", "required", "additionalProperties", "items",
        "minItems", "maxItems", "uniqueItems", "minLength", "maxLength", "pattern", "format",
        "minimum", "maximum",
    ]

    private let root: DocNode
    private let patterns: [String: Regex<AnyRegexOutput>]

    init(_ root: DocNode) throws(LoadError) {
        self.root = root
        var patterns: [String: Regex<AnyRegexOutput>] = [:]
        try JSONSchema.check(root, at: "", patterns: &patterns)
        self.patterns = patterns
    }

    private static func check(_ schema: DocNode, at path: String,
                              patterns: inout [String: Regex<AnyRegexOutput>]) throws(LoadError) {
        if case .bool = schema.value { return }
        guard case .object(let members) = schema.value else {
            throw .invalid("\(path): a schema must be an object or a boolean")
        }
        for (key, value) in members {
            guard keywords.contains(key) else { throw .invalid("\(path): unsupported keyword \"\(key)\"") }
            switch key {
            case "$defs", "properties":
                guard case .object(let subs) = value.value else { throw .invalid("\(path)/\(key): not an object") }
                for (name, sub) in subs { try check(sub, at: "\(path)/\(key)/\(name)", patterns: &patterns) }
            case "items", "additionalProperties":
                try check(value, at: "\(path)/\(key)", patterns: &patterns)
            case "pattern":
                guard let text = value.string else { throw .invalid("\(path)/pattern: not a string") }
                do { patterns[text] = try Regex(text) } catch {
                    throw .invalid("\(path)/pattern: invalid regular expression \(text)")
                }
            case "$ref":
                guard let ref = value.string, ref.hasPrefix("#/$defs/") else {
                    throw .invalid("\(path)/$ref: only local references #/$defs/NAME are supported")
                }
            default: break
            }
        }
    }

    func validate(_ instance: DocNode) -> [Violation] {
        var out: [Violation] = []
        validate(instance, against: root, at: "", into: &out)
        return out
    }

    private func resolve(_ ref: String) -> DocNode? {
        root["$defs"]?[String(ref.dropFirst("#/$defs/".count))]
    }

    private func validate(_ node: DocNode, against schema: DocNode, at pointer: String,
                          into out: inout [Violation]) {
        if case .bool(let allowed) = schema.value {
            if !allowed { out.append(.init(pointer: pointer, line: node.line, message: "is not allowed here")) }
            return
        }
        func report(_ message: String) {
            out.append(.init(pointer: pointer.isEmpty ? "/" : pointer, line: node.line, message: message))
        }
        if let ref = schema["$ref"]?.string, let target = resolve(ref) {
            validate(node, against: target, at: pointer, into: &out)
        }
        if let type = schema["type"]?.string, !matches(node, type: type) {
            report("expected \(article(type)) \(type), found \(article(node.typeName)) \(node.typeName)")
            return
        }
        if case .array(let options)? = schema["enum"]?.value {
            let allowed = options.compactMap(\.string)
            if let s = node.string, !allowed.contains(s) {
                report("\"\(s)\" is not one of: \(allowed.joined(separator: ", "))")
            }
        }
        if let constant = schema["const"]?.string, node.string != constant {
            report("must be \"\(constant)\"")
        }
        switch node.value {
        case .object(let members):
            let properties = schema["properties"]
            if case .array(let required)? = schema["required"]?.value {
                for key in required.compactMap(\.string) where !members.contains(where: { $0.key == key }) {
                    report("missing required key \"\(key)\"")
                }
            }
            for (key, child) in members {
                let childPointer = "\(pointer)/\(jsonPointerToken(key))"
                if let sub = properties?[key] {
                    validate(child, against: sub, at: childPointer, into: &out)
                } else if let extra = schema["additionalProperties"] {
                    if case .bool(false) = extra.value {
                        out.append(.init(pointer: childPointer, line: child.line,
                                         message: "unknown key \"\(key)\"\(suggestion(for: key, in: properties))"))
                    } else {
                        validate(child, against: extra, at: childPointer, into: &out)
                    }
                }
            }
        case .array(let items):
            if let min = schema["minItems"].flatMap(intValue), items.count < min {
                report("must have at least \(min) item\(min == 1 ? "" : "s")")
            }
            if let max = schema["maxItems"].flatMap(intValue), items.count > max {
                report("must have at most \(max) items")
            }
            if case .bool(true)? = schema["uniqueItems"]?.value {
                var seen = Set<String>()
                for item in items { if let s = item.string, !seen.insert(s).inserted { report("duplicate item \"\(s)\"") } }
            }
            if let itemSchema = schema["items"] {
                for (i, item) in items.enumerated() {
                    validate(item, against: itemSchema, at: "\(pointer)/\(i)", into: &out)
                }
            }
        case .string(let s):
            // Lengths count Unicode code points, as the XSD does, so that both forms take the same text
            // (one character followed by a million combining marks is a million and one long).
            let length = s.unicodeScalars.count
            if let min = schema["minLength"].flatMap(intValue), length < min {
                report(min == 1 ? "must not be empty" : "must be at least \(min) characters long")
            }
            if let max = schema["maxLength"].flatMap(intValue), length > max {
                report("is longer than \(max) characters")
            }
            if let pattern = schema["pattern"]?.string, let regex = patterns[pattern],
               (try? regex.firstMatch(in: s)) == nil {
                // A country's name where an ISO 3166 code is expected: name the code.
                let code = pattern == "^[A-Z]{2}$" ? ISOTables.countries.first { $0.value.lowercased() == s.lowercased() }?.key : nil
                report("\"\(s)\" does not match the pattern \(pattern)" + (code.map { " (did you mean \"\($0)\"?)" } ?? ""))
            }
            if schema["format"]?.string == "date", Day(s) == nil {
                report("\"\(s)\" is not a calendar date (YYYY-MM-DD)")
            }
        case .number(let literal):
            if let value = Double(literal) {
                if let min = schema["minimum"].flatMap(doubleValue), value < min { report("must be at least \(formatNumber(min))") }
                if let max = schema["maximum"].flatMap(doubleValue), value > max { report("must be at most \(formatNumber(max))") }
            }
        default: break
        }
    }

    private func formatNumber(_ d: Double) -> String { d == d.rounded() ? String(Int(d)) : String(d) }

    private func matches(_ node: DocNode, type: String) -> Bool {
        switch (type, node.value) {
        case ("object", .object), ("array", .array), ("string", .string), ("boolean", .bool), ("null", .null),
             ("number", .number):
            return true
        case ("integer", .number(let literal)):
            return Int(literal) != nil
        default:
            return false
        }
    }

    private func article(_ word: String) -> String {
        word.first.map { "aeiou".contains($0) } == true ? "an" : "a"
    }

    private func intValue(_ node: DocNode) -> Int? {
        if case .number(let literal) = node.value { return Int(literal) }
        return nil
    }

    private func doubleValue(_ node: DocNode) -> Double? {
        if case .number(let literal) = node.value { return Double(literal) }
        return nil
    }

    /// "did you mean" for a misspelt key: the known key at the smallest edit distance, if close.
    private func suggestion(for key: String, in properties: DocNode?) -> String {
        guard case .object(let known)? = properties?.value else { return "" }
        return didYouMean(key, among: known.map(\.key), within: max(2, key.count / 4))
    }
}
