import Foundation
import Testing
@testable import Winnow

@Suite("SARIF report")
struct SARIFReportTests {
    static func log(_ report: Report) throws -> [String: Any] {
        let text = SARIFReport.render([report], rules: shippedPack.sarifRules)
        return try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test("one result per finding and mitigation, each rule described once, located at the request field it quotes")
    func structure() throws {
        // With the demo registry, so that registry records are among the evidence.
        let screener = Screener(pack: shippedPack, asOf: testToday, registry: try demoRegistry())
        let report = try screenSample("mla-kz-refugee-lawyer-search.json", screener: screener)
        try check(report)
        // A report with mitigating factors, which SARIF carries as informational results.
        let mitigated = try screenSample("eio-fr-law-firm-with-safeguards.xml")
        #expect(!mitigated.mitigations.isEmpty)
        try check(mitigated)
        let registryMessages = try Self.results(report).flatMap { ($0["relatedLocations"] as? [[String: Any]]) ?? [] }
            .compactMap { ($0["message"] as? [String: Any])?["text"] as? String }
            .filter { $0.hasPrefix("registry:") }
        #expect(!registryMessages.isEmpty)
    }

    static func results(_ report: Report) throws -> [[String: Any]] {
        try #require((try log(report)["runs"] as? [[String: Any]])?.first?["results"] as? [[String: Any]])
    }

    func check(_ report: Report) throws {
        let log = try Self.log(report)
        #expect(log["version"] as? String == "2.1.0")
        let runs = try #require(log["runs"] as? [[String: Any]])
        #expect(runs.count == 1)
        let run = runs[0]
        let driver = try #require((run["tool"] as? [String: Any])?["driver"] as? [String: Any])
        let rules = try #require(driver["rules"] as? [[String: Any]])
        let ruleIds = rules.compactMap { $0["id"] as? String }
        #expect(Set(ruleIds).count == ruleIds.count)
        let results = try #require(run["results"] as? [[String: Any]])
        let fired = report.findings + report.mitigations
        #expect(!report.findings.isEmpty)
        #expect(results.count == fired.count)
        #expect(Set(ruleIds) == Set(fired.map(\.rule)))

        for (result, finding) in zip(results, fired) {
            let ruleId = try #require(result["ruleId"] as? String)
            #expect(ruleId == finding.rule)
            // ruleIndex points at this rule's descriptor.
            let index = try #require(result["ruleIndex"] as? Int)
            #expect(rules[index]["id"] as? String == ruleId)
            // A mitigation is informational and, as SARIF requires for a kind other than fail, has level none.
            if finding.points < 0 {
                #expect(result["kind"] as? String == "informational" && result["level"] as? String == "none")
            } else {
                #expect(result["kind"] as? String == "fail" && result["level"] as? String == SARIFReport.level(report.band))
            }
            let location = try #require((result["locations"] as? [[String: Any]])?.first)
            let physical = try #require(location["physicalLocation"] as? [String: Any])
            let region = physical["region"] as? [String: Any]
            if let quoted = finding.evidence.first(where: { $0.kind == .request }) {
                #expect(region?["startLine"] as? Int == quoted.line)
                let logical = (location["logicalLocations"] as? [[String: Any]])?.first?["fullyQualifiedName"] as? String
                #expect(logical == quoted.pointer)
            }
            // Everything else the finding cites is a related location, none dropped.
            let related = (result["relatedLocations"] as? [[String: Any]]) ?? []
            let primaryCount = finding.evidence.contains { $0.kind == .request } ? 1 : 0
            #expect(related.count == finding.evidence.count - primaryCount)
        }
        let properties = try #require(run["properties"] as? [String: Any])
        #expect(properties["band"] as? String == report.band.rawValue)
        #expect(properties["score"] as? String == String(report.score))
    }

    @Test("a low report maps its findings to note, an elevated one to warning, high and critical to error")
    func levels() throws {
        #expect(SARIFReport.level(.low) == "note" && SARIFReport.level(.elevated) == "warning" && SARIFReport.level(.critical) == "error")
        let report = try screenSample("eaw-pl-theft.json")
        let log = try Self.log(report)
        let results = try #require((log["runs"] as? [[String: Any]])?.first?["results"] as? [[String: Any]])
        #expect(results.count == report.findings.count + report.mitigations.count)
        for result in results where result["kind"] as? String == "fail" {
            #expect(result["level"] as? String == SARIFReport.level(report.band))
        }
    }

    @Test("screen --format sarif prints a SARIF log; batch --format sarif writes .sarif reports")
    func commands() throws {
        let screen = try runWinnow(["screen", "SampleRequests/mla-kz-refugee-lawyer-search.json", "--format", "sarif"])
        #expect(screen.status == 0)
        let object = try JSONSerialization.jsonObject(with: Data(screen.stdout.utf8)) as? [String: Any]
        #expect(object?["version"] as? String == "2.1.0")
        let dir = try TempDir()
        let reports = dir.url.appendingPathComponent("reports")
        let batch = try runWinnow(["batch", "SampleRequests/eaw-pl-theft.json", "--format", "sarif", "--reports", reports.path])
        #expect(batch.status == 0)
        #expect(try FileManager.default.contentsOfDirectory(atPath: reports.path)
            == [BatchRunner.reportName(for: "SampleRequests/eaw-pl-theft.json", extension: "sarif")])
    }
}
