import Foundation
import Testing
@testable import Winnow

@Suite("Batch")
struct BatchTests {
    /// A folder with every sample request and one broken file.
    func corpus() throws -> TempDir {
        let dir = try TempDir()
        for name in Paths.sampleRequests {
            try FileManager.default.copyItem(at: Paths.samples.appendingPathComponent(name), to: dir.url.appendingPathComponent(name))
        }
        try dir.write("zz-broken.xml", "<request xmlns=\"urn:winnow:request:1\"><id>")
        return dir
    }

    @Test("a batch screens every file in order, lists a bad one with its error, and exits 2")
    func batch() throws {
        let dir = try corpus()
        let summary = dir.url.appendingPathComponent("summary.jsonl").path
        let reports = dir.url.appendingPathComponent("reports").path
        let result = try runWinnow(["batch", dir.url.path, "--summary", summary, "--reports", reports, "--jobs", "2", "--as-of", "2026-11-29"])
        #expect(result.status == 2, "\(result.stderr)")
        let rows = try String(contentsOfFile: summary, encoding: .utf8).split(separator: "\n").map {
            try JSONDecoder().decode(BatchRow.self, from: Data($0.utf8))
        }
        #expect(rows.map { URL(fileURLWithPath: $0.file).lastPathComponent } == Paths.sampleRequests + ["zz-broken.xml"])
        #expect(rows.last?.error?.contains("zz-broken.xml:1: Premature end of data") == true)
        #expect(result.stderr.contains("zz-broken.xml:1: Premature end of data"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: reports).count == Paths.sampleRequests.count)
        let expected = try SampleExpectations.load(path: Paths.sample("expected.json"))
        for entry in expected.entries {
            let row = try #require(rows.first { $0.file.hasSuffix("/" + entry.file) })
            #expect(row.band == entry.band, "\(entry.file)")
        }
        // Without reports the batch screens for scores and fired rules only: the same summary.
        try FileManager.default.removeItem(atPath: reports)   // else its .json reports would be inputs
        let bare = dir.url.appendingPathComponent("bare.jsonl").path
        _ = try runWinnow(["batch", dir.url.path, "--summary", bare, "--jobs", "2", "--as-of", "2026-11-29"])
        // The same rows, but for the report files that only the first batch wrote.
        func withoutReports(_ path: String) throws -> [BatchRow] {
            try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map {
                var row = try JSONDecoder().decode(BatchRow.self, from: Data($0.utf8))
                row.report = nil
                return row
            }
        }
        #expect(try withoutReports(bare) == withoutReports(summary))
        #expect(try String(contentsOfFile: summary, encoding: .utf8).contains("\"report\":"))
    }

    @Test("folders are walked to their .xml and .json files in sorted order; patterns are globbed")
    func requestFiles() throws {
        let dir = try TempDir()
        try FileManager.default.createDirectory(at: dir.url.appendingPathComponent("sub/deeper"), withIntermediateDirectories: true)
        for name in ["b.json", "a.xml", "notes.txt", "sub/c.xml", "sub/deeper/d.json", "sub/deeper/e.yaml"] {
            try dir.write(name, "x")
        }
        let base = dir.url.path
        #expect(RequestFiles.expand([base]) == ["a.xml", "b.json", "sub/c.xml", "sub/deeper/d.json"].map { "\(base)/\($0)" })
        #expect(RequestFiles.expand([base + "/"]) == RequestFiles.expand([base]))
        #expect(RequestFiles.expand([base + "/*.json"], globs: true) == ["\(base)/b.json"])
        #expect(RequestFiles.expand([base + "/*.json"]) == ["\(base)/*.json"], "without globs a pattern is a file name")
        #expect(RequestFiles.expand([base + "/missing.xml"]) == ["\(base)/missing.xml"], "a missing file is left for intake to report")
        #expect(RequestFiles.absolute("x/../y/./z.json", cwd: "/tmp/w") == "/tmp/w/y/z.json")
        #expect(RequestFiles.absolute("/a//b/../c/") == "/a/c")
    }

