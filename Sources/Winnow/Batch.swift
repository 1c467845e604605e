public import Foundation
import WinnowNames

/// One line of a batch summary.
public struct BatchRow: Sendable, Codable, Equatable {
    public var file: String
    public var id: String?
    public var instrument: String?
    public var requestingState: String?
    public var subject: String?
    public var score: Int?
    public var band: Band?
    public var topReasons: [String]
    public var error: String?
    /// The report was already complete (`--resume`) and was not screened again.
    public var resumed: Bool

    static func failed(_ file: String, _ error: String) -> BatchRow {
        BatchRow(file: file, topReasons: [], error: error, resumed: false)
    }

    init(file: String, id: String? = nil, instrument: String? = nil, requestingState: String? = nil, subject: String? = nil,
         score: Int? = nil, band: Band? = nil, topReasons: [String], error: String? = nil, resumed: Bool) {
        self.file = file
        self.id = id
        self.instrument = instrument
        self.requestingState = requestingState
        self.subject = subject
        self.score = score
        self.band = band
        self.topReasons = topReasons
        self.error = error
        self.resumed = resumed
    }

    init(_ report: Report, resumed: Bool = false) {
        self.init(file: report.request.file, id: report.request.id, instrument: report.request.instrument.rawValue,
                  requestingState: report.request.requestingState, subject: report.request.subjects.first, score: report.score,
                  band: report.band, topReasons: report.findings.prefix(3).map(\.rule), resumed: resumed)
    }

    public static let csvHeader = "file,request_id,instrument,requesting_state,subject,score,band,top_reasons,error"

    public var csv: String {
        [file, id ?? "", instrument ?? "", requestingState ?? "", subject ?? "", score.map(String.init) ?? "", band?.rawValue ?? "",
         topReasons.joined(separator: " "), error ?? ""].map(Self.csvField).joined(separator: ",")
    }

    static func csvField(_ s: String) -> String {
        s.contains { $0 == "," || $0 == "\"" || $0 == "\n" } ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
    }
}

/// Screens many requests in parallel. Each report is written atomically as soon as it is ready;
/// a bad file becomes a row with its error and never stops the batch; requests that share a case
/// number, subject or complainant with another state's request in the batch are screened again
/// with those links as findings.
public struct BatchRunner: Sendable {
    public enum ReportFormat: String, Sendable, CaseIterable { case json, text, html }

    public var screener: Screener
    public var jobs: Int
    public var reportsFolder: URL?
    public var format: ReportFormat
    public var resume: Bool

    public init(screener: Screener, jobs: Int, reportsFolder: URL?, format: ReportFormat = .json, resume: Bool = false) {
        self.screener = screener
        self.jobs = max(1, jobs)
        self.reportsFolder = reportsFolder
        self.format = format
        self.resume = resume
    }

    /// Where the report of `file` goes: its path with separators flattened, in the reports folder.
    public func reportURL(for file: String) -> URL? {
        guard let reportsFolder else { return nil }
        var name = file
        while name.hasPrefix("./") { name.removeFirst(2) }
        name = name.replacingOccurrences(of: "/", with: "__")
        return reportsFolder.appendingPathComponent(name + ".report." + (format == .text ? "txt" : format.rawValue))
    }

    /// What links a request to others: its state, case numbers, complainants and subjects.
    struct LinkKeys: Sendable {
        var index: Int
        var file: String
        var id: String
        var state: String
        var cases: [(number: String, pointer: String)]
        var complainants: [(name: String, pointer: String)]
        var subjects: [(name: String, birth: String?, pointer: String)]

        init(index: Int, file: String, request: Request) {
            self.index = index
            self.file = file
            id = request.id
            state = request.requestingState
            cases = request.caseReferences.enumerated().map { (Identifiers.caseNumber($1.number), "/caseReferences/\($0)/number") }
            complainants = request.parties.enumerated().filter { $1.kind != .individual }.map { ($1.name, "/parties/\($0)/name") }
            subjects = request.persons.enumerated().filter { $1.role == .subject }.flatMap { i, p in
                p.names.enumerated().map { ($1.text, p.birthDate?.description, "/persons/\(i)/names/\($0)/text") }
            }
        }
    }

