public import Foundation
import WinnowNames

/// One line of a batch summary.
public struct BatchRow: Sendable, Codable, Equatable {
    public var file: String
    public var id: String?
    public var instrument: String?
    public var requestingState: String?
    public var subject: String?
    public var score: Int?
    public var band: Band?
    public var topReasons: [String]
    public var error: String?
    /// The report was already complete (`--resume`) and was not screened again.
    public var resumed: Bool
    /// The report file written for this request, when the batch writes reports.
    public var report: String?
    /// Data gaps in all, and those that could each raise the band (the report is then incomplete).
    public var dataGaps: Int?
    public var materialGaps: Int?
    /// What the request was screened against: the as-of date and the registry.
    public var asOf: String?
    public var registry: String?

    static func failed(_ file: String, _ error: String) -> BatchRow {
        BatchRow(file: file, topReasons: [], error: error, resumed: false)
    }

    init(file: String, id: String? = nil, instrument: String? = nil, requestingState: String? = nil, subject: String? = nil,
         score: Int? = nil, band: Band? = nil, topReasons: [String], error: String? = nil, resumed: Bool, report: String? = nil,
         dataGaps: Int? = nil, materialGaps: Int? = nil, asOf: String? = nil, registry: String? = nil) {
        self.file = file
        self.id = id
        self.instrument = instrument
        self.requestingState = requestingState
        self.subject = subject
        self.score = score
        self.band = band
        self.topReasons = topReasons
        self.error = error
        self.resumed = resumed
        self.report = report
        self.dataGaps = dataGaps
        self.materialGaps = materialGaps
        self.asOf = asOf
        self.registry = registry
    }

    init(_ report: Report, resumed: Bool = false) {
        self.init(file: report.request.file, id: report.request.id, instrument: report.request.instrument.rawValue,
                  requestingState: report.request.requestingState, subject: report.request.subjects.first, score: report.score,
                  band: report.band, topReasons: report.findings.prefix(3).map(\.rule), resumed: resumed,
                  dataGaps: report.completeness?.dataGaps ?? report.dataGaps.count, materialGaps: report.completeness?.materialGaps,
                  asOf: report.provenance.asOf.description, registry: report.provenance.registry)
    }

    /// The row as one line of JSON, keys sorted (what `JSONEncoder` with `.sortedKeys` writes,
    /// without its cost per row).
    public var jsonLine: String {
        var fields: [String] = []
        func add(_ key: String, _ value: String?) {
            if let value { fields.append("\"\(key)\":\(jsonStringLiteral(value))") }
        }
        func add(_ key: String, _ value: Int?) {
            if let value { fields.append("\"\(key)\":\(value)") }
        }
        add("asOf", asOf)
        add("band", band?.rawValue)
        add("dataGaps", dataGaps)
        add("error", error)
        add("file", RawFileName.display(file))
        add("id", id)
        add("instrument", instrument)
        add("materialGaps", materialGaps)
        add("registry", registry)
        add("report", report)
        add("requestingState", requestingState)
        fields.append("\"resumed\":\(resumed)")
        if let score { fields.append("\"score\":\(score)") }
        add("subject", subject)
        fields.append("\"topReasons\":[" + topReasons.map(jsonStringLiteral).joined(separator: ",") + "]")
        return "{" + fields.joined(separator: ",") + "}"
    }

    public static let csvHeader = "file,request_id,instrument,requesting_state,subject,score,band,top_reasons,error,report,data_gaps,material_gaps,as_of,registry"

    public var csv: String {
        let request: [String] = [RawFileName.display(file), id ?? "", instrument ?? "", requestingState ?? "", subject ?? ""]
        let outcome: [String] = [score.map(String.init) ?? "", band?.rawValue ?? "", topReasons.joined(separator: " "), error ?? "", report ?? ""]
        let checked: [String] = [dataGaps.map(String.init) ?? "", materialGaps.map(String.init) ?? "", asOf ?? "", registry ?? ""]
        return (request + outcome + checked).map(Self.csvField).joined(separator: ",")
    }

