import ArgumentParser
import Foundation
import Winnow

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

    @Option(help: "Report format: text or json.")
    var format: ReportFormat = .text

    @Option(name: .shortAndLong, help: "Write the report here (atomically) instead of standard output.")
    var output: String?

    @OptionGroup var rules: RulesOptions
    @OptionGroup var options: IntakeOptions

    func run() throws {
        let screener = Screener(pack: try rules.load(), asOf: options.day, intake: options.intake)
        let report: Report
        do { report = try screener.screen(path: file) } catch {
            Stderr.line(error.description)
            if case .internal = error { throw ExitCode(ExitStatus.internal) }
            throw ExitCode(ExitStatus.badInput)
        }
        try Output.write(format == .json ? JSONReport.render(report) : TextReport.render(report), to: output)
    }
}
