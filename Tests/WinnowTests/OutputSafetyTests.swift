#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Testing
@testable import Winnow
@testable import WinnowRegistry
import WinnowModel

/// Nothing lost, nothing injected: what the batch and the other commands write, under unlucky
/// or hostile input. Each test reproduces a fault first observed by probing.
@Suite("Outputs under faults")
struct OutputSafetyTests {
    func sampleJSON(_ name: String = "eaw-pl-theft.json") throws -> String {
        try String(contentsOfFile: Paths.sample(name), encoding: .utf8)
    }

    func rows(_ path: String) throws -> [BatchRow] {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map { try JSONDecoder().decode(BatchRow.self, from: Data($0.utf8)) }
    }

    @Test("two inputs never share a report, a long path still gets one, and the summary names each report")
    func uniqueReportNames() throws {
        let dir = try TempDir()
        let input = dir.url.appendingPathComponent("in")
        try FileManager.default.createDirectory(at: input.appendingPathComponent("a"), withIntermediateDirectories: true)
        _ = try dir.write("in/a/x.json", try sampleJSON())
        _ = try dir.write("in/a__x.json", try sampleJSON("mla-ch-investment-fraud.json"))
        let long = String(repeating: "n", count: 240) + ".json"
        _ = try dir.write("in/" + long, try sampleJSON())
        let reports = dir.url.appendingPathComponent("reports").path, summary = dir.url.appendingPathComponent("s.jsonl").path
        let result = try runWinnow(["batch", input.path, "--reports", reports, "--summary", summary, "--as-of", "2026-11-29"])
        #expect(result.status == 0, "\(result.stderr)")
        let written = try FileManager.default.contentsOfDirectory(atPath: reports)
        #expect(written.count == 3)
        #expect(written.allSatisfy { $0.utf8.count < 255 })
        let lines = try rows(summary)
        #expect(Set(lines.compactMap(\.report)).count == 3)
        for row in lines {
            let report = try #require(row.report)
            let data = try Data(contentsOf: URL(fileURLWithPath: report))
            #expect(try JSONDecoder().decode(Report.self, from: data).request.file == row.file, "the report named in the summary is this request's")
        }
        #expect(BatchRunner.reportName(for: "a/x.json", extension: "json") != BatchRunner.reportName(for: "a__x.json", extension: "json"))
    }

    @Test("--resume takes a report only when it is this request's, and rewrites one that is not")
    func resumeChecksOwnership() throws {
        let dir = try TempDir()
        let input = dir.url.appendingPathComponent("in")
        try FileManager.default.createDirectory(at: input, withIntermediateDirectories: true)
        _ = try dir.write("in/one.json", try sampleJSON())
        _ = try dir.write("in/two.json", try sampleJSON("mla-ch-investment-fraud.json"))
        let reports = dir.url.appendingPathComponent("reports"), summary = dir.url.appendingPathComponent("s.jsonl").path
        _ = try runWinnow(["batch", input.path, "--reports", reports.path, "--summary", summary, "--as-of", "2026-11-29"])
        let first = try rows(summary)
        // Put the second request's report where the first one's belongs.
        let one = try #require(first.first { $0.file.hasSuffix("one.json") }?.report)
        let two = try #require(first.first { $0.file.hasSuffix("two.json") }?.report)
        try FileManager.default.removeItem(atPath: one)
        try FileManager.default.copyItem(atPath: two, toPath: one)
        let again = try runWinnow(["batch", input.path, "--reports", reports.path, "--summary", summary, "--resume", "--as-of", "2026-11-29"])
        #expect(again.status == 0, "\(again.stderr)")
        let second = try rows(summary)
        #expect(second.count == 2)
        #expect(second.first { $0.file.hasSuffix("one.json") }?.resumed == false)
        #expect(second.first { $0.file.hasSuffix("two.json") }?.resumed == true)
        let rewritten = try JSONDecoder().decode(Report.self, from: Data(contentsOf: URL(fileURLWithPath: one)))
        #expect(rewritten.request.file.hasSuffix("one.json"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: reports.path).filter { $0.hasSuffix(".partial") || $0.hasPrefix(".") }.isEmpty)
    }

