public import Foundation
public import WinnowModel
import Yams

/// The requesting-state profiles (Rules/profiles): loaded strictly, evaluated as of a date.
public struct ProfileStore: Sendable, ProfileSource {
    public var profiles: [String: StateProfile] { didSet { memo = FactMemo(); snapshot = Self.snapshotText(profiles, folder) } }
    public var sources: [String: Citation] { didSet { memo = FactMemo() } }
    /// Figures published longer ago than this, at the as-of date, are marked stale.
    public var staleAfterYears: Int { didSet { memo = FactMemo() } }
    public var folder: URL { didSet { snapshot = Self.snapshotText(profiles, folder) } }
    /// Facts already worked out, by state, as-of day and fact: a batch asks the same few
    /// questions of the same few states thousands of times. Replaced whenever the data changes.
    var memo = FactMemo()

    typealias FactMemo = Memo<MemoKey, FactResult>

    struct MemoKey: Hashable, Sendable {
        var state: String
        var asOf: Day
        var name: String
    }

    public init(profiles: [String: StateProfile], sources: [String: Citation], staleAfterYears: Int, folder: URL) {
        self.profiles = profiles
        self.sources = sources
        self.staleAfterYears = staleAfterYears
        self.folder = folder
        snapshot = Self.snapshotText(profiles, folder)
    }

    public static let fileVersion = 1
    static let statuses: Set<String> = ["Free", "Partly Free", "Not Free"]

    /// What the reports' provenance says of the profiles (kept, not rebuilt for every report).
    public private(set) var snapshot: String

    static func snapshotText(_ profiles: [String: StateProfile], _ folder: URL) -> String {
        "\(profiles.count) state profiles (\(folder.lastPathComponent)); Freedom in the World 2006-2025, V-Dem v15, RSF 2025, Freedom House TNR to 2025-02-06"
    }

    /// Loads every `XX.yaml` and `sources.yaml`; every problem in every file is reported at once.
    /// (The command line reads them through the pack's cache, `RulePack.load(from:cache:)`.)
    public static func load(from folder: URL, staleAfterYears: Int = 3) throws(RulePackError) -> ProfileStore {
        var problems: [RuleProblem] = []
        let fm = FileManager.default
        let sourcesPath = folder.appendingPathComponent("sources.yaml").path
        var sources: [String: Citation] = [:]
        if let text = fm.contents(atPath: sourcesPath).flatMap({ String(data: $0, encoding: .utf8) }) {
            var reader = YAMLReader(file: sourcesPath)
            sources = reader.sourceCatalogue(text, optional: ["note", "url"]).0
            problems += reader.problems
        } else {
            problems.append(RuleProblem(file: sourcesPath, line: nil, message: "missing profile sources file"))
        }
        var profiles: [String: StateProfile] = [:]
        let files = ((try? fm.contentsOfDirectory(atPath: folder.path)) ?? []).filter { $0.hasSuffix(".yaml") && $0 != "sources.yaml" }.sorted()
        if files.isEmpty { problems.append(RuleProblem(file: folder.path, line: nil, message: "no profiles (XX.yaml)")) }
        // Each file is read on its own (in parallel: there are dozens), then merged in name order.
        let loaded = ConcurrentMap.run(files) { [sources] file -> (StateProfile?, [RuleProblem]) in
            let path = folder.appendingPathComponent(file).path
            guard let text = FileManager.default.contents(atPath: path).flatMap({ String(data: $0, encoding: .utf8) }) else {
                return (nil, [RuleProblem(file: path, line: nil, message: "not readable as UTF-8")])
            }
            var loader = ProfileLoader(reader: YAMLReader(file: path), sources: sources)
            let profile = loader.load(text)
            if let profile, profile.state + ".yaml" != file {
                loader.reader.problem(line: nil, "the file of state \(profile.state) must be named \(profile.state).yaml")
            }
            return (profile, loader.reader.problems)
        }
        for (profile, fileProblems) in loaded {
            if let profile { profiles[profile.state] = profile }
            problems += fileProblems
        }
        if !problems.isEmpty { throw RulePackError(problems: problems) }
        return ProfileStore(profiles: profiles, sources: sources, staleAfterYears: staleAfterYears, folder: folder)
    }
}

