public import WinnowModel

/// Kleene three-valued truth: a condition over an unknown fact is unknown, unless the known parts
/// already decide it (`all` with a false part is false; `any` with a true part is true).
public enum Truth: Sendable, Equatable {
    case yes, no
    case unknown(Set<String>)
}

/// Rules applied to one request's facts.
public struct Evaluation: Sendable {
    public var score: Int
    public var band: Band
    public var bandReason: String
    public var scoring: ScoreBreakdown
    public var findings: [Finding]
    public var mitigations: [Finding]
    public var dataGaps: [DataGap]
    public var completeness: Completeness
}

public struct Evaluator: Sendable {
    public let pack: RulePack

    /// How much of each outcome to write out.
    public enum Detail: Sendable {
        /// Everything a report shows: explanations, citations, located evidence and data gaps.
        case full
        /// What a summary row shows: which rules fired with their points and floors, the score and
        /// the band. A batch that writes no reports needs no more.
        case scoreOnly
    }

    public init(pack: RulePack) { self.pack = pack }

    /// The outcome of one rule: whether it fires, and the evidence that supports the outcome.
    public func evaluate(_ rule: Rule, sheet: FactSheet) -> (truth: Truth, evidence: [Evidence]) {
        evaluate(rule, instrument: instrument(sheet), sheet: sheet)
    }

    func instrument(_ sheet: FactSheet) -> Instrument? {
        guard case .string(let instrument)? = sheet["request.instrument"].value else { return nil }
        return Instrument(rawValue: instrument)
    }

    func evaluate(_ rule: Rule, instrument: Instrument?, sheet: FactSheet) -> (truth: Truth, evidence: [Evidence]) {
        guard rule.applies(to: instrument) else { return (.no, []) }
        return evaluate(rule.when, sheet: sheet)
    }

    func evaluate(_ condition: Condition, sheet: FactSheet) -> (truth: Truth, evidence: [Evidence]) {
        switch condition {
        case .all(let parts):
            var evidence: [Evidence] = []
            var missing = Set<String>()
            for part in parts {
                let (truth, ev) = evaluate(part, sheet: sheet)
                switch truth {
                case .no: return (.no, ev)
                case .unknown(let m): missing.formUnion(m)
                case .yes: evidence += ev
                }
            }
            return missing.isEmpty ? (.yes, evidence) : (.unknown(missing), [])
        case .any(let parts):
            var evidence: [Evidence] = []
            var missing = Set<String>()
            var anyTrue = false
            for part in parts {
                let (truth, ev) = evaluate(part, sheet: sheet)
                switch truth {
                case .yes: anyTrue = true; evidence += ev
                case .unknown(let m): missing.formUnion(m)
                case .no: break
                }
            }
            if anyTrue { return (.yes, evidence) }
            return missing.isEmpty ? (.no, []) : (.unknown(missing), [])
        case .not(let inner):
            let (truth, ev) = evaluate(inner, sheet: sheet)
            switch truth {
            case .yes: return (.no, ev)
            case .no: return (.yes, ev)
            case .unknown: return (truth, [])
            }
        case .test(let test):
            return evaluate(test, sheet: sheet)
        }
    }

    /// What a test's outcome rests on, for its evidence: nothing, the fact, or the fact and another.
    enum Support {
        case none, fact
        case facts(String)
    }

