import Foundation
import Testing
@testable import Winnow
@testable import WinnowIntake
import WinnowModel

/// Request format 2.0 beside 1.0: `convert --upgrade` writes every 1.0 sample as 2.0, the upgraded
/// request is valid in both forms and screens exactly as the original did.
@Suite("Request format versions")
struct FormatVersionTests {
    static let samples: [String] = {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: Paths.samples.path)) ?? []
        return names.filter { $0.hasSuffix(".json") && $0 != "expected.json" || $0.hasSuffix(".xml") }.sorted()
    }()

    @Test("convert --upgrade round-trips every sample: valid 2.0 in JSON and XML, the same screening", arguments: samples)
    func upgrade(_ name: String) throws {
        let intake = makeIntake()
        let path = Paths.sample(name)
        let original = try intake.load(path: path)
        let upgradedJSON = try intake.convert(path: path, to: .json, upgrade: true)
        #expect(upgradedJSON.contains("\"formatVersion\": \"2.0\""))
        #expect(!upgradedJSON.contains("\"occupation\":"), "a 2.0 file lists occupations")
        let dir = try TempDir()
        let upgradedPath = try dir.write("up.json", upgradedJSON)
        let upgraded = try intake.load(path: upgradedPath)
        // Upgrading twice changes nothing; the XML form reads back to the same request.
        #expect(try intake.convert(path: upgradedPath, to: .json, upgrade: true) == upgradedJSON)
        let xmlPath = try dir.write("up.xml", try intake.convert(path: upgradedPath, to: .xml))
        #expect(try intake.load(path: xmlPath) == upgraded)
        // Same persons' occupations, now as lists.
        for (a, b) in zip(original.persons, upgraded.persons) {
            #expect(a.allOccupations.map(\.occupation) == b.allOccupations.map(\.occupation))
        }
        let screener = Screener(pack: shippedPack, asOf: testToday)
        let before = screener.screen(original, file: name), after = screener.screen(upgraded, file: name)
        #expect(before.band == after.band && before.score == after.score)
        #expect(before.findings.map(\.rule) == after.findings.map(\.rule))
    }

    @Test("a 2.0 request's new fields are read from JSON and XML alike, with their pointers")
    func readsVersion2() throws {
        let intake = makeIntake()
        let request = try intake.load(path: Paths.sample("extradition-tj-writer-relatives-held.json"))
        #expect(request.formatVersion == "2.0")
        #expect(request.persons[0].occupations == [.writer, .oppositionAssociate])
        #expect(request.relativesPersecuted.map(\.action) == [.detained, .travelBan])
        #expect(request.earlierOutcomes.first?.kind == .amnesty && request.earlierOutcomes.first?.reopened == true)
        #expect(request.sources.nearest("/relativesPersecuted/0/action")?.line != nil)
        let dir = try TempDir()
        let xml = try dir.write("r.xml", try intake.convert(path: Paths.sample("extradition-tj-writer-relatives-held.json"), to: .xml))
        #expect(try String(contentsOfFile: xml, encoding: .utf8).contains("<relativesPersecuted>\n    <relative>"))
        #expect(try intake.load(path: xml) == request)
    }

    @Test("the 2.0 sample's findings come from its new fields")
    func newRulesFire() throws {
        let report = try screenSample("extradition-tj-writer-relatives-held.json")
        let ids = Set(report.findings.map(\.rule))
        #expect(ids.isSuperset(of: ["relatives-persecuted", "prosecution-reopened-after-final-outcome", "political-label-against-critic"]))
        #expect(!ids.contains("case-already-ended-for-the-subject"), "the amnesty was in a related case, not this one")
        let relatives = try #require(report.findings.first { $0.rule == "relatives-persecuted" })
        #expect(relatives.evidence.contains { $0.pointer == "/relativesPersecuted/0/action" })
    }

    @Test("winnow convert --upgrade from the command line")
    func command() throws {
        let result = try runWinnow(["convert", "SampleRequests/eaw-pl-theft.json", "--to", "xml", "--upgrade"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("<formatVersion>2.0</formatVersion>"))
        #expect(result.stdout.contains("<occupations>") || !result.stdout.contains("<occupation>"))
    }
}