    @Test("a summary line is the row as sorted-key JSON, and reads back as the same row")
    func jsonLine() throws {
        let plain = BatchRow(file: "in/a.xml", id: "R-1", instrument: "mla", requestingState: "KZ", subject: "Aliya Nurlanovna",
                             score: 72, band: .critical, topReasons: ["refugee-search", "lawyer-files"], resumed: false)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        #expect(plain.jsonLine == String(decoding: try encoder.encode(plain), as: UTF8.self))
        let awkward = BatchRow(file: "dir/\"odd\",\nname\t\u{1}.xml", id: nil, instrument: nil, requestingState: nil,
                               subject: "Ölçek “Ю” / 名", score: nil, band: nil, topReasons: [],
                               error: "dir/x.xml:3: bad \\ value", resumed: true)
        for row in [plain, awkward] {
            #expect(try JSONDecoder().decode(BatchRow.self, from: Data(row.jsonLine.utf8)) == row)
            #expect(!row.jsonLine.contains("\n"))
        }
    }

    @Test("a registry import or an expectations file in the folder is left out, not counted as bad input")
    func ownFiles() throws {
        let dir = try TempDir()
        let summary = dir.url.appendingPathComponent("s.jsonl").path
        let result = try runWinnow(["batch", "SampleRequests", "--summary", summary, "--as-of", "2026-11-29"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("SampleRequests/registry/demo.json (registry import)"))
        #expect(result.stderr.contains("SampleRequests/expected.json (expected bands of samples)"))
        #expect(try String(contentsOfFile: summary, encoding: .utf8).split(separator: "\n").count == Paths.sampleRequests.count)
    }

    @Test("--fail-on exits 1 when a request reaches the band, 0 when none does")
    func failOn() throws {
        let critical = try runWinnow(["batch", "SampleRequests/interpol-red-notice-ru-activist.xml", "SampleRequests/eaw-pl-theft.json", "--fail-on", "high"])
        #expect(critical.status == 1)
        let low = try runWinnow(["batch", "SampleRequests/eaw-pl-theft.json", "SampleRequests/mla-ch-investment-fraud.json", "--fail-on", "high"])
        #expect(low.status == 0, "\(low.stderr)")
        #expect(low.stderr.contains("2 requests in"))
    }

    @Test("requests from different states about the same person and complainant are linked across the batch")
    func links() throws {
        let dir = try TempDir()
        let summary = dir.url.appendingPathComponent("s.csv").path
        let reports = dir.url.appendingPathComponent("r")
        let result = try runWinnow(["batch", "SampleRequests/mla-kz-refugee-lawyer-search.json", "SampleRequests/extradition-ua-proxy-same-subject.xml",
                                    "SampleRequests/eaw-pl-theft.json", "--summary", summary, "--reports", reports.path])
        #expect(result.status == 0, "\(result.stderr)")
        let report = try JSONDecoder().decode(Report.self, from: Data(contentsOf: reports.appendingPathComponent(BatchRunner.reportName(for: "SampleRequests/mla-kz-refugee-lawyer-search.json", extension: "json"))))
        let subject = try #require(report.findings.first { $0.rule == "batch-same-subject-other-state" })
        #expect(subject.evidence.first?.file == "SampleRequests/extradition-ua-proxy-same-subject.xml")
        #expect(report.findings.contains { $0.rule == "batch-same-complainant-other-state" })
        let theft = try JSONDecoder().decode(Report.self, from: Data(contentsOf: reports.appendingPathComponent(BatchRunner.reportName(for: "SampleRequests/eaw-pl-theft.json", extension: "json"))))
        #expect(!theft.findings.contains { $0.rule.hasPrefix("batch-") })
        let csv = try String(contentsOfFile: summary, encoding: .utf8)
        #expect(csv.hasPrefix(BatchRow.csvHeader + "\n"))
        #expect(csv.split(separator: "\n").count == 4)
    }

    @Test("the link index pairs requests from different states only, and the exact pass makes the evidence")
    func linkIndex() throws {
        let intake = Intake(today: Day(year: 2026, month: 11, day: 29)!)
        let theft = try intake.load(path: Paths.sample("eaw-pl-theft.json"))
        var sameCaseOtherState = theft
        sameCaseOtherState.requestingState = "DE"
        let requests = [theft, theft, sameCaseOtherState,
                        try intake.load(path: Paths.sample("mla-kz-refugee-lawyer-search.json")),
                        try intake.load(path: Paths.sample("extradition-ua-proxy-same-subject.xml"))]
        var index = BatchRunner.BatchLinkIndex()
        var keys: [Int: BatchRunner.LinkKeys] = [:]
        for (i, request) in requests.enumerated() {
            let k = BatchRunner.LinkKeys(index: i, file: "f\(i)", request: request)
            keys[i] = k
            index.add(BatchRunner.LinkKeys.hashes(of: request), index: i)
        }
        #expect(MemoryLayout<BatchRunner.BatchLinkIndex.Posting>.stride == 24, "what a request keeps until the end of the batch")
        let candidates = index.candidates()
        #expect(!candidates.contains { $0.a == 0 && $0.b == 1 }, "two requests from the same state are never a pair")
        #expect(candidates.contains { $0.kind == .caseNumber && $0.a == 0 && $0.b == 2 })
        let links = BatchRunner.links(candidates, keys: keys)
        let caseLink = try #require(links[0]?["batch.case_number_other_state"]?.evidence.first)
        #expect(caseLink.file == "f2" && caseLink.pointer == "/caseReferences/0/number" && caseLink.quote.contains(Identifiers.caseNumber("III Kop 88/25")))
        #expect(links[3]?["batch.subject_other_state"]?.value == .bool(true))
        #expect(links[4]?["batch.subject_other_state"]?.evidence.first?.file == "f3")
        #expect(links[3]?["batch.complainant_other_state"] != nil)
        #expect(links[0]?["batch.subject_other_state"]?.evidence.map(\.file) == ["f2"], "the copy from PL itself is no link")
        #expect(BatchRunner.links(candidates, keys: keys).mapValues { $0.mapValues(\.evidence) } == links.mapValues { $0.mapValues(\.evidence) },
                "the same batch gives the same evidence in the same order")
    }