/// Reads one profile file strictly: known keys, dates that parse, values in range, sources that resolve.
struct ProfileLoader {
    var reader: YAMLReader
    let sources: [String: Citation]

    mutating func load(_ text: String) -> StateProfile? {
        guard let root = reader.mapping(reader.compose(text), what: "profile",
                                        required: ["version", "state", "name", "freedomInTheWorld", "vdemLiberalDemocracy", "pressFreedom",
                                                   "transnationalRepression", "treaties", "abuseFindings", "documents"]) else { return nil }
        if let v = reader.int(root["version"], "version"), v != ProfileStore.fileVersion { reader.problem(root["version"], "version must be 1") }
        let state = reader.string(root["state"], "state") ?? ""
        if ISOTables.countries[state] == nil { reader.problem(root["state"], "unknown ISO 3166-1 alpha-2 code \"\(state)\"") }
        var profile = StateProfile(state: state, name: reader.string(root["name"], "name") ?? "", freedom: [], liberalDemocracy: [],
                                   pressFreedom: [], repression: [], echr: [], extraditionConvention: [], mutualAssistanceConvention: [],
                                   tortureConvention: [], abuseFindings: [], documents: [], file: reader.file)
        for node in reader.sequence(root["freedomInTheWorld"], "freedomInTheWorld") ?? [] {
            guard let m = entry(node, "Freedom in the World entry", required: ["edition", "dataYear", "public", "status", "source"],
                                optional: ["score", "prRating", "clRating"]) else { continue }
            let status = reader.string(m["status"], "status") ?? ""
            if !ProfileStore.statuses.contains(status) { reader.problem(m["status"], "status must be Free, Partly Free or Not Free") }
            let edition = reader.int(m["edition"], "edition") ?? 0
            let value = FreedomScore(edition: edition, dataYear: reader.int(m["dataYear"], "dataYear") ?? 0, status: status,
                                     score: ranged(m["score"], "score", 0...100), prRating: ranged(m["prRating"], "prRating", 1...7),
                                     clRating: ranged(m["clRating"], "clRating", 1...7))
            if let f = figure(node, m, value, year: edition) { profile.freedom.append(f) }
        }
        let editions = profile.freedom.map(\.value.edition)
        if Set(editions).count != editions.count { reader.problem(root["freedomInTheWorld"], "an edition is listed twice") }
        for node in reader.sequence(root["vdemLiberalDemocracy"], "vdemLiberalDemocracy") ?? [] {
            guard let m = entry(node, "V-Dem entry", required: ["year", "public", "value", "source"]) else { continue }
            guard let v = m["value"]?.float, (0...1).contains(v) else { reader.problem(m["value"], "value must be a number from 0 to 1"); continue }
            if let f = figure(node, m, v, year: reader.int(m["year"], "year")) { profile.liberalDemocracy.append(f) }
        }
        for node in reader.sequence(root["pressFreedom"], "pressFreedom") ?? [] {
            guard let m = entry(node, "press freedom entry", required: ["year", "public", "rank", "source"], optional: ["score"]) else { continue }
            let score = m["score"]?.float
            if let score, !(0...100).contains(score) { reader.problem(m["score"], "score must be from 0 to 100") }
            guard let rank = ranged(m["rank"], "rank", 1...180) else { continue }
            if let f = figure(node, m, PressFreedom(rank: rank, score: score), year: reader.int(m["year"], "year")) { profile.pressFreedom.append(f) }
        }
        for node in reader.sequence(root["transnationalRepression"], "transnationalRepression") ?? [] {
            guard let m = entry(node, "transnational repression entry", required: ["origin", "public", "source"],
                                optional: ["incidents", "period"]) else { continue }
            let origin = reader.string(m["origin"], "origin") ?? ""
            if origin != "yes" && origin != "unverified" { reader.problem(m["origin"], "origin must be yes or unverified") }
            let record = RepressionRecord(origin: origin, incidents: ranged(m["incidents"], "incidents", 0...100_000), period: m["period"]?.string)
            if var f = figure(node, m, record, year: nil) {
                f.unverified = origin == "unverified"
                profile.repression.append(f)
            }
        }
        if let t = reader.mapping(root["treaties"], what: "treaties", required: ["echr", "extradition", "mutualAssistance", "torture"]) {
            profile.echr = treaty(t["echr"], "echr")
            profile.extraditionConvention = treaty(t["extradition"], "extradition")
            profile.mutualAssistanceConvention = treaty(t["mutualAssistance"], "mutualAssistance")
            profile.tortureConvention = treaty(t["torture"], "torture")
        }
        for node in reader.sequence(root["abuseFindings"], "abuseFindings") ?? [] {
            guard let m = entry(node, "abuse finding", required: ["date", "text", "source"]) else { continue }
            let text = reader.string(m["text"], "text") ?? ""
            var date: Day?
            if let d = m["date"], case .scalar(let s) = d, s.tag.description != "tag:yaml.org,2002:null", !s.string.isEmpty, s.string != "null" {
                date = Day(s.string)
                if date == nil { reader.problem(d, "date must be YYYY-MM-DD or null (undated)") }
            }
            let source = checkedSource(m["source"])
            profile.abuseFindings.append(Figure(value: text, from: date, until: nil, source: source, year: date?.year,
                                                unverified: (m["note"]?.string ?? "").contains("UNVERIFIED") || text.contains("UNVERIFIED"),
                                                note: m["note"]?.string))
        }
        profile.documents = reader.strings(root["documents"], "documents") ?? []
        return profile
    }

