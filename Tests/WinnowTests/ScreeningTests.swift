import Foundation
import Testing
@testable import Winnow
@testable import WinnowIntake
import WinnowRegistry
import WinnowModel
@testable import WinnowReports

/// Screening as of a fixed day, with a fixed generation time, so that reports are reproducible.
let fixedGeneratedAt = Date(timeIntervalSince1970: 1_796_000_000)

func screenSample(_ name: String, screener: Screener? = nil) throws -> Report {
    let s = screener ?? Screener(pack: shippedPack, asOf: testToday)
    let bytes = [UInt8](try Data(contentsOf: Paths.samples.appendingPathComponent(name)))
    return try s.screen(bytes: bytes, name: "SampleRequests/\(name)", generatedAt: fixedGeneratedAt)
}

@Suite("Screening")
struct ScreeningTests {
    static let expectations = (try? SampleExpectations.load(path: Paths.sample("expected.json")))?.entries ?? []

    @Test("every sample reaches the band a careful reviewer gives it", arguments: expectations)
    func expectedBand(_ entry: SampleExpectations.Entry) throws {
        let report = try screenSample(entry.file)
        #expect(report.band == entry.band,
                "\(entry.file): got \(report.band.rawValue) (\(report.score)): \(report.findings.map(\.rule)) - \(report.mitigations.map(\.rule))")
    }

    @Test("every reason names its rule, its legal sources and its evidence", arguments: Paths.sampleRequests)
    func citedReasons(_ name: String) throws {
        let report = try screenSample(name)
        let request = try makeIntake().load(path: Paths.sample(name))
        for finding in report.findings + report.mitigations {
            #expect(shippedPack.rule(id: finding.rule)?.version == finding.version)
            #expect(!finding.citations.isEmpty, "\(finding.rule) cites nothing")
            #expect(!finding.evidence.isEmpty, "\(finding.rule) shows no evidence")
            for e in finding.evidence where e.kind == .request {
                #expect(e.file == "SampleRequests/\(name)")
                #expect(e.pointer?.hasPrefix("/") == true)
                #expect(request.sources[e.pointer ?? ""]?.pointer == e.pointer, "\(finding.rule): \(e.pointer ?? "no pointer") is not a value of the request")
                #expect((e.line ?? 0) > 0)
                if name.hasSuffix(".xml") { #expect(e.xpath?.hasPrefix("/request") == true) }
            }
            #expect(!finding.explanation.contains("{"), "unfilled template in \(finding.rule)")
            // A row whose pointer holds a value quotes that value, at the line where it stands.
            // Every row points at a value (a whole measure or list is quoted by the value that names it).
            for e in finding.evidence where e.kind == .request {
                let pointer = try #require(e.pointer)
                let value = request.sources.scalar(at: pointer)
                #expect(value != nil, "\(finding.rule): \(pointer) is an object or a list, not a value")
                guard let value else { continue }
                #expect(e.quote == value, "\(finding.rule): \(pointer) holds “\(value)”, the row quotes “\(e.quote)”")
                #expect(e.line == request.sources[pointer]?.line)
            }
            // No row shown twice: two facts quoting one value at one place make one row.
            let rows = finding.evidence.map { e -> Evidence in var shown = e; shown.fact = ""; return shown }
            #expect(Set(rows).count == rows.count, "\(finding.rule) repeats an evidence row")
        }
    }

    @Test("without profiles or a registry, what they would settle is listed as data gaps, not as 'no'")
    func gaps() throws {
        var pack = shippedPack
        pack.profiles = nil
        let report = try screenSample("mla-kz-refugee-lawyer-search.json", screener: Screener(pack: pack, asOf: testToday))
        let gap = report.dataGaps.first { $0.rule == "refugee-protected-against-requesting-state" }
        #expect(gap?.missing.map(\.fact) == ["registry.protected_against_requesting_state"])
        #expect(gap?.missing.first?.why == "no domestic registry was given (--registry)")
        #expect(report.dataGaps.first { $0.rule == "requesting-state-not-free" }?.missing.first?.why == "no requesting-state profiles were loaded")
        #expect(report.provenance.registry.hasPrefix("none given"))
        #expect(report.provenance.profiles.hasPrefix("none loaded"))
    }

    @Test("the score is the log-odds model applied to the findings' weights, and the context alone stays below high")
    func arithmetic() throws {
        let scoring = shippedPack.scoring
        for name in Paths.sampleRequests {
            let report = try screenSample(name)
            let s = report.scoring
            let all = report.findings + report.mitigations
            #expect(report.findings.allSatisfy { $0.points > 0 } && report.mitigations.allSatisfy { $0.points < 0 })
            #expect(all.allSatisfy { ($0.points > 0) == ($0.weight > 0) }, "\(name): a weight changed sign")
            // The weights are what the total is made of (each rounded to a tenth).
            let context = all.filter { $0.role == .context }.reduce(0) { $0 + $1.weight }
            let cases = all.filter { $0.role == .case }.reduce(0) { $0 + $1.weight }
            #expect(abs(context - s.contextPoints) <= 0.05 * Double(all.count) + 0.05, "\(name)")
            #expect(abs(cases - s.casePoints) <= 0.05 * Double(all.count) + 0.05, "\(name)")
            #expect(abs(s.contextPoints + s.casePoints - s.totalPoints) <= 0.11)
            #expect(abs(s.contextPoints) <= Double(s.contextCap))
            #expect(report.score == scoring.score(points: s.totalPoints), "\(name)")
            #expect(s.contextBand < .high, "\(name): the requesting state's record alone gives \(s.contextBand)")
            // Case mitigations are never amplified; case risks are, by the same factor.
            for f in report.caseMitigations { #expect(f.weight >= Double(f.points)) }
            for f in report.caseFindings { #expect(f.weight <= Double(f.points) * (s.amplification + 0.005) + 0.05) }
        }
    }

    @Test("scores do not saturate: at most one sample at the top, and more evidence never lowers the score")
    func noSaturation() throws {
        let reports = try Paths.sampleRequests.map { try screenSample($0) }
        #expect(reports.filter { $0.score >= 100 }.count <= 1, "\(reports.filter { $0.score >= 100 }.map(\.request.file))")
        let scoring = shippedPack.scoring
        var last = -1
        for points in stride(from: -100.0, through: 400, by: 5) {
            let score = scoring.score(points: points)
            #expect(score >= last)
            last = score
        }
        #expect(scoring.score(points: 0) == scoring.baseScore)
        #expect(scoring.score(points: Double(scoring.pointsToDouble)) > scoring.baseScore)
    }

    @Test("findings of one family do not stack linearly; the context is capped and amplifies case risks")
    func combination() throws {
        let scoring = shippedPack.scoring
        func finding(_ rule: String, _ pattern: String, _ role: FindingRole, _ points: Int) -> Finding {
            Finding(rule: rule, version: 1, title: rule, pattern: pattern, role: role, points: points, floor: nil,
                    explanation: "", citations: [], evidence: [])
        }
        let sameFamily = Evaluator.combine([finding("a", "P5", .case, 20), finding("b", "P5", .case, 20)], scoring: scoring)
        let twoFamilies = Evaluator.combine([finding("a", "P5", .case, 20), finding("b", "P6", .case, 20)], scoring: scoring)
        #expect(sameFamily.breakdown.casePoints == 20 * (1 + scoring.familyDecay))
        #expect(twoFamilies.breakdown.casePoints == 40)
        let heavyContext = Evaluator.combine((0..<6).map { finding("c\($0)", "P\($0)", .context, 20) } + [finding("x", "P4", .case, 10)],
                                             scoring: scoring)
        #expect(heavyContext.breakdown.contextPoints == Double(scoring.contextCap))
        #expect(heavyContext.breakdown.amplification == scoring.contextAmplify)
        #expect(heavyContext.findings.last?.weight == 10 * scoring.contextAmplify)
        let freeState = Evaluator.combine([finding("m", "mitigating", .context, -10), finding("x", "P4", .case, 10)], scoring: scoring)
        #expect(freeState.breakdown.amplification == 1)
        #expect(freeState.breakdown.totalPoints == 0)
    }

    @Test("a floor lifts the band above what the score gives")
    func floors() throws {
        var request = try makeIntake().load(path: Paths.sample("eio-fr-law-firm-with-safeguards.xml"))
        request.assurances = []
        let report = Screener(pack: shippedPack, asOf: testToday).screen(request, file: "x")
        #expect(report.band == .elevated)
        #expect(shippedPack.scoring.band(for: report.score) == .elevated || report.bandReason.contains("floor"))
    }

    @Test("the same input gives the same report, byte for byte, apart from generatedAt")
    func deterministic() throws {
        let a = JSONReport.render(try screenSample("interpol-red-notice-ru-activist.xml"))
        let s = Screener(pack: shippedPack, asOf: testToday)
        let bytes = [UInt8](try Data(contentsOf: Paths.samples.appendingPathComponent("interpol-red-notice-ru-activist.xml")))
        let b = JSONReport.render(try s.screen(bytes: bytes, name: "SampleRequests/interpol-red-notice-ru-activist.xml",
                                               generatedAt: Date(timeIntervalSince1970: 0)))
        let strip: (String) -> String = { $0.split(separator: "\n").filter { !$0.contains("\"generatedAt\"") }.joined(separator: "\n") }
        #expect(a != b)
        #expect(strip(a) == strip(b))
    }

    @Test("every report conforms to the versioned report schema", arguments: Paths.sampleRequests)
    func schema(_ name: String) throws {
        let schemaNode = try JSONReader.parse([UInt8](Data(contentsOf: Paths.root.appendingPathComponent("docs/report.schema.json"))))
        let schema = try JSONSchema(schemaNode)
        let report = try JSONReader.parse(Array(JSONReport.render(try screenSample(name)).utf8))
        let violations = schema.validate(report)
        #expect(violations.isEmpty, "\(violations)")
    }

    @Test("golden reports: each sample's JSON report matches Tests/Golden (refresh: WINNOW_UPDATE_GOLDEN=1 swift test --filter golden)",
          arguments: Paths.sampleRequests)
    func golden(_ name: String) throws {
        let rendered = JSONReport.render(try screenSample(name))
        let url = Paths.root.appendingPathComponent("Tests/Golden/\(name).report.json")
        if ProcessInfo.processInfo.environment["WINNOW_UPDATE_GOLDEN"] == "1" {
            try Data(rendered.utf8).write(to: url, options: .atomic)
            return
        }
        let golden = try String(contentsOf: url, encoding: .utf8)
        if golden != rendered {
            let a = golden.split(separator: "\n", omittingEmptySubsequences: false)
            let b = rendered.split(separator: "\n", omittingEmptySubsequences: false)
            let first = zip(a, b).enumerated().first { $0.element.0 != $0.element.1 }
            Issue.record("""
                golden report drifted for \(name) at line \((first?.offset ?? min(a.count, b.count)) + 1):
                - \(first.map { String($0.element.0) } ?? "(end)")
                + \(first.map { String($0.element.1) } ?? "(end)")
                If the change is intended, refresh with: WINNOW_UPDATE_GOLDEN=1 swift test --filter golden
                """)
        }
    }
}

@Suite("Screen command")
struct ScreenCommandTests {
    @Test("screen exits 0 with a report whatever the band", arguments: ["eaw-pl-theft.json", "mla-kz-refugee-lawyer-search.json"])
    func exitZero(_ name: String) throws {
        let result = try runWinnow(["screen", "SampleRequests/\(name)", "--as-of", "2026-11-29"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("WINNOW RISK REPORT"))
    }

    @Test("screen --format json writes the JSON contract, atomically with -o")
    func json() throws {
        let dir = try TempDir()
        let out = dir.url.appendingPathComponent("r.json")
        let result = try runWinnow(["screen", "SampleRequests/interpol-red-notice-az-blogger.xml", "--format", "json", "-o", out.path])
        #expect(result.status == 0)
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: out)) as? [String: Any]
        #expect(object?["band"] as? String == "critical")
        #expect(Set(object?.keys.map { $0 } ?? []) == ["reportVersion", "score", "band", "bandReason", "scoring", "findings", "mitigations",
                                                          "dataGaps", "completeness", "request", "provenance", "generatedAt"])
    }

    @Test("screen on bad input exits 2 with the problem on stderr")
    func badInput() throws {
        let dir = try TempDir()
        let path = try dir.write("bad.json", "{\"formatVersion\": \"1.0\"}")
        let result = try runWinnow(["screen", path])
        #expect(result.status == 2)
        #expect(result.stderr.contains("missing required key \"id\""))
        #expect(result.stdout.isEmpty)
    }

    @Test("facts lists the catalogue by source")
    func facts() throws {
        let result = try runWinnow(["facts"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("REQUEST FACTS") && result.stdout.contains("PROFILE FACTS") && result.stdout.contains("REGISTRY FACTS"))
        #expect(result.stdout.contains("registry.protected_against_requesting_state"))
    }

    @Test("the summary's shortcut gives every rule the same answer as the full evaluation", arguments: Paths.sampleRequests)
    func holdsAgrees(_ name: String) throws {
        let request = try makeIntake().load(path: Paths.sample(name))
        for profiles in [shippedPack.profiles, nil] as [ProfileStore?] {
            let sheet = FactSheet(catalogue: shippedPack.catalogue, context: FactContext(request: request, asOf: testToday, profiles: profiles))
            let evaluator = Evaluator(pack: shippedPack)
            for rule in shippedPack.rules {
                let expected: Bool? = switch evaluator.evaluate(rule, sheet: sheet).truth {
                case .yes: true
                case .no: false
                case .unknown: nil
                }
                #expect(evaluator.holds(rule, sheet: sheet) == expected, "\(rule.id)")
            }
        }
    }

    @Test("the report writer gives the bytes Foundation's JSONEncoder gives", arguments: Paths.sampleRequests)
    func prettyJSONMatchesFoundation(_ name: String) throws {
        let report = try screenSample(name)
        #expect(try PrettyJSON.encode(report) == Self.foundation(report))
    }

    @Test("the report writer matches Foundation on empty, nested, optional, escaped and numeric values")
    func prettyJSONEdgeCases() throws {
        struct Inner: Codable { var list: [Int] = []; var map: [String: Int] = [:]; var nested: [[String]] = [[], ["a"]] }
        struct Awkward: Codable {
            var text = "quote \" slash / back \\ \u{1}\u{8}\u{C}\n\r\t é 名 \u{2028}"
            // Every control character, and escapes at both ends and side by side.
            var controls = "\\" + String((0..<32).map { Character(Unicode.Scalar(UInt8($0))) }) + "\u{7F}\"\"\\"
            var none: String? = nil
            var some: String? = "x"
            var whole = 1.0, fraction = 0.125, tenth = 0.1, negative = -3.5
            var small: Int8 = -7, unsigned: UInt32 = 7, flag = false
            var day = Day(year: 2024, month: 9, day: 23)!
            var band = Band.critical
            var inner = Inner()
            var inners = [Inner(), Inner()]
            var empty: [Inner] = []
            var b2 = 2, b10 = 10, Zed = 0, zed = 1
        }
        #expect(try PrettyJSON.encode(Awkward()) == Self.foundation(Awkward()))
    }

    /// Findings, evidence, citations, data gaps and missing facts are written from their own member lists: each list
    /// must name every stored property (a property added to the type and not to the list fails
    /// here), and give Foundation's bytes with every optional set, with none set, and nested.
    @Test("the flat objects' member lists name every stored property and give Foundation's bytes")
    func flatObjectsMatchFoundation() throws {
        let awkward = "quote \" back \\ \u{1}\n é 名"
        let evidence = Evidence(kind: .registry, fact: "f", quote: awkward, file: "a.xml", pointer: "/p", xpath: "/x", line: 3,
                                record: "R-1", source: "S", year: 2024, note: "n")
        let citation = Citation(id: "ECHR-8", citation: awkward, pinpoint: "§ 1", date: "2024-09-23", url: "https://x/y", holds: "h", note: "n")
        let missing = DataGap.MissingFact(fact: "registry.x", why: awkward, settle: "s")
        func check(_ value: some FlatJSON & Encodable) throws {
            let keys = Mirror(reflecting: value).children.compactMap(\.label)
            #expect(value.jsonMembers.map(\.key) == keys.sorted(), "\(type(of: value))")
            #expect(value.jsonMembers.allSatisfy { $0.value != nil }, "\(type(of: value)): every member set")
            #expect(try PrettyJSON.encode(value) == Self.foundation(value))
            #expect(try PrettyJSON.encode([[value]]) == Self.foundation([[value]]))
        }
        let finding = Finding(rule: "r", version: 2, title: awkward, pattern: "P1", role: .context, points: -7, weight: 10.8,
                              floor: .high, explanation: "e", citations: [citation, citation], evidence: [evidence])
        let gap = DataGap(rule: "r", title: "t", points: 12, couldRaiseTo: .critical, missing: [missing, missing])
        try check(evidence)
        try check(citation)
        try check(missing)
        try check(finding)
        try check(gap)
        let bareFinding = Finding(rule: "r", version: 1, title: "t", pattern: nil, points: 5, floor: nil, explanation: "e", citations: [], evidence: [])
        #expect(try PrettyJSON.encode([bareFinding]) == Self.foundation([bareFinding]))
        let bareGap = DataGap(rule: "r", title: "t", points: 1, missing: [])
        #expect(try PrettyJSON.encode(bareGap) == Self.foundation(bareGap))
        let bare = Evidence(kind: .request, fact: "f", quote: "q")
        #expect(try PrettyJSON.encode([bare]) == Self.foundation([bare]))
        let plain = Citation(id: "i", citation: "c", holds: "h")
        #expect(try PrettyJSON.encode(["k": plain]) == Self.foundation(["k": plain]))
    }

    static func foundation(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}

@Suite("Citations fit the request")
struct CitationFitTests {
    @Test("no convention is cited as binding against a non-party, and no instrument's law is cited for another instrument without saying so",
          arguments: Paths.sampleRequests)
    func fit(_ name: String) throws {
        let report = try screenSample(name)
        let request = try makeIntake().load(path: Paths.sample(name))
        let sheet = FactSheet(catalogue: shippedPack.catalogue, context: FactContext(request: request, asOf: testToday, profiles: shippedPack.profiles))
        for finding in report.findings + report.mitigations {
            #expect(!finding.citations.isEmpty)
            for c in finding.citations {
                guard let scope = shippedPack.sourceScopes[c.id] else { continue }
                if !scope.instruments.isEmpty && !scope.instruments.contains(request.instrument) {
                    #expect(c.note?.contains("cited by analogy") == true, "\(finding.rule) cites \(c.id) for a \(request.instrument.rawValue) request")
                    // Only when the rule cites nothing that fits.
                    let rule = try #require(shippedPack.rule(id: finding.rule))
                    #expect(rule.cite.allSatisfy { id in shippedPack.sourceScopes[id].map { $0.instruments.isEmpty || !$0.instruments.contains(request.instrument) } ?? false })
                }
                if let treaty = scope.treaty, sheet[treaty].value == .bool(false) {
                    #expect(c.note?.contains("not as binding: \(request.requestingState) is not a party") == true,
                            "\(finding.rule) cites \(c.id) as binding on \(request.requestingState)")
                }
            }
        }
    }

    @Test("non-refoulement and Charter Art 19(2) are cited for measures that remove the person or reach her, and say which", arguments: Paths.sampleRequests)
    func refoulementByMeasure(_ name: String) throws {
        let report = try screenSample(name)
        let request = try makeIntake().load(path: Paths.sample(name))
        var sought = Set(request.measures.map(\.type))
        if request.instrument.seeksSurrender { sought.formUnion([.surrender, .arrest]) }
        for finding in report.findings + report.mitigations {
            for c in finding.citations where c.id == "REFCONV-33" || c.id == "CFR-19" {
                let scope = try #require(shippedPack.sourceScopes[c.id]).measures
                let hit = scope.filter { sought.contains($0) }
                if hit.isEmpty {
                    #expect(c.note?.contains("cited by analogy: it concerns measures that remove the person") == true, "\(finding.rule) cites \(c.id) for \(name)")
                } else {
                    #expect(c.note?.contains("applies: the request seeks \(hit[0].rawValue)") == true, "\(finding.rule): \(c.note ?? "no note")")
                }
            }
        }
    }

    @Test("a search of a home with no foreign officials present cites no non-refoulement; their presence is named when it does")
    func refoulementForSearch() throws {
        let dir = try TempDir()
        let text = try String(contentsOfFile: Paths.sample("mla-kz-refugee-lawyer-search.json"), encoding: .utf8)
        let screener = Screener(pack: shippedPack, asOf: testToday, registry: try demoRegistry())
        let withOfficials = screener.screen(try makeIntake().load(path: Paths.sample("mla-kz-refugee-lawyer-search.json")), file: "a")
        let refugee = try #require(withOfficials.findings.first { $0.rule == "refugee-protected-against-requesting-state" })
        #expect(refugee.citations.first { $0.id == "REFCONV-33" }?.note?.contains("presence_of_foreign_officials") == true)
        #expect(!refugee.citations.contains { $0.id == "CFR-19" }, "the Charter's Art 19(2) is about removal")
        // The same request without the officials' attendance: a search alone reaches no one's removal.
        let json = try JSONSerialization.jsonObject(with: Data(text.utf8)) as! [String: Any]
        var stripped = json
        stripped["measures"] = (json["measures"] as! [[String: Any]]).filter { ($0["type"] as? String) != "presence_of_foreign_officials" }
        let path = try dir.write("b.json", String(decoding: try JSONSerialization.data(withJSONObject: stripped), as: UTF8.self))
        let searchOnly = screener.screen(try makeIntake().load(path: path), file: path)
        let again = try #require(searchOnly.findings.first { $0.rule == "refugee-protected-against-requesting-state" })
        #expect(!again.citations.contains { $0.id == "REFCONV-33" || $0.id == "CFR-19" })
    }

    @Test("the Kazakh MLA cites neither the 1957 Convention nor the EIO Directive, and the 1959 Convention only for its principles")
    func kazakhMLA() throws {
        let report = try screenSample("mla-kz-refugee-lawyer-search.json")
        let cited = (report.findings + report.mitigations).flatMap(\.citations)
        #expect(!cited.contains { $0.id.hasPrefix("ECE-") || $0.id.hasPrefix("EIO-") || $0.id.hasPrefix("EAW-") })
        let convention = cited.filter { $0.id.hasPrefix("ECMACM-") }
        #expect(!convention.isEmpty)
        #expect(convention.allSatisfy { $0.note?.contains("cited for its principles, not as binding: KZ is not a party") == true })
        // ... and says what the request rests on instead, in its own words.
        #expect(convention.allSatisfy { $0.note?.contains("the request rests on “Request for legal assistance under the principle of reciprocity") == true })
    }
}

@Suite("Byte search")
struct ByteSearchTests {
    /// `containsUTF8` against the standard library's own search, on strings where a naive search
    /// goes wrong: a needle at either end, a partial match just before a full one, repeats, a
    /// needle longer than the text, an empty needle or text, and non-ASCII text.
    @Test("containsBytes finds exactly what the standard library's search finds")
    func agreesWithStandardLibrary() {
        let texts = ["", "a", "aab", "aaab", "/persons/0/targets/1", "/measures/2/targets", "targets/", "/concerns/",
                     "/x/concerns/y", "ééé/targets/é", "abcabcabd", "\u{0}/targets/\u{0}"]
        let needles = ["", "a", "aab", "abd", "/targets/", "/concerns/", "é/", "abcabd", "\u{0}", "longer than any of the texts"]
        for text in texts {
            for needle in needles {
                let expected = Array(text.utf8).firstRange(of: Array(needle.utf8)) != nil
                #expect(text.containsUTF8(needle) == expected, "\(text.debugDescription) ∋ \(needle.debugDescription)")
                #expect(Array(text.utf8)[...].containsBytes(Array(needle.utf8)) == expected)
            }
        }
    }
}