    /// One CSV cell. A cell a spreadsheet would read as a formula (it starts with `=`, `+`, `-`, `@`,
    /// a tab or a carriage return: names, references and authorities come from requests) is
    /// neutralised with a leading apostrophe, as OWASP advises; a cell with a comma, a quote, a line
    /// feed or a carriage return is quoted.
    static func csvField(_ s: String) -> String {
        var cell = s
        if let first = cell.unicodeScalars.first, ["=", "+", "-", "@", "\t", "\r"].contains(first) { cell = "'" + cell }
        let quote = cell.unicodeScalars.contains { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" } || cell.hasPrefix("'")
        return quote ? "\"" + cell.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : cell
    }
}

/// What a batch found, counted as it went (the rows themselves go to the summary file).
public struct BatchTotals: Sendable, Equatable {
    public var requests = 0
    public var bands: [Band: Int] = [:]
    public var bad = 0
    public var resumed = 0
    public var highestBand: Band?
    /// One line per bad file: `file:line: what is wrong`.
    public var errors: [String] = []
    /// What the batch could not do and must say (links it could not look for).
    public var notes: [String] = []
}

/// Screens many requests in parallel. Each report is written atomically as soon as it is ready;
/// a bad file becomes a row with its error and never stops the batch; requests that share a case
/// number, subject or complainant with another state's request in the batch are screened again
/// with those links as findings.
public struct BatchRunner: Sendable {
    public enum ReportFormat: String, Sendable, CaseIterable { case json, text, html, sarif }
    public enum SummaryFormat: String, Sendable { case jsonLines, csv, table }

    public var screener: Screener
    public var jobs: Int
    public let reportsFolder: URL?
    /// `reportsFolder`'s path with the slash a report's name is joined with, worked out once.
    private let reportsFolderPath: String?
    public var format: ReportFormat
    public var resume: Bool

    public init(screener: Screener, jobs: Int, reportsFolder: URL?, format: ReportFormat = .json, resume: Bool = false) {
        self.screener = screener
        self.jobs = max(1, jobs)
        self.reportsFolder = reportsFolder
        reportsFolderPath = reportsFolder.map { $0.path.hasSuffix("/") ? $0.path : $0.path + "/" }
        self.format = format
        self.resume = resume
    }

    /// Reports in full when they are written; a summary alone needs only scores and fired rules.
    var detail: Evaluator.Detail { reportsFolder == nil ? .scoreOnly : .full }

    /// Where the report of `file` goes, in the reports folder: a readable stem (the path with its
    /// separators flattened, cut to at most 120 bytes) and a hash of the whole path, so that two
    /// inputs never share a report (`a/x.json` and `a__x.json`) and no name outgrows the 255 bytes
    /// a file system allows. Made as a string, once per report: Foundation's
    /// `URL.appendingPathComponent` was a thirtieth of a batch with reports.
    func reportPath(for file: String) -> String? {
        guard let reportsFolderPath else { return nil }
        return reportsFolderPath + Self.reportName(for: file, extension: format.fileExtension)
    }

    public static func reportName(for file: String, extension ext: String) -> String {
        var stem = file
        while stem.hasPrefix("./") { stem.removeFirst(2) }
        stem = stem.replacingOccurrences(of: "/", with: "__")
        if stem.utf8.count > 120 {
            var cut = ""
            for ch in stem where cut.utf8.count + ch.utf8.count <= 120 { cut.append(ch) }
            stem = cut
        }
        // FNV-1a, 64 bits, over the path as given: stable across runs and machines.
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in file.utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
        let hex = String(hash, radix: 16)
        return stem + "-" + String(repeating: "0", count: 16 - hex.count) + hex + ".report." + ext
    }

    enum Outcome: Sendable {
        case screened(BatchRow, LinkHashes)
        case failed(BatchRow)
    }

    static func line(_ row: BatchRow, _ format: SummaryFormat) -> String {
        switch format {
        case .csv: return row.csv
        case .table:
            return ("\(row.band?.rawValue ?? "error")\((row.materialGaps ?? 0) > 0 ? " (incomplete)" : "")\t\(row.score.map(String.init) ?? "-")\t\(RawFileName.display(row.file))\t"
                    + (row.error ?? row.topReasons.joined(separator: " "))).visibleControls().replacingOccurrences(of: "[U+0009]", with: "\t")
        case .jsonLines:
            return row.jsonLine
        }
    }

