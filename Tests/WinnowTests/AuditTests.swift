import Foundation
import Testing
@testable import Winnow

@Suite("Audit")
struct AuditTests {
    let decisionsPath = Paths.samples.appendingPathComponent("audit/decisions.csv").path

    @Test("the sample decisions: at least 20 over several years, each screened then and now, the wrong-looking ones flagged")
    func sample() throws {
        let decisions = try Audit.readDecisions(decisionsPath)
        #expect(decisions.count >= 20)
        #expect(Set(decisions.map(\.date.year)).count >= 5)
        let rows = Audit(pack: shippedPack, registry: try demoRegistry(), today: testToday).run(decisions)
        #expect(rows.allSatisfy { $0.error == nil && $0.bandThen != nil && $0.bandNow != nil })
        let executedKZ = try #require(rows.first { $0.requestId == "BE-MLA-2024-0412" && $0.decision == "executed" })
        #expect(executedKZ.flags.contains(Audit.executedDespiteRisk))
        let refusedCH = try #require(rows.first { $0.requestId == "BE-MLA-2025-0148" && $0.decision == "refused" })
        #expect(refusedCH.flags.contains(Audit.refusedAlthoughLow))
        let executedNL = try #require(rows.first { $0.requestId == "BE-EAW-2025-0530" })
        #expect(executedNL.flags.isEmpty)
        // The registry as it stood: the bank's complaint was dismissed only in 2023.
        let ua = try #require(rows.first { $0.requestId == "BE-EXT-2016-0981" })
        #expect(ua.newReasons.contains("complainant-claims-dismissed-domestically"))
        let byState = Audit.aggregates(rows).filter { $0.dimension == "requesting_state" }
        #expect(byState.first { $0.key == "KZ" }?.decisions == 4)
    }

    @Test("a decision whose risk changed since is flagged, with the reasons that appeared")
    func changed() throws {
        let dir = try TempDir()
        let text = try String(contentsOfFile: Paths.sample("extradition-tr-journalist-terrorism.json"), encoding: .utf8)
            .replacingOccurrences(of: "\"receivedDate\": \"2024-02-19\"", with: "\"receivedDate\": \"2017-04-10\"")
            .replacingOccurrences(of: "\"date\": \"2019-11-12\"", with: "\"date\": \"2016-11-12\"")
        try dir.write("tr-2017.json", text)
        let decisions = try dir.write("d.csv", "request,decision,decision_date,authority\ntr-2017.json,executed,2017-05-01,Svea Court of Appeal\n")
        let rows = Audit(pack: shippedPack, registry: nil, today: testToday).run(try Audit.readDecisions(decisions))
        let row = try #require(rows.first)
        #expect(row.error == nil, "\(row.error ?? "")")
        #expect(row.flags.contains(Audit.riskChanged))
        #expect(row.newReasons.contains("requesting-state-not-free"))
        #expect(!row.newReasons.contains("requesting-state-partly-free"))
    }

