import Foundation
import WinnowRegistry

/// One real, publicly documented case of the evaluation set: `case.json`, the request rebuilt as it
/// arrived (`request.json` or `request.xml`), and optionally the requested state's records as they
/// stood that day (`registry.json`). See Evaluation/README.md.
public struct EvaluationCase: Sendable, Codable, Equatable {
    public enum Label: String, Sendable, Codable, CaseIterable {
        /// A court, a government or INTERPOL found political motivation, or refused on rights grounds.
        case abusive
        /// An ordinary request: the measure was granted and nothing public shows abuse.
        case legitimate
        /// Both: a genuine offence and a real rights risk (e.g. refused on prison conditions only).
        case mixed
    }

    public struct Source: Sendable, Codable, Equatable {
        public var title: String
        public var publisher: String
        public var date: String?
        public var url: String
    }

    public var winnowCase: String
    public var id: String
    public var title: String
    public var label: Label
    /// The day the request arrived: the case is screened as of this day, with profiles and
    /// registry as they stood then.
    public var asOf: Day
    /// What the label rests on (the finding or decision, who made it, when). Never read by screening.
    public var labelBasis: String
    /// How the request and the registry were rebuilt: what was known on the day, what is assumed.
    public var rebuilt: String
    public var sources: [Source]
    /// Facts in the files that the sources do not settle.
    public var unverified: [String]?
    /// Whether the sources (and so these files) anonymise the persons.
    public var anonymised: Bool?

    public static let formatVersion = "1.0"
}

/// A case read from its folder, ready to screen.
public struct LoadedCase: Sendable {
    public var folder: String
    public var meta: EvaluationCase
    public var requestPath: String
    public var registryPath: String?
}

/// The targets a set must meet (`targets.json` beside the cases; these defaults otherwise).
public struct EvaluationTargets: Sendable, Codable, Equatable {
    /// ROC AUC of abusive against legitimate cases, at least.
    public var minAUC: Double = 0.95
    /// Every abusive case at this band or above.
    public var abusiveAtLeast: Band = .high
    /// Of the legitimate cases from states rated Not Free or Partly Free on their date, at most this
    /// share at `high` or above.
    public var maxUnfreeLegitimateAtHigh: Double = 0.1
    /// The set holds at least this many cases of each kind.
    public var minAbusive: Int = 15
    public var minLegitimate: Int = 15
    public var minUnfreeLegitimate: Int = 10

    public init() {}

    enum CodingKeys: String, CodingKey {
        case minAUC, abusiveAtLeast, maxUnfreeLegitimateAtHigh, minAbusive, minLegitimate, minUnfreeLegitimate
    }

    /// Every key is optional: a missing one keeps its default.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        minAUC = try c.decodeIfPresent(Double.self, forKey: .minAUC) ?? minAUC
        abusiveAtLeast = try c.decodeIfPresent(Band.self, forKey: .abusiveAtLeast) ?? abusiveAtLeast
        maxUnfreeLegitimateAtHigh = try c.decodeIfPresent(Double.self, forKey: .maxUnfreeLegitimateAtHigh) ?? maxUnfreeLegitimateAtHigh
        minAbusive = try c.decodeIfPresent(Int.self, forKey: .minAbusive) ?? minAbusive
        minLegitimate = try c.decodeIfPresent(Int.self, forKey: .minLegitimate) ?? minLegitimate
        minUnfreeLegitimate = try c.decodeIfPresent(Int.self, forKey: .minUnfreeLegitimate) ?? minUnfreeLegitimate
    }
}

