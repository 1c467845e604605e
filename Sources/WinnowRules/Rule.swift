public import WinnowModel
import Foundation

/// One rule of the pack, as loaded from `Rules/*.yaml`. A class: every request's evaluation reads
/// every rule, and a reference is passed without copying each of its fields.
public final class Rule: Sendable, Codable {
    public let id: String
    public let version: Int
    public let title: String
    /// The abuse pattern (P1-P12) or `mitigating` / `completeness` family the rule belongs to.
    public let pattern: String
    public let rationale: String
    /// Instruments the rule applies to; empty means all.
    public let instruments: [Instrument]
    public let when: Condition
    /// `context` for the requesting state's record in general, `case` for what this request shows.
    public let role: FindingRole
    /// Log-odds points (see `Scoring`).
    public let points: Int
    public let floor: Band?
    public let cite: [String]
    public let explain: String
    /// The explanation split into text and placeholders, parsed once at load.
    public let template: ExplainTemplate
    public let examples: [RuleExample]
    public let file: String
    public let line: Int

    public init(id: String, version: Int, title: String, pattern: String, rationale: String, instruments: [Instrument],
                when: Condition, role: FindingRole = .case, points: Int, floor: Band?, cite: [String], explain: String, template: ExplainTemplate,
                examples: [RuleExample], file: String, line: Int) {
        self.id = id
        self.version = version
        self.title = title
        self.pattern = pattern
        self.rationale = rationale
        self.instruments = instruments
        self.when = when
        self.role = role
        self.points = points
        self.floor = floor
        self.cite = cite
        self.explain = explain
        self.template = template
        self.examples = examples
        self.file = file
        self.line = line
    }

    public var isMitigating: Bool { points < 0 }

    /// Facts the condition reads.
    public var facts: Set<String> { when.facts }

    public func applies(to instrument: Instrument?) -> Bool {
        guard let instrument, !instruments.isEmpty else { return true }
        return instruments.contains(instrument)
    }
}

/// A rule's own example: facts (the rest unknown) and the outcome they must give.
public struct RuleExample: Sendable, Codable {
    public enum Expectation: String, Sendable, CaseIterable, Codable {
        /// The rule fires.
        case trigger
        /// The rule does not fire, and no data gap is reported.
        case ignore
        /// The rule cannot decide: a data gap.
        case gap
    }

    public var expect: Expectation
    public var facts: [String: FactValue]
    public var line: Int
}

/// A condition over named facts, evaluated with three values (true, false, unknown).
public indirect enum Condition: Sendable, Codable {
    case all([Condition])
    case any([Condition])
    case not(Condition)
    case test(FactTest)

    public var facts: Set<String> {
        switch self {
        case .all(let cs), .any(let cs): return cs.reduce(into: Set<String>()) { $0.formUnion($1.facts) }
        case .not(let c): return c.facts
        case .test(let t): return t.facts
        }
    }
}

/// `fact OP operand`.
public struct FactTest: Sendable, Codable {
    public enum Operator: String, Sendable, CaseIterable, Codable {
        case equals, notEquals = "not_equals", `in`, contains, containsAny = "contains_any"
        case gt, gte, lt, lte, matches, known, within
        case notEmpty = "not_empty"
    }

    public enum Operand: Sendable, Codable {
        case value(FactValue)
        case values([FactValue])
        /// Compare with another fact of the same type.
        case fact(String)
        case pattern(String)
        /// `within: {days: N, of: FACT}`: the two dates are at most N days apart.
        case within(days: Int, of: String)
    }

    public var fact: String
    public var op: Operator
    public var operand: Operand
    public var line: Int

    public var facts: Set<String> {
        switch operand {
        case .fact(let other), .within(_, let other): return [fact, other]
        default: return [fact]
        }
    }
}

/// How findings become a score and a band (Rules/pack.yaml, `score`).
///
/// Points are log-odds: `pointsToDouble` points double the odds that a request is abusive, starting
/// from the odds of `baseScore`. Within a pattern family, findings are correlated: the strongest
/// counts in full, each further one `familyDecay` times the one before. Context findings (the
/// requesting state's record) add at most `contextCap` points together and, at the cap, multiply the
/// request's own risk findings by `contextAmplify`. The total maps onto 0...`max` through the logistic
/// function, so evidence keeps ranking requests however much of it there is.
public struct Scoring: Sendable, Codable {
    public var max: Int
    /// Lowest score of each band above `low`.
    public var thresholds: [Band: Int]
    public var baseScore: Int = 10
    public var pointsToDouble: Int = 20
    public var familyDecay: Double = 0.5
    public var contextCap: Int = 40
    public var contextAmplify: Double = 1.5
    /// Where this holds (e.g. a Free state under the ECHR), a floor set by one case finding alone drops one band.
    public var floorsRelaxedWhen: Condition?

    public init(max: Int, thresholds: [Band: Int]) {
        self.max = max
        self.thresholds = thresholds
    }

    public func band(for score: Int) -> Band {
        var band = Band.low
        for candidate in Band.allCases where candidate != .low {
            if let from = thresholds[candidate], score >= from { band = candidate }
        }
        return band
    }

    /// The score of `points` on top of the base.
    public func score(points: Double) -> Int {
        let p0 = Double(baseScore) / Double(max)
        let logit = log(p0 / (1 - p0)) + points * log(2) / Double(pointsToDouble)
        let p = 1 / (1 + exp(-logit))
        return Swift.min(max, Swift.max(0, Int((p * Double(max)).rounded())))
    }
}
