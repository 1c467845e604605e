import ArgumentParser
import Foundation
import Winnow

struct Batch: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Screen many requests in parallel, with a summary and a report for each.",
        discussion: """
            PATHS are files, folders (searched recursively for .xml and .json) and globs; a registry \
            import or an expectations file among them is left out. A bad file never stops the batch: it is listed with its error in the summary and on standard error. Reports and \
            the summary are written atomically. Requests that share a case number, subject or complainant \
            with another state's request in the batch get that link as a finding. Exit code: 2 if any file \
            was bad input, else 1 if any request reached --fail-on, else 0.
            """)

    @Argument(help: "Request files, folders or globs.")
    var paths: [String]

    @Option(help: "Requests screened at once; the default is the number of cores.")
    var jobs: Int = ProcessInfo.processInfo.activeProcessorCount

    @Option(help: "Summary file (- for standard output): JSON lines or CSV, by --summary-format or the file's extension (.jsonl, .json, .csv).")
    var summary: String?

    @Option(name: .customLong("summary-format"), help: "jsonl or csv; without it, the summary file's extension decides.")
    var summaryFormat: String?

    @Flag(name: .shortAndLong, help: "No progress and no closing count on standard error; errors are still printed.")
    var quiet = false

    @Option(help: "Folder for one report per request.")
    var reports: String?

    @Option(help: "Report format: json, text, html or sarif (SARIF 2.1.0).")
    var format: String = "json"

    @Option(name: .customLong("fail-on"), help: "Exit 1 when any request reaches this band (low, elevated, high, critical).")
    var failOn: String?

    @Flag(help: "Skip requests whose report in --reports is already complete.")
    var resume = false

    @OptionGroup var rules: RulesOptions
    @OptionGroup var options: IntakeOptions
    @OptionGroup var registry: RegistryOptions

    func validate() throws {
        if jobs < 1 { throw ValidationError("--jobs must be at least 1") }
        if BatchRunner.ReportFormat(rawValue: format) == nil {
            throw ValidationError("--format must be json, text, html or sarif")
        }
        if let failOn, Band(rawValue: failOn) == nil { throw ValidationError("--fail-on must be low, elevated, high or critical") }
        if resume && reports == nil { throw ValidationError("--resume needs --reports DIR") }
        if let summaryFormat, !["jsonl", "csv"].contains(summaryFormat) { throw ValidationError("--summary-format must be jsonl or csv") }
        if let summary, summary != "-", summaryFormat == nil,
           !(summary.hasSuffix(".jsonl") || summary.hasSuffix(".json") || summary.hasSuffix(".csv")) {
            throw ValidationError("--summary \(summary): say --summary-format jsonl or csv, or name the file .jsonl, .json or .csv")
        }
    }

    func run() async throws {
        // The batch's own outputs are never inputs, even when they sit inside an input folder.
        let cwd = FileManager.default.currentDirectoryPath
        let reportsPath = reports.map { RequestFiles.absolute($0, cwd: cwd) + "/" }
        let summaryPath = summary.map { RequestFiles.absolute($0, cwd: cwd) }
        var skipped: [String] = []
        var irregular: [String] = []
        let expanded = RequestFiles.expand(paths, globs: true, skipped: &irregular)
        if !irregular.isEmpty { Stderr.line("batch: left out: \(irregular.joined(separator: ", "))") }
        let files = expanded.filter { file in
            let full = RequestFiles.absolute(file, cwd: cwd)
            guard !(reportsPath.map { full.hasPrefix($0) } ?? false) && full != summaryPath else { return false }
            // A registry import or an expectations file in the folder is not a bad request.
            if let own = OwnFile.of(file) {
                skipped.append("\(file) (\(own.description))")
                return false
            }
            return true
        }
        if !skipped.isEmpty { Stderr.line("batch: not requests, left out: \(skipped.joined(separator: ", "))") }
        if files.isEmpty {
            Stderr.line("winnow: no request files in \(paths.joined(separator: " "))")
            throw ExitCode(ExitStatus.badInput)
        }
        // Where the summary goes, checked before any request is screened: `-` is standard output, a
        // link is followed, a FIFO or device is written in place (through a scratch file).
        let toStdout = summary == nil || summary == "-"
        let summaryTarget = toStdout ? nil : try Output.resolve(summary!)
        let inPlace = summaryTarget.map(Output.isSpecial) ?? false
        let screener = Screener(pack: try rules.load(), asOf: options.day, intake: options.intake, registry: try registry.open(required: false))
        let runner = BatchRunner(screener: screener, jobs: jobs, reportsFolder: reports.map { URL(fileURLWithPath: $0) },
                                 format: BatchRunner.ReportFormat(rawValue: format)!, resume: resume)
        let progress = Progress(total: files.count, quiet: quiet)
        let started = Date()
        // Without --summary the table goes to standard output, through a temporary file.
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("winnow-batch-\(UUID().uuidString).tsv")
        let target = (toStdout || inPlace) ? scratch : URL(fileURLWithPath: summaryTarget!)
        let chosen: BatchRunner.SummaryFormat = summaryFormat.map { $0 == "csv" ? .csv : .jsonLines }
            ?? (summary?.hasSuffix(".csv") == true ? .csv : .jsonLines)
        let summaryFormat: BatchRunner.SummaryFormat = summary == nil ? .table : chosen
        if summary == nil { FileHandle.standardOutput.write(Data("band\tscore\tfile\treasons or error\n".utf8)) }
        let totals: BatchTotals
        do {
            totals = try await runner.run(files: files, summary: target, format: summaryFormat) { done, _ in progress.update(done) }
        } catch let error as BatchOutputError {
            Stderr.line("winnow: \(error)")
            throw ExitCode(ExitStatus.badInput)
        }
        progress.finish()
        if toStdout || inPlace {
            defer { try? FileManager.default.removeItem(at: scratch) }
            let sink = inPlace ? FileHandle(forWritingAtPath: summaryTarget!) : FileHandle.standardOutput
            guard let sink else { try Output.fail(summary!, "cannot open it for writing") }
            let handle = try FileHandle(forReadingFrom: scratch)
            while let chunk = try handle.read(upToCount: 1 << 16), !chunk.isEmpty { sink.write(chunk) }
            try handle.close()
        }
        for error in totals.errors { Stderr.line(error) }
        for note in totals.notes { Stderr.line(note) }
        let bad = totals.bad
        let seconds = Date().timeIntervalSince(started)
        if !quiet { Stderr.line("\(totals.requests) requests in \(String(format: seconds < 1 ? "%.2f" : "%.1f", seconds)) s: "
                    + Band.allCases.reversed().map { "\(totals.bands[$0] ?? 0) \($0.rawValue)" }.joined(separator: ", ")
                    + ", \(bad) bad input" + (totals.resumed > 0 ? ", \(totals.resumed) resumed" : "")) }
        if bad > 0 { throw ExitCode(ExitStatus.badInput) }
        if let failOn, let threshold = Band(rawValue: failOn), let highest = totals.highestBand, highest >= threshold {
            throw ExitCode(ExitStatus.findings)
        }
    }
}

