import Foundation
import Testing
@testable import Winnow
@testable import WinnowIntake
@testable import WinnowRules
@testable import WinnowRegistry
import WinnowModel

/// Request format 2.0 beside 1.0: `convert --upgrade` writes every 1.0 sample as 2.0, the upgraded
/// request is valid in both forms and screens exactly as the original did.
@Suite("Request format versions")
struct FormatVersionTests {
    @Test("convert --upgrade round-trips every sample: valid 2.0 in JSON and XML, the same screening", arguments: Paths.sampleRequests)
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

    @Test("the Belarusian 2.0 sample's findings come from its third-party decisions, protection elsewhere, revoked citizenship and activity")
    func secondSample() throws {
        let report = try screenSample("extradition-by-protester-hooliganism.json")
        let ids = Set(report.findings.map(\.rule))
        #expect(ids.isSuperset(of: ["echr-interim-measure", "third-state-refused-or-released", "protected-in-another-state",
                                    "citizenship-revoked-by-requesting-state", "case-soon-after-public-activity", "political-offence-label"]))
        #expect(!ids.contains("protection-elsewhere-stated"), "the protection is known from EU records, not only from the subject")
        #expect(!report.findings.contains { $0.rule == "judicial-authorisation" }, "an investigator's warrant is not a court's")
        let timing = try #require(report.findings.first { $0.rule == "case-soon-after-public-activity" })
        #expect(timing.explanation.hasPrefix("53 days passed"))
        let tj = try screenSample("extradition-tj-writer-relatives-held.json")
        #expect(tj.findings.contains { $0.rule == "co-accused-protected-or-refused" })
    }

    @Test("two-stage extradition and the addressee of a diffusion (format 2.0) are read and judged")
    func arrestAndAddressee() throws {
        let intake = makeIntake()
        let dir = try TempDir()
        let screener = Screener(pack: shippedPack, asOf: testToday)
        // The Belarusian sample, with a provisional arrest on a diffusion before the formal request.
        let by = try String(contentsOfFile: Paths.sample("extradition-by-protester-hooliganism.json"), encoding: .utf8)
            .replacingOccurrences(of: "\"addressedTo\"", with: "\"unused\"")
            .replacingOccurrences(of: "  \"assurances\": [],", with: "  \"provisionalArrest\": {\"date\": \"2024-05\", \"basis\": \"diffusion\", \"released\": true},\n  \"assurances\": [],")
        let arrested = try intake.load(path: try dir.write("by.json", by))
        #expect(arrested.provisionalArrest?.basis == .diffusion && arrested.approximateDates["/provisionalArrest/date"] != nil)
        let finding = try #require(screener.screen(arrested, file: "by.json").findings.first { $0.rule == "provisional-arrest-on-diffusion" })
        #expect(finding.explanation.contains("arrested on 2024-05 on a diffusion"))
        // The exiled journalist's diffusion, upgraded, addressed to Lithuania alone, where she lives.
        let upgraded = try intake.convert(path: Paths.sample("interpol-diffusion-by-exiled-journalist.json"), to: .json, upgrade: true)
        let aimed = upgraded.replacingOccurrences(of: "\"formatVersion\": \"2.0\",", with: "\"formatVersion\": \"2.0\",\n  \"addressedTo\": \"requested_state\",")
        let diffusion = try intake.load(path: try dir.write("d.json", aimed))
        #expect(diffusion.addressedTo == .requestedState)
        #expect(screener.screen(diffusion, file: "d.json").findings.contains { $0.rule == "diffusion-aimed-at-state-of-residence" })
        let toAll = try intake.load(path: try dir.write("e.json", aimed.replacingOccurrences(of: "\"requested_state\"", with: "\"all_member_states\"")))
        #expect(!screener.screen(toAll, file: "e.json").findings.contains { $0.rule == "diffusion-aimed-at-state-of-residence" })
    }

    @Test("other judgments in absentia, and a retrial the law guarantees (format 2.0)")
    func otherDecisions() throws {
        let intake = makeIntake()
        let dir = try TempDir()
        let screener = Screener(pack: shippedPack, asOf: testToday)
        // The Hungarian EAW, upgraded, with its retrial assurance turned into a speciality assurance.
        let upgraded = try intake.convert(path: Paths.sample("eaw-hu-fraud-in-absentia.xml"), to: .json, upgrade: true)
            .replacingOccurrences(of: "\"kind\": \"retrial\"", with: "\"kind\": \"speciality\"")
        let base = try intake.load(path: try dir.write("a.json", upgraded))
        #expect(screener.screen(base, file: "a.json").findings.contains { $0.rule == "in-absentia-without-retrial" })
        // The law guarantees a retrial: the judgment in absentia is no longer a reason.
        let guaranteed = upgraded.replacingOccurrences(of: "\"inAbsentia\": true", with: "\"inAbsentia\": true,\n    \"retrialGuaranteed\": true")
        let g = try intake.load(path: try dir.write("b.json", guaranteed))
        #expect(g.decision?.retrialGuaranteed == true)
        #expect(!screener.screen(g, file: "b.json").findings.contains { $0.rule == "in-absentia-without-retrial" })
        // Another judgment in absentia in the case, with no retrial.
        let other = guaranteed.replacingOccurrences(of: "\"formatVersion\": \"2.0\",", with: """
            "formatVersion": "2.0",
              "otherDecisions": [{"kind": "judgment", "date": "2019", "authority": "Budapest District Court", "inAbsentia": true}],
            """)
        let o = try intake.load(path: try dir.write("c.json", other))
        let finding = try #require(screener.screen(o, file: "c.json").findings.first { $0.rule == "other-judgment-in-absentia-without-retrial" })
        #expect(finding.explanation.contains("judgment of 2019 by Budapest District Court in absentia"))
    }

    @Test("the harm alleged (2.0): stated, it counts for an ordinary case with private victims; a 1.0 file cannot say, so it is a gap, not a no")
    func harmStated() throws {
        let name = "mla-tr-investment-fraud-private-victims.json"
        let stated = try makeIntake().load(path: Paths.sample(name))
        #expect(stated.offences.first?.harm == Money(amount: 3_100_000, currency: "EUR"))
        let screener = Screener(pack: shippedPack, asOf: testToday)
        let report = screener.screen(stated, file: name)
        let finding = try #require(report.mitigations.first { $0.rule == "private-victims-loss-quantified" })
        #expect(finding.evidence.contains { $0.pointer == "/offences/0/harm/amount" && $0.quote == "3100000" })
        // The same request without the harm: a 2.0 file that could say and does not.
        var silent = stated
        silent.offences[0].harm = nil
        let sheet = FactSheet(catalogue: shippedPack.catalogue, context: FactContext(request: silent, asOf: testToday))
        #expect(sheet["offence.harm_stated"].value == .bool(false))
        #expect(!screener.screen(silent, file: name).mitigations.contains { $0.rule == "private-victims-loss-quantified" })
        // A 1.0 file has no such field: unknown, with the reason.
        var old = silent
        old.formatVersion = "1.0"
        let oldSheet = FactSheet(catalogue: shippedPack.catalogue, context: FactContext(request: old, asOf: testToday))
        #expect(oldSheet["offence.harm_stated"].value == nil)
        #expect(oldSheet["offence.harm_stated"].unknownWhy?.contains("format 1.0 has no field for the harm") == true)
        #expect(report.score < screener.screen(silent, file: name).score)
    }

    @Test("winnow convert --upgrade from the command line")
    func command() throws {
        let result = try runWinnow(["convert", "SampleRequests/eaw-pl-theft.json", "--to", "xml", "--upgrade"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("<formatVersion>2.0</formatVersion>"))
        #expect(result.stdout.contains("<occupations>") || !result.stdout.contains("<occupation>"))
    }
}