    enum Outcome: Sendable {
        case screened(BatchRow, LinkKeys)
        case failed(BatchRow)
    }

    /// Runs the batch. `progress(done, total)` is called after each request, on one task at a time.
    public func run(files: [String], progress: (@Sendable (Int, Int) -> Void)? = nil) async -> [BatchRow] {
        if let reportsFolder { try? FileManager.default.createDirectory(at: reportsFolder, withIntermediateDirectories: true) }
        var rows = [BatchRow?](repeating: nil, count: files.count)
        var keys: [LinkKeys] = []
        await withTaskGroup(of: (Int, Outcome).self) { group in
            var next = 0
            var done = 0
            func submit() {
                guard next < files.count else { return }
                let index = next, file = files[next]
                next += 1
                group.addTask { (index, self.process(file, index: index)) }
            }
            for _ in 0..<jobs { submit() }
            for await (index, outcome) in group {
                switch outcome {
                case .screened(let row, let k): rows[index] = row; keys.append(k)
                case .failed(let row): rows[index] = row
                }
                done += 1
                progress?(done, files.count)
                submit()
            }
        }
        // Links across the batch: screen the linked requests again, with the links as facts.
        let links = Self.links(keys)
        for (index, facts) in links.sorted(by: { $0.key < $1.key }) where rows[index]?.resumed != true {
            let file = files[index]
            guard let request = try? screener.intake.load(path: file) else { continue }
            let report = screener.screen(request, file: file, batchFacts: facts)
            write(report, for: file)
            rows[index] = BatchRow(report)
        }
        return rows.enumerated().map { $1 ?? .failed(files[$0], "not screened") }
    }

    func process(_ file: String, index: Int) -> Outcome {
        if resume, let url = reportURL(for: file), let row = completedRow(url, file: file),
           let request = try? screener.intake.load(path: file) {
            return .screened(row, LinkKeys(index: index, file: file, request: request))
        }
        let request: Request
        do { request = try screener.intake.load(path: file) } catch {
            return .failed(.failed(file, error.description.replacingOccurrences(of: "\n", with: " | ")))
        }
        let report = screener.screen(request, file: file)
        write(report, for: file)
        return .screened(BatchRow(report), LinkKeys(index: index, file: file, request: request))
    }

    func write(_ report: Report, for file: String) {
        guard let url = reportURL(for: file) else { return }
        let text: String
        switch format {
        case .json: text = JSONReport.render(report)
        case .text: text = TextReport.render(report)
        case .html: text = HTMLReport.render(report)
        }
        try? Data(text.utf8).write(to: url, options: .atomic)
    }

    /// A report already on disk (written atomically, so complete if present), as a summary row.
    func completedRow(_ url: URL, file: String) -> BatchRow? {
        guard let data = FileManager.default.contents(atPath: url.path) else { return nil }
        if format == .json {
            guard let report = try? JSONDecoder().decode(Report.self, from: data) else { return nil }
            return BatchRow(report, resumed: true)
        }
        if format == .html {
            // The page's title carries the band; the score follows the band badge.
            let text = String(decoding: data.prefix(4000), as: UTF8.self)
            guard let band = Band.allCases.first(where: { text.contains("<span class=\"band \($0.rawValue)\">") }),
                  let range = text.range(of: "<strong>score "), let score = Int(text[range.upperBound...].prefix { $0.isNumber }) else { return nil }
            return BatchRow(file: file, score: score, band: band, topReasons: [], resumed: true)
        }
        let head = String(decoding: data.prefix(200), as: UTF8.self)
        let parts = head.split(separator: " ", omittingEmptySubsequences: true)
        guard parts.count >= 5, parts[0] == "WINNOW", let band = Band(rawValue: parts[3].lowercased()),
              let score = Int(parts[5].split(separator: "/").first ?? "") else { return nil }
        return BatchRow(file: file, score: score, band: band, topReasons: [], resumed: true)
    }

