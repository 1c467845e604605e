import Foundation
import Testing
@testable import WinnowRules
import WinnowIntake
import WinnowModel
import Winnow

/// The requested state's own statutes (`Rules/requested-states/`) and the EU case law on the EAW:
/// cited where they govern, never elsewhere.
@Suite("Requested states' law")
struct RequestedStateLawTests {
    @Test("the six states of the issue have statute files, each entry with a source or UNVERIFIED")
    func coverage() {
        for state in ["BE", "DE", "ES", "FR", "GB", "NL"] {
            let laws = shippedPack.requestedStateLaw[state] ?? []
            #expect(!laws.isEmpty, "no statutes for \(state)")
            for id in laws {
                let c = shippedPack.sources[id]
                #expect(c != nil && c!.url != nil || c?.note?.contains("UNVERIFIED") == true || c?.note?.contains("read") == true,
                        "\(id) names neither where it was read nor that it is unverified")
                #expect(shippedPack.sourceScopes[id]?.state == state)
            }
        }
    }

    @Test("a statute is cited exactly when the request is addressed to its state, is one of its instruments and the rule cites a source it stands beside",
          arguments: Paths.sampleRequests)
    func citedWhereItApplies(_ name: String) throws {
        let report = try screenSample(name)
        let request = try makeIntake().load(path: Paths.sample(name))
        let laws = shippedPack.requestedStateLaw[request.requestedState] ?? []
        for finding in report.findings + report.mitigations {
            let rule = try #require(shippedPack.rule(id: finding.rule))
            let cited = Set(finding.citations.map(\.id))
            for c in finding.citations {
                guard let scope = shippedPack.sourceScopes[c.id], let state = scope.state else { continue }
                #expect(state == request.requestedState, "\(finding.rule) cites \(c.id) in a request to \(request.requestedState)")
                #expect(c.note?.hasPrefix("the requested state's own law (\(state))") == true)
            }
            for id in laws {
                let scope = try #require(shippedPack.sourceScopes[id])
                let applies = !Set(rule.cite).isDisjoint(with: scope.alongside)
                    && (scope.instruments.isEmpty || scope.instruments.contains(request.instrument))
                #expect(cited.contains(id) == applies, "\(name): \(finding.rule) and \(id)")
            }
        }
    }

    @Test("the Tajik writer's extradition to Germany cites IRG § 6 beside the 1957 Convention; addressed to Austria it cites no statute")
    func germanStatuteAndNone() throws {
        let text = try String(contentsOfFile: Paths.sample("extradition-tj-writer-relatives-held.json"), encoding: .utf8)
        let screener = Screener(pack: shippedPack, asOf: testToday)
        let german = screener.screen(try makeIntake().load(path: Paths.sample("extradition-tj-writer-relatives-held.json")), file: "de")
        let withECE = german.findings.filter { $0.citations.contains { $0.id == "ECE-3" } }
        #expect(!withECE.isEmpty)
        #expect(withECE.allSatisfy { $0.citations.contains { $0.id == "DE-IRG-6" } })
        // An MLA statute never appears in an extradition.
        #expect(!german.findings.contains { $0.citations.contains { $0.id == "DE-STPO-160A" } })

        let dir = try TempDir()
        var json = try JSONSerialization.jsonObject(with: Data(text.utf8)) as! [String: Any]
        json["requestedState"] = "AT"
        let path = try dir.write("at.json", String(decoding: try JSONSerialization.data(withJSONObject: json), as: UTF8.self))
        let austrian = screener.screen(try makeIntake().load(path: path), file: path)
        #expect(!austrian.findings.isEmpty)
        #expect(!(austrian.findings + austrian.mitigations).flatMap(\.citations).contains { shippedPack.sourceScopes[$0.id]?.state != nil })
    }

    @Test("the EU line on the EAW (Aranyosi, Dorobantu, LM) is cited for a European arrest warrant and for nothing else")
    func euCaseLaw() throws {
        let rule = try #require(shippedPack.rule(id: "surrender-to-unfree-state"))
        let eaw = try makeIntake().load(path: Paths.sample("eaw-pl-theft.json"))
        let evaluator = Evaluator(pack: shippedPack)
        func ids(_ request: Request) -> Set<String> {
            let sheet = FactSheet(catalogue: shippedPack.catalogue, context: FactContext(request: request, asOf: testToday, profiles: shippedPack.profiles))
            return Set(evaluator.citations(rule, instrument: request.instrument, sheet: sheet).map(\.id))
        }
        #expect(ids(eaw).isSuperset(of: ["ARANYOSI", "DOROBANTU", "LM"]))
        let extradition = try makeIntake().load(path: Paths.sample("extradition-tj-writer-relatives-held.json"))
        #expect(ids(extradition).isDisjoint(with: ["ARANYOSI", "DOROBANTU", "LM"]))
    }

    @Test("a statute file is checked: its state is its name, what it stands beside exists, its ids are new")
    func loaderChecks() throws {
        let dir = try TempDir()
        let rules = dir.url.appendingPathComponent("Rules")
        try FileManager.default.copyItem(at: Paths.rules, to: rules)
        let folder = rules.appendingPathComponent("requested-states")
        let entry = { (id: String, alongside: String) in
            "  - id: \(id)\n    citation: A statute\n    holds: something\n    instruments: [mla]\n    alongside: [\(alongside)]\n"
        }
        try Data(("version: 1\nstate: DE\nname: Wrong file\nsources:\n" + entry("XX-1", "ECHR-8")).utf8)
            .write(to: folder.appendingPathComponent("AT.yaml"))
        try Data(("version: 1\nstate: IT\nname: Italy\nsources:\n" + entry("IT-1", "ECHR-99") + entry("ECHR-3", "ECHR-8")).utf8)
            .write(to: folder.appendingPathComponent("IT.yaml"))
        do {
            _ = try RulePack.load(from: rules)
            Issue.record("a pack with bad statute files loaded")
        } catch {
            let text = error.problems.map(\.description).joined(separator: "\n")
            #expect(text.contains("AT.yaml") && text.contains("state must be an ISO 3166-1 alpha-2 code and the file's name (AT.yaml)"), "\(text)")
            #expect(text.contains("IT-1: alongside names \"ECHR-99\""), "\(text)")
            #expect(text.contains("source id \"ECHR-3\" is already used"), "\(text)")
        }
    }
}