/// Progress on standard error: a bar on a terminal, a line every tenth otherwise.
final class Progress: @unchecked Sendable {
    let total: Int
    let started = Date()
    let terminal = isatty(STDERR_FILENO) == 1
    let quiet: Bool
    private let lock = NSLock()
    private var lastTenth = 0

    init(total: Int, quiet: Bool = false) {
        self.total = total
        self.quiet = quiet
    }

    func update(_ done: Int) {
        guard !quiet else { return }
        lock.lock(); defer { lock.unlock() }
        let elapsed = max(0.001, Date().timeIntervalSince(started))
        let rate = Double(done) / elapsed
        if terminal {
            let width = 30, filled = total == 0 ? width : width * done / total
            let left = rate > 0 ? Double(total - done) / rate : 0
            let line = "\r[\(String(repeating: "=", count: filled))\(String(repeating: " ", count: width - filled))] \(done)/\(total)  "
                + String(format: "%.0f/s  %.0fs left ", rate, left)
            FileHandle.standardError.write(Data(line.utf8))
        } else if total > 0, done * 10 / total > lastTenth {
            lastTenth = done * 10 / total
            Stderr.line("batch: \(done)/\(total) screened (\(String(format: "%.0f", rate))/s)")
        }
    }

    func finish() {
        if terminal && !quiet { FileHandle.standardError.write(Data("\n".utf8)) }
    }
}
