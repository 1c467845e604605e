#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ArgumentParser
import Foundation
import Winnow

/// `--rules DIR`, shared by every command that loads the rule pack.
struct RulesOptions: ParsableArguments {
    @Option(name: .customLong("rules"), help: "Rule pack folder (default: $WINNOW_RULES, ./Rules, or the repository's Rules).")
    var rulesFolder: String?

    @Option(name: .customLong("stale-after"), help: "Mark profile figures older than this many years at the as-of date as stale.")
    var staleAfterYears: Int = 3

    /// Loads the pack; on failure prints every problem and exits 2.
    func load() throws -> RulePack {
        guard let folder = rulesFolder.map({ URL(fileURLWithPath: $0) }) ?? Screener.defaultRulesFolder() else {
            Stderr.line("winnow: no rules folder found; pass --rules DIR or set WINNOW_RULES")
            throw ExitCode(ExitStatus.badInput)
        }
        do { return try RulePack.load(from: folder, staleAfterYears: staleAfterYears, cache: PackCache.standard()) } catch {
            Stderr.line(error.description)
            Stderr.line("the rule pack in \(folder.path) does not load (\(error.problems.count) problem\(error.problems.count == 1 ? "" : "s"))")
            throw ExitCode(ExitStatus.badInput)
        }
    }
}

enum ReportFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json, html, sarif

    /// The same renderers a batch writes its reports with.
    func render(_ report: Report, pack: RulePack) -> String {
        BatchRunner.ReportFormat(rawValue: rawValue)!.render(report, pack: pack)
    }
}

/// Writes text to a file atomically (temporary file, then rename), or to standard output.
///
/// `-` is standard output. A symbolic link is followed: its target is replaced, never the link. A
/// FIFO or a device (`/dev/stdout`) is written directly, since it cannot be renamed over. Anything
/// that cannot be written is one line on standard error and exit code 2.
enum Output {
    static func write(_ text: String, to path: String?) throws {
        guard let path, path != "-" else { FileHandle.standardOutput.write(Data(text.utf8)); return }
        let target = try resolve(path)
        if isSpecial(target) {
            guard let handle = FileHandle(forWritingAtPath: target) else { try fail(path, "cannot open it for writing") }
            handle.write(Data(text.utf8))
            try? handle.close()
            return
        }
        do { try Data(text.utf8).write(to: URL(fileURLWithPath: target), options: .atomic) } catch {
            try fail(path, "cannot write it (\((error as NSError).localizedDescription))")
        }
    }

    /// Where `path` leads: the target of a symbolic link, checked to be writable as a file in an
    /// existing folder. Call before the work, so that a bad output path fails fast.
    @discardableResult
    static func resolve(_ path: String) throws -> String {
        var target = path
        var info = stat()
        // Follow links (also one whose target does not exist yet), at most 16 deep.
        var depth = 0
        while lstat(target, &info) == 0, (info.st_mode & S_IFMT) == S_IFLNK {
            depth += 1
            guard depth <= 16, let next = try? FileManager.default.destinationOfSymbolicLink(atPath: target) else {
                try fail(path, "too many levels of symbolic links")
            }
            target = next.hasPrefix("/") ? next : URL(fileURLWithPath: target).deletingLastPathComponent().appendingPathComponent(next).path
        }
        if stat(target, &info) == 0 {
            if (info.st_mode & S_IFMT) == S_IFDIR { try fail(path, "is a folder, not a file") }
            return target
        }
        let folder = URL(fileURLWithPath: target).deletingLastPathComponent().path
        guard stat(folder, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR else { try fail(path, "the folder \(folder) does not exist") }
        guard access(folder, W_OK) == 0 else { try fail(path, "the folder \(folder) is not writable") }
        return target
    }

    /// A FIFO or a device: written in place, never replaced.
    static func isSpecial(_ path: String) -> Bool {
        var info = stat()
        guard stat(path, &info) == 0 else { return false }
        let kind = info.st_mode & S_IFMT
        return kind == S_IFIFO || kind == S_IFCHR || kind == S_IFBLK
    }

    static func fail(_ path: String, _ what: String) throws -> Never {
        Stderr.line("winnow: \(path): \(what)")
        throw ExitCode(ExitStatus.badInput)
    }
}