    /// A test's outcome without evidence: true, false, or nil with the fact that is unknown.
    func judge(_ test: FactTest, sheet: FactSheet) -> (verdict: Bool?, missing: String?, support: Support) {
        let result = sheet[test.fact]
        if test.op == .known {
            guard case .value(.bool(let wanted)) = test.operand else { return (false, nil, .none) }
            return ((result.value != nil) == wanted, nil, .fact)
        }
        guard let value = result.value else { return (nil, test.fact, .none) }
        switch test.operand {
        case .value(.bool(let wanted)) where test.op == .notEmpty:
            guard case .strings(let list) = value else { return (false, nil, .none) }
            return (list.isEmpty != wanted, nil, .fact)
        case .value(let operand):
            // A range that straddles the operand gives no answer: the fact is as good as unknown here.
            guard let verdict = compareRange(value, test.op, operand) else { return (nil, test.fact, .none) }
            return (verdict, nil, .fact)
        case .values(let options):
            switch (test.op, value) {
            case (.in, _): return (options.contains(value), nil, .fact)
            case (.containsAny, .strings(let list)):
                return (options.contains { if case .string(let s) = $0 { return list.contains(s) }; return false }, nil, .fact)
            default: return (false, nil, .fact)
            }
        case .fact(let other):
            guard let otherValue = sheet[other].value else { return (nil, other, .none) }
            return (compare(value, test.op, otherValue), nil, .facts(other))
        case .pattern(let pattern):
            guard let regex = try? Regex(pattern) else { return (false, nil, .none) }
            switch value {
            case .string(let s): return ((try? regex.firstMatch(in: s)) != nil, nil, .fact)
            case .strings(let list): return (list.contains { (try? regex.firstMatch(in: $0)) != nil }, nil, .fact)
            default: return (false, nil, .fact)
            }
        case .within(let days, let other):
            guard let otherValue = sheet[other].value else { return (nil, other, .none) }
            guard case .date(let a) = value, case .date(let b) = otherValue else { return (false, nil, .none) }
            return (abs(a.days(to: b)) <= days, nil, .facts(other))
        }
    }

    func evaluate(_ test: FactTest, sheet: FactSheet) -> (truth: Truth, evidence: [Evidence]) {
        let (verdict, missing, support) = judge(test, sheet: sheet)
        guard let verdict else { return (.unknown([missing ?? test.fact]), []) }
        let evidence: [Evidence]
        switch support {
        case .none: evidence = []
        case .fact: evidence = sheet[test.fact].evidence
        case .facts(let other): evidence = sheet[test.fact].evidence + sheet[other].evidence
        }
        return (verdict ? .yes : .no, evidence)
    }

    /// Whether a rule holds for the sheet (nil: unknown), without collecting evidence or the
    /// missing facts: what a summary needs. `any` stops at its first true part, `all` at its first
    /// false one, so fewer facts are worked out; the answer is `evaluate`'s.
    public func holds(_ rule: Rule, sheet: FactSheet) -> Bool? {
        holds(rule, instrument: instrument(sheet), sheet: sheet)
    }

    func holds(_ rule: Rule, instrument: Instrument?, sheet: FactSheet) -> Bool? {
        guard rule.applies(to: instrument) else { return false }
        return holds(rule.when, sheet: sheet)
    }

    func holds(_ condition: Condition, sheet: FactSheet) -> Bool? {
        switch condition {
        case .all(let parts):
            var unknown = false
            for part in parts {
                switch holds(part, sheet: sheet) {
                case false?: return false
                case nil: unknown = true
                case true?: break
                }
            }
            return unknown ? nil : true
        case .any(let parts):
            var unknown = false
            for part in parts {
                switch holds(part, sheet: sheet) {
                case true?: return true
                case nil: unknown = true
                case false?: break
                }
            }
            return unknown ? nil : false
        case .not(let inner):
            return holds(inner, sheet: sheet).map { !$0 }
        case .test(let test):
            return judge(test, sheet: sheet).verdict
        }
    }

    /// `compare` for a value that may be a range: true or false when both bounds agree, nil when not.
    func compareRange(_ value: FactValue, _ op: FactTest.Operator, _ operand: FactValue) -> Bool? {
        guard case .numberRange(let lo, let hi) = value else { return compare(value, op, operand) }
        let low = compare(.number(lo), op, operand), high = compare(.number(hi), op, operand)
        return low == high ? low : nil
    }

    func compare(_ value: FactValue, _ op: FactTest.Operator, _ operand: FactValue) -> Bool {
        switch (op, value, operand) {
        case (.equals, _, _): return value == operand
        case (.notEquals, _, _): return value != operand
        case (.contains, .strings(let list), .string(let s)): return list.contains(s)
        case (_, .number(let a), .number(let b)): return order(op, a, b)
        case (_, .date(let a), .date(let b)): return order(op, a.ordinal, b.ordinal)
        default: return false
        }
    }