    mutating func entry(_ node: Node, _ what: String, required: [String], optional: [String] = []) -> [String: Node]? {
        reader.mapping(node, what: what, required: required, optional: optional + ["note", "unverified"])
    }

    mutating func ranged(_ node: Node?, _ what: String, _ range: ClosedRange<Int>) -> Int? {
        guard let node else { return nil }
        guard let v = node.int, range.contains(v) else {
            reader.problem(node, "\(what) must be a whole number from \(range.lowerBound) to \(range.upperBound)")
            return nil
        }
        return v
    }

    mutating func checkedSource(_ node: Node?) -> String {
        let id = reader.string(node, "source") ?? ""
        if !id.isEmpty && sources[id] == nil { reader.problem(node, "unknown source id \"\(id)\" (see profiles/sources.yaml)") }
        return id
    }

    mutating func day(_ node: Node?, _ what: String) -> Day? {
        guard let node else { return nil }
        guard let text = node.string, let d = Day(text) else { reader.problem(node, "\(what) must be a date YYYY-MM-DD"); return nil }
        return d
    }

    mutating func figure<V>(_ node: Node, _ m: [String: Node], _ value: V, year: Int?) -> Figure<V>? {
        let source = checkedSource(m["source"])
        guard let from = day(m["public"], "public") else { return nil }
        return Figure(value: value, from: from, until: nil, source: source, year: year,
                      unverified: m["unverified"]?.bool ?? false, note: m["note"]?.string)
    }

    mutating func treaty(_ node: Node?, _ what: String) -> [Figure<Bool>] {
        var out: [Figure<Bool>] = []
        for n in reader.sequence(node, what) ?? [] {
            guard let m = reader.mapping(n, what: "\(what) entry", required: ["value", "source"], optional: ["from", "until", "note"]) else { continue }
            guard let v = m["value"]?.bool else { reader.problem(m["value"], "value must be true or false"); continue }
            let from = day(m["from"], "from"), until = day(m["until"], "until")
            if let from, let until, until <= from { reader.problem(n, "until must come after from") }
            out.append(Figure(value: v, from: from, until: until, source: checkedSource(m["source"]), year: from?.year, unverified: false,
                              note: m["note"]?.string))
        }
        return out
    }
}