    @Test("a report or a reports folder that cannot be written is an error on stderr and exit 2, never a silent loss")
    func unwritableReports() throws {
        let dir = try TempDir()
        let input = dir.url.appendingPathComponent("in")
        try FileManager.default.createDirectory(at: input, withIntermediateDirectories: true)
        let file = try dir.write("in/one.json", try sampleJSON())
        // A folder where the report must go: the atomic write cannot replace it.
        let reports = dir.url.appendingPathComponent("reports")
        try FileManager.default.createDirectory(at: reports.appendingPathComponent(BatchRunner.reportName(for: file, extension: "json")),
                                                withIntermediateDirectories: true)
        let blocked = try runWinnow(["batch", file, "--reports", reports.path, "--summary", dir.url.appendingPathComponent("s.jsonl").path])
        #expect(blocked.status == 2)
        #expect(blocked.stderr.contains("screened, but its report could not be written"))
        // A reports folder under a plain file cannot be created.
        let plain = try dir.write("plain", "x")
        let noFolder = try runWinnow(["batch", file, "--reports", plain + "/reports"])
        #expect(noFolder.status == 2)
        #expect(noFolder.stderr.contains("cannot create the reports folder") && !noFolder.stderr.contains("internal error"))
    }

    @Test("an output into a missing folder, or an audit --out that is a file, is one line and exit 2")
    func badOutputPaths() throws {
        let dir = try TempDir()
        let sample = Paths.sample("eaw-pl-theft.json")
        let missing = dir.url.appendingPathComponent("nowhere/s.jsonl").path
        for args in [["batch", sample, "--summary", missing], ["screen", sample, "-o", missing],
                     ["convert", sample, "--to", "xml", "-o", missing], ["eval", "Evaluation", "-o", missing]] {
            let result = try runWinnow(args)
            #expect(result.status == 2, "\(args): \(result.stderr)")
            #expect(result.stderr.contains("does not exist") && !result.stderr.contains("internal error"), "\(args)")
            #expect(result.stderr.split(separator: "\n").count == 1, "\(args): \(result.stderr)")
        }
        let file = try dir.write("a-file", "x")
        let audit = try runWinnow(["audit", Paths.sample("audit/decisions.csv"), "--out", file])
        #expect(audit.status == 2 && audit.stderr.contains("is a file"))
    }

