import WinnowModel
import Yams

/// Strict reading of a YAML mapping: known keys only, each key once, types checked, every problem
/// recorded with its line. Used for rule files, sources and profiles.
struct YAMLReader {
    let file: String
    var problems: [RuleProblem] = []

    init(file: String) { self.file = file }

    mutating func problem(_ node: Node?, _ message: String) {
        problems.append(RuleProblem(file: file, line: node?.mark?.line, message: message))
    }

    mutating func problem(line: Int?, _ message: String) {
        problems.append(RuleProblem(file: file, line: line, message: message))
    }

    /// The YAML 1.2 core schema's tags (null, bool, int, float) and nothing else: the packs' dates are
    /// read from their text, and Yams resolves a plain scalar's tag by trying each rule's regular
    /// expression in turn (also whenever a mapping key is hashed), so the timestamp, merge and value
    /// rules of its default resolver were a third of the time a cold start spent in YAML.
    static let resolver = Resolver.default.removing(.timestamp).removing(.merge).removing(.value)

    /// Parses a whole file into its root node.
    mutating func compose(_ text: String) -> Node? {
        do {
            return try Yams.compose(yaml: text, Self.resolver)
        } catch let YamlError.duplicatedKeysInMapping(duplicates, context) {
            for key in duplicates {
                problem(line: Self.secondOccurrence(of: key, in: text, from: context.mark.line) ?? context.mark.line,
                        "duplicate key \"\(key)\"")
            }
        } catch let error as YamlError {
            problem(line: Self.line(of: error), "not valid YAML: \(Self.describe(error))")
        } catch {
            problem(line: nil, "not valid YAML: \(error)")
        }
        return nil
    }

    /// The line where `key:` appears for the second time at or after `line` (Yams names the mapping,
    /// not the duplicated key).
    static func secondOccurrence(of key: String, in text: String, from line: Int) -> Int? {
        var seen = 0
        for (i, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() where i + 1 >= line {
            var body = raw.drop { $0 == " " }
            if body.hasPrefix("- ") { body = body.dropFirst(2).drop { $0 == " " } }
            if body.hasPrefix(key + ":") {
                seen += 1
                if seen == 2 { return i + 1 }
            }
        }
        return nil
    }

    static func line(of error: YamlError) -> Int? {
        switch error {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _): return mark.line
        default: return nil
        }
    }

    static func describe(_ error: YamlError) -> String {
        switch error {
        case .scanner(_, let problem, _, _), .parser(_, let problem, _, _), .composer(_, let problem, _, _): return problem
        default: return "\(error)"
        }
    }

    /// The mapping's entries, after checking keys: unknown and duplicate keys are problems,
    /// missing required ones too.
    mutating func mapping(_ node: Node?, what: String, required: [String], optional: [String] = []) -> [String: Node]? {
        guard let node else { return nil }
        guard case .mapping(let mapping) = node else {
            problem(node, "\(what) must be a mapping")
            return nil
        }
        var out: [String: Node] = [:]
        let known = Set(required + optional)
        for (keyNode, value) in mapping {
            guard let key = keyNode.string else { problem(keyNode, "\(what): keys must be strings"); continue }
            if out[key] != nil { problem(keyNode, "\(what): duplicate key \"\(key)\""); continue }
            if !known.contains(key) {
                problem(keyNode, "\(what): unknown key \"\(key)\"\(didYouMean(key, among: known.sorted(), within: 2))")
                continue
            }
            out[key] = value
        }
        for key in required where out[key] == nil { problem(node, "\(what): missing \"\(key)\"") }
        return out
    }

    mutating func string(_ node: Node?, _ what: String) -> String? {
        guard let node else { return nil }
        guard case .scalar(let scalar) = node, !scalar.string.isEmpty else {
            problem(node, "\(what) must be a non-empty string")
            return nil
        }
        return scalar.string
    }

    mutating func int(_ node: Node?, _ what: String) -> Int? {
        guard let node else { return nil }
        guard case .scalar = node, let value = node.int else { problem(node, "\(what) must be a whole number"); return nil }
        return value
    }

    mutating func sequence(_ node: Node?, _ what: String) -> [Node]? {
        guard let node else { return nil }
        guard case .sequence(let seq) = node else { problem(node, "\(what) must be a list"); return nil }
        return Array(seq)
    }

    /// A source catalogue (`version`, then `sources`: a list of id, citation, holds and the
    /// `optional` keys): ids unique, links http(s). Used by the rule pack and the profiles.
    mutating func sourceCatalogue(_ text: String, optional: [String]) -> ([String: Citation], [String: SourceScope]) {
        guard let root = mapping(compose(text), what: "sources file", required: ["version", "sources"]),
              let list = sequence(root["sources"], "sources") else { return ([:], [:]) }
        let (sources, scopes) = sourceList(list, required: [], optional: optional)
        return (Dictionary(sources, uniquingKeysWith: { a, _ in a }), scopes)
    }

