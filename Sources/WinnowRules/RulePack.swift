import Crypto
public import Foundation
public import WinnowModel
import Yams

/// Where a legal source binds (see `RulePack.sourceScopes`).
public struct SourceScope: Sendable, Hashable, Codable {
    /// The instruments the source governs; empty means every instrument.
    public var instruments: [Instrument]
    /// A profile fact (`profile.extradition_convention_party`, ...) that must hold for the source to
    /// bind the requesting state; when it does not, the source is cited for its principles only.
    public var treaty: String?
    /// The measures the source concerns (`measures:`), e.g. non-refoulement: those that remove the
    /// person or tell the requesting state where she is. Empty means every measure.
    public var measures: [MeasureType] = []
    /// For a statute of a requested state (`Rules/requested-states/XX.yaml`): the general sources
    /// beside which it is cited. A finding whose rule cites one of them, in a request addressed to
    /// that state, cites the statute too (`alongside:`).
    public var alongside: [String] = []
    /// The requested state whose statute this is; nil for every other source.
    public var state: String?

    /// What each measure a source can be scoped to does, for the citation's note.
    public static let measureEffects: [MeasureType: String] = [
        .surrender: "removal of the person", .arrest: "removal of the person", .provisionalArrest: "removal of the person",
        .locateTrace: "where the person is, told to the requesting state", .identification: "who and where the person is, told to the requesting state",
        .presenceOfForeignOfficials: "the requesting state's officials where the person lives and works",
    ]

    /// The treaty facts a scope may name.
    public static let treatyFacts: Set<String> = ["profile.extradition_convention_party", "profile.mla_convention_party",
                                                  "profile.echr_party", "profile.cat_party"]
}

/// The rule pack: rules, the legal sources they cite, and the scoring, loaded from a folder.
public struct RulePack: Sendable {
    public var name: String
    public var release: String
    public var rules: [Rule]
    public var sources: [String: Citation]
    /// Where a source binds: the instruments it governs and the treaty the requesting state must be
    /// party to (`instruments:` and `treaty:` in sources.yaml). Sources without a scope always apply.
    public var sourceScopes: [String: SourceScope] = [:]
    /// The requested states' own statutes, by state code: source ids (in `sources` and
    /// `sourceScopes` like every other source), in the order of `Rules/requested-states/XX.yaml`.
    public var requestedStateLaw: [String: [String]] = [:]
    /// The title of each pattern family (P1 ... P12), from the rule files.
    public var patternFamilies: [String: String] = [:]
    public var scoring: Scoring
    /// SHA-256 over every file of the pack, in path order: which exact pack produced a report.
    public var sha256: String
    public var folder: URL
    public var catalogue: FactCatalogue
    /// The requesting-state profiles in `profiles/` beside the rules, when the folder has them.
    public var profiles: ProfileStore?

    public static let ruleFileVersion = 1

    /// Loads and checks the whole pack; every problem in every file is reported at once.
    /// A `cache` (`PackCache.standard()`) keeps the checked pack, profiles included, between runs.
    public static func load(from folder: URL, catalogue: FactCatalogue = .standard,
                            staleAfterYears: Int = 3, cache: PackCache? = nil) throws(RulePackError) -> RulePack {
        guard let cache else { return try loadChecked(from: folder, catalogue: catalogue, staleAfterYears: staleAfterYears) }
        // The whole pack, keyed by its own SHA-256 (which every report carries anyway), in parts
        // that decode in parallel: the rules, then the profiles in shards.
        let sha = digest(of: folder)
        let content = folder.standardizedFileURL.path + "|" + sha
        if let parts = cache.read(parts: 1 + Cached.profileShards, Cached.self, kind: "pack", content: content),
           case .rules(let c) = parts[0] {
            var profiles: ProfileStore?
            if let profileSources = c.profileSources {
                var all: [String: StateProfile] = [:]
                for case .profiles(let shard) in parts.dropFirst() { all.merge(shard) { a, _ in a } }
                profiles = ProfileStore(profiles: all, sources: profileSources, staleAfterYears: staleAfterYears,
                                        folder: folder.appendingPathComponent("profiles"))
            }
            return RulePack(name: c.name, release: c.release, rules: c.rules, sources: c.sources, sourceScopes: c.sourceScopes,
                            requestedStateLaw: c.requestedStateLaw, patternFamilies: c.patternFamilies, scoring: c.scoring, sha256: sha, folder: folder, catalogue: catalogue, profiles: profiles)
        }
        let pack = try loadChecked(from: folder, catalogue: catalogue, staleAfterYears: staleAfterYears, sha256: sha)
        let rules = Cached.Rules(name: pack.name, release: pack.release, rules: pack.rules, sources: pack.sources, sourceScopes: pack.sourceScopes,
                                 requestedStateLaw: pack.requestedStateLaw, patternFamilies: pack.patternFamilies, scoring: pack.scoring, profileSources: pack.profiles?.sources)
        let states = (pack.profiles?.profiles ?? [:]).sorted { $0.key < $1.key }
        let shards = (0..<Cached.profileShards).map { n in
            Cached.profiles(Dictionary(uniqueKeysWithValues: states.enumerated().filter { $0.offset % Cached.profileShards == n }.map(\.element)))
        }
        cache.write(parts: [Cached.rules(rules)] + shards, kind: "pack", content: content)
        return pack
    }

