import ArgumentParser
import Foundation
import Winnow

/// `winnow explain RULE-ID`: what a rule looks for, why, on what legal sources, and what each fact
/// it reads means and where its value comes from.
struct Explain: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Explain a rule: its rationale, condition, legal sources, examples and the facts it reads.")
    @Argument(help: "A rule id, as a report names it (e.g. refugee-protected-against-requesting-state).")
    var rule: String
    @OptionGroup var rules: RulesOptions

    func run() throws {
        let pack = try rules.load()
        guard let found = pack.rule(id: rule) else {
            let hint = didYouMean(rule, among: pack.rules.map(\.id), within: 4)
            Stderr.line("winnow: no rule \"\(rule)\" in \(pack.name) \(pack.release)\(hint); docs/rules.md lists them all")
            throw ExitCode(ExitStatus.badInput)
        }
        var lines = RuleReference.section(found, pack: pack)
        lines.append("Facts it reads:")
        for name in found.facts.sorted() {
            guard let fact = pack.catalogue[name] else { continue }
            lines.append("- \(name) (\(fact.source.rawValue)): \(fact.description)")
            if !fact.settle.isEmpty { lines.append("  when unknown, settle with: \(fact.settle)") }
        }
        print(lines.joined(separator: "\n"))
    }
}
