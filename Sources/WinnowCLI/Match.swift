import ArgumentParser
import Foundation
import Winnow
import WinnowNames

struct Match: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Compare two person names across scripts and romanisations.",
        discussion: """
            With two names: prints the score (0-1), the verdict and why. With --pairs FILE: reads \
            tab-separated name_a<TAB>name_b lines (an optional header line name_a<TAB>name_b first) and \
            writes one JSON object per pair, in input order: {"a", "b", "score", "match"}.
            """)

    @Argument(help: "Two names (omit with --pairs).")
    var names: [String] = []

    @Option(help: "Tab-separated pairs file.")
    var pairs: String?

    @Option(help: "Score at or above which two names are the same person.")
    var threshold: Double = 0.85

    func validate() throws {
        if pairs == nil && names.count != 2 { throw ValidationError("give two names, or --pairs FILE") }
        if pairs != nil && !names.isEmpty { throw ValidationError("give either two names or --pairs FILE, not both") }
        if !(0...1).contains(threshold) { throw ValidationError("--threshold must be between 0 and 1") }
    }

    func run() throws {
        let matcher = NameMatcher(threshold: threshold)
        guard let pairs else {
            let m = matcher.compare(names[0], names[1])
            print(String(format: "%.3f", m.score), m.isMatch ? "match" : "no match", "(\(m.verdict.rawValue))")
            print(m.explanation)
            return
        }
        guard let data = FileManager.default.contents(atPath: pairs), let text = String(data: data, encoding: .utf8) else {
            Stderr.line("\(pairs): cannot read the file as UTF-8")
            throw ExitCode(ExitStatus.badInput)
        }
        var out = ""
        var problems: [String] = []
        for (i, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.hasSuffix("\r") ? String(raw.dropLast()) : String(raw)
            if line.isEmpty { continue }
            let cells = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            if i == 0 && cells.count >= 2 && cells[0] == "name_a" && cells[1] == "name_b" { continue }
            guard cells.count == 2, !cells[0].isEmpty, !cells[1].isEmpty else {
                problems.append("\(pairs):\(i + 1): expected name_a<TAB>name_b")
                continue
            }
            let m = matcher.compare(cells[0], cells[1])
            out += "{\"a\": \(jsonStringLiteral(cells[0])), \"b\": \(jsonStringLiteral(cells[1])), \"score\": \(String(format: "%.3f", m.score)), \"match\": \(m.isMatch)}\n"
        }
        print(out, terminator: "")
        for p in problems { Stderr.line(p) }
        if !problems.isEmpty { throw ExitCode(ExitStatus.badInput) }
    }
}
