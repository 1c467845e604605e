import ArgumentParser
import Foundation
import Winnow

struct Convert: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write a valid request in the other canonical form (XML <-> JSON).")

    @Argument(help: "A request file.")
    var file: String

    @Option(help: "Target format: xml or json.")
    var to: String

    @Option(name: .shortAndLong, help: "Write here (atomically) instead of standard output.")
    var output: String?

    @Flag(help: "Write a format 1.0 request as format 2.0 (each person's occupation becomes a list of occupations).")
    var upgrade = false

    @OptionGroup var options: IntakeOptions

    func validate() throws {
        guard RequestFormat(rawValue: to) != nil else { throw ValidationError("--to must be xml or json") }
    }

    func run() throws {
        let text: String
        do { text = try options.intake.convert(path: file, to: RequestFormat(rawValue: to)!, upgrade: upgrade) } catch {
            Stderr.line(error.description)
            if case .internal = error { throw ExitCode(ExitStatus.internal) }
            throw ExitCode(ExitStatus.badInput)
        }
        if let output {
            try Output.write(text, to: output)
        } else {
            print(text, terminator: "")
        }
    }
}
