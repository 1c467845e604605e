import ArgumentParser
import Foundation
import Winnow

struct Rules: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check, test and document the rule pack.",
        subcommands: [Lint.self, Test.self, Doc.self])

    struct Lint: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Load the pack strictly: unknown keys, facts, operators and source ids are errors with file:line.")
        @OptionGroup var rules: RulesOptions

        func run() throws {
            let pack = try rules.load()
            print("\(pack.name) \(pack.release): \(pack.rules.count) rules, \(pack.sources.count) sources, "
                  + "\(pack.profiles?.profiles.count ?? 0) state profiles, sha256 \(pack.sha256)")
        }
    }

    struct Test: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Run every rule's own examples.")
        @OptionGroup var rules: RulesOptions
        @Flag(name: .shortAndLong, help: "Print every example, not only failures.")
        var verbose = false

        func run() throws {
            let results = Evaluator(pack: try rules.load()).runAllExamples()
            let failed = results.filter { !$0.passed }
            for r in results where verbose || !r.passed { (r.passed ? { print($0) } : Stderr.line)(r.description) }
            print("\(results.count - failed.count) passed, \(failed.count) failed")
            if !failed.isEmpty { throw ExitCode(ExitStatus.findings) }
        }
    }

    struct Doc: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Write the rule reference (Markdown) generated from the rule files.")
        @OptionGroup var rules: RulesOptions
        @Option(name: .shortAndLong, help: "Write here (atomically) instead of standard output.")
        var output: String?

        func run() throws {
            try Output.write(RuleReference.markdown(try rules.load()), to: output)
        }
    }
}

struct Facts: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List the facts rules can use, by source: the request, the requesting-state profile, the domestic registry.")

    func run() throws {
        for source in FactSource.allCases {
            print("\(source.rawValue.uppercased()) FACTS")
            for d in FactCatalogue.standard.definitions where d.source == source {
                print("  \(d.name)  (\(d.type.rawValue))")
                print("      \(d.description)")
                if source != .request { print("      when unknown, settle with: \(d.settle)") }
            }
            print("")
        }
    }
}