/// Reads an evaluation folder. Every problem in every case is reported, as `file: pointer: message`.
public enum EvaluationSet {
    public static func load(_ folder: String) throws(IntakeError) -> (cases: [LoadedCase], targets: EvaluationTargets) {
        let fm = FileManager.default
        let root = URL(fileURLWithPath: folder)
        var problems: [Diagnostic] = []
        var targets = EvaluationTargets()
        let targetsPath = root.appendingPathComponent("targets.json").path
        if let data = fm.contents(atPath: targetsPath) {
            do { targets = try JSONDecoder().decode(EvaluationTargets.self, from: data) } catch {
                problems.append(diagnostic(targetsPath, error))
            }
        }
        let casesFolder = fm.fileExists(atPath: root.appendingPathComponent("cases").path) ? root.appendingPathComponent("cases") : root
        let names = ((try? fm.contentsOfDirectory(atPath: casesFolder.path)) ?? []).sorted()
        var cases: [LoadedCase] = []
        var ids: [String: String] = [:]
        for name in names {
            let dir = casesFolder.appendingPathComponent(name)
            let metaPath = dir.appendingPathComponent("case.json").path
            guard fm.fileExists(atPath: metaPath) else { continue }
            guard let data = fm.contents(atPath: metaPath) else {
                problems.append(Diagnostic(file: metaPath, message: "cannot read the file"))
                continue
            }
            let meta: EvaluationCase
            do { meta = try JSONDecoder().decode(EvaluationCase.self, from: data) } catch {
                problems.append(diagnostic(metaPath, error))
                continue
            }
            if meta.winnowCase != EvaluationCase.formatVersion {
                problems.append(Diagnostic(file: metaPath, path: "/winnowCase", message: "must be \"\(EvaluationCase.formatVersion)\""))
            }
            if meta.sources.isEmpty { problems.append(Diagnostic(file: metaPath, path: "/sources", message: "a case lists at least one public source")) }
            for (i, s) in meta.sources.enumerated() where !(s.url.hasPrefix("https://") || s.url.hasPrefix("http://")) {
                problems.append(Diagnostic(file: metaPath, path: "/sources/\(i)/url", message: "not a web address"))
            }
            if let first = ids[meta.id] {
                problems.append(Diagnostic(file: metaPath, path: "/id", message: "\"\(meta.id)\" is also the id of \(first)"))
            }
            ids[meta.id] = metaPath
            let request = ["request.json", "request.xml"].map { dir.appendingPathComponent($0).path }.first { fm.fileExists(atPath: $0) }
            guard let request else {
                problems.append(Diagnostic(file: dir.path, message: "no request.json or request.xml"))
                continue
            }
            let registry = dir.appendingPathComponent("registry.json").path
            cases.append(LoadedCase(folder: dir.path, meta: meta, requestPath: request,
                                    registryPath: fm.fileExists(atPath: registry) ? registry : nil))
        }
        if cases.isEmpty && problems.isEmpty {
            problems.append(Diagnostic(file: folder, message: "no cases here (each case is a folder with case.json and request.json or request.xml)"))
        }
        if !problems.isEmpty { throw .invalid(problems) }
        return (cases, targets)
    }

    /// A decoding error with the JSON Pointer of what is wrong.
    static func diagnostic(_ file: String, _ error: any Error) -> Diagnostic {
        func pointer(_ path: [any CodingKey]) -> String {
            "/" + path.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: "/")
        }
        switch error as? DecodingError {
        case .keyNotFound(let key, let c)?: return Diagnostic(file: file, path: pointer(c.codingPath + [key]), message: "missing")
        case .typeMismatch(_, let c)?: return Diagnostic(file: file, path: pointer(c.codingPath), message: c.debugDescription)
        case .valueNotFound(_, let c)?: return Diagnostic(file: file, path: pointer(c.codingPath), message: "missing value")
        case .dataCorrupted(let c)?:
            return Diagnostic(file: file, path: c.codingPath.isEmpty ? nil : pointer(c.codingPath),
                              message: c.underlyingError.map { "not JSON: \($0.localizedDescription)" } ?? c.debugDescription)
        default: return Diagnostic(file: file, message: "\(error)")
        }
    }
}

/// One case screened as of its date.
public struct EvaluationRow: Sendable, Codable, Equatable {
    public var id: String
    public var title: String
    public var label: EvaluationCase.Label
    public var asOf: Day
    public var instrument: String?
    public var requestingState: String?
    /// Freedom in the World status of the requesting state on the day, from the profiles.
    public var requestingStateStatus: String?
    public var score: Int?
    public var band: Band?
    public var contextPoints: Double?
    public var casePoints: Double?
    /// The strongest reasons, as `rule (weight)`.
    public var topReasons: [String]
    public var error: String?

    public var fromUnfreeState: Bool { requestingStateStatus == "Not Free" || requestingStateStatus == "Partly Free" }
}

/// What `winnow eval` measures.
public struct EvaluationResult: Sendable, Codable, Equatable {
    public struct Check: Sendable, Codable, Equatable {
        public var name: String
        public var target: String
        public var measured: String
        public var met: Bool
    }

