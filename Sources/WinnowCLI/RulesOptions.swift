import ArgumentParser
import Foundation
import Winnow

/// `--rules DIR`, shared by every command that loads the rule pack.
struct RulesOptions: ParsableArguments {
    @Option(name: .customLong("rules"), help: "Rule pack folder (default: $WINNOW_RULES, ./Rules, or the repository's Rules).")
    var rulesFolder: String?

    @Option(name: .customLong("stale-after"), help: "Mark profile figures older than this many years at the as-of date as stale.")
    var staleAfterYears: Int = 3

    /// Loads the pack; on failure prints every problem and exits 2.
    func load() throws -> RulePack {
        guard let folder = rulesFolder.map({ URL(fileURLWithPath: $0) }) ?? Screener.defaultRulesFolder() else {
            Stderr.line("winnow: no rules folder found; pass --rules DIR or set WINNOW_RULES")
            throw ExitCode(ExitStatus.badInput)
        }
        do { return try RulePack.load(from: folder, staleAfterYears: staleAfterYears) } catch {
            Stderr.line(error.description)
            Stderr.line("the rule pack in \(folder.path) does not load (\(error.problems.count) problem\(error.problems.count == 1 ? "" : "s"))")
            throw ExitCode(ExitStatus.badInput)
        }
    }
}

enum ReportFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json, html

    func render(_ report: Report) -> String {
        switch self {
        case .text: return TextReport.render(report)
        case .json: return JSONReport.render(report)
        case .html: return HTMLReport.render(report)
        }
    }
}

/// Writes text to a file atomically (temporary file, then rename), or to standard output.
enum Output {
    static func write(_ text: String, to path: String?) throws {
        guard let path else { print(text, terminator: ""); return }
        try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
    }
}
