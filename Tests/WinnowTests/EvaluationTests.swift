import Foundation
import Testing
@testable import Winnow

/// The evaluation set as a regression test: every case screens as of its date, and the measured
/// quality does not fall below what this release recorded (docs/scoring.md). The issue's targets
/// live in Evaluation/targets.json and are what `winnow eval` judges; this test guards against a
/// rule change that makes the pack worse on real cases. Never timed.
@Suite("Evaluation set")
struct EvaluationSetTests {
    static let folder = Paths.root.appendingPathComponent("Evaluation").path

    @Test("every case of the evaluation set screens, and the pack keeps its recorded quality")
    func regression() throws {
        let (cases, targets) = try EvaluationSet.load(Self.folder)
        #expect(cases.count >= 40)
        let result = EvaluationRun(pack: shippedPack, targets: targets).run(cases)
        for row in result.rows { #expect(row.error == nil, "\(row.id): \(row.error ?? "")") }
        let labels = Dictionary(grouping: result.rows, by: \.label).mapValues(\.count)
        #expect((labels[.abusive] ?? 0) >= 15 && (labels[.legitimate] ?? 0) >= 15 && (labels[.mixed] ?? 0) >= 1)
        // Recorded on 2026-12-03: AUC 0.952, one abusive case below high, two legitimate cases from
        // unfree states at high. A change may improve these, never worsen them.
        let auc = try #require(result.auc)
        #expect(auc >= 0.95, "AUC fell to \(auc)")
        #expect(result.misses.count <= 1, "misses: \(result.misses)")
        let unfreeAlarms = result.rows.filter { $0.label == .legitimate && $0.fromUnfreeState && ($0.band ?? .low) >= .high }
        #expect(unfreeAlarms.count <= 2, "\(unfreeAlarms.map(\.id))")
        // No case reaches high from its requesting state's record alone.
        for row in result.rows where (row.casePoints ?? 0) <= 0 { #expect((row.band ?? .low) < .high, "\(row.id)") }
    }

    @Test("cases are screened with what was known on their day: profiles and registry as of asOf")
    func asOfDay() throws {
        let (cases, targets) = try EvaluationSet.load(Self.folder)
        let run = EvaluationRun(pack: shippedPack, targets: targets)
        // Turkey was rated Partly Free until the 2018 edition (public early 2018), Not Free after.
        let yalcin = try #require(cases.first { $0.meta.id == "yalcin-tr-es-2017" })
        let kenes = try #require(cases.first { $0.meta.id == "kenes-tr-se-2022" })
        #expect(run.screen(yalcin).requestingStateStatus == "Partly Free")
        #expect(run.screen(kenes).requestingStateStatus == "Not Free")
        // A protection granted after the day is not seen: move the grant past the request's arrival.
        let dir = try TempDir()
        var kulachenkov = try #require(cases.first { $0.meta.id == "kulachenkov-ru-cy-2016" })
        let onTheDay = run.screen(kulachenkov)
        #expect(onTheDay.topReasons.contains { $0.hasPrefix("refugee-protected-against-requesting-state") })
        let registry = try String(contentsOfFile: try #require(kulachenkov.registryPath), encoding: .utf8)
        kulachenkov.registryPath = try dir.write("registry.json", registry.replacingOccurrences(of: "\"2015-12-15\"", with: "\"2016-03-01\""))
        let later = run.screen(kulachenkov)
        #expect(later.error == nil)
        #expect(!later.topReasons.contains { $0.hasPrefix("refugee-protected-against-requesting-state") })
        #expect((later.score ?? 0) < (onTheDay.score ?? 0))
    }

    @Test("ROC AUC is the share of abusive-legitimate pairs ranked right, ties counting half")
    func auc() {
        #expect(EvaluationRun.auc(positives: [90, 80], negatives: [10, 20]) == 1)
        #expect(EvaluationRun.auc(positives: [10], negatives: [90]) == 0)
        #expect(EvaluationRun.auc(positives: [50, 70], negatives: [50, 10]) == 0.875)
        #expect(EvaluationRun.auc(positives: [], negatives: [1]) == nil)
    }

    @Test("a bad case is an error naming the file and the JSON Pointer; every problem is listed")
    func badCase() throws {
        let dir = try TempDir()
        try FileManager.default.createDirectory(at: dir.url.appendingPathComponent("a"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: dir.url.appendingPathComponent("b"), withIntermediateDirectories: true)
        _ = try dir.write("a/case.json", #"{"winnowCase": "1.0", "id": "a", "title": "t", "asOf": "2020-01-01", "labelBasis": "x", "rebuilt": "y", "sources": []}"#)
        _ = try dir.write("b/case.json", #"{"winnowCase": "1.0", "id": "b", "title": "t", "label": "maybe", "asOf": "2020-01-01", "labelBasis": "x", "rebuilt": "y", "sources": []}"#)
        #expect {
            try EvaluationSet.load(dir.url.path)
        } throws: { error in
            let text = "\(error)"
            return text.contains("a/case.json: /label: missing") && text.contains("b/case.json: /label:")
        }
    }

    @Test("winnow eval prints the targets and exits 0 when they are met, 1 when not, 2 on bad input")
    func command() throws {
        let dir = try TempDir()
        let base = Paths.root.appendingPathComponent("Evaluation/cases")
        for id in ["silaev-ru-es-2012", "tappin-us-gb-2010"] {
            try FileManager.default.copyItem(at: base.appendingPathComponent(id), to: dir.url.appendingPathComponent(id))
        }
        _ = try dir.write("targets.json", #"{"minAUC": 0.9, "abusiveAtLeast": "high", "maxUnfreeLegitimateAtHigh": 0.1, "minAbusive": 1, "minLegitimate": 1, "minUnfreeLegitimate": 0}"#)
        let met = try runWinnow(["eval", dir.url.path])
        #expect(met.status == 0, "\(met.stdout)\(met.stderr)")
        #expect(met.stdout.contains("targets MET") && met.stdout.contains("ROC AUC, abusive against legitimate: 1.000"))
        _ = try dir.write("targets.json", #"{"minAUC": 0.9, "abusiveAtLeast": "high", "maxUnfreeLegitimateAtHigh": 0.1, "minAbusive": 5, "minLegitimate": 1, "minUnfreeLegitimate": 0}"#)
        let unmet = try runWinnow(["eval", dir.url.path, "--format", "json"])
        #expect(unmet.status == 1)
        let object = try JSONSerialization.jsonObject(with: Data(unmet.stdout.utf8)) as? [String: Any]
        #expect((object?["rows"] as? [Any])?.count == 2)
        let bad = try runWinnow(["eval", dir.url.appendingPathComponent("nothing-here").path])
        #expect(bad.status == 2 && bad.stderr.contains("no cases here"))
    }

    @Test("Evaluation/README.md lists every case with its label, states and date")
    func readmeTable() throws {
        let (cases, _) = try EvaluationSet.load(Self.folder)
        let readme = try String(contentsOfFile: Self.folder + "/README.md", encoding: .utf8)
        var listed = Set<String>()
        for line in readme.split(separator: "\n") where line.hasPrefix("| ") && line.contains(" → ") && !line.hasPrefix("| id ") {
            listed.insert(line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: "|"))
        }
        for c in cases {
            let r = try makeIntake().load(path: c.requestPath)
            let row = "\(c.meta.id)|\(c.meta.label.rawValue)|\(r.requestingState) → \(r.requestedState)|\(c.meta.asOf)"
            #expect(listed.contains(row), "missing or stale in Evaluation/README.md: \(row)")
        }
        #expect(listed.count == cases.count)
    }
}
