import Foundation
import Testing
@testable import Winnow

@Suite("Completeness")
struct CompletenessTests {
    @Test("a low report above checks that could raise the band reads 'low, incomplete', never an all-clear")
    func incompleteLow() throws {
        let report = try screenSample("eaw-pl-theft.json")   // no registry: the refugee check cannot be made
        #expect(report.band == .low)
        let c = try #require(report.completeness)
        #expect(c.isIncomplete)
        let refugee = try #require(report.dataGaps.first { $0.rule == "refugee-protected-against-requesting-state" })
        #expect(refugee.couldRaiseTo != nil && refugee.couldRaiseTo! > .low)
        #expect(c.summary.hasPrefix("low, incomplete: \(c.materialGaps) checks could not be made"))
        let text = TextReport.render(report)
        #expect(text.hasPrefix("WINNOW RISK REPORT  LOW, INCOMPLETE  score \(report.score)/100"))
        #expect(text.contains("registry: none given"))
        #expect(text.contains("could raise the band to"))
        #expect(HTMLReport.render(report).contains("<span class=\"incomplete\">INCOMPLETE</span>"))
    }

    @Test("with the registry the same request is complete: its subject is not a protected person, a checked 'no'")
    func completeWithRegistry() throws {
        let screener = Screener(pack: shippedPack, asOf: testToday, registry: try demoRegistry())
        let report = try screenSample("eaw-pl-theft.json", screener: screener)
        let c = try #require(report.completeness)
        #expect(!c.isIncomplete && c.materialGaps == 0)
        #expect(c.summary.contains("none of which alone could raise the band") || c.summary.hasSuffix("every check could be made"))
        #expect(!report.dataGaps.contains { $0.rule == "subject-victim-of-complainant" || $0.rule == "request-soon-after-protection" })
        let text = TextReport.render(report)
        #expect(text.hasPrefix("WINNOW RISK REPORT  LOW  score"))
        #expect(text.contains("registry: in memory: 6 persons, 2 protection records"))
    }

    @Test("material gaps are those that alone raise the band; the ceiling is at least the report", arguments: Paths.sampleRequests)
    func arithmetic(_ name: String) throws {
        let report = try screenSample(name)
        let c = try #require(report.completeness)
        #expect(c.dataGaps == report.dataGaps.count)
        #expect(c.materialGaps == report.dataGaps.filter { $0.couldRaiseTo != nil }.count)
        #expect(report.dataGaps.allSatisfy { $0.couldRaiseTo.map { $0 > report.band } ?? true })
        #expect(c.ifAllHeld.score >= report.score && c.ifAllHeld.band >= report.band)
        for gap in report.dataGaps { if let raised = gap.couldRaiseTo { #expect(c.ifAllHeld.band >= raised) } }
        // A batch without reports computes the same completeness from the score-only pass.
        let request = try makeIntake().load(path: Paths.sample(name))
        let quick = Screener(pack: shippedPack, asOf: testToday).screen(request, file: name, detail: .scoreOnly)
        #expect(quick.completeness == c)
    }

    @Test("the batch summary carries gaps, material gaps, as-of date and registry, in JSON lines and CSV")
    func batchColumns() throws {
        let jsonl = try runWinnow(["batch", "SampleRequests/eaw-pl-theft.json", "--summary", "-", "--as-of", "2026-01-15"])
        #expect(jsonl.status == 0)
        let row = try #require(try JSONSerialization.jsonObject(with: Data(jsonl.stdout.utf8)) as? [String: Any])
        let report = try screenSample("eaw-pl-theft.json", screener: Screener(pack: shippedPack, asOf: Day("2026-01-15")!))
        #expect(row["dataGaps"] as? Int == report.dataGaps.count)
        #expect(row["materialGaps"] as? Int == report.completeness?.materialGaps)
        #expect(row["asOf"] as? String == "2026-01-15")
        #expect((row["registry"] as? String)?.hasPrefix("none given") == true)
        let csv = try runWinnow(["batch", "SampleRequests/eaw-pl-theft.json", "--summary", "-", "--summary-format", "csv",
                                 "--registry", demoRegistryPath, "--as-of", "2026-01-15"])
        let lines = csv.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first?.hasSuffix(",data_gaps,material_gaps,as_of,registry") == true)
        let full = try screenSample("eaw-pl-theft.json", screener: Screener(pack: shippedPack, asOf: Day("2026-01-15")!, registry: try demoRegistry()))
        #expect(lines.count == 2)
        #expect(lines.last?.hasSuffix(",\(full.dataGaps.count),0,2026-01-15,\"\(demoRegistryPath) (read into memory): 6 persons, 2 protection records, "
            + "3 domestic cases, 3 earlier requests, 1 INTERPOL actions\"") == true, "\(lines.last ?? "")")
    }
}