    func order<T: Comparable>(_ op: FactTest.Operator, _ a: T, _ b: T) -> Bool {
        switch op {
        case .gt: return a > b
        case .gte: return a >= b
        case .lt: return a < b
        case .lte: return a <= b
        default: return false
        }
    }

    /// Fills `{fact}` with the fact's value and `{quote:fact}` with its evidence quotes.
    public func explain(_ rule: Rule, sheet: FactSheet) -> String {
        var text = ""
        for part in rule.template.parts {
            switch part {
            case .text(let literal):
                text += literal
            case .value(let name):
                text += sheet[name].value?.display ?? "unknown"
            case .quote(let name):
                let result = sheet[name]
                if !result.evidence.isEmpty {
                    text += result.evidence.map { "“\($0.quote)”" }.joined(separator: "; ")
                } else {
                    // Quoting means quoting evidence: a yes/no or unknown fact with none (the other
                    // branch of an `any`) quotes nothing; a figure or a text quotes itself.
                    switch result.value {
                    case .number?, .numberRange?, .string?, .strings?, .date?: text += result.value!.display
                    default: break
                    }
                }
            }
        }
        return text.trimmingBlanks
    }

    /// Applies every rule and scores the result.
    public func run(_ sheet: FactSheet, detail: Detail = .full) -> Evaluation {
        var fired: [Finding] = []
        var gaps: [DataGap] = []
        // What each gap's rule would add if its unknown facts held.
        var unsettled: [Finding] = []
        let instrument = instrument(sheet)
        let sought = sought(instrument: instrument, sheet: sheet)
        func bare(_ rule: Rule) -> Finding {
            Finding(rule: rule.id, version: rule.version, title: rule.title, pattern: rule.pattern,
                    role: rule.role, points: rule.points, floor: rule.floor, explanation: "", citations: [], evidence: [])
        }
        for rule in pack.rules {
            if detail == .scoreOnly {
                switch holds(rule, instrument: instrument, sheet: sheet) {
                case true?: fired.append(bare(rule))
                case nil where rule.points > 0:
                    gaps.append(DataGap(rule: rule.id, title: rule.title, points: rule.points, missing: []))
                    unsettled.append(bare(rule))
                default: break
                }
                continue
            }
            let (truth, evidence) = evaluate(rule, instrument: instrument, sheet: sheet)
            switch truth {
            case .yes:
                // Duplicates dropped in one pass, order kept (a list compared with itself would grow
                // with the square of a request's lists). Two facts that quote the same value at the
                // same place make one row, naming both facts.
                var unique: [Evidence] = []
                var facts: [Set<String>] = []
                var seen: [Evidence: Int] = [:]
                for e in evidence.map(sheet.located).flatMap({ Self.followingReferences($0, sheet: sheet) }) {
                    var shown = e
                    shown.fact = ""
                    if let at = seen[shown] {
                        if facts[at].insert(e.fact).inserted { unique[at].fact += ", \(e.fact)" }
                    } else {
                        seen[shown] = unique.count
                        unique.append(e)
                        facts.append([e.fact])
                    }
                }
                fired.append(Finding(rule: rule.id, version: rule.version, title: rule.title, pattern: rule.pattern,
                                     role: rule.role, points: rule.points, floor: rule.floor, explanation: explain(rule, sheet: sheet),
                                     citations: citations(rule, instrument: instrument, sheet: sheet, sought: sought), evidence: unique))
            case .unknown(let missing) where rule.points > 0:
                gaps.append(DataGap(rule: rule.id, title: rule.title, points: rule.points, missing: missing.sorted().map { name in
                    DataGap.MissingFact(fact: name, why: sheet[name].unknownWhy ?? "unknown",
                                        settle: pack.catalogue[name]?.settle ?? "")
                }))
                unsettled.append(bare(rule))
            default:
                break
            }
        }
        // Whether `floors.relaxed_when` holds: asked only if a floor needs it, and at most once
        // for the verdict and all the data gaps' trials.
        var relaxedHere: Bool?
        let check = relaxedCheck(sheet)
        let relaxes = { () -> Bool in
            if let known = relaxedHere { return known }
            let answer = check()
            relaxedHere = answer
            return answer
        }
        let verdict = self.verdict(fired, sheet: sheet, relaxes: relaxes)
        // A gap is material when settling it the wrong way would, alone, raise the band (nothing
        // raises critical). Each one is scored on the findings' scoring fields alone.
        let (scored, open) = Scored.scored(fired, unsettled)
        if verdict.band < .critical {
            var trial = scored
            for i in gaps.indices {
                trial.append(open[i])
                let alone = band(trial, relaxes: relaxes).band
                if alone > verdict.band { gaps[i].couldRaiseTo = alone }
                trial.removeLast()
            }
        }
        let all = unsettled.isEmpty ? (score: verdict.score, band: verdict.band) : band(scored + open, relaxes: relaxes)
        let completeness = Completeness(dataGaps: gaps.count, materialGaps: gaps.filter { $0.couldRaiseTo != nil }.count,
                                        ifAllHeld: .init(score: all.score, band: all.band), band: verdict.band)
        fired = verdict.findings
        let order: (Finding, Finding) -> Bool = { a, b in
            abs(a.weight) != abs(b.weight) ? abs(a.weight) > abs(b.weight) : a.rule < b.rule
        }
        return Evaluation(score: verdict.score, band: verdict.band, bandReason: verdict.reason, scoring: verdict.breakdown,
                          findings: fired.filter { $0.points > 0 }.sorted(by: order),
                          mitigations: fired.filter { $0.points < 0 }.sorted(by: order),
                          dataGaps: gaps.sorted { $0.points != $1.points ? $0.points > $1.points : $0.rule < $1.rule },
                          completeness: completeness)
    }