/// Dates known only to the month or the year (format 2.0): read as ranges, never as invented days.
@Suite("Approximate dates")
struct ApproximateDateTests {
    /// The 2.0 sample with the subject's residence starting at `since`.
    static func sample(since: String) throws -> String {
        let text = try String(contentsOfFile: Paths.sample("extradition-tj-writer-relatives-held.json"), encoding: .utf8)
        return text.replacingOccurrences(of: "\"since\": \"2019-02-01\"", with: "\"since\": \"\(since)\"")
    }

    @Test("a year or a month is read as the range of its days, under the field's pointer")
    func ranges() throws {
        let dir = try TempDir()
        let request = try makeIntake().load(path: try dir.write("r.json", try Self.sample(since: "2019")))
        let range = try #require(request.approximateDates["/persons/0/residence/since"])
        #expect(range.earliest.description == "2019-01-01" && range.latest.description == "2019-12-31" && range.precision == .year)
        let month = try #require(DateRange("2024-02"))
        #expect(month.latest.description == "2024-02-29" && month.precision == .month)
        #expect(DateRange("2024-13") == nil && DateRange("2024-02-01") == nil && DateRange("24") == nil)
    }

    @Test("a rule whose threshold falls inside the range reports a data gap that says why; outside it, the rule decides")
    func straddle() throws {
        let dir = try TempDir()
        let screener = Screener(pack: shippedPack, asOf: testToday)
        // Received 2024-03-04: since 2019 is 4.2 to 5.2 years, across the rule's 5; since 2018 is 5.2 to 6.2.
        let straddling = screener.screen(try makeIntake().load(path: try dir.write("a.json", try Self.sample(since: "2019"))), file: "a.json")
        #expect(!straddling.findings.contains { $0.rule == "long-exile-before-request" })
        let gap = try #require(straddling.dataGaps.first { $0.rule == "long-exile-before-request" })
        #expect(gap.missing.contains { $0.fact == "subject.years_abroad" && $0.why.contains("known only to the year") })
        let clear = screener.screen(try makeIntake().load(path: try dir.write("b.json", try Self.sample(since: "2018"))), file: "b.json")
        let finding = try #require(clear.findings.first { $0.rule == "long-exile-before-request" })
        #expect(finding.explanation.contains("5.2 to 6.2 years"))
        #expect(!clear.dataGaps.contains { $0.rule == "long-exile-before-request" })
    }

