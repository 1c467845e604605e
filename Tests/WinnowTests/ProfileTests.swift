import Foundation
import Testing
@testable import Winnow
@testable import WinnowIntake
@testable import WinnowRules

let shippedProfiles: ProfileStore = {
    guard let store = shippedPack.profiles else { fatalError("Rules/profiles did not load") }
    return store
}()

/// The shared reference, when this checkout has it beside it (CI does).
let referenceFolder = Paths.root.deletingLastPathComponent().appendingPathComponent("shared/reference")
let referenceAvailable = FileManager.default.fileExists(atPath: referenceFolder.appendingPathComponent("state-indicators.csv").path)

@Suite("State profiles")
struct ProfileTests {
    @Test("a profile for each of the 48 states, with dated, sourced figures")
    func loaded() throws {
        #expect(shippedProfiles.profiles.count == 48)
        let kz = try #require(shippedProfiles.profile("KZ"))
        #expect(kz.freedom.count == 21)   // editions 2006-2025, and the UNVERIFIED 2026 transcription
        #expect(kz.freedom.filter(\.unverified).map(\.value.edition) == [2026])
        for profile in shippedProfiles.profiles.values {
            for f in profile.freedom { #expect(f.from != nil && shippedProfiles.sources[f.source] != nil) }
            for f in profile.liberalDemocracy { #expect((0...1).contains(f.value) && f.from != nil) }
        }
        // Liechtenstein is not coded by V-Dem: missing stays missing.
        #expect(try #require(shippedProfiles.profile("LI")).liberalDemocracy.isEmpty)
    }

    @Test("figures are the reference's, row by row", .enabled(if: referenceAvailable, "needs ../shared/reference"))
    func matchesReference() throws {
        let csv = try String(contentsOf: referenceFolder.appendingPathComponent("fiw-timeseries.csv"), encoding: .utf8)
        var checked = 0
        for line in csv.split(separator: "\n").dropFirst() {
            let cells = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            let (iso, edition, score, status) = (cells[0], Int(cells[2])!, Int(cells[4]), cells[7])
            let figure = try #require(shippedProfiles.profile(iso)?.freedom.first { $0.value.edition == edition && !$0.unverified })
            #expect(figure.value.status == status && figure.value.score == score, "\(iso) \(edition)")
            checked += 1
        }
        #expect(checked == 960)
    }

    @Test("as of a date, only what was public then is used")
    func asOf() throws {
        let day = { (s: String) in Day(s)! }
        #expect(shippedProfiles.view("KZ", asOf: day("2019-06-01"))?.figures.first?.value.hasPrefix("Not Free, score 22/100 (edition 2019") == true)
        #expect(shippedProfiles.view("KZ", asOf: day("2019-03-30"))?.figures.first?.value.contains("edition 2018") == true)
        #expect(shippedProfiles.view("KZ", asOf: day("2019-06-01"))?.findings.count == 2)
        // The 2021 European Parliament resolution's INTERPOL wording is UNVERIFIED: shown, not counted.
        let kz = try #require(shippedProfiles.view("KZ", asOf: day("2026-11-29")))
        #expect(kz.findings.count == 2)
        #expect(kz.unverified.count == 1 && kz.unverified[0].value.contains("P9_TA(2021)0056"))
        #expect(!kz.findings.contains { $0.value.contains("UNVERIFIED") || ($0.note ?? "").contains("UNVERIFIED") })
        let kzFacts = FactSheet(catalogue: shippedPack.catalogue, context: FactContext(
            request: try makeIntake().load(path: Paths.sample("mla-kz-refugee-lawyer-search.json")), asOf: day("2026-11-29"), profiles: shippedProfiles))
        #expect(kzFacts["profile.abuse_findings"].value == .number(2))
        let ru = try #require(shippedProfiles.profile("RU"))
        #expect(ru.echr.last { $0.holds(on: day("2022-09-15")) }?.value == true)
        #expect(ru.echr.last { $0.holds(on: day("2022-09-16")) }?.value == false)
        // Undated findings are listed but never counted.
        #expect(shippedProfiles.view("UZ", asOf: day("2026-11-29"))?.undated.count == 1)
        #expect(shippedProfiles.view("UZ", asOf: day("2026-11-29"))?.findings.isEmpty == true)
    }

    @Test("the same request scores differently as of two dates where the state's record changed")
    func sameRequestTwoDates() throws {
        // Turkey moved from Partly Free (2017 edition) to Not Free (2018 edition).
        var request = try makeIntake().load(path: Paths.sample("extradition-tr-journalist-terrorism.json"))
        request.receivedDate = Day("2017-04-10")!
        request.decision?.date = Day("2016-11-12")!
        let before = Screener(pack: shippedPack, asOf: Day("2017-04-15")!).screen(request, file: "tr.json")
        let after = Screener(pack: shippedPack, asOf: Day("2018-06-01")!).screen(request, file: "tr.json")
        #expect(before.findings.contains { $0.rule == "requesting-state-partly-free" })
        #expect(!before.findings.contains { $0.rule == "requesting-state-not-free" })
        let notFree = try #require(after.findings.first { $0.rule == "requesting-state-not-free" })
        let evidence = try #require(notFree.evidence.first { $0.kind == .profile })
        #expect(evidence.year == 2018)
        #expect(evidence.source?.hasPrefix("FH-FIW: Freedom House, Freedom in the World") == true)
        #expect(evidence.quote == "TR: Not Free, score 32/100 (edition 2018, data for 2017)")
        #expect(after.score > before.score)
        #expect(before.provenance.asOf == Day("2017-04-15")!)
    }

    @Test("Russia's ECHR exit counts only from 16 September 2022")
    func echrExit() throws {
        var request = try makeIntake().load(path: Paths.sample("interpol-red-notice-ru-activist.xml"))
        request.receivedDate = Day("2022-06-01")!
        request.decision?.date = Day("2022-05-17")!
        let before = Screener(pack: shippedPack, asOf: Day("2022-06-01")!).screen(request, file: "ru.xml")
        let after = Screener(pack: shippedPack, asOf: Day("2022-10-01")!).screen(request, file: "ru.xml")
        #expect(!before.findings.contains { $0.rule == "surrender-to-non-echr-state" })
        #expect(after.findings.contains { $0.rule == "surrender-to-non-echr-state" })
    }

    @Test("old figures are marked stale and newer UNVERIFIED ones are noted, in the evidence")
    func staleAndUnverified() throws {
        let report = try screenSample("mla-kz-repeat-after-refusal.json")
        let tnr = try #require(report.findings.first { $0.rule == "requesting-state-transnational-repression" }?.evidence.first { $0.kind == .profile })
        #expect(tnr.note?.contains("stale: public since 2021-02-28, more than 3 years before the as-of date 2026-11-29") == true)
        let fiw = try #require(report.findings.first { $0.rule == "requesting-state-not-free" }?.evidence.first)
        #expect(fiw.note?.contains("a newer figure exists but is UNVERIFIED") == true)
        #expect(fiw.year == 2025)
    }

    @Test("a state without a profile is a data gap, not a low risk")
    func unknownState() throws {
        var request = try makeIntake().load(path: Paths.sample("eaw-pl-theft.json"))
        request.requestingState = "SG"
        let report = Screener(pack: shippedPack, asOf: testToday).screen(request, file: "sg.json")
        let gap = try #require(report.dataGaps.first { $0.rule == "requesting-state-not-free" })
        #expect(gap.missing.first?.why == "no profile for the requesting state SG in Rules/profiles")
        #expect(!report.mitigations.contains { $0.rule == "strong-rule-of-law-record" })
    }

    @Test("a proxy request relays the record of the state behind it")
    func proxy() throws {
        let report = try screenSample("extradition-ua-proxy-same-subject.xml")
        let relay = try #require(report.findings.first { $0.rule == "proxy-relays-unfree-state" })
        #expect(relay.evidence.first?.quote.hasPrefix("KZ: Not Free") == true)
    }

    @Test("a mistake in a profile is a load error with file and line")
    func strictProfiles() throws {
        let dir = try TempDir()
        let copy = dir.url.appendingPathComponent("Rules")
        try FileManager.default.copyItem(at: Paths.rules, to: copy)
        let file = copy.appendingPathComponent("profiles/KZ.yaml")
        var lines = try String(contentsOf: file, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let i = try #require(lines.firstIndex { $0.contains("edition: 2025") })
        lines[i] = lines[i].replacingOccurrences(of: "score: 23", with: "score: 230").replacingOccurrences(of: "\"FH-FIW\"", with: "\"FH-FIX\"")
        try Data(lines.joined(separator: "\n").utf8).write(to: file)
        do {
            _ = try RulePack.load(from: copy)
            Issue.record("expected a load error")
        } catch {
            let text = error.description
            #expect(text.contains("profiles/KZ.yaml:\(i + 1): score must be a whole number from 0 to 100"))
            #expect(text.contains("profiles/KZ.yaml:\(i + 1): unknown source id \"FH-FIX\""))
        }
    }

    @Test("winnow profiles show KZ --as-of 2019-06-01 differs from today's profile")
    func showCommand() throws {
        let old = try runWinnow(["profiles", "show", "KZ", "--as-of", "2019-06-01"])
        let now = try runWinnow(["profiles", "show", "KZ", "--as-of", "2026-11-29"])
        #expect(old.status == 0 && now.status == 0)
        #expect(old.stdout.contains("Not Free, score 22/100 (edition 2019, data for 2018)"))
        #expect(now.stdout.contains("Not Free, score 23/100 (edition 2025, data for 2024)"))
        #expect(old.stdout.contains("Later findings, not used as of 2019-06-01: 1"))
        let json = try runWinnow(["profiles", "show", "kz", "--format", "json", "--as-of", "2019-06-01"])
        let view = try JSONDecoder().decode(ProfileView.self, from: Data(json.stdout.utf8))
        #expect(view.findings.count == 2 && view.state == "KZ")
        #expect(try runWinnow(["profiles", "show", "ZZ"]).status == 2)
        let list = try runWinnow(["profiles", "list"])
        #expect(list.stdout.split(separator: "\n").count == 48)
    }
}