    public var rows: [EvaluationRow]
    /// ROC AUC of the score, abusive (positive) against legitimate (negative); ties count half.
    public var auc: Double?
    /// Cases by label and band: `confusion[label][band]`.
    public var confusion: [String: [String: Int]]
    public var falseAlarms: [String]
    public var misses: [String]
    public var checks: [Check]
    public var rulePack: String

    public var targetsMet: Bool { checks.allSatisfy(\.met) }
}

public struct EvaluationRun: Sendable {
    public var pack: RulePack
    public var targets: EvaluationTargets

    public init(pack: RulePack, targets: EvaluationTargets) {
        self.pack = pack
        self.targets = targets
    }

    /// Screens every case as of its date, with its own registry, in parallel; rows in case order.
    public func run(_ cases: [LoadedCase]) -> EvaluationResult {
        let rows = ConcurrentMap.run(cases) { screen($0) }
        return measure(rows)
    }

    func screen(_ c: LoadedCase) -> EvaluationRow {
        var row = EvaluationRow(id: c.meta.id, title: c.meta.title, label: c.meta.label, asOf: c.meta.asOf, topReasons: [])
        let registry: Registry?
        do { registry = try c.registryPath.map { try Registry.load(path: $0) } } catch {
            row.error = "\(c.registryPath ?? ""): \(error)"
            return row
        }
        let screener = Screener(pack: pack, asOf: c.meta.asOf, registry: registry)
        let report: Report
        do { report = try screener.screen(path: c.requestPath, generatedAt: Date(timeIntervalSince1970: 0)) } catch {
            row.error = String(describing: error).replacingOccurrences(of: "\n", with: " | ")
            return row
        }
        if report.request.receivedDate > c.meta.asOf {
            row.error = "\(c.requestPath): received \(report.request.receivedDate), after the case's asOf \(c.meta.asOf)"
            return row
        }
        row.instrument = report.request.instrument.rawValue
        row.requestingState = report.request.requestingState
        row.requestingStateStatus = pack.profiles?.freedomStatus(report.request.requestingState, on: c.meta.asOf)
        row.score = report.score
        row.band = report.band
        row.contextPoints = report.scoring.contextPoints
        row.casePoints = report.scoring.casePoints
        row.topReasons = (report.findings + report.mitigations).sorted { abs($0.weight) > abs($1.weight) }.prefix(4)
            .map { "\($0.rule) (\(Report.signed($0.weight)))" }
        return row
    }

    func measure(_ rows: [EvaluationRow]) -> EvaluationResult {
        let scored = rows.filter { $0.error == nil }
        let positives = scored.filter { $0.label == .abusive }.compactMap(\.score)
        let negatives = scored.filter { $0.label == .legitimate }.compactMap(\.score)
        let auc = Self.auc(positives: positives, negatives: negatives)
        var confusion: [String: [String: Int]] = [:]
        for label in EvaluationCase.Label.allCases {
            confusion[label.rawValue] = Dictionary(uniqueKeysWithValues: Band.allCases.map { band in
                (band.rawValue, scored.filter { $0.label == label && $0.band == band }.count)
            })
        }
        let falseAlarms = scored.filter { $0.label == .legitimate && ($0.band ?? .low) >= .high }.map(\.id)
        let misses = scored.filter { $0.label == .abusive && ($0.band ?? .low) < targets.abusiveAtLeast }.map(\.id)
        let unfreeLegitimate = scored.filter { $0.label == .legitimate && $0.fromUnfreeState }
        let unfreeAlarms = unfreeLegitimate.filter { ($0.band ?? .low) >= .high }.count
        let share = unfreeLegitimate.isEmpty ? 0 : Double(unfreeAlarms) / Double(unfreeLegitimate.count)
        func f(_ x: Double) -> String { String(format: "%.3f", x) }
        let counts = (abusive: scored.filter { $0.label == .abusive }.count, legitimate: negatives.count)
        let checks = [
            EvaluationResult.Check(name: "no case failed to screen", target: "0", measured: String(rows.count - scored.count),
                                   met: rows.count == scored.count),
            .init(name: "abusive cases", target: ">= \(targets.minAbusive)", measured: String(counts.abusive), met: counts.abusive >= targets.minAbusive),
            .init(name: "legitimate cases", target: ">= \(targets.minLegitimate)", measured: String(counts.legitimate),
                  met: counts.legitimate >= targets.minLegitimate),
            .init(name: "legitimate cases from Not Free or Partly Free states", target: ">= \(targets.minUnfreeLegitimate)",
                  measured: String(unfreeLegitimate.count), met: unfreeLegitimate.count >= targets.minUnfreeLegitimate),
            .init(name: "ROC AUC, abusive against legitimate", target: ">= \(f(targets.minAUC))", measured: auc.map(f) ?? "n/a",
                  met: (auc ?? 0) >= targets.minAUC),
            .init(name: "abusive cases at \(targets.abusiveAtLeast.rawValue) or above", target: "all",
                  measured: "\(counts.abusive - misses.count) of \(counts.abusive)", met: misses.isEmpty),
            .init(name: "legitimate cases from unfree states at high or above", target: "<= \(f(targets.maxUnfreeLegitimateAtHigh))",
                  measured: "\(unfreeAlarms) of \(unfreeLegitimate.count) (\(f(share)))", met: share <= targets.maxUnfreeLegitimateAtHigh),
        ]
        return EvaluationResult(rows: rows, auc: auc, confusion: confusion, falseAlarms: falseAlarms, misses: misses, checks: checks,
                                rulePack: "\(pack.name) \(pack.release)")
    }