    @Test("bad or misplaced approximate dates are errors at their pointer", arguments: [
        ("\"since\": \"2019-13\"", "/persons/0/residence/since"),
        ("\"since\": \"2019-02-30\"", "/persons/0/residence/since"),
        ("\"birthDate\": \"1986\"", "/persons/0/birthDate"),
    ])
    func bad(_ replacement: String, _ pointer: String) throws {
        let dir = try TempDir()
        var text = try Self.sample(since: "2019-02-01")
        text = replacement.hasPrefix("\"birthDate\"") ? text.replacingOccurrences(of: "\"birthDate\": \"1986-09-14\"", with: replacement)
            : text.replacingOccurrences(of: "\"since\": \"2019-02-01\"", with: replacement)
        let path = try dir.write("r.json", text)
        let diagnostics = invalidDiagnostics { () throws(IntakeError) in try makeIntake().load(path: path) }
        #expect(diagnostics.contains { $0.path?.hasPrefix(pointer) == true && $0.line != nil }, "\(diagnostics.map(\.description))")
    }

    @Test("a 1.0 file may not use an approximate date")
    func version1() throws {
        let dir = try TempDir()
        let text = try String(contentsOfFile: Paths.sample("extradition-tr-journalist-terrorism.json"), encoding: .utf8)
            .replacingOccurrences(of: "\"since\": \"2017-03-01\"", with: "\"since\": \"2017\"")
        let path = try dir.write("r.json", text)
        let diagnostics = invalidDiagnostics { () throws(IntakeError) in try makeIntake().load(path: path) }
        #expect(diagnostics.contains { $0.path == "/persons/0/residence/since" && $0.message.contains("known only to the year (2017) needs formatVersion \"2.0\"") },
                "\(diagnostics.map(\.description))")
    }
}

@Suite("Fact names")
struct FactNameTests {
    @Test("every fact's name can be written in an explanation template (family.name, lower-case letters and underscores)")
    func names() {
        for definition in FactCatalogue.standard.definitions {
            #expect(ExplainTemplate.isFactName(definition.name[...]), "\(definition.name)")
        }
    }
}

/// What domestic records know that a request will not say: events on a person's record.
@Suite("Registry events")
struct RegistryEventTests {
    static let registryJSON = """
        {"winnowRegistry": "1.0",
         "persons": [{"id": "R-1", "names": [{"text": "Анвар Дилшодзода", "script": "Cyrl"}], "birthDate": "1986-09-14", "nationalities": ["TJ"]}],
         "events": [
           {"id": "E-1", "person": "R-1", "kind": "relative_persecuted", "date": "2023-06-10", "body": "State Committee for National Security",
            "state": "TJ", "description": "brother detained for questioning about the subject"},
           {"id": "E-2", "person": "R-1", "kind": "echr_interim_measure", "date": "2024-05-02", "body": "European Court of Human Rights"},
           {"id": "E-3", "person": "R-1", "kind": "third_state_refusal", "date": "2027-01-01", "body": "a court recorded after the screening date"}
         ]}
        """

