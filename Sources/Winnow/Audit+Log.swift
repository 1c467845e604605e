public import Foundation
public import WinnowLog
import WinnowModel

extension Audit {
    /// How a logged decision reads in the audit's vocabulary.
    public static let logKinds = ["execute": "executed", "execute_with_conditions": "partly_executed", "refuse": "refused", "ask_for_information": "pending"]

    /// The log's standing decisions (corrections replace what they correct) as audit decisions, and
    /// a line for each that cannot be audited. A request file whose bytes no longer have the SHA-256
    /// the log recorded is refused: the audit would screen something else. The log is verified
    /// first; one that does not verify throws.
    ///
    /// A log in a database keeps the requests its servers screened there: each is copied into
    /// `copies` (a folder the caller owns; nothing is copied without one) to be screened again.
    public static func decisions(from log: DecisionLog, copies: URL? = nil) throws -> (decisions: [AuditDecision], problems: [String]) {
        var out: [AuditDecision] = [], problems: [String] = []
        let shared = log.storage as? SharedLogStorage
        if shared != nil, let copies {
            try FileManager.default.createDirectory(at: copies, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        }
        for var d in try log.standingDecisions() {
            if let shared, let copies {
                do {
                    if let file = try shared.copyRequest(sha256: d.requestSha256, into: copies) { d.file = file.path }
                } catch {
                    problems.append("\(log.location): entry \(d.entry): cannot copy its request into \(copies.path)"); continue
                }
            }
            guard let bytes = FileManager.default.contents(atPath: d.file) else {
                problems.append("\(log.location): entry \(d.entry): cannot read the request file \(d.file)"); continue
            }
            guard [UInt8](bytes).sha256 == d.requestSha256 else {
                problems.append("\(log.location): entry \(d.entry): \(d.file) has changed since the decision (its SHA-256 is not the one logged)"); continue
            }
            guard let kind = logKinds[d.decision], let day = Day(String(d.time.prefix(10))) else {
                problems.append("\(log.location): entry \(d.entry): decision \"\(d.decision)\" of \(d.time) cannot be audited"); continue
            }
            out.append(AuditDecision(request: d.file, decision: kind, date: day, authority: d.reviewer, line: d.entry))
        }
        return (out, problems)
    }
}
