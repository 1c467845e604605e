import Foundation
import Testing
@testable import WinnowIntake
import WinnowModel

@Suite("Intake")
struct IntakeTests {
    @Test("trimming takes Unicode white space off both ends; trimming blanks keeps line breaks")
    func trimming() {
        #expect("  a b \n".trimmingWhitespace == "a b")
        #expect("  a b \n".trimmingBlanks == "a b \n")
        #expect("\u{00A0}x\u{2003}".trimmingWhitespace == "x")
        #expect("\u{00A0}x\u{2003}".trimmingBlanks == "x")
        #expect("\t\r\n x\n\t".trimmingBlanks == "\r\n x\n")
        #expect(" \t ".trimmingWhitespace.isEmpty && " \t ".trimmingBlanks.isEmpty)
        #expect("inner  space".trimmingWhitespace == "inner  space")
    }

    @Test("values remember where they came from: JSON Pointer and line in JSON")
    func jsonLocations() throws {
        let request = try makeIntake().load(path: Paths.sample("mla-kz-refugee-lawyer-search.json"))
        let location = try #require(request.sources["/measures/0/items/2"])
        #expect(location.line == 89)
        #expect(location.xpath == nil)
        #expect(location.path == "/measures/0/items/2")
        #expect(request.measures[0].items[2] == "legal files")
        #expect(location.file.hasSuffix("mla-kz-refugee-lawyer-search.json"))
    }

    @Test("values remember where they came from: XPath and line in XML")
    func xmlLocations() throws {
        let request = try makeIntake().load(path: Paths.sample("extradition-ua-proxy-same-subject.xml"))
        let location = try #require(request.sources["/persons/0/names/2/text"])
        #expect(location.xpath == "/request/persons/person[1]/names/name[3]/text")
        #expect(request.persons[0].names[2].text == "Dana Temirhanova")
        let line = try #require(location.line)
        let fileLines = try String(contentsOfFile: Paths.sample("extradition-ua-proxy-same-subject.xml"), encoding: .utf8)
            .split(separator: "\n", omittingEmptySubsequences: false)
        #expect(fileLines[line - 1].contains("<text>Dana Temirhanova</text>"))
    }

    @Test("a missing value is located at its nearest recorded ancestor")
    func nearest() throws {
        let request = try makeIntake().load(path: Paths.sample("eaw-pl-theft.json"))
        #expect(request.sources["/offences/0/provision/nothing"] == nil)
        #expect(request.sources.nearest("/offences/0/provision/nothing")?.pointer == "/offences/0/provision")
    }

    static func minimal(_ extra: String = "", instrument: String = "mla", requested: String = "BE") -> String {
        """
        {
          "formatVersion": "1.0", "id": "T-1", "instrument": "\(instrument)", "receivedDate": "2025-01-10",
          "requestingState": "KZ", "requestedState": "\(requested)",
          "transmission": {"channel": "diplomatic"},
          "issuingAuthority": {"name": "A prosecutor", "kind": "prosecutor"}\(extra)
        }
        """
    }

    struct SemanticCase: Sendable, CustomTestStringConvertible {
        var name: String
        var json: String
        var message: String
        var pointer: String
        var testDescription: String { name }
    }