    /// What the cache keeps of a checked pack: everything `loadChecked` reads from its files.
    enum Cached: Codable, Sendable {
        case rules(Rules)
        case profiles([String: StateProfile])

        static let profileShards = 3

        struct Rules: Codable, Sendable {
            var name: String
            var release: String
            var rules: [Rule]
            var sources: [String: Citation]
            var sourceScopes: [String: SourceScope]
            var requestedStateLaw: [String: [String]]
            var patternFamilies: [String: String]
            var scoring: Scoring
            /// The profiles' own source list; nil when the pack has no profiles.
            var profileSources: [String: Citation]?
        }
    }

    /// Reads and checks every file of the pack (no cache).
    static func loadChecked(from folder: URL, catalogue: FactCatalogue, staleAfterYears: Int,
                            sha256: String? = nil) throws(RulePackError) -> RulePack {
        var problems: [RuleProblem] = []
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        guard fm.fileExists(atPath: folder.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw RulePackError(problems: [RuleProblem(file: folder.path, line: nil, message: "no rules folder here")])
        }
        func read(_ name: String) -> (String, String)? {
            let url = folder.appendingPathComponent(name)
            guard let data = fm.contents(atPath: url.path), let text = String(data: data, encoding: .utf8) else {
                problems.append(RuleProblem(file: url.path, line: nil, message: "missing or not UTF-8"))
                return nil
            }
            return (url.path, text)
        }

        // pack.yaml
        var name = "", release = ""
        var scoring = Scoring(max: 100, thresholds: [:])
        if let (path, text) = read("pack.yaml") {
            var reader = YAMLReader(file: path)
            if let root = reader.mapping(reader.compose(text), what: "pack", required: ["version", "name", "release", "score"]) {
                if let v = reader.int(root["version"], "version"), v != ruleFileVersion { reader.problem(root["version"], "version must be \(ruleFileVersion)") }
                name = reader.string(root["name"], "name") ?? ""
                release = reader.string(root["release"], "release") ?? ""
                if let score = reader.mapping(root["score"], what: "score", required: ["max", "bands", "model"]) {
                    scoring.max = reader.int(score["max"], "score.max") ?? 100
                    if let bands = reader.mapping(score["bands"], what: "score.bands", required: ["elevated", "high", "critical"]) {
                        for band in [Band.elevated, .high, .critical] {
                            if let from = reader.int(bands[band.rawValue], "score.bands.\(band.rawValue)") { scoring.thresholds[band] = from }
                        }
                        let ordered = [Band.elevated, .high, .critical].compactMap { scoring.thresholds[$0] }
                        if ordered != ordered.sorted() || ordered.contains(where: { $0 <= 0 || $0 > scoring.max }) {
                            reader.problem(score["bands"], "band thresholds must rise (elevated < high < critical) within 1...\(scoring.max)")
                        }
                    }
                    var conditions = RuleFileLoader(reader: reader, catalogue: catalogue, sources: [:])
                    conditions.model(score["model"], into: &scoring)
                    reader = conditions.reader
                }
            }
            problems += reader.problems
        }

        // sources.yaml
        var sources: [String: Citation] = [:]
        var scopes: [String: SourceScope] = [:]
        if let (path, text) = read("sources.yaml") {
            var reader = YAMLReader(file: path)
            (sources, scopes) = reader.sourceCatalogue(text, optional: ["pinpoint", "date", "url", "note", "instruments", "treaty", "measures"])
            problems += reader.problems
        }

        // The requested states' statutes: requested-states/XX.yaml, one file per state.
        var requestedStateLaw: [String: [String]] = [:]
        let lawFolder = folder.appendingPathComponent("requested-states")
        for file in ((try? fm.contentsOfDirectory(atPath: lawFolder.path)) ?? []).filter({ $0.hasSuffix(".yaml") }).sorted() {
            guard let (path, text) = read("requested-states/\(file)") else { continue }
            var reader = YAMLReader(file: path)
            let (state, laws, lawScopes) = reader.requestedStateLaw(text, file: file, general: sources)
            for (id, citation) in laws {
                if sources[id] != nil { reader.problem(line: nil, "source id \"\(id)\" is already used by another source"); continue }
                sources[id] = citation
                scopes[id] = lawScopes[id]
            }
            if let state { requestedStateLaw[state] = laws.map(\.0) }
            problems += reader.problems
        }

        // Rule files: every other *.yaml at the top of the folder.
        var rules: [Rule] = []
        var families: [String: String] = [:]
        let ruleFiles = ((try? fm.contentsOfDirectory(atPath: folder.path)) ?? [])
            .filter { $0.hasSuffix(".yaml") && $0 != "pack.yaml" && $0 != "sources.yaml" }.sorted()
        if ruleFiles.isEmpty { problems.append(RuleProblem(file: folder.path, line: nil, message: "no rule files (*.yaml)")) }
        for file in ruleFiles {
            guard let (path, text) = read(file) else { continue }
            var loader = RuleFileLoader(reader: YAMLReader(file: path), catalogue: catalogue, sources: sources)
            rules += loader.load(text)
            families.merge(loader.families) { a, _ in a }
            problems += loader.reader.problems
        }
        var seen: [String: Rule] = [:]
        for rule in rules {
            if let first = seen[rule.id] {
                problems.append(RuleProblem(file: rule.file, line: rule.line,
                                            message: "duplicate rule id \"\(rule.id)\" (first in \(first.file):\(first.line))"))
            }
            seen[rule.id] = rule
        }
        var profiles: ProfileStore?
        let profilesFolder = folder.appendingPathComponent("profiles")
        if fm.fileExists(atPath: profilesFolder.path) {
            do { profiles = try ProfileStore.load(from: profilesFolder, staleAfterYears: staleAfterYears) } catch { problems += error.problems }
        }
        if !problems.isEmpty { throw RulePackError(problems: problems) }
        return RulePack(name: name, release: release, rules: rules, sources: sources, sourceScopes: scopes,
                        requestedStateLaw: requestedStateLaw, patternFamilies: families,
                        scoring: scoring, sha256: sha256 ?? digest(of: folder), folder: folder, catalogue: catalogue, profiles: profiles)
    }