    /// A row that quotes a reference to a person (`"p1"` in a measure's targets or a case's
    /// persons concerned) is followed by a row quoting that person's first name where it stands.
    static func followingReferences(_ e: Evidence, sheet: FactSheet) -> [Evidence] {
        // A plain byte search (`containsUTF8`): Foundation's `contains` cost four times the rest of
        // this function.
        guard e.kind == .request, let pointer = e.pointer, pointer.containsUTF8("/targets/") || pointer.containsUTF8("/concerns/"),
              let persons = sheet.context?.request.persons,
              let i = persons.firstIndex(where: { $0.id == e.quote }), let name = persons[i].names.first else { return [e] }
        let named = Evidence(kind: .request, fact: e.fact, quote: name.text, pointer: "/persons/\(i)/names/0/text",
                             note: "the person \(e.quote) that \(pointer) names")
        return [e, sheet.located(named)]
    }

    /// The sources a finding cites for this request: a source scoped to other instruments is left
    /// out (an EIO refusal ground has no place in an extradition file), unless nothing else is left,
    /// when it is kept as an analogy and says so; a convention the requesting state is not party to
    /// on the as-of date is cited for its principles, not as binding, and says so.
    func citations(_ rule: Rule, instrument: Instrument?, sheet: FactSheet) -> [Citation] {
        citations(rule, instrument: instrument, sheet: sheet, sought: sought(instrument: instrument, sheet: sheet))
    }

    /// The measures the request seeks; a request for surrender seeks the person's arrest and removal.
    func sought(instrument: Instrument?, sheet: FactSheet) -> Set<MeasureType> {
        var sought = Set(sheet.context?.request.measures.map(\.type) ?? [])
        if instrument?.seeksSurrender == true { sought.formUnion([.surrender, .arrest]) }
        return sought
    }