    @Test("--resume skips requests whose report is complete and screens the rest")
    func resume() throws {
        let dir = try corpus()
        try FileManager.default.removeItem(at: dir.url.appendingPathComponent("zz-broken.xml"))
        let reports = dir.url.appendingPathComponent("reports")
        #expect(try runWinnow(["batch", dir.url.path, "--reports", reports.path]).status == 0)
        let files = try FileManager.default.contentsOfDirectory(atPath: reports.path).sorted()
        // Lose two reports, as a kill would (atomic writes leave none half-written).
        for f in files.prefix(2) { try FileManager.default.removeItem(at: reports.appendingPathComponent(f)) }
        let summary = dir.url.appendingPathComponent("s.jsonl").path
        let again = try runWinnow(["batch", dir.url.path, "--reports", reports.path, "--resume", "--summary", summary])
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stderr.contains("\(files.count - 2) resumed"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: reports.path).sorted() == files)
        let rows = try String(contentsOfFile: summary, encoding: .utf8).split(separator: "\n").map { try JSONDecoder().decode(BatchRow.self, from: Data($0.utf8)) }
        #expect(rows.filter(\.resumed).count == files.count - 2)
        #expect(rows.allSatisfy { $0.band != nil })
    }

    @Test("--resume recognises a complete report in every format, an incomplete low one included", arguments: BatchRunner.ReportFormat.allCases)
    func resumeEveryFormat(_ format: BatchRunner.ReportFormat) throws {
        let dir = try TempDir()
        let reports = dir.url.appendingPathComponent("reports").path
        let summary = dir.url.appendingPathComponent("s.jsonl").path
        // Without a registry the Polish EAW reads "LOW, INCOMPLETE".
        let args = ["batch", "SampleRequests/eaw-pl-theft.json", "--format", format.rawValue, "--reports", reports, "--summary", summary,
                    "--as-of", testToday.description]
        #expect(try runWinnow(args).status == 0)
        let again = try runWinnow(args + ["--resume"])
        #expect(again.status == 0 && again.stderr.contains("1 resumed"), "\(format.rawValue): \(again.stderr)")
        let row = try JSONDecoder().decode(BatchRow.self, from: Data(try String(contentsOfFile: summary, encoding: .utf8).utf8))
        #expect(row.resumed && row.band == .low)
        #expect(row.score == (try screenSample("eaw-pl-theft.json").score))
    }

    @Test("usage: --resume needs --reports; an unknown format is refused; an empty folder is bad input")
    func usage() throws {
        #expect(try runWinnow(["batch", "SampleRequests", "--resume"]).status == 2)
        #expect(try runWinnow(["batch", "SampleRequests", "--format", "pdf"]).status == 2)
        let dir = try TempDir()
        #expect(try runWinnow(["batch", dir.url.path]).status == 2)
    }
}