    /// Runs the batch and writes the summary to `summary` (atomically: a temporary file beside it,
    /// renamed at the end), one line per request in input order, streamed as requests complete.
    /// `progress(done, total)` is called after each request, on one task at a time.
    public func run(files: [String], summary: URL, format: SummaryFormat,
                    progress: (@Sendable (Int, Int) -> Void)? = nil) async throws -> BatchTotals {
        if let reportsFolder {
            do { try FileManager.default.createDirectory(at: reportsFolder, withIntermediateDirectories: true) } catch {
                throw BatchOutputError(path: reportsFolder.path, what: "cannot create the reports folder")
            }
            guard access(reportsFolder.path, W_OK) == 0 else { throw BatchOutputError(path: reportsFolder.path, what: "the reports folder is not writable") }
            Self.removeLeftovers(in: reportsFolder)
        }
        Self.removeLeftovers(in: summary.deletingLastPathComponent(), summaryName: summary.lastPathComponent)
        let temporary = summary.deletingLastPathComponent().appendingPathComponent(".\(summary.lastPathComponent).\(UUID().uuidString).partial")
        _ = FileManager.default.createFile(atPath: temporary.path, contents: nil)   // opening it below reports a failure
        let out = try FileHandle(forWritingTo: temporary)
        defer { try? FileManager.default.removeItem(at: temporary) }
        if format == .csv { out.write(Data((BatchRow.csvHeader + "\n").utf8)) }

        var totals = BatchTotals()
        // One byte per request (its band, and whether it was resumed), so that rows rewritten by the
        // link pass can be recounted without keeping the rows.
        var state = [UInt8](repeating: 0, count: files.count)
        func count(_ row: BatchRow, index: Int) {
            if let band = row.band { totals.bands[band, default: 0] += 1; state[index] = UInt8(band.rank + 1) }
            if row.error != nil { totals.bad += 1; totals.errors.append(row.error!) }
            if row.resumed { totals.resumed += 1; state[index] |= 0x80 }
        }
        // In input order: a completed row waits here until every row before it is written.
        var waiting: [Int: BatchRow] = [:]
        var nextToWrite = 0
        var linkIndex = BatchLinkIndex()
        var buffer = ""
        await withTaskGroup(of: (Int, Outcome).self) { group in
            var next = 0
            var done = 0
            func submit() {
                guard next < files.count else { return }
                let index = next, file = files[next]
                next += 1
                group.addTask { (index, self.process(file, index: index)) }
            }
            for _ in 0..<jobs { submit() }
            for await (index, outcome) in group {
                switch outcome {
                case .screened(let row, let hashes): waiting[index] = row; linkIndex.add(hashes, index: index)
                case .failed(let row): waiting[index] = row
                }
                while let row = waiting.removeValue(forKey: nextToWrite) {
                    count(row, index: nextToWrite)
                    buffer += Self.line(row, format) + "\n"
                    nextToWrite += 1
                }
                if buffer.utf8.count > 1 << 16 { out.write(Data(buffer.utf8)); buffer = "" }
                done += 1
                progress?(done, files.count)
                submit()
            }
        }
        out.write(Data(buffer.utf8))
        try out.close()
        totals.requests = files.count

        // Links across the batch: read the requests of candidate pairs again for the exact
        // comparison, screen the linked ones again with the links as facts (in parallel), and put
        // their new rows in place of the old ones while the summary is copied to its place.
        let candidates = linkIndex.candidates()
        if linkIndex.droppedKeys > 0 {
            totals.notes.append("batch: \(linkIndex.droppedKeys) name or complainant keys were too common to compare without a birth date; "
                                + "links on them were not looked for in \(linkIndex.droppedRequests.count) requests (a birth date or a case number would settle them)")
        }
        linkIndex = BatchLinkIndex()
        let involved = Set(candidates.flatMap { [$0.a, $0.b] }).sorted()
        let reread = ConcurrentMap.run(involved) { [screener] i -> LinkKeys? in
            (try? screener.intake.load(path: files[i])).map { LinkKeys(index: i, file: files[i], request: $0) }
        }
        let links = Self.links(candidates, keys: Dictionary(uniqueKeysWithValues: reread.compactMap { $0.map { ($0.index, $0) } }))
        let relinked = links.keys.filter { state[$0] & 0x80 == 0 }.sorted()
        let rows = ConcurrentMap.run(relinked) { i -> BatchRow? in
            guard let request = try? screener.intake.load(path: files[i]), let facts = links[i] else { return nil }
            let report = screener.screen(request, file: files[i], batchFacts: facts, detail: detail)
            var row = BatchRow(report)
            let path = reportPath(for: files[i])
            row.report = path
            if let path, let problem = write(report, for: files[i], to: path) { row.error = problem }
            return row
        }
        var replaced: [Int: BatchRow] = [:]
        for (index, row) in zip(relinked, rows) {
            guard let row else { continue }
            replaced[index] = row
            if state[index] & 0x7F > 0 { totals.bands[Band.allCases[Int(state[index] & 0x7F) - 1], default: 0] -= 1 }
            if let band = row.band { totals.bands[band, default: 0] += 1 }
        }
        let final = summary.deletingLastPathComponent().appendingPathComponent(".\(summary.lastPathComponent).\(UUID().uuidString).final")
        _ = FileManager.default.createFile(atPath: final.path, contents: nil)
        // Gone after the rename; left behind only if the copy fails, and then removed.
        defer { try? FileManager.default.removeItem(at: final) }
        let copy = try FileHandle(forWritingTo: final)
        let reader = try FileHandle(forReadingFrom: temporary)
        var lineIndex = format == .csv ? -1 : 0
        var pendingBytes = Data()
        var outBuffer = ""
        func emit(_ lineData: Data) {
            if lineIndex >= 0, let row = replaced[lineIndex] {
                outBuffer += Self.line(row, format) + "\n"
            } else {
                outBuffer += String(decoding: lineData, as: UTF8.self) + "\n"
            }
            lineIndex += 1
            if outBuffer.utf8.count > 1 << 16 { copy.write(Data(outBuffer.utf8)); outBuffer = "" }
        }
        while let chunk = try reader.read(upToCount: 1 << 16), !chunk.isEmpty {
            pendingBytes.append(chunk)
            while let newline = pendingBytes.firstIndex(of: 0x0A) {
                emit(pendingBytes[pendingBytes.startIndex..<newline])
                pendingBytes.removeSubrange(pendingBytes.startIndex...newline)
            }
        }
        copy.write(Data(outBuffer.utf8))
        try reader.close()
        // The reports, then the summary, reach the disk before the summary takes its name.
        if let reportsFolder { Self.flushToDisk(reportsFolder) }
        try copy.synchronize()
        try copy.close()
        // rename(2) replaces the summary atomically: a reader sees the old file or the new one.
        guard rename(final.path, summary.path) == 0 else {
            try? FileManager.default.removeItem(at: final)
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: summary.path])
        }
        totals.highestBand = Band.allCases.last { (totals.bands[$0] ?? 0) > 0 }
        return totals
    }

    func process(_ file: String, index: Int) -> Outcome {
        let path = reportPath(for: file)
        if resume, let path, var row = completedRow(path, file: file),
           let request = try? screener.intake.load(path: file) {
            row.report = path
            return .screened(row, LinkKeys.hashes(of: request))
        }
        let request: Request
        do { request = try screener.intake.load(path: file) } catch {
            return .failed(.failed(file, error.description.replacingOccurrences(of: "\n", with: " | ")))
        }
        let report = screener.screen(request, file: file, detail: detail)
        var row = BatchRow(report)
        row.report = path
        if let path, let problem = write(report, for: file, to: path) { row.error = problem }
        return .screened(row, LinkKeys.hashes(of: request))
    }

    /// Writes the report of `file` atomically to `path`; returns what went wrong, if anything (a
    /// report that cannot be written is an error of its row, never a silent loss).
    func write(_ report: Report, for file: String, to path: String) -> String? {
        if let problem = Self.writeAtomically(format.bytes(report, pack: screener.pack), toPath: path) {
            return "\(file): screened, but its report could not be written to \(path) (\(problem))"
        }
        return nil
    }

    /// The suffix of the batch's own temporary files: a killed batch may leave them, and the next
    /// run in the same folders removes them.
    static let temporaryMark = ".winnow-tmp"

    /// Writes `data` to a temporary file beside `url` and renames it into place: a reader, or a
    /// resumed batch, sees the old file or the whole new one, never a part.
    static func writeAtomically(_ data: [UInt8], toPath path: String) -> String? {
        let slash = path.utf8.lastIndex(of: UInt8(ascii: "/"))
        let folder = slash.map { String(path[..<$0]) + "/" } ?? ""
        let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
        let temporary = "\(folder).\(name).\(UUID().uuidString)\(temporaryMark)"
        // Plain open, write, close: no flush to disk per report (Foundation's write syncs each
        // file, a fifth of a batch with reports). The batch flushes the folder once at its end
        // (`flushToDisk`) before the summary is renamed into place; a report cut short by a crash
        // before then fails to decode, and `--resume` screens its request again.
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { return String(cString: strerror(errno)) }
        let failure: String? = data.withUnsafeBytes { raw -> String? in
            var offset = 0
            while offset < raw.count {
                let n = Glibc.write(fd, raw.baseAddress! + offset, raw.count - offset)
                if n < 0 { if errno == EINTR { continue }; return String(cString: strerror(errno)) }
                offset += n
            }
            return nil
        }
        if close(fd) != 0 || failure != nil {
            let reason = failure ?? String(cString: strerror(errno))
            unlink(temporary)
            return reason
        }
        guard rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            return reason
        }
        return nil
    }

    /// Flushes the file system that holds `folder` (every report written into it), once: syncfs(2),
    /// which Glibc's Swift module does not import (it is a GNU extension); the symbol is Glibc's own.
    static func flushToDisk(_ folder: URL) {
        let fd = open(folder.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return }
        _ = syncfs(fd)
        close(fd)
    }

    /// Removes what an interrupted batch left in `folder`: its temporary files (names starting
    /// with a dot and ending with the batch's mark, or the summary's `.partial` and `.final`).
    static func removeLeftovers(in folder: URL, summaryName: String? = nil) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else { return }
        for name in names where name.hasPrefix(".") {
            let ours = name.hasSuffix(temporaryMark)
                || (summaryName.map { name.hasPrefix(".\($0).") && (name.hasSuffix(".partial") || name.hasSuffix(".final")) } ?? false)
            if ours { try? FileManager.default.removeItem(at: folder.appendingPathComponent(name)) }
        }
    }

    /// A report already on disk (written atomically, so complete if present), as a summary row.
    func completedRow(_ path: String, file: String) -> BatchRow? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        // A report counts only if it is this request's: it names the file it was made from.
        if format == .json {
            guard let report = try? JSONDecoder().decode(Report.self, from: data), report.request.file == file else { return nil }
            return BatchRow(report, resumed: true)
        }
        if format == .html {
            // The header, after the styles, carries the band badge; the score follows it.
            let page = String(decoding: data, as: UTF8.self)
            guard let header = page.range(of: "<header>") else { return nil }
            let text = page[header.upperBound...].prefix(4000)
            guard page.contains("<td>\(HTMLReport.escape(file))</td>"),
                  let band = Band.allCases.first(where: { text.contains("<span class=\"band \($0.rawValue)\">") }),
                  let range = text.range(of: "<strong>score "), let score = Int(text[range.upperBound...].prefix { $0.isNumber }) else { return nil }
            return BatchRow(file: file, score: score, band: band, topReasons: [], resumed: true)
        }
        if format == .sarif {
            // The run's properties name the request and carry band and score.
            struct Log: Decodable {
                struct Run: Decodable { var properties: [String: String] }
                var runs: [Run]
            }
            guard let properties = (try? JSONDecoder().decode(Log.self, from: data))?.runs.first?.properties, properties["request"] == file,
                  let band = properties["band"].flatMap(Band.init(rawValue:)), let score = properties["score"].flatMap({ Int($0) }) else { return nil }
            return BatchRow(file: file, score: score, band: band, topReasons: [], resumed: true)
        }
        // Text: "WINNOW RISK REPORT  LOW  score 4/100" (or "LOW, INCOMPLETE"), then the file line.
        guard String(decoding: data.prefix(4000), as: UTF8.self).contains("\nfile: \(file.visibleControls())\n") else { return nil }
        let head = String(decoding: data.prefix(200), as: UTF8.self).prefix { $0 != "\n" }
        let prefix = "WINNOW RISK REPORT  "
        guard head.hasPrefix(prefix), let word = head.dropFirst(prefix.count).split(whereSeparator: { $0 == " " || $0 == "," }).first,
              let band = Band(rawValue: word.lowercased()), let at = head.range(of: "  score "),
              let score = Int(head[at.upperBound...].prefix { $0.isNumber }) else { return nil }
        return BatchRow(file: file, score: score, band: band, topReasons: [], resumed: true)
    }
}

extension BatchRunner.ReportFormat {
    /// The report file's extension.
    public var fileExtension: String { self == .text ? "txt" : rawValue }

    /// The report in this format; the pack gives the pattern families (glossary) and the rules (SARIF).
    public func render(_ report: Report, pack: RulePack) -> String {
        switch self {
        case .json: return JSONReport.render(report)
        case .text: return TextReport.render(report, patterns: pack.patternFamilies)
        case .html: return HTMLReport.render(report, patterns: pack.patternFamilies)
        case .sarif: return SARIFReport.render([report], rules: pack.sarifRules)
        }
    }

    /// `render`'s UTF-8, for a file: the JSON report is written as bytes, never made a String.
    public func bytes(_ report: Report, pack: RulePack) -> [UInt8] {
        self == .json ? JSONReport.bytes(report) : Array(render(report, pack: pack).utf8)
    }
}

/// An output of the batch that cannot be written: said in one line, before any request is screened.
public struct BatchOutputError: Error, CustomStringConvertible {
    public var path: String
    public var what: String
    public var description: String { "\(path): \(what)" }
}

@_silgen_name("syncfs")
private func syncfs(_ fd: Int32) -> Int32
