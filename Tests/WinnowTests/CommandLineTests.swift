import Foundation
import Testing
@testable import Winnow
@testable import WinnowRules

@Suite("Command line")
struct CommandLineTests {
    @Test("validate SampleRequests/* exits 0, the expectations file included")
    func validateSamples() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Paths.samples.path).sorted()
            .map { "SampleRequests/\($0)" }
        let result = try runWinnow(["validate"] + files)
        #expect(result.status == 0, "stderr: \(result.stderr)")
        // Folders are searched for .xml and .json files: the requests, expected.json, the registry
        // file, the INTERPOL notice record.
        let inputs = (FileManager.default.enumerator(atPath: Paths.samples.path)?.allObjects as? [String] ?? [])
            .filter { $0.hasSuffix(".xml") || $0.hasSuffix(".json") }
        #expect(inputs.count == Paths.sampleRequests.count + 3)
        #expect(result.stderr.contains("\(inputs.count) valid, 0 invalid"))
    }

    @Test("validate reports every bad file and still checks the good ones")
    func mixed() throws {
        let dir = try TempDir()
        let bad = try dir.write("bad.json", "{")
        let result = try runWinnow(["validate", bad, "SampleRequests/eaw-pl-theft.json"])
        #expect(result.status == 2)
        #expect(result.stdout.contains("SampleRequests/eaw-pl-theft.json: valid (eaw, PL -> DE)"))
        #expect(result.stderr.contains("\(bad):1: "))
        #expect(result.stderr.contains("1 valid, 1 invalid"))
    }

    @Test("usage errors exit 2", arguments: [
        ["validate"], ["frobnicate"], ["validate", "--as-of", "yesterday", "x.json"], ["convert", "x.json", "--to", "yaml"],
    ])
    func usage(_ arguments: [String]) throws {
        let result = try runWinnow(arguments)
        #expect(result.status == 2, "stderr: \(result.stderr)")
        #expect(!result.stderr.isEmpty)
    }

    @Test("--help and --version exit 0")
    func help() throws {
        let help = try runWinnow(["--help"])
        #expect(help.status == 0)
        #expect(help.stdout.contains("validate"))
        #expect(try runWinnow(["--version"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "0.1.0")
    }

    @Test("convert writes the other form, atomically to -o")
    func convert() throws {
        let dir = try TempDir()
        let out = dir.url.appendingPathComponent("out.xml").path
        let result = try runWinnow(["convert", "SampleRequests/eaw-pl-theft.json", "--to", "xml", "-o", out])
        #expect(result.status == 0)
        #expect(try runWinnow(["validate", out]).status == 0)
    }

    @Test("explain RULE-ID prints the rule's section, its sources in full and what each fact means; a typo gets a suggestion")
    func explain() throws {
        let result = try runWinnow(["explain", "request-soon-after-protection"])
        #expect(result.status == 0)
        let rule = try #require(shippedPack.rule(id: "request-soon-after-protection"))
        #expect(result.stdout.hasPrefix(RuleReference.section(rule, pack: shippedPack).joined(separator: "\n")))
        #expect(result.stdout.contains("REFCONV-33: Convention relating to the Status of Refugees"))
        for fact in rule.facts { #expect(result.stdout.contains("- \(fact) (registry): \(shippedPack.catalogue[fact]!.description)")) }
        let typo = try runWinnow(["explain", "refugee-protected-against-requesting-stat"])
        #expect(typo.status == 2 && typo.stdout.isEmpty)
        #expect(typo.stderr.contains("did you mean \"refugee-protected-against-requesting-state\"?"))
    }
}