    @Test("a bad decisions file names file and line, and exits 2")
    func bad() throws {
        let dir = try TempDir()
        let path = try dir.write("d.csv", "request,decision,decision_date,authority\n../x.json,approved,2020-01-01,A\n../x.json,refused,2020-02-30,B\n")
        #expect { try Audit.readDecisions(path) } throws: {
            let text = "\($0)"
            return text.contains("d.csv:2: decision \"approved\" is not one of") && text.contains("d.csv:3: decision date \"2020-02-30\"")
        }
        #expect(try runWinnow(["audit", path, "--out", dir.url.appendingPathComponent("o").path]).status == 2)
    }

    @Test("winnow audit writes the HTML report with its charts and the CSV exports")
    func command() throws {
        let dir = try TempDir()
        let out = dir.url.appendingPathComponent("audit")
        let result = try runWinnow(["audit", decisionsPath, "--out", out.path, "--today", "2026-11-29", "--registry", demoRegistryPath])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("22 decisions audited"))
        let html = try String(contentsOf: out.appendingPathComponent("audit.html"), encoding: .utf8)
        #expect(html.components(separatedBy: "<svg ").count - 1 == 3)
        #expect(!html.lowercased().contains("<script"))
        #expect(try String(contentsOf: out.appendingPathComponent("rows.csv"), encoding: .utf8).hasPrefix(AuditRow.csvHeader))
        let aggregates = try String(contentsOf: out.appendingPathComponent("aggregates.csv"), encoding: .utf8)
        for dimension in ["requesting_state", "instrument", "year", "authority"] { #expect(aggregates.contains("\n\(dimension),")) }
        #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("rows.jsonl").path))
    }

    @Test("the audit page reads on paper: legends drawn in the charts, counts where dots pile up, a y-axis, flags in words")
    func readableOnPaper() throws {
        let rows = Audit(pack: shippedPack, registry: try demoRegistry(), today: testToday).run(try Audit.readDecisions(decisionsPath))
        let html = AuditReport.render(rows: rows, aggregates: Audit.aggregates(rows), today: testToday, pack: shippedPack)
        // What a tooltip says is gone on paper: every legend label stands in a <text> of its own.
        for label in ["low", "elevated", "high", "critical", "executed", "refused", "other", "a number in a dot: decisions at that score"] {
            #expect(html.contains(">\(label)</text>"), "no visible legend entry \(label)")
        }
        // Two or more decisions at one score are one dot with their number in it.
        var piles: [String: Int] = [:]
        for r in rows { if let score = r.scoreThen, let band = r.bandThen { piles["\(r.decision) \(score) \(band)", default: 0] += 1 } }
        let biggest = try #require(piles.values.max())
        #expect(biggest > 1, "the sample decisions should have a pile")
        #expect(html.contains("text-anchor=\"middle\">\(biggest)</text>"))
        // The timeline's y-axis, from 0 to the busiest year.
        var perYear: [Int: Int] = [:]
        for r in rows where r.error == nil && r.bandThen != nil { perYear[r.decisionDate.year, default: 0] += 1 }
        #expect(html.contains("decisions per year"))
        #expect(html.contains("text-anchor=\"end\">0</text>") && html.contains("text-anchor=\"end\">\(perYear.values.max()!)</text>"))
        // Flags in words, not codes.
        #expect(rows.contains { !$0.flags.isEmpty })
        for code in [Audit.executedDespiteRisk, Audit.refusedAlthoughLow, Audit.riskChanged] { #expect(!html.contains(code), "\(code) printed as a code") }
        #expect(html.contains("executed although the risk was high or critical at the time"))
    }
}

@Suite("Audit with rule-pack history")
struct AuditHistoryTests {
    @Test("each decision is screened with the rule pack in use on its date")
    func history() throws {
        let dir = try TempDir()
        // An older release without the P5 label rules.
        let old = dir.url.appendingPathComponent("history/2020-01-01")
        try FileManager.default.createDirectory(at: old.deletingLastPathComponent(), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: Paths.rules, to: old)
        try FileManager.default.removeItem(at: old.appendingPathComponent("p05-political-labels.yaml"))
        try Data(try String(contentsOf: old.appendingPathComponent("pack.yaml"), encoding: .utf8)
            .replacingOccurrences(of: "release: \"\(shippedPack.release)\"", with: "release: \"2020.01.01\"").utf8).write(to: old.appendingPathComponent("pack.yaml"))
        let history = try Audit.loadHistory(dir.url.appendingPathComponent("history"))
        #expect(history.map(\.from.description) == ["2020-01-01"])
        let audit = Audit(pack: shippedPack, registry: nil, today: testToday, history: history)
        #expect(audit.pack(on: Day("2019-12-31")!).release == shippedPack.release)
        #expect(audit.pack(on: Day("2021-06-01")!).release == "2020.01.01")
        let decisions = try Audit.readDecisions(Paths.samples.appendingPathComponent("audit/decisions.csv").path)
        let rows = audit.run(decisions.filter { $0.request.hasSuffix("interpol-red-notice-ru-activist.xml") })
        let row = try #require(rows.first)
        #expect(row.rulesThen == "winnow-core 2020.01.01")
        #expect(row.newReasons.contains("political-label-against-critic"))
        let bad = dir.url.appendingPathComponent("bad-history/latest")
        try FileManager.default.createDirectory(at: bad, withIntermediateDirectories: true)
        #expect(throws: RulePackError.self) { try Audit.loadHistory(dir.url.appendingPathComponent("bad-history")) }
    }
}