    /// `citations` with the measures sought worked out once for all of a screening's findings.
    func citations(_ rule: Rule, instrument: Instrument?, sheet: FactSheet, sought: Set<MeasureType>) -> [Citation] {
        // Each source with its scope, looked up once.
        let all = rule.cite.compactMap { id in pack.sources[id].map { (citation: $0, scope: pack.sourceScopes[id]) } }
        func fits(_ scope: SourceScope?) -> Bool {
            guard let instrument, let scope, !scope.instruments.isEmpty else { return true }
            return scope.instruments.contains(instrument)
        }
        func measuresFitting(_ scope: SourceScope?) -> [MeasureType]? {
            guard let scope, !scope.measures.isEmpty, sheet.context != nil else { return nil }
            return scope.measures.filter { sought.contains($0) }
        }
        let fitting = all.filter { fits($0.scope) && measuresFitting($0.scope)?.isEmpty != true }
        var chosen = fitting.isEmpty ? all : fitting
        for i in chosen.indices {
            let scope = chosen[i].scope
            var caveats: [String] = []
            if !fits(scope), let instrument, let scope {
                caveats.append("cited by analogy: it governs \(scope.instruments.map(\.rawValue).joined(separator: ", ")), this request is \(instrument.rawValue)")
            }
            if let measures = measuresFitting(scope), let scope {
                if measures.isEmpty {
                    caveats.append("cited by analogy: it concerns measures that remove the person or locate her (\(scope.measures.map(\.rawValue).joined(separator: ", "))), and this request seeks none")
                } else {
                    // One phrase per effect, in the scope's order: "surrender and arrest (removal of the person)".
                    var effects: [(String, [String])] = []
                    for m in measures {
                        let effect = SourceScope.measureEffects[m]!
                        if let k = effects.firstIndex(where: { $0.0 == effect }) { effects[k].1.append(m.rawValue) } else { effects.append((effect, [m.rawValue])) }
                    }
                    func list(_ items: [String]) -> String {
                        items.count < 2 ? items.joined() : items.dropLast().joined(separator: ", ") + " and " + items.last!
                    }
                    caveats.append("applies: the request seeks " + effects.map { "\(list($0.1)) (\($0.0))" }.joined(separator: "; "))
                }
            }
            if let treaty = scope?.treaty {
                let state = sheet.context?.request.requestingState ?? "the requesting state"
                let day = sheet.context.map { " as of \($0.asOf)" } ?? ""
                switch sheet[treaty].value {
                case .bool(true)?: break
                case .bool(false)?:
                    // What the request does rest on, in its own words: the reviewer checks that basis instead.
                    let basis = sheet.context.map { $0.request.legalBasis.map { "; the request rests on “\($0)”" } ?? "; the request names no legal basis" } ?? ""
                    caveats.append("cited for its principles, not as binding: \(state) is not a party\(day)\(basis)")
                default: caveats.append("whether \(state) is a party could not be established (\(treaty) unknown)")
                }
            }
            if !caveats.isEmpty {
                chosen[i].citation.note = ([chosen[i].citation.note].compactMap { $0 } + caveats).joined(separator: "; ")
            }
        }
        var out = chosen.map(\.citation)
        // The requested state's own statutes that stand beside the general sources this rule
        // cites, where they govern this instrument and the measures sought.
        if let state = sheet.context?.request.requestedState, let laws = pack.requestedStateLaw[state] {
            let cited = Set(rule.cite)
            for id in laws {
                guard var law = pack.sources[id], let scope = pack.sourceScopes[id], !cited.isDisjoint(with: scope.alongside),
                      scope.instruments.isEmpty || instrument.map(scope.instruments.contains) == true,
                      measuresFitting(scope)?.isEmpty != true else { continue }
                law.note = (["the requested state's own law (\(state))"] + [law.note].compactMap { $0 }).joined(separator: "; ")
                out.append(law)
            }
        }
        return out
    }

