import ArgumentParser
import Foundation
import Winnow
import WinnowLog

struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Audit past decisions: each request screened as of its decision date and as of today.",
        discussion: """
            DECISIONS is CSV (request,decision,decision_date,authority) or JSON lines ({"request", "decision", \
            "date", "authority"}); request paths are relative to the file; decisions are executed, \
            partly_executed, refused or pending. Flags: executed although high or critical at the time; \
            refused although low; risk changed materially since. Writes audit.html (with charts), rows.csv, \
            aggregates.csv and rows.jsonl to --out.
            """)

    @Argument(help: "The decisions file (or --log DIR instead).")
    var decisions: String?

    @Option(help: "Audit the decisions recorded in this tamper-evident log (`winnow log`) instead of a decisions file: the log is verified first, and each request file must still have the SHA-256 the log recorded.")
    var log: String?

    @Option(help: "Folder for the audit report and exports.")
    var out: String = "audit-report"

    @Option(name: [.customLong("as-of"), .customLong("today")],
            help: "The day of the second screening (YYYY-MM-DD; default: today). --today is the older name.")
    var today: String?

    @Option(name: .customLong("rules-history"), help: "Folder of earlier rule-pack releases, one subfolder per release named by the date it came into use (YYYY-MM-DD).")
    var rulesHistory: String?

    @OptionGroup var rules: RulesOptions
    @OptionGroup var registry: RegistryOptions

    func validate() throws {
        if (decisions == nil) == (log == nil) { throw ValidationError("give a decisions file or --log DIR (one of them)") }
        if let today, Day(today) == nil { throw ValidationError("--as-of: \"\(today)\" is not a date (YYYY-MM-DD)") }
        if let today, let day = Day(today), day > Day.today { throw ValidationError("--as-of: \(today) is in the future (today is \(Day.today))") }
    }

    func run() throws {
        let list: [AuditDecision]
        // A log in a database keeps its requests there: they are copied here to be screened again.
        let copies = FileManager.default.temporaryDirectory.appendingPathComponent("winnow-audit-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: copies) }
        if let log {
            list = try Self.decisions(fromLog: log, copies: copies)
        } else {
            do { list = try Audit.readDecisions(decisions!) } catch {
                Stderr.line(error.description)
                throw ExitCode(ExitStatus.badInput)
            }
        }
        let pack = try rules.load()
        let now = today.flatMap { Day($0) } ?? Day.today
        var history: [(from: Day, pack: RulePack)] = []
        if let rulesHistory {
            do { history = try Audit.loadHistory(URL(fileURLWithPath: rulesHistory)) } catch {
                Stderr.line(error.description)
                throw ExitCode(ExitStatus.badInput)
            }
        }
        var info = stat()
        if stat(out, &info) == 0, (info.st_mode & S_IFMT) != S_IFDIR {
            Stderr.line("winnow: --out \(out): is a file; name a folder for the audit report and its exports")
            throw ExitCode(ExitStatus.badInput)
        }
        do { try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true) } catch {
            Stderr.line("winnow: --out \(out): cannot create the folder (\((error as NSError).localizedDescription))")
            throw ExitCode(ExitStatus.badInput)
        }
        let audit = Audit(pack: pack, registry: try registry.open(required: false), today: now, history: history)
        let rows = audit.run(list)
        let aggregates = Audit.aggregates(rows)
        let folder = URL(fileURLWithPath: out)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Output.write(AuditReport.render(rows: rows, aggregates: aggregates, today: now, pack: pack), to: folder.appendingPathComponent("audit.html").path)
        try Output.write(AuditRow.csvFile(rows), to: folder.appendingPathComponent("rows.csv").path)
        try Output.write(AuditAggregate.csvFile(aggregates), to: folder.appendingPathComponent("aggregates.csv").path)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        try Output.write(rows.map { String(decoding: (try? encoder.encode($0)) ?? Data(), as: UTF8.self) }.joined(separator: "\n") + "\n",
                         to: folder.appendingPathComponent("rows.jsonl").path)
        for r in rows where r.error != nil { Stderr.line(r.error!) }
        let flagged = rows.filter { $0.flags.contains(Audit.executedDespiteRisk) || $0.flags.contains(Audit.refusedAlthoughLow) }.count
        print("\(rows.count) decisions audited: \(flagged) flagged, \(rows.filter { $0.flags.contains(Audit.riskChanged) }.count) changed since; report in \(folder.path)/audit.html")
        if rows.contains(where: { $0.error != nil }) { throw ExitCode(ExitStatus.badInput) }
    }

    /// The log's standing decisions as audit decisions (`Audit.decisions(from:)`); any that cannot
    /// be audited are named on stderr and stop the audit.
    static func decisions(fromLog folder: String, copies: URL) throws -> [AuditDecision] {
        let log = try LogCommand.open(folder)
        let (out, problems) = try LogCommand.attempt { try Audit.decisions(from: log, copies: copies) }
        if !problems.isEmpty {
            for p in problems { Stderr.line(p) }
            throw ExitCode(ExitStatus.badInput)
        }
        return out
    }
}
