import ArgumentParser
import Foundation
import Winnow
import WinnowRegistry

struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check request files against the schema and the format's rules.",
        discussion: """
            Prints one line per problem to standard error, as FILE:LINE: PATH: WHAT IS WRONG, every \
            problem in every file, in the order the files were given. Folders are searched for .xml \
            and .json files; files are checked in parallel on every core. Exit code 0 when every \
            file is valid, 2 otherwise.
            """)

    @Argument(help: "Request files or folders.")
    var files: [String]

    @OptionGroup var options: IntakeOptions

    @Flag(name: .shortAndLong, help: "Print nothing for valid files.")
    var quiet = false

    /// What checking one file gives: a line for standard output or a problem for standard error.
    struct Outcome: Sendable {
        var valid: String?
        var problem: String?
        var internalFailure = false
    }

    static func check(_ path: String, intake: Intake) -> Outcome {
        do {
            let own = OwnFile.of(path)
            if own == .registry {
                do {
                    let summary = try Registry.inMemory().importFile(path)
                    return Outcome(valid: "\(path): valid (registry import: \(summary.description))")
                } catch {
                    return Outcome(problem: "\(error)")
                }
            }
            if own == .interpolNotice {
                // Checked as the request it becomes; the requested state is the screener's, so any
                // valid code stands in for it here.
                let request = try intake.loadInterpolNotice(path: path, options: InterpolNotice.Options(requestedState: "DE", receivedDate: intake.today))
                return Outcome(valid: "\(path): valid (INTERPOL notice record from \(request.requestingState), \(request.offences.count) charge(s); screen it with --from interpol-notice --requested-state XX)")
            }
            if own == .expectations {
                let expectations = try SampleExpectations.load(path: path, limits: intake.limits)
                return Outcome(valid: "\(path): valid (expected bands for \(expectations.entries.count) samples)")
            }
            let request = try intake.load(path: path)
            return Outcome(valid: "\(path): valid (\(request.instrument.rawValue), \(request.requestingState) -> \(request.requestedState))")
        } catch {
            var outcome = Outcome(problem: error.description)
            if case .internal = error { outcome.internalFailure = true }
            return outcome
        }
    }

    func run() throws {
        let intake = options.intake
        var invalid = 0
        var internalFailure = false
        var skipped: [String] = []
        let paths = RequestFiles.expand(files, skipped: &skipped)
        if !skipped.isEmpty { Stderr.line("validate: left out: \(skipped.joined(separator: ", "))") }
        // Files are checked in parallel a chunk at a time; lines come out in the order given.
        var start = 0
        while start < paths.count {
            let chunk = Array(paths[start..<min(paths.count, start + 512)])
            start += chunk.count
            for outcome in ConcurrentMap.run(chunk, { Self.check($0, intake: intake) }) {
                if let line = outcome.valid, !quiet { print(line.visibleControls()) }
                if let problem = outcome.problem {
                    invalid += 1
                    Stderr.line(problem)
                }
                if outcome.internalFailure { internalFailure = true }
            }
        }
        if !quiet || invalid > 0 {
            Stderr.line("\(paths.count - invalid) valid, \(invalid) invalid")
        }
        if internalFailure { throw ExitCode(ExitStatus.internal) }
        if invalid > 0 || paths.isEmpty { throw ExitCode(ExitStatus.badInput) }
    }
}