    /// For each request linked to a request from another state: its batch facts with evidence.
    static func links(_ all: [LinkKeys]) -> [Int: [String: FactResult]] {
        var byCase: [String: [(LinkKeys, String)]] = [:]
        for k in all { for c in k.cases where !c.number.isEmpty { byCase[c.number, default: []].append((k, c.pointer)) } }
        var out: [Int: [String: [Evidence]]] = [:]
        func add(_ k: LinkKeys, _ fact: String, _ quote: String, _ pointer: String, other: LinkKeys) {
            out[k.index, default: [:]][fact, default: []].append(
                Evidence(kind: .request, fact: fact, quote: quote, file: other.file, pointer: pointer, note: "batch link from \(k.file)"))
        }
        for (number, entries) in byCase where Set(entries.map(\.0.state)).count > 1 {
            for (k, _) in entries {
                for (other, pointer) in entries where other.state != k.state {
                    add(k, "batch.case_number_other_state", "case \(number) also in \(other.id) from \(other.state) (\(other.file))", pointer, other: other)
                }
            }
        }
        // Complainants and subjects: compared only within blocks that share a word of the
        // organisation's name or a search key of the person's name, and never across huge blocks.
        let blockLimit = 200
        var compared = Set<[Int]>()
        func blocks(_ keysOf: (LinkKeys) -> Set<String>) -> [[LinkKeys]] {
            var groups: [String: [LinkKeys]] = [:]
            for k in all { for key in keysOf(k) { groups[key, default: []].append(k) } }
            return groups.values.filter { $0.count > 1 && $0.count <= blockLimit && Set($0.map(\.state)).count > 1 }
        }
        for group in blocks({ Set($0.complainants.flatMap { Identifiers.organisationTokens($0.name) }) }) {
            for (i, a) in group.enumerated() {
                for b in group[(i + 1)...] where a.state != b.state && compared.insert([0, min(a.index, b.index), max(a.index, b.index)]).inserted {
                    for ca in a.complainants {
                        for cb in b.complainants where Identifiers.sameOrganisation(ca.name, cb.name) {
                            add(a, "batch.complainant_other_state", "\(cb.name) also in \(b.id) from \(b.state) (\(b.file))", cb.pointer, other: b)
                            add(b, "batch.complainant_other_state", "\(ca.name) also in \(a.id) from \(a.state) (\(a.file))", ca.pointer, other: a)
                        }
                    }
                }
            }
        }
        // Subjects: candidate pairs share at least two name keys, keys too common to tell people
        // apart (a frequent given name) left out; names are prepared once per request.
        let matcher = NameMatcher()
        var postings: [String: [Int]] = [:]
        var subjectKeys: [Int: Set<String>] = [:]
        for (i, k) in all.enumerated() {
            let keys = Set(k.subjects.flatMap { NameMatcher.blockingKeys($0.name) })
            subjectKeys[i] = keys
            for key in keys { postings[key, default: []].append(i) }
        }
        var prepared: [Int: [NameMatcher.Prepared]] = [:]
        func names(_ i: Int) -> [NameMatcher.Prepared] {
            if let p = prepared[i] { return p }
            let p = all[i].subjects.map { NameMatcher.prepare($0.name) }
            prepared[i] = p
            return p
        }
        for (i, a) in all.enumerated() {
            var shared: [Int: Int] = [:]
            for key in subjectKeys[i] ?? [] {
                guard let list = postings[key], list.count <= blockLimit else { continue }
                for j in list where j > i && all[j].state != a.state { shared[j, default: 0] += 1 }
            }
            for (j, count) in shared where count >= min(2, subjectKeys[i]?.count ?? 0) {
                let b = all[j]
                guard compared.insert([1, min(a.index, b.index), max(a.index, b.index)]).inserted else { continue }
                search: for (x, pa) in names(i).enumerated() {
                    for (y, pb) in names(j).enumerated() {
                        let sa = a.subjects[x], sb = b.subjects[y]
                        let m = matcher.compare(pa, pb, birthA: sa.birth, birthB: sb.birth)
                        guard m.isMatch else { continue }
                        add(a, "batch.subject_other_state", "\(sb.name) sought in \(b.id) from \(b.state) (\(b.file)); \(m.explanation)", sb.pointer, other: b)
                        add(b, "batch.subject_other_state", "\(sa.name) sought in \(a.id) from \(a.state) (\(a.file)); \(m.explanation)", sa.pointer, other: a)
                        break search
                    }
                }
            }
        }
        return out.mapValues { facts in facts.mapValues { FactResult.bool(true, $0) } }
    }
}
