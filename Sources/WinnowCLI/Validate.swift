import ArgumentParser
import Foundation
import Winnow
import WinnowRegistry

struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check request files against the schema and the format's rules.",
        discussion: """
            Prints one line per problem to standard error, as FILE:LINE: PATH: WHAT IS WRONG, every \
            problem in every file. Folders are searched for .xml and .json files. Exit code 0 when \
            every file is valid, 2 otherwise.
            """)

    @Argument(help: "Request files or folders.")
    var files: [String]

    @OptionGroup var options: IntakeOptions

    @Flag(name: .shortAndLong, help: "Print nothing for valid files.")
    var quiet = false

    /// A registry import file: a JSON object whose first key is "winnowRegistry".
    static func isRegistryFile(_ path: String) -> Bool {
        guard let handle = FileHandle(forReadingAtPath: path), let head = try? handle.read(upToCount: 256) else { return false }
        try? handle.close()
        return String(decoding: head, as: UTF8.self).drop { $0.isWhitespace || $0 == "{" }.hasPrefix("\"winnowRegistry\"")
    }

    func run() throws {
        let intake = options.intake
        var invalid = 0
        var internalFailure = false
        let paths = RequestFiles.expand(files)
        for path in paths {
            do {
                if path.hasSuffix(".json"), Self.isRegistryFile(path) {
                    do {
                        let summary = try Registry.inMemory().importFile(path)
                        if !quiet { print("\(path): valid (registry import: \(summary.description))") }
                    } catch {
                        invalid += 1
                        Stderr.line("\(error)")
                    }
                    continue
                }
                if path.hasSuffix(".json"), SampleExpectations.isExpectationsFile(path) {
                    let expectations = try SampleExpectations.load(path: path, limits: intake.limits)
                    if !quiet { print("\(path): valid (expected bands for \(expectations.entries.count) samples)") }
                    continue
                }
                let request = try intake.load(path: path)
                if !quiet {
                    print("\(path): valid (\(request.instrument.rawValue), \(request.requestingState) -> \(request.requestedState))")
                }
            } catch {
                invalid += 1
                if case .internal = error { internalFailure = true }
                Stderr.line(error.description)
            }
        }
        if !quiet || invalid > 0 {
            Stderr.line("\(paths.count - invalid) valid, \(invalid) invalid")
        }
        if internalFailure { throw ExitCode(ExitStatus.internal) }
        if invalid > 0 || paths.isEmpty { throw ExitCode(ExitStatus.badInput) }
    }
}