    /// SHA-256 over the relative path and bytes of every file below the folder, in path order.
    static func digest(of folder: URL) -> String {
        let fm = FileManager.default
        let files = ((fm.enumerator(atPath: folder.path)?.allObjects as? [String]) ?? []).sorted()
        var hasher = SHA256()
        for relative in files {
            var isDirectory: ObjCBool = false
            let path = folder.appendingPathComponent(relative).path
            guard fm.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue,
                  let data = fm.contents(atPath: path) else { continue }
            hasher.update(data: Data(relative.utf8))
            hasher.update(data: Data([0]))
            hasher.update(data: data)
        }
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }

    public func rule(id: String) -> Rule? { rules.first { $0.id == id } }
}

/// Reads one rule file.
struct RuleFileLoader {
    var reader: YAMLReader
    let catalogue: FactCatalogue
    let sources: [String: Citation]
    /// Each pattern family's title (`family:` and `title:` at the top of a rule file).
    var families: [String: String] = [:]

    /// Lower-case words of letters and digits joined by single hyphens.
    static func isValidId(_ id: String) -> Bool {
        let words = id.split(separator: "-", omittingEmptySubsequences: false)
        return !words.isEmpty && words.allSatisfy { !$0.isEmpty && $0.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) } }
    }

    mutating func load(_ text: String) -> [Rule] {
        guard let root = reader.mapping(reader.compose(text), what: "rule file", required: ["version", "rules"],
                                        optional: ["family", "title", "description"]) else { return [] }
        if let v = reader.int(root["version"], "version"), v != RulePack.ruleFileVersion {
            reader.problem(root["version"], "rule file version must be \(RulePack.ruleFileVersion)")
        }
        if let family = root["family"]?.string, let title = root["title"]?.string { families[family] = title }
        guard let list = reader.sequence(root["rules"], "rules") else { return [] }
        return list.compactMap { rule($0) }
    }

    mutating func rule(_ node: Node) -> Rule? {
        guard let r = reader.mapping(node, what: "rule", required: ["id", "version", "title", "pattern", "rationale", "when",
                                                                    "points", "cite", "explain", "examples"],
                                     optional: ["instruments", "floor", "role"]) else { return nil }
        let id = reader.string(r["id"], "id") ?? ""
        if !id.isEmpty && !Self.isValidId(id) {
            reader.problem(r["id"], "rule id \"\(id)\" must be lower-case words joined by hyphens")
        }
        let version = reader.int(r["version"], "version") ?? 0
        if version < 1 { reader.problem(r["version"], "version must be 1 or more") }
        var instruments: [Instrument] = []
        for name in reader.strings(r["instruments"], "instruments") ?? [] {
            if let i = Instrument(rawValue: name) { instruments.append(i) } else {
                reader.problem(r["instruments"], "unknown instrument \"\(name)\"")
            }
        }
        var floor: Band?
        if let text = reader.string(r["floor"], "floor") {
            floor = Band(rawValue: text)
            if floor == nil || floor == .low { reader.problem(r["floor"], "floor must be elevated, high or critical") }
        }
        var role = FindingRole.case
        if let text = reader.string(r["role"], "role") {
            if let r = FindingRole(rawValue: text) { role = r } else { reader.problem(r["role"], "role must be context or case") }
        }
        if role == .context, floor != nil { reader.problem(r["floor"], "a context rule sets no floor: the requesting state's record alone never decides a band") }
        let points = reader.int(r["points"], "points") ?? 0
        if points == 0 { reader.problem(r["points"], "points must not be 0") }
        let cite = reader.strings(r["cite"], "cite") ?? []
        if cite.isEmpty { reader.problem(r["cite"] ?? node, "a rule cites at least one legal source") }
        for id in cite where sources[id] == nil { reader.problem(r["cite"], "unknown source id \"\(id)\" (see Rules/sources.yaml)") }
        let explain = reader.string(r["explain"], "explain") ?? ""
        let template = ExplainTemplate(explain)
        for name in template.facts where catalogue[name] == nil {
            reader.problem(r["explain"], "explanation refers to unknown fact \"\(name)\"")
        }
        let when = condition(r["when"]) ?? .all([])
        var examples: [RuleExample] = []
        if let list = reader.sequence(r["examples"], "examples") {
            for e in list { if let example = example(e) { examples.append(example) } }
        }
        if !examples.contains(where: { $0.expect == .trigger }) || !examples.contains(where: { $0.expect == .ignore }) {
            reader.problem(r["examples"] ?? node, "a rule needs at least one example that triggers and one that does not (ignore)")
        }
        return Rule(id: id, version: version, title: reader.string(r["title"], "title") ?? "",
                    pattern: reader.string(r["pattern"], "pattern") ?? "", rationale: reader.string(r["rationale"], "rationale") ?? "",
                    instruments: instruments, when: when, role: role, points: points, floor: floor, cite: cite, explain: explain,
                    template: template, examples: examples, file: reader.file, line: node.mark?.line ?? 0)
    }

    /// `score.model` of pack.yaml: the log-odds model's parameters, checked so that the context alone
    /// can never reach `high`.
    mutating func model(_ node: Node?, into scoring: inout Scoring) {
        guard let m = reader.mapping(node, what: "score.model", required: ["kind", "base", "points_to_double", "family_decay", "context"],
                                     optional: ["floors"]) else { return }
        if let kind = reader.string(m["kind"], "score.model.kind"), kind != "log-odds" {
            reader.problem(m["kind"], "score.model.kind must be log-odds")
        }
        if let base = reader.int(m["base"], "score.model.base") {
            if base < 1 || base >= scoring.max { reader.problem(m["base"], "score.model.base must be within 1...\(scoring.max - 1)") }
            scoring.baseScore = base
        }
        if let pdo = reader.int(m["points_to_double"], "score.model.points_to_double") {
            if pdo < 1 { reader.problem(m["points_to_double"], "score.model.points_to_double must be positive") }
            scoring.pointsToDouble = Swift.max(1, pdo)
        }
        if let decay = m["family_decay"]?.float {
            if !(0...1).contains(decay) { reader.problem(m["family_decay"], "score.model.family_decay must be within 0...1") }
            scoring.familyDecay = decay
        } else { reader.problem(m["family_decay"] ?? node!, "score.model.family_decay must be a number") }
        if let c = reader.mapping(m["context"], what: "score.model.context", required: ["cap", "amplify"]) {
            if let cap = reader.int(c["cap"], "score.model.context.cap") {
                if cap < 1 { reader.problem(c["cap"], "score.model.context.cap must be positive") }
                scoring.contextCap = Swift.max(1, cap)
            }
            if let amplify = c["amplify"]?.float, amplify >= 1 { scoring.contextAmplify = amplify } else {
                reader.problem(c["amplify"] ?? m["context"]!, "score.model.context.amplify must be a number of at least 1")
            }
            let alone = scoring.band(for: scoring.score(points: Double(scoring.contextCap)))
            if alone >= .high {
                reader.problem(c["cap"], "score.model.context.cap \(scoring.contextCap) gives \(alone.rawValue) from the requesting state's record alone; it must stay below high")
            }
        }
        if let f = reader.mapping(m["floors"], what: "score.model.floors", required: ["relaxed_when"]) {
            scoring.floorsRelaxedWhen = condition(f["relaxed_when"])
        }
    }

    mutating func condition(_ node: Node?) -> Condition? {
        guard let node else { return nil }
        guard let m = reader.mapping(node, what: "condition", required: [],
                                     optional: ["all", "any", "not", "fact"] + FactTest.Operator.allCases.map(\.rawValue) + ["days", "of"])
        else { return nil }
        let combinators = ["all", "any", "not"].filter { m[$0] != nil }
        if combinators.count > 1 || (combinators.count == 1 && m.count > 1) {
            reader.problem(node, "a condition is one of: all, any, not, or a fact test")
            return nil
        }
        if let list = m["all"] ?? m["any"] {
            let parts = (reader.sequence(list, "condition list") ?? []).compactMap { condition($0) }
            if parts.isEmpty { reader.problem(list, "an empty condition list") }
            return m["all"] != nil ? .all(parts) : .any(parts)
        }
        if let inner = m["not"] { return condition(inner).map { .not($0) } }
        return test(node, m)
    }

    mutating func test(_ node: Node, _ m: [String: Node]) -> Condition? {
        guard let factName = reader.string(m["fact"], "fact") else {
            reader.problem(node, "a fact test needs \"fact\"")
            return nil
        }
        guard let definition = catalogue[factName] else {
            let hint = didYouMean(factName, among: catalogue.definitions.map(\.name), within: 3)
            reader.problem(m["fact"], "unknown fact \"\(factName)\"\(hint); `winnow facts` lists them")
            return nil
        }
        let ops = FactTest.Operator.allCases.filter { m[$0.rawValue] != nil }
        guard ops.count == 1, let op = ops.first, let operandNode = m[op.rawValue] else {
            reader.problem(node, "a fact test needs exactly one operator: \(FactTest.Operator.allCases.map(\.rawValue).joined(separator: ", "))")
            return nil
        }
        let line = node.mark?.line ?? 0
        let type = definition.type
        func bad(_ message: String) -> Condition? { reader.problem(operandNode, "\(op.rawValue) on \(factName) (\(type.rawValue)): \(message)"); return nil }

        // An operand may name another fact of the same type.
        if case .mapping = operandNode, op != .within {
            guard let o = reader.mapping(operandNode, what: "fact operand", required: ["fact"]),
                  let other = reader.string(o["fact"], "fact") else { return nil }
            guard let otherDef = catalogue[other] else { return bad("unknown fact \"\(other)\"") }
            guard otherDef.type == type, [.equals, .notEquals, .gt, .gte, .lt, .lte].contains(op) else {
                return bad("can only be compared with a fact of the same type using equals, not_equals, gt, gte, lt, lte")
            }
            return .test(FactTest(fact: factName, op: op, operand: .fact(other), line: line))
        }
        switch op {
        case .equals, .notEquals:
            guard type != .strings, let value = scalarValue(operandNode, as: type) else { return bad("needs a \(type.rawValue) value") }
            return .test(FactTest(fact: factName, op: op, operand: .value(value), line: line))
        case .in:
            guard type == .string || type == .number, let items = reader.sequence(operandNode, "in") else { return bad("needs a list, on a string or number fact") }
            let values = items.compactMap { scalarValue($0, as: type) }
            guard values.count == items.count, !values.isEmpty else { return bad("every item must be a \(type.rawValue)") }
            return .test(FactTest(fact: factName, op: op, operand: .values(values), line: line))
        case .contains:
            guard type == .strings, let s = operandNode.string else { return bad("needs a string, on a list fact") }
            return .test(FactTest(fact: factName, op: op, operand: .value(.string(s)), line: line))
        case .containsAny:
            guard type == .strings, let items = reader.strings(operandNode, "contains_any"), !items.isEmpty else {
                return bad("needs a list of strings, on a list fact")
            }
            return .test(FactTest(fact: factName, op: op, operand: .values(items.map { .string($0) }), line: line))
        case .gt, .gte, .lt, .lte:
            guard type == .number || type == .date, let value = scalarValue(operandNode, as: type) else {
                return bad("needs a number (or date) fact and value")
            }
            return .test(FactTest(fact: factName, op: op, operand: .value(value), line: line))
        case .matches:
            guard type == .string || type == .strings, let pattern = operandNode.string, (try? Regex(pattern)) != nil else {
                return bad("needs a valid regular expression, on a string or list fact")
            }
            return .test(FactTest(fact: factName, op: op, operand: .pattern(pattern), line: line))
        case .notEmpty:
            guard type == .strings, let b = operandNode.bool else { return bad("needs true or false, on a list fact") }
            return .test(FactTest(fact: factName, op: op, operand: .value(.bool(b)), line: line))
        case .known:
            guard let b = operandNode.bool else { return bad("needs true or false") }
            return .test(FactTest(fact: factName, op: op, operand: .value(.bool(b)), line: line))
        case .within:
            guard type == .date, let w = reader.mapping(operandNode, what: "within", required: ["days", "of"]),
                  let days = reader.int(w["days"], "days"), let of = reader.string(w["of"], "of") else {
                return bad("needs {days: N, of: FACT} on a date fact")
            }
            guard catalogue[of]?.type == .date else { return bad("\"\(of)\" is not a date fact") }
            return .test(FactTest(fact: factName, op: op, operand: .within(days: days, of: of), line: line))
        }
    }

    mutating func scalarValue(_ node: Node, as type: FactType) -> FactValue? {
        guard case .scalar = node else { return nil }
        switch type {
        case .bool: return node.bool.map { .bool($0) }
        case .number: return node.float.map { .number($0) }
        case .string: return node.string.map { .string($0) }
        case .date: return node.string.flatMap { Day($0) }.map { .date($0) }
        case .strings: return nil
        }
    }

    mutating func example(_ node: Node) -> RuleExample? {
        guard let m = reader.mapping(node, what: "example", required: ["expect", "facts"]) else { return nil }
        guard let expectText = reader.string(m["expect"], "expect"), let expect = RuleExample.Expectation(rawValue: expectText) else {
            reader.problem(m["expect"], "expect must be trigger, ignore or gap")
            return nil
        }
        var facts: [String: FactValue] = [:]
        guard let factsNode = m["facts"], case .mapping(let mapping) = factsNode else {
            reader.problem(m["facts"], "facts must be a mapping of fact names to values")
            return nil
        }
        for (k, v) in mapping {
            guard let name = k.string, let definition = catalogue[name] else {
                reader.problem(k, "example names unknown fact \"\(k.string ?? "?")\"")
                continue
            }
            let value: FactValue?
            if definition.type == .strings {
                value = (reader.strings(v, name)).map { .strings($0) }
            } else {
                value = scalarValue(v, as: definition.type)
            }
            guard let value else { reader.problem(v, "example value for \(name) must be a \(definition.type.rawValue)"); continue }
            facts[name] = value
        }
        return RuleExample(expect: expect, facts: facts, line: node.mark?.line ?? 0)
    }
}
