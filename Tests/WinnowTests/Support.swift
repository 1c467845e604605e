import Foundation
import Testing
@testable import WinnowIntake
import WinnowModel

/// Paths of the package, found from this file's location.
enum Paths {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let samples = root.appendingPathComponent("SampleRequests")
    static let rules = root.appendingPathComponent("Rules")

    static func sample(_ name: String) -> String { samples.appendingPathComponent(name).path }

    /// Every sample request (not the expectations file), sorted.
    static var sampleRequests: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: samples.path)) ?? [])
            .filter { ($0.hasSuffix(".xml") || $0.hasSuffix(".json")) && $0 != "expected.json" }
            .sorted()
    }

    /// The built `winnow` executable (the test target depends on it, so it is built first).
    static var winnow: URL {
        let beside = Bundle.main.executableURL?.deletingLastPathComponent().appendingPathComponent("winnow")
        if let beside, FileManager.default.isExecutableFile(atPath: beside.path) { return beside }
        let arguments0 = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("winnow")
        if FileManager.default.isExecutableFile(atPath: arguments0.path) { return arguments0 }
        return root.appendingPathComponent(".build/debug/winnow")
    }
}

/// A fixed "today" so that tests do not depend on the calendar.
let testToday = Day("2026-11-29")!

func makeIntake(maxBytes: Int? = nil) -> Intake {
    var limits = Intake.Limits()
    if let maxBytes { limits.maxBytes = maxBytes }
    return Intake(limits: limits, today: testToday)
}

/// A scratch folder removed when the value goes away.
final class TempDir: Sendable {
    let url: URL
    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("winnow-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }
    deinit { try? FileManager.default.removeItem(at: url) }

    @discardableResult
    func write(_ name: String, _ text: String) throws -> String {
        let path = url.appendingPathComponent(name).path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    @discardableResult
    func write(_ name: String, bytes: [UInt8]) throws -> String {
        let path = url.appendingPathComponent(name).path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }
}

struct ProcessResult {
    var status: Int32
    var stdout: String
    var stderr: String
}

/// Runs the real `winnow` binary. Output goes through files, so that large output cannot block.
func runWinnow(_ arguments: [String], cwd: URL = Paths.root) throws -> ProcessResult {
    try runProcess(Paths.winnow, arguments, cwd: cwd)
}

/// Runs a program to its end, with `environment` when given (the test's own otherwise).
func runProcess(_ executable: URL, _ arguments: [String], cwd: URL = Paths.root, environment: [String: String]? = nil) throws -> ProcessResult {
    let dir = try TempDir()
    let out = dir.url.appendingPathComponent("out"), err = dir.url.appendingPathComponent("err")
    FileManager.default.createFile(atPath: out.path, contents: nil)
    FileManager.default.createFile(atPath: err.path, contents: nil)
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    process.currentDirectoryURL = cwd
    if let environment { process.environment = environment }
    process.standardOutput = try FileHandle(forWritingTo: out)
    process.standardError = try FileHandle(forWritingTo: err)
    process.standardInput = FileHandle.nullDevice
    try process.run()
    process.waitUntilExit()
    return ProcessResult(status: process.terminationStatus,
                         stdout: (try? String(contentsOf: out, encoding: .utf8)) ?? "",
                         stderr: (try? String(contentsOf: err, encoding: .utf8)) ?? "")
}

/// Runs `winnow` with `arguments`, waits (on its standard output, not the clock) until it prints
/// `marker`, then kills it with SIGKILL; returns how it ended.
func killWinnow(_ arguments: [String], when marker: String) throws -> Process.TerminationReason {
    let process = Process()
    process.executableURL = Paths.winnow
    process.arguments = arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = FileHandle.nullDevice
    try process.run()
    var seen = Data()
    while !String(decoding: seen, as: UTF8.self).contains(marker) {
        let chunk = pipe.fileHandleForReading.availableData
        if chunk.isEmpty { break }
        seen.append(chunk)
    }
    kill(process.processIdentifier, SIGKILL)
    process.waitUntilExit()
    return process.terminationReason
}

/// The diagnostics of a load that must fail as bad input.
func invalidDiagnostics(_ body: () throws(IntakeError) -> Request) -> [Diagnostic] {
    do {
        _ = try body()
        Issue.record("expected the input to be refused")
        return []
    } catch {
        guard case .invalid(let diagnostics) = error else {
            Issue.record("expected bad input, got \(error)")
            return []
        }
        return diagnostics
    }
}

/// `runProcess` on a thread outside Swift's cooperative pool, for a test whose own process serves
/// what the program asks for (a live server): blocking a pool thread could starve the server.
func runProcessOffPool(_ executable: URL, _ arguments: [String], environment: [String: String]? = nil) async throws -> ProcessResult {
    try await withCheckedThrowingContinuation { (done: CheckedContinuation<ProcessResult, any Error>) in
        DispatchQueue.global().async {
            do { done.resume(returning: try runProcess(executable, arguments, environment: environment)) } catch { done.resume(throwing: error) }
        }
    }
}
