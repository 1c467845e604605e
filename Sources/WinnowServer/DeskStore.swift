import Foundation
import Synchronization
import WinnowModel
import WinnowNames
import WinnowRegistry

/// A request the server screened (at the desk or through the API), as the queue and the request
/// page show it: its screening's entry in the log, what the request says, the result, and the
/// reasons and sources a decision can answer to. The report is kept beside it twice: as JSON (the
/// contract, from which the desk renders its page) and exactly as issued (what the log's hash and
/// a receipt cover).
struct DeskCase: Sendable, Codable, Equatable {
    struct Reason: Sendable, Codable, Equatable {
        var rule: String
        var title: String
        var points: Int
        var mitigating: Bool
    }
    struct Source: Sendable, Codable, Equatable {
        var id: String
        var citation: String
    }

    /// The screening's entry in the log: the case's number.
    var entry: Int
    var screenedAt: String
    /// Who screened it: a desk user's name, or `token NAME (ID)` for the API.
    var screenedBy: String
    /// The form the report was issued in: html (the desk), or json, text, html or sarif (the API).
    var issuedAs: String
    var file: String
    var requestSha256: String
    var requestId: String
    var instrument: String
    var requestingState: String
    var requestedState: String
    var receivedDate: String
    var subjects: [String]
    var offences: [String]
    var measures: [String]
    var band: String
    var score: Int
    var reasons: [Reason]
    var sources: [Source]
    var dataGaps: Int

    init(entry: Int, report: Report, file: String, requestSha256: String, by user: String, issuedAs: String) {
        let r = report.request
        self.entry = entry
        screenedAt = report.generatedAt
        screenedBy = user
        self.issuedAs = issuedAs
        self.file = file
        self.requestSha256 = requestSha256
        requestId = r.id
        instrument = r.instrument.rawValue
        requestingState = r.requestingState
        requestedState = r.requestedState
        receivedDate = r.receivedDate.description
        subjects = r.subjects
        offences = r.offences
        measures = r.measures
        band = report.band.rawValue
        score = report.score
        let findings = report.caseFindings + report.caseMitigations + report.contextFindings
        let mitigations = Set(report.mitigations.map(\.rule))
        reasons = findings.map { Reason(rule: $0.rule, title: $0.title, points: $0.points, mitigating: mitigations.contains($0.rule)) }
        var seen = Set<String>()
        sources = findings.flatMap(\.citations).compactMap { c in seen.insert(c.id).inserted ? Source(id: c.id, citation: c.citation) : nil }
        dataGaps = report.dataGaps.count
    }

    /// For search: the query is in a subject's name, the reference or the file name (ignoring
    /// case and accents), or a name part of it reads like a subject's in any script (the
    /// registry's search keys: "Temirkhanova" finds "Темирханова").
    func mentions(_ query: String) -> Bool {
        let q = query.folded
        if (subjects + [requestId, file]).contains(where: { $0.folded.contains(q) }) {
            return true
        }
        let keys = NameMatcher.searchKeys(query)
        return !keys.isEmpty && subjects.contains { !NameMatcher.searchKeys($0).isDisjoint(with: keys) }
    }
}

extension String {
    /// Case and accents ignored, in any script: how the desk compares names and references.
    var folded: String { folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil) }
}

/// The cases in `DATA/desk/`, for the screening entry N: `N.report.json` (the report),
/// `N.issued.FORMAT` (the report as issued, when that is not the JSON) and `N.json` (the case,
/// written last: it makes the rest visible), mode 0600; the cases are kept in memory as well.
/// With a shared store, in its database instead (`ServerRecords`): every server adds to them, so
/// the list is read from there each time, and what is new since is decoded.
final class DeskStore: Sendable {
    let folder: URL
    private let shared: ServerRecords?
    private let cases = Mutex<[Int: DeskCase]>([:])

    init(folder: URL, shared: ServerRecords? = nil) throws {
        self.folder = folder
        self.shared = shared
        if shared != nil { return }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        var loaded: [Int: DeskCase] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) where name.hasSuffix(".json") && !name.hasSuffix(".report.json") {
            guard let data = FileManager.default.contents(atPath: folder.appendingPathComponent(name).path),
                  let c = try? JSONDecoder().decode(DeskCase.self, from: data) else { continue }
            loaded[c.entry] = c
        }
        cases.withLock { $0 = loaded }
    }

    var location: String { shared?.location ?? folder.path }

    /// Every case. From a shared store, only the cases other servers added since the last call are
    /// read and decoded (a case, once kept, does not change); the list of entries is read each time.
    func all() throws -> [DeskCase] {
        if let shared {
            let entries = try shared.caseEntries()
            let missing = cases.withLock { known in entries.filter { known[$0] == nil } }
            let added = try shared.cases(entries: missing).compactMapValues { try? JSONDecoder().decode(DeskCase.self, from: Data($0.utf8)) }
            return cases.withLock { known in
                known.merge(added) { _, new in new }
                return entries.compactMap { known[$0] }
            }
        }
        return cases.withLock { Array($0.values) }
    }

    func get(_ entry: Int) throws -> DeskCase? {
        if let shared { return try shared.deskCase(entry: entry).flatMap { try? JSONDecoder().decode(DeskCase.self, from: Data($0.body.utf8)) } }
        return cases.withLock { $0[entry] }
    }

    /// The report, decoded from its JSON (which round-trips exactly).
    func report(_ entry: Int) throws -> Report? {
        let data = try shared.map { try $0.deskCase(entry: entry).map { Data($0.report.utf8) } }
            ?? FileManager.default.contents(atPath: folder.appendingPathComponent("\(entry).report.json").path)
        return data.flatMap { try? JSONDecoder().decode(Report.self, from: $0) }
    }

    /// The report's bytes exactly as issued.
    func issued(_ c: DeskCase) throws -> Data? {
        if let shared {
            return try shared.deskCase(entry: c.entry).map { Data(($0.issued ?? $0.report).utf8) }
        }
        return FileManager.default.contents(atPath: folder.appendingPathComponent(c.issuedAs == "json" ? "\(c.entry).report.json" : "\(c.entry).issued.\(c.issuedAs)").path)
    }

    /// Keeps the report (as JSON and as issued), then the case.
    func keep(_ c: DeskCase, reportJSON: String, issued: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let body = try encoder.encode(c)
        if let shared {
            try shared.keepCase(entry: c.entry, body: String(decoding: body, as: UTF8.self), report: reportJSON, issued: c.issuedAs == "json" ? nil : issued)
            cases.withLock { $0[c.entry] = c }
            return
        }
        try write(Data(reportJSON.utf8), name: "\(c.entry).report.json")
        if c.issuedAs != "json" { try write(Data(issued.utf8), name: "\(c.entry).issued.\(c.issuedAs)") }
        try write(body, name: "\(c.entry).json")
        cases.withLock { $0[c.entry] = c }
    }

    /// Not synced: the log entry is, and the request's copy; a case lost to a crash is a screening
    /// the log still holds.
    private func write(_ data: Data, name: String) throws {
        try writeWhole(data, to: folder.appendingPathComponent(name), sync: false, what: "write \(name) in \(folder.path)")
    }
}