    /// The probability that a random positive scores above a random negative (ties count half):
    /// the Mann-Whitney form of the area under the ROC curve.
    public static func auc(positives: [Int], negatives: [Int]) -> Double? {
        guard !positives.isEmpty, !negatives.isEmpty else { return nil }
        var wins = 0.0
        for p in positives {
            for n in negatives { wins += p > n ? 1 : (p == n ? 0.5 : 0) }
        }
        return wins / Double(positives.count * negatives.count)
    }
}

/// `winnow eval` as a reader sees it: targets first, then the confusion table, every false alarm
/// and miss with its top reasons, and the per-case table.
public enum EvaluationText {
    public static func render(_ r: EvaluationResult) -> String {
        var out: [String] = []
        out.append("WINNOW EVALUATION  \(r.rows.count) cases  rules \(r.rulePack)  targets \(r.targetsMet ? "MET" : "NOT MET")")
        out.append("")
        out.append("TARGETS")
        for c in r.checks { out.append("  [\(c.met ? "ok" : "NO")] \(c.name): \(c.measured) (target \(c.target))") }
        out.append("")
        out.append("CASES BY LABEL AND BAND")
        out.append("  " + pad("label", 12) + Band.allCases.map { pad($0.rawValue, 10) }.joined())
        for label in EvaluationCase.Label.allCases {
            let counts = r.confusion[label.rawValue] ?? [:]
            out.append("  " + pad(label.rawValue, 12) + Band.allCases.map { pad(String(counts[$0.rawValue] ?? 0), 10) }.joined())
        }
        out.append("")
        let byId = Dictionary(r.rows.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        for (title, ids) in [("FALSE ALARMS (legitimate at high or above)", r.falseAlarms), ("MISSES (abusive below the target band)", r.misses)] {
            out.append("\(title): \(ids.count)")
            for id in ids {
                guard let row = byId[id] else { continue }
                out.append("  \(id): \(row.band?.rawValue ?? "?") \(row.score.map(String.init) ?? "?"); \(row.topReasons.joined(separator: ", "))")
            }
            out.append("")
        }
        out.append("PER CASE")
        out.append("  " + pad("case", 44) + pad("label", 11) + pad("as of", 11) + pad("state", 6) + pad("FIW", 12) + pad("score", 6) + pad("band", 9) + "context/case points")
        for row in r.rows {
            if let error = row.error {
                out.append("  " + pad(row.id, 44) + pad(row.label.rawValue, 11) + "ERROR " + error)
                continue
            }
            out.append("  " + pad(row.id, 44) + pad(row.label.rawValue, 11) + pad(row.asOf.description, 11) + pad(row.requestingState ?? "", 6)
                       + pad(row.requestingStateStatus ?? "?", 12) + pad(row.score.map(String.init) ?? "", 6) + pad(row.band?.rawValue ?? "", 9)
                       + "\(Report.signed(row.contextPoints ?? 0)) / \(Report.signed(row.casePoints ?? 0))")
        }
        out.append("")
        out.append("AUC and bands measure ranking on these cases only; a score supports a decision, it never makes one.")
        return out.joined(separator: "\n") + "\n"
    }

    static func pad(_ s: String, _ n: Int) -> String {
        s.count >= n ? s + " " : s + String(repeating: " ", count: n - s.count)
    }
}
