import ArgumentParser
import Foundation
import Winnow
import WinnowLog

struct Screen: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Screen one request and write its risk report.",
        discussion: """
            The report gives the band and score first, then every reason with its rule, legal sources and \
            evidence, the mitigating factors, and the data gaps (what could not be checked). Exit code 0 \
            with a report whatever the band; 2 for bad input.
            """)

    @Argument(help: "A request file (XML or JSON).")
    var file: String

    @Option(help: "Report format: text, json, html (one self-contained page) or sarif (SARIF 2.1.0).")
    var format: ReportFormat = .text

    @Option(name: .shortAndLong, help: "Write the report here (atomically) instead of standard output.")
    var output: String?

    @OptionGroup var rules: RulesOptions
    @OptionGroup var options: IntakeOptions
    @OptionGroup var registry: RegistryOptions

    @Flag(help: "Store the screened request in the registry, so that later requests link to it.")
    var record = false

    @Option(help: "Add this screening to the tamper-evident log in this folder (`winnow log init DIR` makes one).")
    var log: String?

    @Option(help: "What FILE is: winnow (a request, XML or JSON) or interpol-notice (an INTERPOL public notice record, JSON).")
    var from: String = "winnow"

    @Option(name: .customLong("requested-state"), help: "With --from interpol-notice: the state screening the notice (ISO 3166 code).")
    var requestedState: String?

    func validate() throws {
        guard ["winnow", "interpol-notice"].contains(from) else { throw ValidationError("--from must be winnow or interpol-notice") }
        if from == "interpol-notice" {
            guard let requestedState, requestedState.count == 2, requestedState == requestedState.uppercased() else {
                throw ValidationError("--from interpol-notice needs --requested-state XX (the ISO 3166 code of the state screening it)")
            }
        }
        if record && registry.resolved == nil { throw ValidationError("--record needs a registry (--registry PATH)") }
        if record, let path = registry.resolved, path.hasSuffix(".json") {
            throw ValidationError("--record needs a SQLite registry file, not a JSON file read into memory")
        }
    }

    func run() throws {
        if let output { try Output.resolve(output) }
        let domestic = try registry.open(required: false)
        let screener = Screener(pack: try rules.load(), asOf: options.day, intake: options.intake, registry: domestic)
        let report: Report
        // The request's bytes, read once: screened, and hashed for the log.
        let bytes: [UInt8]
        do {
            bytes = try options.intake.read(file)
            if from == "interpol-notice" {
                let request = try options.intake.loadInterpolNotice(
                    bytes: bytes, name: file, options: InterpolNotice.Options(requestedState: requestedState!, receivedDate: options.day))
                report = screener.screen(request, file: file)
            } else {
                report = try screener.screen(bytes: bytes, name: file)
            }
        } catch {
            Stderr.line(error.description)
            if case .internal = error { throw ExitCode(ExitStatus.internal) }
            throw ExitCode(ExitStatus.badInput)
        }
        let rendered = format.render(report, pack: screener.pack)
        // The log is checked before the report is written, so that a screening is never reported
        // without its entry when one was asked for.
        let decisionLog = try log.map { try LogCommand.open($0) }
        try Output.write(rendered, to: output)
        if let decisionLog {
            var entry = LogEntry.screening(report, request: file, bytes: bytes, rendered: rendered)
            let stored = try LogCommand.attempt { () throws -> LogEntry in
                // A log that servers share keeps the request too, so that any of them can audit it.
                if let shared = decisionLog.storage as? SharedLogStorage { entry.stored = try shared.keepRequest(bytes, sha256: entry.requestSha256) }
                return try decisionLog.append(entry)
            }
            Stderr.line("logged as entry \(stored.index) in \(decisionLog.location)")
        }
        if record, let domestic, let request = try? options.intake.load(bytes: bytes, name: file) {
            let id = try domestic.record(request)
            Stderr.line("recorded as \(id) in \(domestic.location)")
        }
    }
}
