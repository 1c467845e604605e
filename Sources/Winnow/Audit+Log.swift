import Foundation
public import WinnowLog
import WinnowModel

extension Audit {
    /// How a logged decision reads in the audit's vocabulary.
    public static let logKinds = ["execute": "executed", "execute_with_conditions": "partly_executed", "refuse": "refused", "ask_for_information": "pending"]

    /// The log's standing decisions (corrections replace what they correct) as audit decisions, and
    /// a line for each that cannot be audited. A request file whose bytes no longer have the SHA-256
    /// the log recorded is refused: the audit would screen something else. The log is verified
    /// first; one that does not verify throws.
    public static func decisions(from log: DecisionLog) throws -> (decisions: [AuditDecision], problems: [String]) {
        var out: [AuditDecision] = [], problems: [String] = []
        let folder = log.folder.path
        for d in try log.standingDecisions() {
            guard let bytes = FileManager.default.contents(atPath: d.file) else {
                problems.append("\(folder): entry \(d.entry): cannot read the request file \(d.file)"); continue
            }
            guard [UInt8](bytes).sha256 == d.requestSha256 else {
                problems.append("\(folder): entry \(d.entry): \(d.file) has changed since the decision (its SHA-256 is not the one logged)"); continue
            }
            guard let kind = logKinds[d.decision], let day = Day(String(d.time.prefix(10))) else {
                problems.append("\(folder): entry \(d.entry): decision \"\(d.decision)\" of \(d.time) cannot be audited"); continue
            }
            out.append(AuditDecision(request: d.file, decision: kind, date: day, authority: d.reviewer, line: d.entry))
        }
        return (out, problems)
    }
}
