public import WinnowModel

extension LogEntry {
    /// The decisions a reviewer can record, on the command line and over HTTP alike.
    public static let decisionKinds: Set<String> = ["execute", "execute_with_conditions", "refuse", "ask_for_information"]

    /// A screening as the log records it: the request's, the report's and the rule pack's hashes,
    /// the registry snapshot, band and score. `rendered` is the report exactly as issued.
    public static func screening(_ report: Report, request name: String, bytes: [UInt8], rendered: String) -> LogEntry {
        screening(report, request: name, bytes: bytes, rendered: Array(rendered.utf8))
    }

    /// `screening` with the report as issued, as bytes.
    public static func screening(_ report: Report, request name: String, bytes: [UInt8], rendered: [UInt8]) -> LogEntry {
        var entry = LogEntry(kind: .screening, time: report.generatedAt, request: name, requestSha256: bytes.sha256, requestId: report.request.id)
        entry.reportSha256 = rendered.sha256
        entry.rulePackSha256 = report.provenance.rulePack.sha256
        entry.registry = report.provenance.registry
        entry.band = report.band.rawValue
        entry.score = report.score
        return entry
    }

    /// Whether a decision goes against the band of the screening it decides: executing a request
    /// screened `high` or `critical`, or refusing one screened `low`. Such a decision needs a rationale.
    public static func goesAgainstBand(decision: String, band: String?) -> Bool {
        switch (decision, band) {
        case ("execute", "high"), ("execute", "critical"), ("refuse", "low"): return true
        default: return false
        }
    }

    /// Why a decision on the request with `requestSha256` cannot correct `target`, the entry at
    /// position `corrects` (nil: the log has none there), or nil when it can: a correction names an
    /// earlier decision on the same request.
    public static func correctionProblem(_ corrects: Int, requestSha256: String, target: LogEntry?) -> String? {
        guard let target, target.index == corrects, target.kind == .decision else {
            return "entry \(corrects) is not a decision in the log"
        }
        guard target.requestSha256 == requestSha256 else {
            return "entry \(corrects) is a decision on another request (\(target.request))"
        }
        return nil
    }

    /// The decision that stands among one request's decisions (in log order): the last that no
    /// other corrects.
    public static func standing(in decisions: [LogEntry]) -> LogEntry? {
        let corrected = Set(decisions.compactMap(\.corrects))
        return decisions.last { !corrected.contains($0.index) }
    }

    /// Why a decision cannot be recorded, the same for the command line, the API and the desk.
    public struct DecisionProblem: Error, Sendable, Equatable, CustomStringConvertible {
        public enum Kind: Sendable { case badDecision, notFinal, incomplete }
        public var kind: Kind
        public var description: String
    }

    /// Why `decision` is not one of the vocabulary, or nil when it is.
    public static func kindProblem(_ decision: String) -> DecisionProblem? {
        decisionKinds.contains(decision) ? nil
            : .init(kind: .badDecision, description: "decision must be one of \(decisionKinds.sorted().joined(separator: ", "))")
    }

    /// Why a decision on the request with `requestSha256` cannot be recorded, or nil: the decision
    /// must be of the vocabulary; a correction must name an earlier decision on the same request,
    /// and the one that stands (a recorded decision is final: a second one must say which it
    /// corrects); a decision against `band` (the screening's), or a correction, needs a rationale.
    /// The log is read through `tip`, under its writer lock: the decisions on this request, and
    /// the entry a correction names.
    public static func decisionProblem(_ decision: String, requestSha256: String, band: String?, rationale: String, corrects: Int?,
                                       in tip: LogTip) throws -> DecisionProblem? {
        if let problem = kindProblem(decision) { return problem }
        if let corrects, let problem = correctionProblem(corrects, requestSha256: requestSha256, target: try tip.entry(corrects)) {
            return .init(kind: .incomplete, description: "corrects: \(problem)")
        }
        let blank = rationale.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
        if blank, goesAgainstBand(decision: decision, band: band) {
            return .init(kind: .incomplete, description: "rationale: a decision to \(decision) a request screened \(band ?? "") goes against its band and needs a rationale")
        }
        if blank, corrects != nil { return .init(kind: .incomplete, description: "rationale: a correction needs a rationale") }
        if let standing = standing(in: try tip.decisions(requestSha256)) {
            guard let corrects else {
                return .init(kind: .notFinal, description: "the request was decided in entry \(standing.index); a correction names it (corrects)")
            }
            guard corrects == standing.index else {
                return .init(kind: .notFinal, description: "corrects: entry \(corrects) was itself corrected; the standing decision is entry \(standing.index)")
            }
        }
        return nil
    }
}
