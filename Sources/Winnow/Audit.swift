public import Foundation

/// One past decision to audit.
public struct AuditDecision: Sendable, Equatable {
    public var request: String
    public var decision: String
    public var date: Day
    public var authority: String
    public var line: Int

    public static let decisions: Set<String> = ["executed", "partly_executed", "refused", "pending"]

    public init(request: String, decision: String, date: Day, authority: String, line: Int) {
        self.request = request
        self.decision = decision
        self.date = date
        self.authority = authority
        self.line = line
    }
}

/// A decision screened as of its date and as of today, with what that shows.
public struct AuditRow: Sendable, Codable, Equatable {
    public var request: String
    public var requestId: String?
    /// The rule pack release the decision was screened with at the time.
    public var rulesThen: String?
    public var instrument: String?
    public var requestingState: String?
    public var authority: String
    public var decision: String
    public var decisionDate: Day
    public var scoreThen: Int?
    public var bandThen: Band?
    public var scoreNow: Int?
    public var bandNow: Band?
    public var flags: [String]
    /// Rules that fire today but did not at the time of the decision.
    public var newReasons: [String]
    public var error: String?

    public static let csvHeader = "request,request_id,instrument,requesting_state,authority,decision,decision_date,score_then,band_then,score_now,band_now,flags,new_reasons,error"
    public var csv: String {
        [request, requestId ?? "", instrument ?? "", requestingState ?? "", authority, decision, decisionDate.description,
         scoreThen.map(String.init) ?? "", bandThen?.rawValue ?? "", scoreNow.map(String.init) ?? "", bandNow?.rawValue ?? "",
         flags.joined(separator: " "), newReasons.joined(separator: " "), error ?? ""].map(BatchRow.csvField).joined(separator: ",")
    }

    /// `rows.csv`: the header and a line per row (the command line's export and the desk's).
    public static func csvFile(_ rows: [AuditRow]) -> String { ([csvHeader] + rows.map(\.csv)).joined(separator: "\n") + "\n" }
}

/// Counts for one value of one dimension (a state, an instrument, a year, an authority).
public struct AuditAggregate: Sendable, Codable, Equatable {
    public var dimension: String
    public var key: String
    public var decisions: Int
    public var executed: Int
    public var refused: Int
    public var flagged: Int
    public var meanScoreThen: Double

    public static let csvHeader = "dimension,key,decisions,executed,refused,flagged,mean_score_then"
    public var csv: String {
        [dimension, key, String(decisions), String(executed), String(refused), String(flagged), String(format: "%.1f", meanScoreThen)]
            .map(BatchRow.csvField).joined(separator: ",")
    }

    /// `aggregates.csv`: the header and a line per aggregate.
    public static func csvFile(_ aggregates: [AuditAggregate]) -> String { ([csvHeader] + aggregates.map(\.csv)).joined(separator: "\n") + "\n" }
}

public struct Audit: Sendable {
    /// Flags, as the reports name them.
    public static let executedDespiteRisk = "executed-although-high-risk"
    public static let refusedAlthoughLow = "refused-although-low-risk"
    public static let riskChanged = "risk-changed-since"

    public var pack: RulePack
    /// Earlier releases of the rule pack, by the date from which each was in use.
    public var history: [(from: Day, pack: RulePack)] = []
    public var registry: (any RegistrySource)?
    public var today: Day
    /// A change of at least this many points, or of band, is material.
    public var materialChange = 20

    public init(pack: RulePack, registry: (any RegistrySource)?, today: Day, history: [(from: Day, pack: RulePack)] = []) {
        self.pack = pack
        self.registry = registry
        self.today = today
        self.history = history.sorted { $0.from < $1.from }
    }