    /// The statutes of one requested state (`requested-states/XX.yaml`): its code (which must be the
    /// file's name), and each statute as a source with the general sources it is cited beside
    /// (`alongside:`, ids of `general`). In file order.
    mutating func requestedStateLaw(_ text: String, file: String, general: [String: Citation])
        -> (state: String?, laws: [(String, Citation)], scopes: [String: SourceScope]) {
        guard let root = mapping(compose(text), what: "requested-state file", required: ["version", "state", "name", "sources"]),
              let list = sequence(root["sources"], "sources") else { return (nil, [], [:]) }
        if let v = int(root["version"], "version"), v != RulePack.ruleFileVersion { problem(root["version"], "version must be \(RulePack.ruleFileVersion)") }
        _ = string(root["name"], "name")
        var state = string(root["state"], "state")
        if let code = state, code + ".yaml" != file || ISOTables.countries[code] == nil {
            problem(root["state"], "state must be an ISO 3166-1 alpha-2 code and the file's name (\(file))")
            state = nil
        }
        var (laws, scopes) = sourceList(list, required: ["alongside", "instruments"],
                                        optional: ["pinpoint", "date", "url", "note", "measures"])
        for (id, _) in laws {
            for other in scopes[id]?.alongside ?? [] where general[other] == nil {
                problem(line: nil, "\(id): alongside names \"\(other)\", which is not in sources.yaml\(didYouMean(other, among: general.keys.sorted(), within: 2))")
            }
            scopes[id]?.state = state
        }
        return (state, laws, scopes)
    }

    /// Sources as listed in a sources file: ids unique, links http(s), scopes checked.
    mutating func sourceList(_ list: [Node], required: [String], optional: [String]) -> ([(String, Citation)], [String: SourceScope]) {
        var sources: [(String, Citation)] = []
        var seen: Set<String> = []
        var scopes: [String: SourceScope] = [:]
        for node in list {
            guard let s = mapping(node, what: "source", required: ["id", "citation", "holds"] + required, optional: optional),
                  let id = string(s["id"], "id") else { continue }
            if !seen.insert(id).inserted { problem(s["id"], "duplicate source id \"\(id)\""); continue }
            if let url = s["url"]?.string, !(url.hasPrefix("https://") || url.hasPrefix("http://")) {
                problem(s["url"], "url must be an http(s) link")
            }
            sources.append((id, Citation(id: id, citation: string(s["citation"], "citation") ?? "",
                                         pinpoint: s["pinpoint"]?.string, date: s["date"]?.string, url: s["url"]?.string,
                                         holds: string(s["holds"], "holds") ?? "", note: s["note"]?.string)))
            if s["instruments"] != nil || s["treaty"] != nil || s["measures"] != nil || s["alongside"] != nil {
                var scope = SourceScope(instruments: [], treaty: nil)
                for name in strings(s["measures"], "measures") ?? [] {
                    if let measure = MeasureType(rawValue: name), SourceScope.measureEffects[measure] != nil { scope.measures.append(measure) } else {
                        problem(s["measures"], "measures may name \(SourceScope.measureEffects.keys.map(\.rawValue).sorted().joined(separator: ", ")), not \"\(name)\"")
                    }
                }
                for name in strings(s["instruments"], "instruments") ?? [] {
                    if let instrument = Instrument(rawValue: name) { scope.instruments.append(instrument) } else {
                        problem(s["instruments"], "unknown instrument \"\(name)\" (one of \(Instrument.allCases.map(\.rawValue).joined(separator: ", ")))")
                    }
                }
                if let treaty = s["treaty"] {
                    let name = string(treaty, "treaty") ?? ""
                    if SourceScope.treatyFacts.contains(name) { scope.treaty = name } else {
                        problem(treaty, "treaty must be one of \(SourceScope.treatyFacts.sorted().joined(separator: ", "))")
                    }
                }
                if s["alongside"] != nil {
                    scope.alongside = strings(s["alongside"], "alongside") ?? []
                    if scope.alongside.isEmpty { problem(s["alongside"], "alongside must name at least one source") }
                }
                scopes[id] = scope
            }
        }
        return (sources, scopes)
    }

    mutating func strings(_ node: Node?, _ what: String) -> [String]? {
        guard let items = sequence(node, what) else { return nil }
        return items.compactMap { string($0, "an item of \(what)") }
    }
}