    @Test("a symbolic link is followed, not replaced; - is standard output; a FIFO input never blocks")
    func linksStdoutAndFIFOs() throws {
        let dir = try TempDir()
        let sample = Paths.sample("eaw-pl-theft.json")
        let real = dir.url.appendingPathComponent("real.txt").path, link = dir.url.appendingPathComponent("link.txt").path
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: real)
        let screened = try runWinnow(["screen", sample, "-o", link])
        #expect(screened.status == 0, "\(screened.stderr)")
        #expect((try? FileManager.default.destinationOfSymbolicLink(atPath: link)) == real)
        #expect(try String(contentsOfFile: real, encoding: .utf8).hasPrefix("WINNOW RISK REPORT"))
        let toStdout = try runWinnow(["batch", sample, "--summary", "-"])
        #expect(toStdout.status == 0)
        #expect(try JSONDecoder().decode(BatchRow.self, from: Data(toStdout.stdout.split(separator: "\n")[0].utf8)).band == .low)
        // A FIFO named like a request, with no writer: left out of a folder, refused when named.
        let folder = dir.url.appendingPathComponent("in")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        _ = try dir.write("in/ok.json", try sampleJSON())
        let fifo = folder.appendingPathComponent("pipe.json").path
        #expect(mkfifo(fifo, 0o600) == 0)
        let batch = try runWinnow(["batch", folder.path])
        #expect(batch.status == 0, "\(batch.stderr)")
        #expect(batch.stderr.contains("pipe.json (not a regular file)"))
        let validate = try runWinnow(["validate", fifo])
        #expect(validate.status == 2 && validate.stderr.contains("pipe.json"))
    }

    @Test("CSV cells a spreadsheet would run as formulas are neutralised, and a bare CR is quoted")
    func csvInjection() throws {
        for cell in ["=HYPERLINK(\"http://evil\",\"x\")", "+1", "-2+3", "@SUM(A1)", "\tx", "\rx"] {
            let out = BatchRow.csvField(cell)
            #expect(out.hasPrefix("\"'"), "\(cell) -> \(out)")
        }
        #expect(BatchRow.csvField("a\rb") == "\"a\rb\"")
        #expect(BatchRow.csvField("plain") == "plain")
        // Through the batch: a subject named like a formula.
        let dir = try TempDir()
        let file = try dir.write("f.json", try sampleJSON().replacingOccurrences(of: "Tomasz Jan Wróblewski", with: "=HYPERLINK(\\\"http://x\\\")"))
        let summary = dir.url.appendingPathComponent("s.csv").path
        let result = try runWinnow(["batch", file, "--summary", summary])
        #expect(result.status == 0, "\(result.stderr)")
        let csv = try String(contentsOfFile: summary, encoding: .utf8)
        #expect(csv.contains(",\"'=HYPERLINK(\"\"http://x\"\")\","))
        #expect(!csv.contains(",=HYPERLINK"))
    }

    @Test("control and direction characters from a request are shown, never sent to the terminal")
    func terminalInjection() throws {
        let dir = try TempDir()
        let bad = try dir.write("bad.json", try sampleJSON().replacingOccurrences(of: "\"legalBasis\"", with: "\"\\u001b[31mlegal\\u0007\": 1, \"legalBasis\""))
        let refused = try runWinnow(["validate", bad])
        #expect(refused.status == 2)
        #expect(!refused.stderr.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 })
        #expect(refused.stderr.contains("[U+001B]"))
        let rlo = try dir.write("rlo.json", try sampleJSON().replacingOccurrences(of: "Budmax", with: "Bud\\u202emax"))
        let report = try runWinnow(["screen", rlo])
        #expect(report.status == 0, "\(report.stderr)")
        #expect(!report.stdout.unicodeScalars.contains { $0.value == 0x202E })
        #expect(report.stdout.contains("[U+202E]"))
        #expect("a\u{1B}b\nc".visibleControls(keepingLineFeeds: true) == "a[U+001B]b\nc")
    }

    @Test("several processes recording into one SQLite registry at once lose nothing")
    func concurrentRecording() async throws {
        let dir = try TempDir()
        let db = dir.url.appendingPathComponent("r.sqlite").path
        _ = try Registry.open(path: db)   // created and migrated once, as a deployment would
        var files: [String] = []
        for i in 0..<12 {
            files.append(try dir.write("r\(i).json", try sampleJSON().replacingOccurrences(of: "DE-EAW-2025-1102", with: "DE-EAW-2025-\(2000 + i)")))
        }
        let lanes = (0..<3).map { lane in files.enumerated().filter { $0.offset % 3 == lane }.map(\.element) }
        let statuses = await withTaskGroup(of: Int32.self) { group in
            for lane in lanes {
                group.addTask {
                    var worst: Int32 = 0
                    for file in lane {
                        let r = (try? runWinnow(["screen", file, "--registry", db, "--record", "--format", "json"]))?.status ?? 99
                        worst = max(worst, r)
                    }
                    return worst
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        #expect(statuses.allSatisfy { $0 == 0 }, "\(statuses)")
        #expect(try Registry.open(path: db).counts()["priorRequest"] == 12)
    }

    @Test("a batch killed at several moments and resumed gives every input one complete report and one summary line, and leaves no temporary file")
    func killAndResume() throws {
        let dir = try TempDir()
        let input = dir.url.appendingPathComponent("in")
        try FileManager.default.createDirectory(at: input, withIntermediateDirectories: true)
        let names = Paths.sampleRequests.filter { $0.hasSuffix(".json") }
        var inputs: [String] = []
        for round in 0..<4 {
            for name in names {
                inputs.append(try dir.write("in/\(round)-\(name)", try sampleJSON(name)))
            }
        }
        let reports = dir.url.appendingPathComponent("reports"), summary = dir.url.appendingPathComponent("s.jsonl")
        let args = ["batch", input.path, "--reports", reports.path, "--summary", summary.path, "--jobs", "2", "--resume", "--as-of", "2026-11-29"]
        // Kill after the first, then the third, then the fifth progress line: moments chosen by
        // what the batch has done, not by a clock.
        var interrupted = 0
        for progressLines in [1, 3, 5] {
            let process = Process()
            process.executableURL = Paths.winnow
            process.arguments = args
            process.currentDirectoryURL = Paths.root
            let pipe = Pipe()
            process.standardError = pipe
            process.standardOutput = FileHandle.nullDevice
            try process.run()
            var seen = 0, text = ""
            while seen < progressLines {
                let chunk = pipe.fileHandleForReading.availableData
                if chunk.isEmpty { break }   // finished before the moment came
                text += String(decoding: chunk, as: UTF8.self)
                seen = text.components(separatedBy: "batch: ").count - 1
            }
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            if process.terminationReason == .uncaughtSignal { interrupted += 1 }
        }
        #expect(interrupted >= 1, "no run was killed before it finished")
        let last = try runWinnow(args)
        #expect(last.status == 0, "\(last.stderr)")
        let lines = try rows(summary.path)
        #expect(lines.map(\.file).sorted() == inputs.sorted(), "every input exactly once")
        for row in lines {
            let url = URL(fileURLWithPath: try #require(row.report))
            #expect(try JSONDecoder().decode(Report.self, from: Data(contentsOf: url)).request.file == row.file)
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: reports.path).count == inputs.count)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: reports.path) + FileManager.default.contentsOfDirectory(atPath: dir.url.path)
        #expect(leftovers.filter { $0.hasPrefix(".") }.isEmpty, "\(leftovers.filter { $0.hasPrefix(".") })")
    }

    @Test("conventions: a mistyped command is suggested, a future --as-of is refused, audit takes --as-of")
    func conventions() throws {
        let typo = try runWinnow(["scren", "x.json"])
        #expect(typo.status == 2 && typo.stderr.contains("did you mean \"screen\""))
        let future = try runWinnow(["screen", "SampleRequests/eaw-pl-theft.json", "--as-of", "2999-01-01"])
        #expect(future.status == 2 && future.stderr.contains("is in the future"))
        let dir = try TempDir()
        let audit = try runWinnow(["audit", Paths.sample("audit/decisions.csv"), "--out", dir.url.path, "--as-of", "2026-11-29"])
        #expect(audit.status == 0, "\(audit.stderr)")
        // The batch summary: its format said, not guessed; quiet; the table has a header.
        let sample = Paths.sample("eaw-pl-theft.json")
        let unknown = try runWinnow(["batch", sample, "--summary", dir.url.appendingPathComponent("s.txt").path])
        #expect(unknown.status == 2 && unknown.stderr.contains("--summary-format"))
        let csv = try runWinnow(["batch", sample, "--summary", "-", "--summary-format", "csv", "--quiet"])
        #expect(csv.status == 0 && csv.stdout.hasPrefix(BatchRow.csvHeader + "\n") && csv.stderr.isEmpty, "\(csv.stderr)")
        let table = try runWinnow(["batch", sample])
        #expect(table.stdout.hasPrefix("band\tscore\tfile\t"))
        // A country's name where a code is expected.
        let name = try runWinnow(["profiles", "show", "Kazakhstan"])
        #expect(name.status == 2 && name.stderr.contains("did you mean KZ"))
        let poland = try dir.write("pl.json", try sampleJSON().replacingOccurrences(of: "\"requestingState\": \"PL\"", with: "\"requestingState\": \"Poland\""))
        #expect(try runWinnow(["validate", poland]).stderr.contains("(did you mean \"PL\"?)"))
    }

    @Test("JSON lengths count code points, as the XSD does: combining marks cannot hide a long value")
    func lengthsInCodePoints() throws {
        let long = "A" + String(repeating: "\u{0301}", count: 5000)
        #expect(long.count == 1 && long.unicodeScalars.count == 5001)
        var text = try sampleJSON()
        text = text.replacingOccurrences(of: "\"Tomasz Jan Wróblewski\"", with: "\"\(long)\"")
        let bytes = Array(text.utf8)
        let diagnostics = invalidDiagnostics { () throws(IntakeError) in try makeIntake().load(bytes: bytes, name: "long.json") }
        #expect(diagnostics.contains { $0.message.contains("is longer than") }, "\(diagnostics)")
    }

    /// The Polish theft sample as JSON, with another id, state, subject birth date and case numbers.
    func variant(id: String, state: String, birth: String?, cases: [String] = ["III Kop 88/25"]) throws -> String {
        var object = try JSONSerialization.jsonObject(with: Data(try sampleJSON().utf8)) as! [String: Any]
        object["id"] = id
        object["requestingState"] = state
        var persons = object["persons"] as! [[String: Any]]
        if let birth { persons[0]["birthDate"] = birth } else { persons[0].removeValue(forKey: "birthDate") }
        object["persons"] = persons
        object["caseReferences"] = cases.map { ["number": $0, "state": state, "concerns": ["p1"]] as [String: Any] }
        var offences = object["offences"] as! [[String: Any]]
        offences[0]["placeState"] = state
        object["offences"] = offences
        return String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self)
    }

    @Test("requests sharing thousands of case numbers get bounded evidence, counted as 'and N more'")
    func boundedLinkEvidence() throws {
        let dir = try TempDir()
        try FileManager.default.createDirectory(at: dir.url.appendingPathComponent("in"), withIntermediateDirectories: true)
        let numbers = (0..<2000).map { "K-\($0)/2025" }
        for (i, state) in ["PL", "CZ", "LT", "LV"].enumerated() {
            _ = try dir.write("in/r\(i).json", try variant(id: "R-\(i)", state: state, birth: "1990-01-0\(i + 1)", cases: numbers))
        }
        let reports = dir.url.appendingPathComponent("reports"), summary = dir.url.appendingPathComponent("s.jsonl").path
        let result = try runWinnow(["batch", dir.url.appendingPathComponent("in").path, "--reports", reports.path, "--summary", summary, "--as-of", "2026-11-29"])
        #expect(result.status == 0, "\(result.stderr)")
        for row in try rows(summary) {
            let report = try JSONDecoder().decode(Report.self, from: Data(contentsOf: URL(fileURLWithPath: try #require(row.report))))
            let link = try #require(report.findings.first { $0.rule == "batch-same-case-other-state" })
            #expect(link.evidence.count == 20)
            #expect(link.evidence.last?.note?.contains("and 5980 more links of this kind in the batch") == true, "\(link.evidence.last?.note ?? "")")
        }
    }

    @Test("a name too common to compare as a whole still links on a shared birth date, and what cannot be compared is said")
    func commonNamesLink() throws {
        let dir = try TempDir()
        try FileManager.default.createDirectory(at: dir.url.appendingPathComponent("in"), withIntermediateDirectories: true)
        // 205 Polish requests for one name, each with its own birth date; one from Ukraine with the
        // birth date of the 100th, and one without a birth date.
        for i in 0..<205 {
            let day = Day(ordinal: Day("1970-01-01")!.ordinal + 8000 + i)
            _ = try dir.write("in/pl\(i).json", try variant(id: "PL-\(i)", state: "PL", birth: day.description, cases: ["PL-\(i)/25"]))
        }
        let twin = Day(ordinal: Day("1970-01-01")!.ordinal + 8100).description
        _ = try dir.write("in/ua.json", try variant(id: "UA-1", state: "UA", birth: twin, cases: ["UA-1/25"]))
        _ = try dir.write("in/ua-nobirth.json", try variant(id: "UA-2", state: "UA", birth: nil, cases: ["UA-2/25"]))
        let summary = dir.url.appendingPathComponent("s.jsonl").path
        let result = try runWinnow(["batch", dir.url.appendingPathComponent("in").path, "--summary", summary, "--as-of", "2026-11-29"])
        #expect(result.status == 0, "\(result.stderr)")
        let all = try rows(summary)
        let ua = try #require(all.first { $0.file.hasSuffix("/ua.json") })
        #expect(ua.topReasons.contains("batch-same-subject-other-state"), "\(ua.topReasons)")
        let partner = try #require(all.first { $0.file.hasSuffix("/pl100.json") })
        #expect(partner.topReasons.contains("batch-same-subject-other-state"))
        #expect(all.filter { $0.topReasons.contains("batch-same-subject-other-state") }.count == 2)
        #expect(result.stderr.contains("too common to compare without a birth date"))
    }

    @Test("convert refuses, with the pointer, what the other form cannot hold, and what it writes validates")
    func convertRefusesWhatXMLCannotHold() throws {
        let dir = try TempDir()
        let file = try dir.write("esc.json", try sampleJSON().replacingOccurrences(of: "\"summaryOfFacts\": \"", with: "\"summaryOfFacts\": \"\\u001b[2J"))
        let result = try runWinnow(["convert", file, "--to", "xml"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("/summaryOfFacts: contains U+001B, which XML cannot hold"), "\(result.stderr)")
        #expect(result.stdout.isEmpty)
        for name in Paths.sampleRequests where name.hasSuffix(".json") {
            let xml = dir.url.appendingPathComponent(name + ".xml").path
            #expect(try runWinnow(["convert", Paths.sample(name), "--to", "xml", "-o", xml]).status == 0)
            #expect(try runWinnow(["validate", xml]).status == 0, "\(name)")
        }
    }

    @Test("small hostile documents are refused early: attributes, namespaces, elements, values; schema errors are bounded")
    func structuralLimits() throws {
        let sample = try String(contentsOfFile: Paths.sample("extradition-us-drug-trafficking.xml"), encoding: .utf8)
        func diagnostics(_ text: String, _ name: String) -> [Diagnostic] {
            invalidDiagnostics { () throws(IntakeError) in try makeIntake().load(bytes: Array(text.utf8), name: name) }
        }
        let attributes = (0..<40_000).map { " a\($0)=\"1\"" }.joined()
        let manyAttributes = sample.replacingOccurrences(of: "<request xmlns=\"urn:winnow:request:1\">", with: "<request xmlns=\"urn:winnow:request:1\"\(attributes)>")
        #expect(diagnostics(manyAttributes, "attrs.xml").first?.message.contains("more than 32 attributes") == true)
        let namespaces = (0..<300).map { " xmlns:n\($0)=\"urn:x:\($0)\"" }.joined()
        let manyNamespaces = sample.replacingOccurrences(of: "<request xmlns=\"urn:winnow:request:1\">", with: "<request xmlns=\"urn:winnow:request:1\"\(namespaces)>")
        #expect(diagnostics(manyNamespaces, "ns.xml").first?.message.contains("namespace declarations") == true)
        let evil = sample.replacingOccurrences(of: "<request xmlns=\"urn:winnow:request:1\">", with: "<request xmlns=\"urn:winnow:request:1\" xmlns:xml=\"urn:evil\">")
        #expect(diagnostics(evil, "evil.xml").first?.message.contains("namespace-well-formed") == true, "\(diagnostics(evil, "evil.xml"))")
        let elements = sample.replacingOccurrences(of: "<persons>", with: "<persons>" + String(repeating: "<person/>", count: 60_000))
        #expect(diagnostics(elements, "elements.xml").first?.message.contains("more than 50000 elements") == true)
        let empties = sample.replacingOccurrences(of: "<persons>", with: "<persons>" + String(repeating: "<person/>", count: 5_000))
        let schemaErrors = diagnostics(empties, "empties.xml")
        #expect(schemaErrors.count == 101, "\(schemaErrors.count)")
        #expect(schemaErrors.last?.message.hasPrefix("and ") == true && schemaErrors.last?.message.hasSuffix("more schema errors") == true)
        let json = try sampleJSON().replacingOccurrences(of: "\"linkedRequests\": []", with: "\"linkedRequests\": [" + Array(repeating: "1", count: 100_000).joined(separator: ",") + "]")
        #expect(diagnostics(json, "items.json").first?.message.contains("more than 50000 values") == true)
    }

    @Test("an installed binary finds its rule pack in PREFIX/share/winnow/Rules, outside the checkout")
    func installedLayout() throws {
        let dir = try TempDir()
        let prefix = dir.url.appendingPathComponent("prefix")
        let bin = prefix.appendingPathComponent("bin")
        try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: Paths.winnow, to: bin.appendingPathComponent("winnow"))
        let built = Paths.winnow.deletingLastPathComponent()
        for name in try FileManager.default.contentsOfDirectory(atPath: built.path) where name.hasSuffix(".resources") {
            try FileManager.default.copyItem(at: built.appendingPathComponent(name), to: bin.appendingPathComponent(name))
        }
        try FileManager.default.createDirectory(at: prefix.appendingPathComponent("share/winnow"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: Paths.rules, to: prefix.appendingPathComponent("share/winnow/Rules"))
        let elsewhere = dir.url.appendingPathComponent("elsewhere")
        try FileManager.default.createDirectory(at: elsewhere, withIntermediateDirectories: true)
        var environment = ProcessInfo.processInfo.environment
        environment.removeValue(forKey: "WINNOW_RULES")
        let result = try runProcess(bin.appendingPathComponent("winnow"), ["screen", Paths.sample("eaw-pl-theft.json"), "--format", "json"],
                                    cwd: elsewhere, environment: environment)
        #expect(result.status == 0)
        #expect(try JSONDecoder().decode(Report.self, from: Data(result.stdout.utf8)).band == .low)
    }

    @Test("an INTERPOL public notice record is screened as a Red Notice, its lines kept, what it lacks listed as gaps")
    func interpolNoticeRecord() throws {
        let record = "SampleRequests/interpol/red-notice-record-kz.json"
        let result = try runWinnow(["screen", record, "--from", "interpol-notice", "--requested-state", "DE", "--format", "json", "--as-of", "2026-11-29"])
        #expect(result.status == 0, "\(result.stderr)")
        let report = try JSONDecoder().decode(Report.self, from: Data(result.stdout.utf8))
        #expect(report.request.instrument == .interpolRedNotice && report.request.requestingState == "KZ")
        let label = try #require(report.findings.first { $0.rule == "interpol-political-charges" })
        #expect(label.evidence.first?.line == 12, "the charge's line in the record")
        #expect(report.dataGaps.contains { $0.missing.contains { $0.fact == "registry.protected_against_requesting_state" } })
        let missing = try runWinnow(["screen", record, "--from", "interpol-notice"])
        #expect(missing.status == 2 && missing.stderr.contains("--requested-state"))
        let dir = try TempDir()
        let bare = try dir.write("n.json", #"{"entity_id": "2020/1", "name": "X", "arrest_warrants": []}"#)
        let refused = try runWinnow(["screen", bare, "--from", "interpol-notice", "--requested-state", "DE"])
        #expect(refused.status == 2 && refused.stderr.contains("/arrest_warrants: the record has no arrest_warrants"))
        #expect(try runWinnow(["validate", record]).stdout.contains("valid (INTERPOL notice record from KZ"))
    }

    @Test("a file name that is not valid UTF-8 keeps its bytes: it is screened, and named with the byte escaped")
    func nonUTF8Names() throws {
        let dir = try TempDir()
        let folder = dir.url.appendingPathComponent("in")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        _ = try dir.write("in/ok.json", try sampleJSON())
        var path = Array(folder.path.utf8) + Array("/caf".utf8) + [0xE9] + Array(".json".utf8) + [0]
        let fd = path.withUnsafeMutableBufferPointer { buffer in
            buffer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buffer.count) { open($0, O_CREAT | O_WRONLY, 0o600) }
        }
        #expect(fd >= 0)
        let content = Array(try sampleJSON().utf8)
        #expect(content.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) } == content.count)
        close(fd)
        let result = try runWinnow(["batch", folder.path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(!result.stderr.contains("no such file"))
        // Both files are screened; the summary names the Latin-1 one with its byte written out.
        let rows = result.stdout.split(separator: "\n").dropFirst()
        #expect(rows.count == 2, "\(result.stdout)")
        #expect(rows.contains { $0.contains("/caf\\xE9.json") && !$0.hasPrefix("error") }, "\(rows)")
        #expect(RawFileName.bytes(RawFileName.string(Array("caf".utf8) + [0xE9])) == Array("caf".utf8) + [0xE9])
        #expect(RawFileName.string(Array("café".utf8)) == "café")
    }
}