    @Test("events import, export and read back as of the screening date, and the rules read them")
    func events() throws {
        let dir = try TempDir()
        let registry = try Registry.inMemory()
        let summary = try registry.importFile(try dir.write("r.json", Self.registryJSON))
        #expect(summary.events == 3 && summary.description.contains("3 events"))
        #expect(try registry.counts()["personEvent"] == 3)
        // Export and import again: the same events.
        let again = try Registry.inMemory()
        try again.importFile(try dir.write("export.json", try registry.exportJSON()))
        #expect(try again.counts()["personEvent"] == 3)

        // A 1.0 request that says nothing of relatives or of Strasbourg.
        let text = try String(contentsOfFile: Paths.sample("extradition-tj-writer-relatives-held.json"), encoding: .utf8)
        let json = try JSONSerialization.jsonObject(with: Data(text.utf8)) as! [String: Any]
        var stripped = json
        stripped["relativesPersecuted"] = nil
        stripped["earlierOutcomes"] = nil
        stripped["coAccused"] = nil
        let path = try dir.write("r2.json", String(decoding: try JSONSerialization.data(withJSONObject: stripped), as: UTF8.self))
        let request = try makeIntake().load(path: path)
        let report = Screener(pack: shippedPack, asOf: testToday, registry: registry).screen(request, file: path)
        let relatives = try #require(report.findings.first { $0.rule == "relatives-persecuted" })
        #expect(relatives.evidence.contains { $0.record?.hasPrefix("event/E-1") == true })
        #expect(report.findings.contains { $0.rule == "echr-interim-measure" })
        // Recorded after the screening date: not seen.
        #expect(!report.findings.contains { $0.rule == "third-state-refused-or-released" })
        // Without a registry the same rules are data gaps, not a silent no.
        let bare = Screener(pack: shippedPack, asOf: testToday).screen(request, file: path)
        #expect(bare.dataGaps.contains { $0.rule == "relatives-persecuted" })
    }

    @Test("an acquittal on record in a case the request relies on: the case already ended, by case number and as of the date")
    func finalOutcomeOnRecord() throws {
        let dir = try TempDir()
        let text = try String(contentsOfFile: Paths.sample("extradition-tj-writer-relatives-held.json"), encoding: .utf8)
        var json = try JSONSerialization.jsonObject(with: Data(text.utf8)) as! [String: Any]
        json["earlierOutcomes"] = nil
        let path = try dir.write("r.json", String(decoding: try JSONSerialization.data(withJSONObject: json), as: UTF8.self))
        let request = try makeIntake().load(path: path)
        func screen(reference: String, date: String) throws -> Report {
            let registry = try Registry.inMemory()
            try registry.importFile(try dir.write("reg-\(reference.hashValue)-\(date).json", """
                {"winnowRegistry": "1.0",
                 "persons": [{"id": "R-1", "names": [{"text": "Анвар Дилшодзода", "script": "Cyrl"}], "birthDate": "1986-09-14", "nationalities": ["TJ"]}],
                 "events": [{"id": "E-9", "person": "R-1", "kind": "acquittal", "date": "\(date)", "body": "Supreme Court of Tajikistan",
                             "reference": "\(reference)", "description": "acquitted on appeal, as the subject's asylum file shows"}]}
                """))
            return Screener(pack: shippedPack, asOf: testToday, registry: registry).screen(request, file: path)
        }
        // The same number written another way is the same case.
        let same = try screen(reference: "2 417 / 2023", date: "2023-12-01")
        let ended = try #require(same.findings.first { $0.rule == "case-already-ended-for-the-subject" })
        #expect(ended.evidence.contains { $0.record?.hasPrefix("event/E-9") == true && $0.quote.contains("acquittal on 2023-12-01") })
        #expect(try !screen(reference: "1-88/2015", date: "2023-12-01").findings.contains { $0.rule == "case-already-ended-for-the-subject" })
        #expect(try !screen(reference: "2-417/2023", date: "2027-01-01").findings.contains { $0.rule == "case-already-ended-for-the-subject" })
    }

    @Test("an event of an unknown kind is an import error at its pointer")
    func badKind() throws {
        let dir = try TempDir()
        let bad = Self.registryJSON.replacingOccurrences(of: "\"echr_interim_measure\"", with: "\"rule_39\"")
        #expect { try Registry.inMemory().importFile(try dir.write("bad.json", bad)) } throws: {
            ($0 as? ImportError)?.description.contains("/events/1/kind") == true
        }
    }
}