    /// Loads the releases in `folder`: one subfolder per release, named by the date it came into
    /// use (YYYY-MM-DD), each a complete rule pack.
    public static func loadHistory(_ folder: URL) throws(RulePackError) -> [(from: Day, pack: RulePack)] {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).sorted()
        var out: [(from: Day, pack: RulePack)] = []
        for name in names {
            guard let day = Day(name) else {
                throw RulePackError(problems: [RuleProblem(file: folder.appendingPathComponent(name).path, line: nil,
                                                           message: "a release folder is named by the date it came into use (YYYY-MM-DD)")])
            }
            out.append((day, try RulePack.load(from: folder.appendingPathComponent(name))))
        }
        return out
    }

    /// The pack in use on `day`: the latest release from on or before it, else the current pack.
    public func pack(on day: Day) -> RulePack {
        history.last { $0.from <= day }?.pack ?? pack
    }

    /// Reads a decisions file: CSV (request,decision,decision_date,authority) or JSON lines
    /// ({"request", "decision", "date", "authority"}). Request paths are relative to the file.
    public static func readDecisions(_ path: String) throws(IntakeError) -> [AuditDecision] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .invalid([Diagnostic(file: path, message: "cannot read the decisions file")])
        }
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
        var out: [AuditDecision] = [], problems: [Diagnostic] = []
        let lines = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).map { String($0).trimmingCharacters(in: .init(charactersIn: "\r")) }
        func add(_ request: String, _ decision: String, _ date: String, _ authority: String, line: Int) {
            guard !request.isEmpty else { problems.append(Diagnostic(file: path, line: line, message: "no request file")); return }
            guard AuditDecision.decisions.contains(decision) else {
                problems.append(Diagnostic(file: path, line: line, message: "decision \"\(decision)\" is not one of: executed, partly_executed, refused, pending"))
                return
            }
            guard let day = Day(date) else { problems.append(Diagnostic(file: path, line: line, message: "decision date \"\(date)\" is not a date (YYYY-MM-DD)")); return }
            let resolved = request.hasPrefix("/") ? request : folder.appendingPathComponent(request).path
            out.append(AuditDecision(request: resolved, decision: decision, date: day, authority: authority, line: line))
        }
        if path.hasSuffix(".csv") {
            guard lines.first?.lowercased().hasPrefix("request,decision,decision_date,authority") == true else {
                throw .invalid([Diagnostic(file: path, line: 1, message: "the header must be request,decision,decision_date,authority")])
            }
            for (i, line) in lines.enumerated().dropFirst() where !line.isEmpty {
                let cells = line.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
                guard cells.count >= 4 else { problems.append(Diagnostic(file: path, line: i + 1, message: "expected 4 fields")); continue }
                add(cells[0], cells[1], cells[2], cells[3...].joined(separator: ","), line: i + 1)
            }
        } else {
            for (i, line) in lines.enumerated() where !line.isEmpty {
                guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
                    problems.append(Diagnostic(file: path, line: i + 1, message: "not a JSON object")); continue
                }
                add(object["request"] as? String ?? "", object["decision"] as? String ?? "", object["date"] as? String ?? "",
                    object["authority"] as? String ?? "", line: i + 1)
            }
        }
        if !problems.isEmpty { throw .invalid(problems) }
        return out
    }

    /// Screens each decision's request as of the decision date and as of today.
    public func run(_ decisions: [AuditDecision]) -> [AuditRow] {
        decisions.map { d in
            var row = AuditRow(request: d.request, authority: d.authority, decision: d.decision, decisionDate: d.date, flags: [], newReasons: [])
            let then = Screener(pack: pack(on: d.date), asOf: d.date, registry: registry)
            let now = Screener(pack: pack, asOf: today, registry: registry)
            let request: Request
            do { request = try now.intake.load(path: d.request) } catch {
                row.error = String(describing: error).replacingOccurrences(of: "\n", with: " | ")
                return row
            }
            guard request.receivedDate <= d.date else {
                row.error = "\(d.request): decided (\(d.date)) before the request was received (\(request.receivedDate))"
                return row
            }
            let a = then.screen(request, file: d.request), b = now.screen(request, file: d.request)
            row.requestId = request.id
            row.instrument = request.instrument.rawValue
            row.requestingState = request.requestingState
            row.scoreThen = a.score; row.bandThen = a.band
            row.rulesThen = a.provenance.rulePack.version
            row.scoreNow = b.score; row.bandNow = b.band
            if (d.decision == "executed" || d.decision == "partly_executed") && a.band >= .high { row.flags.append(Self.executedDespiteRisk) }
            if d.decision == "refused" && a.band == .low { row.flags.append(Self.refusedAlthoughLow) }
            let before = Set((a.findings + a.mitigations).map(\.rule))
            let appeared = b.findings.filter { !before.contains($0.rule) }
            row.newReasons = appeared.map(\.rule)
            // Scores stop at 100, so reasons that appeared since count too, not only the score.
            if abs(b.score - a.score) >= materialChange || a.band != b.band || appeared.reduce(0, { $0 + $1.points }) >= materialChange {
                row.flags.append(Self.riskChanged)
            }
            return row
        }
    }

    public static func aggregates(_ rows: [AuditRow]) -> [AuditAggregate] {
        let dimensions: [(String, (AuditRow) -> String?)] = [
            ("requesting_state", { $0.requestingState }), ("instrument", { $0.instrument }),
            ("year", { String($0.decisionDate.year) }), ("authority", { $0.authority }),
        ]
        var out: [AuditAggregate] = []
        for (name, key) in dimensions {
            var groups: [String: [AuditRow]] = [:]
            for row in rows where row.error == nil { if let k = key(row) { groups[k, default: []].append(row) } }
            for (k, g) in groups.sorted(by: { $0.key < $1.key }) {
                out.append(AuditAggregate(dimension: name, key: k, decisions: g.count,
                                          executed: g.filter { $0.decision == "executed" || $0.decision == "partly_executed" }.count,
                                          refused: g.filter { $0.decision == "refused" }.count,
                                          flagged: g.filter { $0.flags.contains(executedDespiteRisk) || $0.flags.contains(refusedAlthoughLow) }.count,
                                          meanScoreThen: Double(g.compactMap(\.scoreThen).reduce(0, +)) / Double(max(1, g.count))))
            }
        }
        return out
    }
}
