/// Runs every rule's own examples: `trigger` must fire, `ignore` must not fire (and not be a data
/// gap), `gap` must be undecidable. Facts an example does not name are unknown.
public struct RuleExampleResult: Sendable {
    public var rule: String
    public var example: RuleExample
    public var outcome: Truth
    public var passed: Bool
    public var file: String

    public var description: String {
        let got: String
        switch outcome {
        case .yes: got = "fired"
        case .no: got = "did not fire"
        case .unknown(let missing): got = "was undecided (unknown: \(missing.sorted().joined(separator: ", ")))"
        }
        return "\(file):\(example.line): \(rule): \(example.expect.rawValue) example \(passed ? "passed" : "failed"): rule \(got)"
    }
}

extension Evaluator {
    public func runExamples(of rule: Rule) -> [RuleExampleResult] {
        rule.examples.map { example in
            var results: [String: FactResult] = [:]
            for (name, value) in example.facts { results[name] = .known(value) }
            for definition in pack.catalogue.definitions where results[definition.name] == nil {
                results[definition.name] = .unknown("not given in the example")
            }
            let sheet = FactSheet(results: results)
            let (truth, _) = evaluate(rule, sheet: sheet)
            // The summary's shortcut (`holds`) must give the same answer as the full evaluation.
            let quick = holds(rule, sheet: sheet)
            let passed: Bool
            switch (example.expect, truth) {
            case (.trigger, .yes): passed = quick == true
            case (.ignore, .no): passed = quick == false
            case (.gap, .unknown): passed = quick == nil
            default: passed = false
            }
            return RuleExampleResult(rule: rule.id, example: example, outcome: truth, passed: passed, file: rule.file)
        }
    }

    public func runAllExamples() -> [RuleExampleResult] { pack.rules.flatMap { runExamples(of: $0) } }
}
