import Foundation
import Testing
@testable import WinnowRules
import WinnowModel

/// The shipped pack, loaded once.
let shippedPack: RulePack = {
    do { return try RulePack.load(from: Paths.rules) } catch { fatalError("the shipped rule pack does not load:\n\(error)") }
}()

@Suite("Rule pack")
struct RulePackTests {
    @Test("every rule's own examples hold", arguments: shippedPack.rules.map(\.id))
    func examples(_ id: String) throws {
        let rule = try #require(shippedPack.rule(id: id))
        let results = Evaluator(pack: shippedPack).runExamples(of: rule)
        #expect(results.count == rule.examples.count)
        for result in results { #expect(result.passed, "\(result.description)") }
    }

    @Test("the pack covers every pattern P1-P12 and the mitigating factors, with at least 30 rules")
    func coverage() {
        let patterns = Set(shippedPack.rules.map(\.pattern))
        for n in 1...12 { #expect(patterns.contains("P\(n)"), "pattern P\(n)") }
        #expect(patterns.contains("mitigating"))
        #expect(shippedPack.rules.count >= 30)
        #expect(shippedPack.rules.contains { $0.points < 0 })
    }

    @Test("every rule cites sources that resolve, and every source has its citation and holding")
    func citations() {
        for rule in shippedPack.rules {
            #expect(!rule.cite.isEmpty, "\(rule.id)")
            for id in rule.cite { #expect(shippedPack.sources[id] != nil, "\(rule.id) cites \(id)") }
        }
        for (id, source) in shippedPack.sources {
            #expect(!source.citation.isEmpty && !source.holds.isEmpty, "\(id)")
        }
        // UNVERIFIED stays marked: the reference flags Soering's application number and the EP paragraph.
        #expect(shippedPack.sources["SOERING"]?.note?.contains("UNVERIFIED") == true)
        #expect(shippedPack.sources["EP-2021-KZ"]?.note?.contains("UNVERIFIED") == true)
    }

    @Test("docs/rules.md is generated from the rule files and up to date")
    func referenceUpToDate() throws {
        let committed = try String(contentsOf: Paths.root.appendingPathComponent("docs/rules.md"), encoding: .utf8)
        let fresh = RuleReference.markdown(shippedPack)
        #expect(committed == fresh, "docs/rules.md is out of date: run `swift run winnow rules doc -o docs/rules.md`")
    }

    @Test("the pack's SHA-256 changes when a rule file changes")
    func digest() throws {
        let dir = try TempDir()
        let copy = dir.url.appendingPathComponent("Rules")
        try FileManager.default.copyItem(at: Paths.rules, to: copy)
        let before = try RulePack.load(from: copy).sha256
        #expect(before == shippedPack.sha256)
        let file = copy.appendingPathComponent("p12-timing.yaml")
        let text = try String(contentsOf: file, encoding: .utf8).replacingOccurrences(of: "gte: 8", with: "gte: 9")
        try Data(text.utf8).write(to: file)
        #expect(try RulePack.load(from: copy).sha256 != before)
    }
}

@Suite("Rule files are strict")
struct RuleLintTests {
    static let valid = """
        version: 1
        rules:
          - id: test-rule
            version: 1
            title: A test rule
            pattern: P5
            rationale: Because.
            when:
              fact: subject.political_profile
              equals: true
            points: 5
            cite: [ECE-3]
            explain: "The subject is {quote:subject.political_profile}."
            examples:
              - expect: trigger
                facts: {subject.political_profile: true}
              - expect: ignore
                facts: {subject.political_profile: false}
        """

    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var replace: String
        var with: String
        var line: Int
        var message: String
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        .init(name: "unknown key", replace: "    points: 5", with: "    pionts: 5", line: 11, message: "unknown key \"pionts\" (did you mean \"points\"?)"),
        .init(name: "unknown fact", replace: "      fact: subject.political_profile", with: "      fact: subject.politcal_profile", line: 9,
              message: "unknown fact \"subject.politcal_profile\" (did you mean \"subject.political_profile\"?)"),
        .init(name: "unknown operator", replace: "      equals: true", with: "      equalz: true", line: 10, message: "unknown key \"equalz\""),
        .init(name: "unknown source id", replace: "cite: [ECE-3]", with: "cite: [ECE-33]", line: 12, message: "unknown source id \"ECE-33\""),
        .init(name: "wrong operand type", replace: "      equals: true", with: "      gte: 3", line: 10,
              message: "gte on subject.political_profile (bool): needs a number (or date) fact and value"),
        .init(name: "explanation names an unknown fact", replace: "{quote:subject.political_profile}", with: "{quote:subject.nothing}", line: 13,
              message: "explanation refers to unknown fact \"subject.nothing\""),
        .init(name: "no citation", replace: "cite: [ECE-3]", with: "cite: []", line: 12, message: "a rule cites at least one legal source"),
        .init(name: "no ignore example", replace: "      - expect: ignore", with: "      - expect: trigger", line: 15,
              message: "at least one example that triggers and one that does not"),
        .init(name: "bad rule id", replace: "id: test-rule", with: "id: Test_Rule", line: 3, message: "must be lower-case words joined by hyphens"),
        .init(name: "zero points", replace: "    points: 5", with: "    points: 0", line: 11, message: "points must not be 0"),
        .init(name: "bad floor", replace: "    points: 5", with: "    points: 5\n    floor: severe", line: 12, message: "floor must be elevated, high or critical"),
        .init(name: "example with an unknown fact", replace: "facts: {subject.political_profile: false}", with: "facts: {subject.nope: false}",
              line: 18, message: "example names unknown fact \"subject.nope\""),
        .init(name: "invalid YAML", replace: "    title: A test rule", with: "    title: [unclosed", line: 6, message: "not valid YAML"),
        .init(name: "duplicate key", replace: "    version: 1\n    title", with: "    version: 1\n    version: 2\n    title", line: 5,
              message: "duplicate key \"version\""),
    ]

    func packWith(_ ruleFile: String) throws -> (TempDir, URL) {
        let dir = try TempDir()
        let folder = dir.url.appendingPathComponent("Rules")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for name in ["pack.yaml", "sources.yaml"] {
            try FileManager.default.copyItem(at: Paths.rules.appendingPathComponent(name), to: folder.appendingPathComponent(name))
        }
        try Data(ruleFile.utf8).write(to: folder.appendingPathComponent("test.yaml"))
        return (dir, folder)
    }

    @Test("the valid test rule loads")
    func validLoads() throws {
        let (dir, folder) = try packWith(Self.valid)
        let pack = try RulePack.load(from: folder)
        #expect(pack.rules.map(\.id) == ["test-rule"])
        _ = dir
    }

    @Test("a mistake is a load error naming file and line", arguments: cases)
    func mistake(_ c: Case) throws {
        let broken = Self.valid.replacingOccurrences(of: c.replace, with: c.with)
        #expect(broken != Self.valid, "the case must change the file")
        let (dir, folder) = try packWith(broken)
        defer { _ = dir }
        do {
            _ = try RulePack.load(from: folder)
            Issue.record("expected a load error")
        } catch {
            let hit = error.problems.first { $0.message.contains(c.message) }
            #expect(hit != nil, "got: \(error.description)")
            #expect(hit?.file.hasSuffix("Rules/test.yaml") == true)
            #expect(hit?.line == c.line, "got: \(error.description)")
        }
    }

    @Test("winnow rules lint exits 2 on a broken pack and names file:line")
    func lintCommand() throws {
        let (dir, folder) = try packWith(Self.valid.replacingOccurrences(of: "cite: [ECE-3]", with: "cite: [NOPE]"))
        defer { _ = dir }
        let result = try runWinnow(["rules", "lint", "--rules", folder.path])
        #expect(result.status == 2)
        #expect(result.stderr.contains("Rules/test.yaml:12: unknown source id \"NOPE\""))
        let ok = try runWinnow(["rules", "lint"])
        #expect(ok.status == 0)
        #expect(ok.stdout.contains("\(shippedPack.rules.count) rules"))
    }

    @Test("winnow rules test runs every example")
    func testCommand() throws {
        let result = try runWinnow(["rules", "test"])
        #expect(result.status == 0, "\(result.stderr)")
        let total = shippedPack.rules.reduce(0) { $0 + $1.examples.count }
        #expect(result.stdout.contains("\(total) passed, 0 failed"))
    }
}

@Suite("Three-valued evaluation")
struct EvaluationTests {
    let evaluator = Evaluator(pack: shippedPack)

    func sheet(_ known: [String: FactValue]) -> FactSheet {
        var results: [String: FactResult] = [:]
        for (k, v) in known { results[k] = .known(v) }
        return FactSheet(results: results)
    }

    func test(_ fact: String, _ value: Bool) -> Condition {
        .test(FactTest(fact: fact, op: .equals, operand: .value(.bool(value)), line: 0))
    }

    @Test("a number in an explanation keeps the digits that matter: V-Dem's 0.056 never reads as 0.1")
    func numberDisplay() {
        #expect(FactValue.number(0.056).display == "0.056")
        #expect(FactValue.number(0.13).display == "0.13")
        #expect(FactValue.number(0.1234).display == "0.12")
        #expect(FactValue.number(5.175).display == "5.2")
        #expect(FactValue.number(2.5).display == "2.5")
        #expect(FactValue.number(12.46).display == "12.5")
        #expect(FactValue.number(23).display == "23")
        #expect(FactValue.numberRange(0.035, 0.2).display == "0.035 to 0.2")
    }

    @Test func allAnyNot() {
        let s = sheet(["a.t": .bool(true), "a.f": .bool(false)])
        #expect(evaluator.evaluate(.all([test("a.t", true), test("a.u", true)]), sheet: s).truth == .unknown(["a.u"]))
        #expect(evaluator.evaluate(.all([test("a.f", true), test("a.u", true)]), sheet: s).truth == .no)
        #expect(evaluator.evaluate(.any([test("a.t", true), test("a.u", true)]), sheet: s).truth == .yes)
        #expect(evaluator.evaluate(.any([test("a.f", true), test("a.u", true)]), sheet: s).truth == .unknown(["a.u"]))
        #expect(evaluator.evaluate(.not(test("a.u", true)), sheet: s).truth == .unknown(["a.u"]))
        #expect(evaluator.evaluate(.not(test("a.f", true)), sheet: s).truth == .yes)
    }

    @Test func comparisons() {
        let s = sheet(["n.x": .number(10), "n.y": .number(12), "d.a": .date(Day("2024-01-01")!), "d.b": .date(Day("2024-06-01")!),
                       "l.x": .strings(["a", "b"]), "s.x": .string("Not Free")])
        func t(_ fact: String, _ op: FactTest.Operator, _ operand: FactTest.Operand) -> Truth {
            evaluator.evaluate(.test(FactTest(fact: fact, op: op, operand: operand, line: 0)), sheet: s).truth
        }
        #expect(t("n.x", .gte, .value(.number(10))) == .yes)
        #expect(t("n.x", .gt, .value(.number(10))) == .no)
        #expect(t("n.x", .lt, .fact("n.y")) == .yes)
        #expect(t("d.a", .within, .within(days: 200, of: "d.b")) == .yes)
        #expect(t("d.a", .within, .within(days: 100, of: "d.b")) == .no)
        #expect(t("l.x", .contains, .value(.string("b"))) == .yes)
        #expect(t("l.x", .containsAny, .values([.string("z"), .string("a")])) == .yes)
        #expect(t("l.x", .notEmpty, .value(.bool(true))) == .yes)
        #expect(t("s.x", .in, .values([.string("Not Free"), .string("Partly Free")])) == .yes)
        #expect(t("s.x", .matches, .pattern("^Not")) == .yes)
        #expect(t("n.x", .lt, .fact("n.missing")) == .unknown(["n.missing"]))
        #expect(t("n.missing", .known, .value(.bool(false))) == .yes)
    }
}