    /// Score, band and why, for a set of fired rules: the log-odds model, then the floors.
    func verdict(_ fired: [Finding], sheet: FactSheet, relaxes: (() -> Bool)? = nil) -> (findings: [Finding], breakdown: ScoreBreakdown, score: Int, band: Band, reason: String) {
        let combined = Self.combine(fired, scoring: pack.scoring)
        let scoring = pack.scoring
        let score = scoring.score(points: combined.breakdown.totalPoints)
        let byScore = scoring.band(for: score)
        let floor = floored(Scored.scored(combined.findings).0, byScore: byScore, relaxes: relaxes ?? relaxedCheck(sheet))
        var reason = byScore == .low
            ? "score \(score) is below the elevated threshold (\(scoring.thresholds[.elevated] ?? 0))"
            : "score \(score) reaches the \(byScore.rawValue) threshold (\(scoring.thresholds[byScore] ?? 0))"
        if let lifting = floor.lifting.map({ combined.findings[$0] }), let set = lifting.floor {
            if floor.band > byScore {
                reason = "score \(score) alone gives \(byScore.rawValue); finding \(lifting.rule) sets a floor of \(set.rawValue)"
                    + (floor.relaxed ? ", lowered to \(floor.band.rawValue) because it stands alone and the requesting state's record gives strong judicial safeguards" : "")
            } else if floor.relaxed {
                reason += "; the floor of \(set.rawValue) set by \(lifting.rule) alone is lowered one band because the requesting state's record gives strong judicial safeguards"
            }
        }
        return (combined.findings, combined.breakdown, score, floor.band, reason)
    }

    /// Score and band alone, for a set of fired rules that will not be reported (what a data gap
    /// could do): the same model and floors as `verdict`, without weights, breakdown or reason.
    func band(_ fired: [Scored], relaxes: () -> Bool) -> (score: Int, band: Band) {
        let score = pack.scoring.score(points: Self.tenth(Self.tally(fired, scoring: pack.scoring).total))
        return (score, floored(fired, byScore: pack.scoring.band(for: score), relaxes: relaxes).band)
    }

    /// Whether `floors.relaxed_when` holds for the sheet, asked only when a floor needs it.
    func relaxedCheck(_ sheet: FactSheet) -> () -> Bool {
        { pack.scoring.floorsRelaxedWhen.map { holds($0, sheet: sheet) == true } == true }
    }

    /// The band after the floors of the case findings: the highest floor above the score's band
    /// lifts it; one case finding alone in a state under strong, external judicial review
    /// (`floors.relaxed_when`, asked through `relaxes`) lifts it one band less (high to elevated,
    /// critical to high), since the floors to high and critical are for requests whose context
    /// gives no such safeguard. `lifting` is the index of the finding whose floor was considered,
    /// `relaxed` whether it was lowered.
    func floored(_ fired: [Scored], byScore: Band, relaxes: () -> Bool) -> (band: Band, lifting: Int?, relaxed: Bool) {
        var lifting: Int?
        var floors = 0
        for (i, f) in fired.enumerated() where f.role == .case && f.floor != nil {
            floors += 1
            // The first of the highest floors, as `max(by:)` would pick it.
            if lifting == nil || f.floor! > fired[lifting!].floor! { lifting = i }
        }
        guard let lifting, let floor = fired[lifting].floor, floor > byScore else { return (byScore, nil, false) }
        let relaxed = floors == 1 && floor >= .high && relaxes()
        let effective = relaxed ? Band.allCases[floor.rank - 1] : floor
        return (max(byScore, effective), lifting, relaxed)
    }

    /// What the model reads of a finding, as plain numbers: no texts, citations or evidence, so a
    /// trial set of findings (one per data gap) is cheap to build and score.
    struct Scored {
        /// The finding's role, pattern family and sign: findings of one family share it.
        var family: Int
        /// Where the finding's rule id sorts among the findings scored together (ties between equal
        /// points go to the lower id).
        var order: Int
        var role: FindingRole
        var points: Int
        var floor: Band?

