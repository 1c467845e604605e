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

    private let compiled: Compiled

    init(_ root: DocNode) throws(LoadError) {
        var patterns: [String: Regex<AnyRegexOutput>] = [:]
        try JSONSchema.check(root, at: "", patterns: &patterns)
        compiled = Compiled.build(root, patterns: patterns)
    }

    /// A schema read once into its keywords, so that validating a request looks nothing up by
    /// name: a `$ref` points at its target, `properties` is a dictionary, a pattern is compiled.
    final class Compiled: @unchecked Sendable {
        /// A boolean schema: true allows anything, false nothing.
        var allowed: Bool?
        var ref: Compiled?
        var type: String?
        /// The string options of `enum`, when the schema has one.
        var options: [String]?
        var constant: String?
        /// `properties` in the schema's order (for suggestions) and by name.
        var propertyNames: [String]?
        var properties: [String: Compiled] = [:]
        var required: [String] = []
        var additional: Compiled?
        var items: Compiled?
        var minItems: Int?, maxItems: Int?
        var uniqueItems = false
        var minLength: Int?, maxLength: Int?
        var pattern: (text: String, regex: Regex<AnyRegexOutput>)?
        var date = false
        var minimum: Double?, maximum: Double?

        /// The compiled root; `$ref`s to the same definition share one node (so recursive
        /// definitions terminate).
        static func build(_ root: DocNode, patterns: [String: Regex<AnyRegexOutput>]) -> Compiled {
            var definitions: [String: Compiled] = [:]
            func definition(_ name: String) -> Compiled? {
                if let done = definitions[name] { return done }
                guard let node = root["$defs"]?[name] else { return nil }
                let made = Compiled()
                definitions[name] = made
                fill(made, from: node)
                return made
            }
            func compile(_ node: DocNode) -> Compiled {
                let made = Compiled()
                fill(made, from: node)
                return made
            }
            func fill(_ made: Compiled, from node: DocNode) {
                if case .bool(let b) = node.value { made.allowed = b; return }
                if let ref = node["$ref"]?.string { made.ref = definition(String(ref.dropFirst("#/$defs/".count))) }
                made.type = node["type"]?.string
                if case .array(let options)? = node["enum"]?.value { made.options = options.compactMap(\.string) }
                made.constant = node["const"]?.string
                if let properties = node["properties"], case .object(let members) = properties.value {
                    made.propertyNames = members.map(\.key)
                    for (key, sub) in members where made.properties[key] == nil { made.properties[key] = compile(sub) }
                }
                if case .array(let required)? = node["required"]?.value { made.required = required.compactMap(\.string) }
                made.additional = node["additionalProperties"].map(compile)
                made.items = node["items"].map(compile)
                made.minItems = node["minItems"].flatMap(intValue)
                made.maxItems = node["maxItems"].flatMap(intValue)
                if case .bool(true)? = node["uniqueItems"]?.value { made.uniqueItems = true }
                made.minLength = node["minLength"].flatMap(intValue)
                made.maxLength = node["maxLength"].flatMap(intValue)
                if let text = node["pattern"]?.string, let regex = patterns[text] { made.pattern = (text, regex) }
                made.date = node["format"]?.string == "date"
                made.minimum = node["minimum"].flatMap(doubleValue)
                made.maximum = node["maximum"].flatMap(doubleValue)
            }
            return compile(root)
        }

        static func intValue(_ node: DocNode) -> Int? {
            if case .number(let literal) = node.value { return Int(literal) }
            return nil
        }

        static func doubleValue(_ node: DocNode) -> Double? {
            if case .number(let literal) = node.value { return Double(literal) }
            return nil
        }
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
        var path: [String] = []
        validate(instance, against: compiled, path: &path, into: &out)
        return out
    }

    /// `path` holds the pointer's tokens (escaped), made into a pointer only for a violation.
    private func validate(_ node: DocNode, against schema: Compiled, path: inout [String],
                          into out: inout [Violation]) {
        func pointer() -> String { path.isEmpty ? "" : "/" + path.joined(separator: "/") }
        if let allowed = schema.allowed {
            if !allowed { out.append(.init(pointer: pointer(), line: node.line, message: "is not allowed here")) }
            return
        }
        func report(_ message: String) {
            out.append(.init(pointer: path.isEmpty ? "/" : pointer(), line: node.line, message: message))
        }
        if let target = schema.ref {
            validate(node, against: target, path: &path, into: &out)
        }
        if let type = schema.type, !matches(node, type: type) {
            report("expected \(article(type)) \(type), found \(article(node.typeName)) \(node.typeName)")
            return
        }
        if let allowed = schema.options, let s = node.string, !allowed.contains(s) {
            report("\"\(s)\" is not one of: \(allowed.joined(separator: ", "))")
        }
        if let constant = schema.constant, node.string != constant {
            report("must be \"\(constant)\"")
        }
        switch node.value {
        case .object(let members):
            for key in schema.required where !members.contains(where: { $0.key == key }) {
                report("missing required key \"\(key)\"")
            }
            for (key, child) in members {
                path.append(jsonPointerToken(key))
                defer { path.removeLast() }
                if let sub = schema.properties[key] {
                    validate(child, against: sub, path: &path, into: &out)
                } else if let extra = schema.additional {
                    if extra.allowed == false {
                        out.append(.init(pointer: pointer(), line: child.line,
                                         message: "unknown key \"\(key)\"\(suggestion(for: key, in: schema.propertyNames))"))
                    } else {
                        validate(child, against: extra, path: &path, into: &out)
                    }
                }
            }
        case .array(let items):
            if let min = schema.minItems, items.count < min {
                report("must have at least \(min) item\(min == 1 ? "" : "s")")
            }
            if let max = schema.maxItems, items.count > max {
                report("must have at most \(max) items")
            }
            if schema.uniqueItems {
                var seen = Set<String>()
                for item in items { if let s = item.string, !seen.insert(s).inserted { report("duplicate item \"\(s)\"") } }
            }
            if let itemSchema = schema.items {
                for (i, item) in items.enumerated() {
                    path.append(String(i))
                    validate(item, against: itemSchema, path: &path, into: &out)
                    path.removeLast()
                }
            }
        case .string(let s):
            // Lengths count Unicode code points, as the XSD does, so that both forms take the same text
            // (one character followed by a million combining marks is a million and one long).
            if schema.minLength != nil || schema.maxLength != nil {
                let length = s.unicodeScalars.count
                if let min = schema.minLength, length < min {
                    report(min == 1 ? "must not be empty" : "must be at least \(min) characters long")
                }
                if let max = schema.maxLength, length > max {
                    report("is longer than \(max) characters")
                }
            }
            if let (pattern, regex) = schema.pattern, (try? regex.firstMatch(in: s)) == nil {
                // A country's name where an ISO 3166 code is expected: name the code.
                let code = pattern == "^[A-Z]{2}$" ? ISOTables.countries.first { $0.value.lowercased() == s.lowercased() }?.key : nil
                report("\"\(s)\" does not match the pattern \(pattern)" + (code.map { " (did you mean \"\($0)\"?)" } ?? ""))
            }
            if schema.date, Day(s) == nil {
                report("\"\(s)\" is not a calendar date (YYYY-MM-DD)")
            }
        case .number(let literal):
            if let value = Double(literal) {
                if let min = schema.minimum, value < min { report("must be at least \(formatNumber(min))") }
                if let max = schema.maximum, value > max { report("must be at most \(formatNumber(max))") }
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

    /// "did you mean" for a misspelt key: the known key at the smallest edit distance, if close.
    private func suggestion(for key: String, in known: [String]?) -> String {
        guard let known else { return "" }
        return didYouMean(key, among: known, within: max(2, key.count / 4))
    }
}
