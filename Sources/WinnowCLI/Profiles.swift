import ArgumentParser
import Foundation
import Winnow

struct Profiles: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Requesting-state profiles: dated, sourced figures, as of a date.",
        subcommands: [List.self, Show.self])

    static func store(_ rules: RulesOptions) throws -> ProfileStore {
        guard let store = try rules.load().profiles else {
            Stderr.line("winnow: the rules folder has no profiles/ folder")
            throw ExitCode(ExitStatus.badInput)
        }
        return store
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the states with a profile and their latest status.")
        @OptionGroup var rules: RulesOptions
        @OptionGroup var options: IntakeOptions

        func run() throws {
            let store = try Profiles.store(rules)
            for code in store.profiles.keys.sorted() {
                let p = store.profiles[code]!
                let status = StateProfile.latest(p.freedom, on: options.day).figure.map { "\($0.value.status)\($0.value.score.map { " \($0)" } ?? "") (FIW \($0.value.edition))" } ?? "no FIW figure"
                print("\(code)  \(p.name.padding(toLength: 26, withPad: " ", startingAt: 0))  \(status)")
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one state's profile as of a date (no figure published later is used).")
        @Argument(help: "ISO 3166-1 alpha-2 code, e.g. KZ.")
        var state: String
        @Option(help: "Output format: text or json.")
        var format: ReportFormat = .text
        @OptionGroup var rules: RulesOptions
        @OptionGroup var options: IntakeOptions

        func run() throws {
            let store = try Profiles.store(rules)
            guard let view = store.view(state.uppercased(), asOf: options.day) else {
                // A country's name where a code is expected: say the code (`Kazakhstan` -> KZ).
                let byName = store.profiles.values.first { $0.name.lowercased() == state.lowercased() }
                    ?? store.profiles.values.filter { editDistance($0.name.lowercased(), state.lowercased()) <= 2 }.min { $0.state < $1.state }
                let hint = byName.map { " (did you mean \($0.state), \($0.name)?)" } ?? ""
                Stderr.line("winnow: no profile for \"\(state)\"\(hint); states are named by their ISO 3166 code, `winnow profiles list` shows them")
                throw ExitCode(ExitStatus.badInput)
            }
            if format == .html {
                Stderr.line("winnow: profiles show prints text or json")
                throw ExitCode(ExitStatus.badInput)
            }
            if format == .json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
                print(String(decoding: try encoder.encode(view), as: UTF8.self))
                return
            }
            print("\(view.state) \(view.name), as of \(view.asOf) (figures older than \(view.staleAfterYears) years are marked stale)")
            print("")
            for f in view.figures {
                print("  \(f.what): \(f.value)")
                if !f.source.isEmpty { print("      source: \(f.source)\(f.publicFrom.map { "; public from \($0)" } ?? "")") }
                if let note = f.note { print("      note: \(note)") }
            }
            print("")
            print("  Findings of abuse public by \(view.asOf): \(view.findings.count)")
            for f in view.findings { print("    - \(f.value)\(f.note.map { " [\($0)]" } ?? "")") }
            if !view.notYetPublic.isEmpty {
                print("  Later findings, not used as of \(view.asOf): \(view.notYetPublic.count)")
                for f in view.notYetPublic { print("    - \(f.value)") }
            }
            if !view.unverified.isEmpty {
                print("  UNVERIFIED findings, listed but never counted: \(view.unverified.count)")
                for f in view.unverified { print("    - \(f.value)\(f.note.map { " [\($0)]" } ?? "")") }
            }
            if !view.undated.isEmpty {
                print("  Undated findings, listed but never counted: \(view.undated.count)")
                for f in view.undated { print("    - \(f.value)") }
            }
            if !view.documents.isEmpty {
                print("")
                print("  Documents:")
                for d in view.documents { print("    \(d)") }
            }
        }
    }
}