        /// The findings of `a` and of `b`, numbered together so that any of `b` can join `a`.
        static func scored(_ a: [Finding], _ b: [Finding] = []) -> ([Scored], [Scored]) {
            var families: [(role: FindingRole, pattern: String?, risk: Bool)] = []
            let ids = (a.map(\.rule) + b.map(\.rule)).sorted()
            func scored(_ f: Finding) -> Scored {
                let family = families.firstIndex { $0.role == f.role && $0.risk == (f.points > 0) && $0.pattern == f.pattern }
                    ?? { families.append((f.role, f.pattern, f.points > 0)); return families.count - 1 }()
                return Scored(family: family, order: ids.partitioningIndex(of: f.rule), role: f.role, points: f.points, floor: f.floor)
            }
            return (a.map(scored), b.map(scored))
        }
    }

    /// The log-odds model on a set of findings: each one's weight before rounding, the context as
    /// counted after its cap, the case points and the amplification.
    struct Tally {
        var weights: [Double]
        var contextCounted: Double
        var casePoints: Double
        var amplification: Double
        var total: Double { contextCounted + casePoints }
    }

    static func tally(_ findings: [Scored], scoring: Scoring) -> Tally {
        // Family shares: within one role and family, the strongest finding of each sign counts in
        // full and each further one `familyDecay` times the one before. A request fires a few dozen
        // rules at most, so each finding's rank in its family is counted directly.
        var share = [Double](repeating: 1, count: findings.count)
        for i in findings.indices {
            var rank = 0
            let a = findings[i]
            for b in findings where b.family == a.family {
                if abs(b.points) != abs(a.points) ? abs(b.points) > abs(a.points) : b.order < a.order { rank += 1 }
            }
            for _ in 0..<rank { share[i] *= scoring.familyDecay }
        }
        func raw(_ i: Int) -> Double { Double(findings[i].points) * share[i] }
        // Context: capped on both sides, each finding keeping its share of the capped sum.
        let cap = Double(scoring.contextCap)
        let contextRaw = findings.indices.reduce(0) { findings[$1].role == .context ? $0 + raw($1) : $0 }
        let contextCounted = Swift.min(cap, Swift.max(-cap, contextRaw))
        let contextScale = contextRaw == 0 ? 1 : contextCounted / contextRaw
        // Amplification: case risks weigh more the worse the requesting state's record.
        let amplification = 1 + (scoring.contextAmplify - 1) * Swift.max(0, contextCounted) / cap
        var weights = [Double](repeating: 0, count: findings.count)
        var casePoints = 0.0
        for i in findings.indices {
            switch findings[i].role {
            case .context: weights[i] = raw(i) * contextScale
            case .case:
                weights[i] = findings[i].points > 0 ? raw(i) * amplification : raw(i)
                casePoints += weights[i]
            }
        }
        return Tally(weights: weights, contextCounted: contextCounted, casePoints: casePoints, amplification: amplification)
    }

    /// Rounded to one decimal, as weights and the breakdown are shown (and the score is taken from).
    static func tenth(_ x: Double) -> Double { (x * 10).rounded() / 10 }

    /// The log-odds model: each finding's weight and the score's breakdown (see `Scoring`).
    public static func combine(_ fired: [Finding], scoring: Scoring) -> (findings: [Finding], breakdown: ScoreBreakdown) {
        let t = tally(Scored.scored(fired).0, scoring: scoring)
        var findings = fired
        for i in findings.indices { findings[i].weight = tenth(t.weights[i]) }
        let contextScore = scoring.score(points: t.contextCounted)
        let breakdown = ScoreBreakdown(
            model: "log-odds", baseScore: scoring.baseScore, pointsToDouble: scoring.pointsToDouble,
            contextPoints: tenth(t.contextCounted), contextCap: scoring.contextCap, contextScore: contextScore,
            contextBand: scoring.band(for: contextScore), amplification: (t.amplification * 100).rounded() / 100,
            casePoints: tenth(t.casePoints), totalPoints: tenth(t.total))
        return (findings, breakdown)
    }
}

extension Array where Element: Comparable {
    /// The first index of a sorted array whose element is not below `value`.
    fileprivate func partitioningIndex(of value: Element) -> Int {
        var low = 0, high = count
        while low < high {
            let mid = (low + high) / 2
            if self[mid] < value { low = mid + 1 } else { high = mid }
        }
        return low
    }
}
