import ArgumentParser
import Foundation
import Winnow

struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Measure the rule pack on an evaluation set of real cases, each screened as of the day its request arrived.",
        discussion: """
            DIR holds one folder per case (or a cases/ folder of them): case.json (label abusive, legitimate or \
            mixed; asOf; sources), request.json or request.xml, and optionally registry.json. targets.json beside \
            them sets the targets. Prints ROC AUC, the cases by label and band, every false alarm and miss with \
            its top reasons, and a row per case. Exit 0 when every target is met, 1 when one is not, 2 on bad input. \
            See Evaluation/README.md.
            """)

    @Argument(help: "The evaluation folder.")
    var folder: String

    @Option(help: "text or json.")
    var format: String = "text"

    @Option(name: .shortAndLong, help: "Write the result here (atomically) instead of standard output.")
    var output: String?

    @OptionGroup var rules: RulesOptions

    func validate() throws {
        guard ["text", "json"].contains(format) else { throw ValidationError("--format must be text or json") }
    }

    func run() throws {
        if let output, output != "-" { try Output.resolve(output) }
        let loaded: (cases: [LoadedCase], targets: EvaluationTargets)
        do { loaded = try EvaluationSet.load(folder) } catch {
            Stderr.line(error.description)
            throw ExitCode(ExitStatus.badInput)
        }
        let result = EvaluationRun(pack: try rules.load(), targets: loaded.targets).run(loaded.cases)
        for row in result.rows { if let e = row.error { Stderr.line("\(row.id): \(e)") } }
        let text: String
        if format == "json" {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
            text = String(decoding: try encoder.encode(result), as: UTF8.self) + "\n"
        } else {
            text = EvaluationText.render(result)
        }
        if let output { try Output.write(text, to: output) } else { print(text, terminator: "") }
        if result.rows.contains(where: { $0.error != nil }) { throw ExitCode(ExitStatus.badInput) }
        if !result.targetsMet { throw ExitCode(ExitStatus.findings) }
    }
}
