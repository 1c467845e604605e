public import ArgumentParser
import Foundation
import Winnow

/// Exit codes, as documented in the README.
public enum ExitStatus {
    public static let ok: Int32 = 0
    /// A finding at or above `--fail-on` (batch).
    public static let findings: Int32 = 1
    /// Bad input or usage.
    public static let badInput: Int32 = 2
    /// Winnow itself failed.
    public static let `internal`: Int32 = 3
}

/// Runs the command line and maps every outcome to Winnow's exit codes.
public enum WinnowMain {
    public static func run(_ arguments: [String]) async -> Int32 {
        do {
            var command = try WinnowCommand.parseAsRoot(arguments)
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
            return ExitStatus.ok
        } catch let exit as ExitCode {
            return exit.rawValue
        } catch {
            let code = WinnowCommand.exitCode(for: error)
            let message = WinnowCommand.fullMessage(for: error)
            if code == .success {
                print(message)
                return ExitStatus.ok
            }
            if code == .validationFailure || error is ValidationError {
                // A mistyped command: say which one was meant (`winnow scren` -> screen).
                let names = WinnowCommand.configuration.subcommands.map { $0._commandName }
                if let first = arguments.first, !first.hasPrefix("-"), !names.contains(first) {
                    let hint = didYouMean(first, among: names, within: 2)
                    Stderr.line("winnow: unknown command \"\(first)\"\(hint); `winnow --help` lists the commands")
                    return ExitStatus.badInput
                }
                Stderr.line(message)
                return ExitStatus.badInput
            }
            Stderr.line("winnow: internal error: \(message)")
            return ExitStatus.internal
        }
    }
}

public struct WinnowCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "winnow",
        abstract: "Screens requests for legal cooperation for signs of politically motivated abuse.",
        discussion: """
            Exit codes: 0 success; 1 a request at or above --fail-on (batch); 2 bad input or usage; \
            3 internal error.
            """,
        version: WinnowVersion.engine,
        subcommands: [Screen.self, Validate.self, Convert.self, Rules.self, Explain.self, Facts.self, Profiles.self, Match.self, RegistryCommand.self, Batch.self, AuditCommand.self, EvalCommand.self, Serve.self, LogCommand.self, ReportCommand.self]
    )

    public init() {}
}

/// Lines to standard error.
enum Stderr {
    /// One line on standard error. Control and direction characters (which can come from a request
    /// or a file name) are shown as `[U+XXXX]`, never sent to the terminal; line feeds within a
    /// message that lists several problems are kept.
    static func line(_ text: String) {
        FileHandle.standardError.write(Data((text.visibleControls(keepingLineFeeds: true) + "\n").utf8))
    }
}
