public import WinnowModel

extension LogEntry {
    /// The decisions a reviewer can record, on the command line and over HTTP alike.
    public static let decisionKinds: Set<String> = ["execute", "execute_with_conditions", "refuse", "ask_for_information"]

    /// A screening as the log records it: the request's, the report's and the rule pack's hashes,
    /// the registry snapshot, band and score. `rendered` is the report exactly as issued.
    public static func screening(_ report: Report, request name: String, bytes: [UInt8], rendered: String) -> LogEntry {
        var entry = LogEntry(kind: .screening, time: report.generatedAt, request: name, requestSha256: bytes.sha256, requestId: report.request.id)
        entry.reportSha256 = Array(rendered.utf8).sha256
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

    /// Why a decision on the request with `requestSha256` cannot correct entry `corrects` of
    /// `entries`, or nil when it can: a correction names an earlier decision on the same request.
    public static func correctionProblem(_ corrects: Int, requestSha256: String, in entries: [LogEntry]) -> String? {
        guard corrects >= 0, corrects < entries.count, entries[corrects].kind == .decision else {
            return "entry \(corrects) is not a decision in the log"
        }
        guard entries[corrects].requestSha256 == requestSha256 else {
            return "entry \(corrects) is a decision on another request (\(entries[corrects].request))"
        }
        return nil
    }
}