    static let semanticCases: [SemanticCase] = [
        .init(name: "unknown country code", json: minimal(requested: "ZZ"),
              message: "unknown country code \"ZZ\"", pointer: "/requestedState"),
        .init(name: "requesting itself", json: minimal(requested: "KZ"),
              message: "the requested state is the requesting state (KZ)", pointer: "/requestedState"),
        .init(name: "period that ends before it starts", json: minimal(#","offences": [{"id": "o1", "label": "x", "category": "fraud", "period": {"from": "2020-05-01", "to": "2019-01-01"}}]"#),
              message: "the period ends (2019-01-01) before it starts (2020-05-01)", pointer: "/offences/0/period"),
        .init(name: "measure aimed at a person not in the request", json: minimal(#","persons": [{"id": "p1", "role": "subject", "names": [{"text": "A"}]}], "measures": [{"id": "m1", "type": "testimony", "targets": ["p7"]}]"#),
              message: "refers to person \"p7\", who is not among the request's persons", pointer: "/measures/0/targets/0"),
        .init(name: "date in the future", json: minimal(#","decision": {"kind": "judgment", "date": "2031-01-01"}"#),
              message: "decision date 2031-01-01 is in the future (today is 2026-11-29)", pointer: "/decision/date"),
        .init(name: "birth date in the future", json: minimal(#","persons": [{"id": "p1", "role": "subject", "names": [{"text": "A"}], "birthDate": "2030-02-02"}]"#),
              message: "birth date 2030-02-02 is in the future", pointer: "/persons/0/birthDate"),
        .init(name: "unknown script", json: minimal(#","persons": [{"id": "p1", "role": "subject", "names": [{"text": "A", "script": "Xyzw"}]}]"#),
              message: "unknown script code \"Xyzw\"", pointer: "/persons/0/names/0/script"),
        .init(name: "duplicate person ids", json: minimal(#","persons": [{"id": "p1", "role": "subject", "names": [{"text": "A"}]}, {"id": "p1", "role": "witness", "names": [{"text": "B"}]}]"#),
              message: "duplicate person id \"p1\"", pointer: "/persons/1/id"),
        .init(name: "relative with no one to relate to", json: minimal(#","persons": [{"id": "p1", "role": "relative", "names": [{"text": "A"}]}]"#),
              message: "a relative must say whom they are related to", pointer: "/persons/0"),
        .init(name: "extradition without a subject", json: minimal(instrument: "extradition"),
              message: "a extradition request must name its subject", pointer: "/persons"),
        .init(name: "decision after receipt", json: minimal(#","decision": {"kind": "arrest_warrant", "date": "2025-02-01"}"#),
              message: "is dated after the request was received", pointer: "/decision/date"),
        .init(name: "search without premises", json: minimal(#","measures": [{"id": "m1", "type": "search_premises"}]"#),
              message: "a search of premises must say which premises", pointer: "/measures/0"),
        // Format 2.0 fields in a 1.0 file, and the 1.0 field in a 2.0 file.
        .init(name: "occupations in a 1.0 file", json: minimal(#","persons": [{"id": "p1", "role": "subject", "names": [{"text": "A"}], "occupations": ["writer"]}]"#),
              message: "occupations needs formatVersion \"2.0\"", pointer: "/persons/0/occupations"),
        .init(name: "persecuted relatives in a 1.0 file", json: minimal(#","relativesPersecuted": [{"relation": "parent", "name": "B", "action": "detained"}]"#),
              message: "relativesPersecuted needs formatVersion \"2.0\"", pointer: "/relativesPersecuted"),
        .init(name: "earlier outcomes in a 1.0 file", json: minimal(#","earlierOutcomes": [{"kind": "acquittal"}]"#),
              message: "earlierOutcomes needs formatVersion \"2.0\"", pointer: "/earlierOutcomes"),
        .init(name: "occupation in a 2.0 file", json: minimal(#","persons": [{"id": "p1", "role": "subject", "names": [{"text": "A"}], "occupation": "writer"}]"#).replacingOccurrences(of: "\"1.0\"", with: "\"2.0\""),
              message: "format 2.0 lists a person's occupations in \"occupations\"", pointer: "/persons/0/occupation"),
        .init(name: "persecuted relative who is not in the request", json: minimal(#","relativesPersecuted": [{"relation": "sibling", "person": "p9", "action": "detained"}]"#).replacingOccurrences(of: "\"1.0\"", with: "\"2.0\""),
              message: "refers to person \"p9\"", pointer: "/relativesPersecuted/0/person"),
        .init(name: "persecuted relative with neither id nor name", json: minimal(#","relativesPersecuted": [{"relation": "sibling", "action": "travel_ban"}]"#).replacingOccurrences(of: "\"1.0\"", with: "\"2.0\""),
              message: "a persecuted relative needs a person id or a name", pointer: "/relativesPersecuted/0"),
        .init(name: "third-party decisions in a 1.0 file", json: minimal(#","thirdPartyDecisions": [{"kind": "rule39", "body": "ECtHR"}]"#),
              message: "thirdPartyDecisions needs formatVersion \"2.0\"", pointer: "/thirdPartyDecisions"),
        .init(name: "a 2.0 offence category in a 1.0 file", json: minimal(#","offences": [{"id": "o1", "label": "x", "category": "hooliganism"}]"#),
              message: "the offence category hooliganism needs formatVersion \"2.0\"", pointer: "/offences/0/category"),
        .init(name: "the sanctions category in a 1.0 file", json: minimal(#","offences": [{"id": "o1", "label": "x", "category": "sanctions_export_control"}]"#),
              message: "the offence category sanctions_export_control needs formatVersion \"2.0\"", pointer: "/offences/0/category"),
        .init(name: "the value of the harm in a 1.0 file", json: minimal(#","offences": [{"id": "o1", "label": "x", "category": "fraud", "harm": {"amount": 1200, "currency": "EUR"}}]"#),
              message: "harm needs formatVersion \"2.0\"", pointer: "/offences/0/harm"),
        .init(name: "protection elsewhere in a 1.0 file", json: minimal(#","protectionsElsewhere": [{"state": "PL", "kind": "refugee", "knownFrom": "unhcr"}]"#),
              message: "protectionsElsewhere needs formatVersion \"2.0\"", pointer: "/protectionsElsewhere"),
        .init(name: "co-accused with neither id nor name", json: minimal(#","coAccused": [{"outcome": "protected"}]"#).replacingOccurrences(of: "\"1.0\"", with: "\"2.0\""),
              message: "a co-accused needs a person id or a name", pointer: "/coAccused/0"),
        .init(name: "unknown state of a protection elsewhere", json: minimal(#","protectionsElsewhere": [{"state": "QQ", "kind": "refugee", "knownFrom": "unhcr"}]"#).replacingOccurrences(of: "\"1.0\"", with: "\"2.0\""),
              message: "unknown country code \"QQ\"", pointer: "/protectionsElsewhere/0/state"),
        .init(name: "a provisional arrest in a 1.0 file", json: minimal(#","provisionalArrest": {"date": "2024-12-01", "basis": "red_notice"}"#),
              message: "provisionalArrest needs formatVersion \"2.0\"", pointer: "/provisionalArrest"),
        .init(name: "an addressee for a request that is not INTERPOL's", json: minimal(#","addressedTo": "all_member_states""#).replacingOccurrences(of: "\"1.0\"", with: "\"2.0\""),
              message: "addressedTo is for INTERPOL notices and diffusions", pointer: "/addressedTo"),
        .init(name: "other decisions in a 1.0 file", json: minimal(#","otherDecisions": [{"kind": "judgment"}]"#),
              message: "otherDecisions needs formatVersion \"2.0\"", pointer: "/otherDecisions"),
        .init(name: "case reopened before it ended", json: minimal(#","earlierOutcomes": [{"kind": "acquittal", "date": "2020-05-05", "reopened": true, "reopenedDate": "2019-01-01"}]"#).replacingOccurrences(of: "\"1.0\"", with: "\"2.0\""),
              message: "reopened (2019-01-01) before it ended (2020-05-05)", pointer: "/earlierOutcomes/0/reopenedDate"),
    ]

    @Test("semantic checks find what the schema cannot", arguments: semanticCases)
    func semantic(_ c: SemanticCase) throws {
        let dir = try TempDir()
        let path = try dir.write("r.json", c.json)
        let diagnostics = invalidDiagnostics { () throws(IntakeError) in try makeIntake().load(path: path) }
        let hit = diagnostics.first { $0.message.contains(c.message) }
        #expect(hit != nil, "got: \(diagnostics.map(\.description))")
        #expect(hit?.path?.hasPrefix(c.pointer) == true, "got path \(hit?.path ?? "none")")
        #expect(hit?.line != nil)
    }

    @Test("every problem is reported, not only the first")
    func allProblems() throws {
        let dir = try TempDir()
        let path = try dir.write("r.json", Self.minimal(#","parties": [{"id": "c1", "role": "complainant", "name": "B", "kind": "state_body", "state": "QQ"}], "offences": [{"id": "o1", "label": "x", "category": "fraud", "placeState": "XX", "period": {"from": "2020-01-01", "to": "2019-01-01"}}]"#, requested: "YY"))
        let diagnostics = invalidDiagnostics { () throws(IntakeError) in try makeIntake().load(path: path) }
        #expect(diagnostics.count == 4)
        #expect(Set(diagnostics.compactMap(\.path)) == ["/requestedState", "/parties/0/state", "/offences/0/placeState", "/offences/0/period"])
    }

    @Test("schema problems in JSON name the pointer and line, with a suggestion for a misspelt key")
    func jsonSchemaProblems() throws {
        let dir = try TempDir()
        let path = try dir.write("r.json", """
            {
              "formatVersion": "1.0", "id": "T-1", "instrument": "mlx", "receivedDate": "2025-02-30",
              "requestingState": "KZ", "requestedState": "BE",
              "transmission": {"channel": "diplomatic"},
              "issuingAuthority": {"name": "A", "kind": "prosecutor"},
              "persns": [],
              "offences": [{"id": "o1", "label": "x", "category": "fraud", "maxPenaltyMonths": "ten"}]
            }
            """)
        let lines = invalidDiagnostics { () throws(IntakeError) in try makeIntake().load(path: path) }.map(\.description)
        #expect(lines.contains("\(path):2: /instrument: \"mlx\" is not one of: mla, eio, extradition, eaw, interpol_red_notice, interpol_diffusion"))
        #expect(lines.contains("\(path):2: /receivedDate: \"2025-02-30\" is not a calendar date (YYYY-MM-DD)"))
        #expect(lines.contains("\(path):6: /persns: unknown key \"persns\" (did you mean \"persons\"?)"))
        #expect(lines.contains("\(path):7: /offences/0/maxPenaltyMonths: expected an integer, found a string"))
    }

    @Test("the value of the harm: a whole amount and an ISO 4217 code, in JSON and in XML")
    func harmProblems() throws {
        let dir = try TempDir()
        let json = try String(contentsOfFile: Paths.sample("eio-de-export-control-bank-records.json"), encoding: .utf8)
        let bad = try dir.write("r.json", json.replacingOccurrences(of: #""amount": 2400000"#, with: #""amount": 2400000.5"#)
            .replacingOccurrences(of: #""currency": "EUR""#, with: #""currency": "eur""#))
        let lines = invalidDiagnostics { () throws(IntakeError) in try makeIntake().load(path: bad) }.map(\.description)
        #expect(lines.contains { $0.hasPrefix("\(bad):42: /offences/0/harm/amount: expected an integer") }, "\(lines)")
        #expect(lines.contains { $0.hasPrefix("\(bad):43: /offences/0/harm/currency: \"eur\" does not match") }, "\(lines)")
        let request = try makeIntake().load(path: Paths.sample("eio-de-export-control-bank-records.json"))
        #expect(request.offences[0].harm == Money(amount: 2_400_000, currency: "EUR"))
        #expect(request.offences[0].harm?.description == "2,400,000 EUR")
        let xml = try dir.write("r.xml", try makeIntake().convert(path: Paths.sample("eio-de-export-control-bank-records.json"), to: .xml))
        #expect(try makeIntake().load(path: xml).offences[0].harm == request.offences[0].harm)
        let text = try String(contentsOfFile: xml, encoding: .utf8)
        #expect(text.contains("<harm>") && text.contains("<amount>2400000</amount>") && text.contains("<currency>EUR</currency>"))
    }

    @Test("schema problems in XML name the XPath and line")
    func xmlSchemaProblems() throws {
        let text = try String(contentsOfFile: Paths.sample("eaw-hu-fraud-in-absentia.xml"), encoding: .utf8)
            .replacingOccurrences(of: "<instrument>eaw</instrument>", with: "<instrument>eaww</instrument>")
        let dir = try TempDir()
        let path = try dir.write("r.xml", text)
        let lines = invalidDiagnostics { () throws(IntakeError) in try makeIntake().load(path: path) }.map(\.description)
        #expect(lines.count == 1)
        #expect(lines.first?.hasPrefix("\(path):5: /request/instrument: Element 'instrument': [facet 'enumeration'] The value 'eaww'") == true)
    }

    @Test("a JSON string may hold any Unicode, escaped or not")
    func unicode() throws {
        var value = try JSONReader.parse(Array(#"{"a": "\u0416\u0430\u0440 \ud83d\ude00 Жар"}"#.utf8))
        #expect(value["a"]?.string == "Жар 😀 Жар")
        value = try JSONReader.parse(Array("[1, -2.5e3, true, null]".utf8))
        guard case .array(let items) = value.value else { Issue.record("expected an array"); return }
        #expect(items.count == 4)
        #expect(throws: JSONReader.Failure.self) { try JSONReader.parse(Array(#"{"a": "\ud800"}"#.utf8)) }
        #expect(throws: JSONReader.Failure.self) { try JSONReader.parse(Array("[01]".utf8)) }
        #expect(throws: JSONReader.Failure.self) { try JSONReader.parse(Array("[1,]".utf8)) }
    }
}

@Suite("Schemas")
struct SchemaTests {
    /// The enumerations of the JSON Schema, by definition name.
    static func schemaEnums() throws -> [String: [String]] {
        let url = try #require(Intake.schemaURLs.first { $0.lastPathComponent == "request.schema.json" })
        let root = try JSONReader.parse([UInt8](Data(contentsOf: url)))
        guard case .object(let defs)? = root["$defs"]?.value else { return [:] }
        var out: [String: [String]] = [:]
        for (name, def) in defs {
            if case .array(let values)? = def["enum"]?.value { out[name] = values.compactMap(\.string) }
        }
        return out
    }

    @Test("the schema vocabularies are the Swift vocabularies")
    func vocabularies() throws {
        let enums = try Self.schemaEnums()
        func values<V: Vocabulary>(_: V.Type) -> [String] { V.allCases.map(\.rawValue) }
        #expect(enums["instrument"] == values(Instrument.self))
        #expect(enums["channel"] == values(TransmissionChannel.self))
        #expect(enums["authorityKind"] == values(AuthorityKind.self))
        #expect(enums["offenceCategory"] == values(OffenceCategory.self))
        #expect(enums["personRole"] == values(PersonRole.self))
        #expect(enums["occupation"] == values(Occupation.self))
        #expect(enums["relation"] == values(Relation.self))
        #expect(enums["partyRole"] == values(PartyRole.self))
        #expect(enums["partyKind"] == values(PartyKind.self))
        #expect(enums["measureType"] == values(MeasureType.self))
        #expect(enums["premises"] == values(Premises.self))
        #expect(enums["itemKind"] == values(ItemKind.self))
        #expect(enums["safeguard"] == values(Safeguard.self))
        #expect(enums["decisionKind"] == values(DecisionKind.self))
        #expect(enums["assuranceKind"] == values(AssuranceKind.self))
        #expect(enums["linkedOutcome"] == values(LinkedOutcome.self))
        #expect(enums["persecutionAction"] == values(PersecutionAction.self))
        #expect(enums["outcomeKind"] == values(OutcomeKind.self))
        #expect(enums["thirdPartyDecisionKind"] == values(ThirdPartyDecisionKind.self))
        #expect(enums["activityKind"] == values(ActivityKind.self))
        #expect(enums["protectionKind"] == values(ProtectionKind.self))
        #expect(enums["knownFrom"] == values(KnownFrom.self))
        #expect(enums["coAccusedOutcome"] == values(CoAccusedOutcome.self))
        #expect(enums["citizenshipChange"] == values(CitizenshipChange.self))
        #expect(enums["arrestBasis"] == values(ArrestBasis.self))
        #expect(enums["addressee"] == values(Addressee.self))
        #expect(enums["formatVersion"] == RequestFormat.versions)
        #expect(enums.count == 27)
    }

    @Test("the XSD declares exactly the list wrappers the reader knows")
    func wrappers() throws {
        let url = try #require(Intake.schemaURLs.first { $0.pathExtension == "xsd" })
        let xsd = try String(contentsOf: url, encoding: .utf8)
        for (wrapper, item) in RequestFormat.listItems {
            #expect(xsd.contains("<xs:element name=\"\(wrapper)\""), "wrapper \(wrapper)")
            #expect(xsd.contains("<xs:element name=\"\(item)\" type="), "item \(item)")
        }
    }

    @Test("the JSON Schema validator refuses keywords it does not implement")
    func strictValidator() throws {
        let schema = try JSONReader.parse(Array(#"{"type": "object", "oneOf": []}"#.utf8))
        #expect(throws: JSONSchema.LoadError.invalid(": unsupported keyword \"oneOf\"")) { try JSONSchema(schema) }
    }
}

@Suite("Day")
struct DayTests {
    @Test func parsing() {
        #expect(Day("2024-02-29") != nil)
        #expect(Day("2023-02-29") == nil)
        #expect(Day("2024-2-01") == nil)
        #expect(Day("2024-02-01T00:00") == nil)
        #expect(Day("１２３４-01-01") == nil)
    }

    @Test func arithmetic() throws {
        let a = try #require(Day("1970-01-01")), b = try #require(Day("2024-03-01"))
        #expect(a.ordinal == 0)
        #expect(Day(ordinal: b.ordinal) == b)
        #expect(try #require(Day("2024-02-28")).days(to: b) == 2)
        #expect(b.adding(days: -1).description == "2024-02-29")
        #expect(try #require(Day("2000-01-01")) < b)
    }
}
