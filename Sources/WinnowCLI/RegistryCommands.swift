import ArgumentParser
import Foundation
import Winnow
import WinnowRegistry

/// `--registry PATH` (or WINNOW_REGISTRY): a SQLite registry file, created and migrated on first
/// use, a `postgres://USER@HOST/DB` address (the shared registry), or a registry JSON file read into
/// memory for this run.
struct RegistryOptions: ParsableArguments {
    @Option(name: .customLong("registry"), help: "Registry: a SQLite file, postgres://USER@HOST/DB, or a registry .json file. Default: $WINNOW_REGISTRY.")
    var path: String?
    @Flag(name: .customLong("create-registry"), help: "Create the SQLite registry if it does not exist (otherwise a missing one is an error).")
    var create = false

    var resolved: String? {
        if let path { return path }
        let env = ProcessInfo.processInfo.environment["WINNOW_REGISTRY"] ?? ""
        return env.isEmpty ? nil : env
    }

    /// Says on stderr why the first open of an older registry takes a while.
    static func tellMigration(_ path: String) -> @Sendable ([String], Int) -> Void {
        { migrations, persons in
            Stderr.line("winnow: \(Registry.displayed(path)): upgrading the registry of \(persons) persons, once (\(migrations.joined(separator: "; "))); "
                        + "re-indexing names takes about 20 s per 100,000 persons")
        }
    }

    func open(required: Bool) throws -> Registry? {
        guard let path = resolved else {
            if required {
                Stderr.line("winnow: give the registry with --registry PATH or WINNOW_REGISTRY")
                throw ExitCode(ExitStatus.badInput)
            }
            return nil
        }
        do { return try Registry.load(path: path, create: create, migrating: Self.tellMigration(path)) } catch let error as ImportError {
            Stderr.line(error.description)
            throw ExitCode(ExitStatus.badInput)
        } catch let error as RegistryMissing {
            Stderr.line(error.description)
            throw ExitCode(ExitStatus.badInput)
        } catch {
            Stderr.line("\(Registry.displayed(path)): cannot open the registry: \(error)")
            throw ExitCode(ExitStatus.badInput)
        }
    }
}

struct RegistryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "registry",
        abstract: "The domestic registry: persons, protection, domestic cases, earlier requests, INTERPOL actions.",
        subcommands: [Import.self, Search.self, Show.self, Export.self, Copy.self, Stats.self])

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import JSON, CSV (persons) or FollowTheMoney JSON lines (.jsonl), all or nothing.",
            discussion: "A bad row stops the import with FILE:LINE: what is wrong, and the registry stays as it was.")
        @Argument(help: "The file to import.")
        var file: String
        @OptionGroup var registry: RegistryOptions
        @Flag(help: "Report progress on standard output.")
        var progress = false

        @Sendable static func printProgress(_ line: String) {
            FileHandle.standardOutput.write(Data((line + "\n").utf8))
        }

        func run() throws {
            guard let path = registry.resolved else {
                Stderr.line("winnow: give the registry with --registry PATH or WINNOW_REGISTRY")
                throw ExitCode(ExitStatus.badInput)
            }
            let target: Registry
            do { target = try Registry.open(path: path) } catch {
                Stderr.line("\(Registry.displayed(path)): cannot open the registry: \(error)")
                throw ExitCode(ExitStatus.badInput)
            }
            let started = Date()
            do {
                // Progress goes straight to the file descriptor, unbuffered, so a watcher sees it at once.
                let report: (@Sendable (String) -> Void)? = progress ? Self.printProgress : nil
                let summary = try target.importFile(file, progress: report)
                print("imported \(summary.description) in \(String(format: "%.2f", Date().timeIntervalSince(started))) s")
            } catch let error as ImportError {
                Stderr.line(error.description)
                Stderr.line("nothing was imported")
                throw ExitCode(ExitStatus.badInput)
            }
        }
    }

    struct Search: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Find persons by name, across scripts and spellings.")
        @Argument(help: "A name, in any script.")
        var name: String
        @Option(name: .customLong("birth-date"), help: "Birth date (YYYY-MM-DD), to raise or lower the score.")
        var birthDate: String?
        @Option(help: "At most this many results.")
        var limit = 10
        @Flag(help: "Also list near misses and possible relatives.")
        var all = false
        @OptionGroup var registry: RegistryOptions

        func run() throws {
            let r = try registry.open(required: true)!
            let hits = try r.search(name, birthDate: birthDate, limit: limit, includeNonMatches: all)
            if hits.isEmpty { print("no match for \(name)") }
            for h in hits {
                print("\(h.id)  \(String(format: "%.3f", h.match.score))  \(h.match.verdict.rawValue)  \(h.names.joined(separator: " / "))\(h.birthDate.map { ", born \($0)" } ?? "")")
                print("    \(h.match.explanation)")
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show everything the registry holds about a person.")
        @Argument(help: "A person id.")
        var id: String
        @OptionGroup var registry: RegistryOptions

        func run() throws {
            let r = try registry.open(required: true)!
            guard let detail = try r.person(id: id) else {
                Stderr.line("winnow: no person \"\(id)\" in the registry")
                throw ExitCode(ExitStatus.badInput)
            }
            for key in ["person", "names", "relations", "protection", "cases", "requests", "interpol"] {
                let lines = detail[key] ?? []
                print("\(key):\(lines.isEmpty ? " none" : "")")
                for l in lines { print("  \(l)") }
            }
        }
    }

    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Write the whole registry in the JSON import format.")
        @Option(name: .shortAndLong, help: "Write here (atomically) instead of standard output.")
        var output: String?
        @OptionGroup var registry: RegistryOptions

        func run() throws {
            try Output.write(try registry.open(required: true)!.exportJSON(), to: output)
        }
    }

    struct Copy: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Copy a whole registry between SQLite and PostgreSQL, checked by counts and a content hash.",
            discussion: """
                FROM and TO are each a SQLite file or a postgres://USER@HOST/DB address. TO must be empty (a new \
                file or database is created and migrated). The copy is one transaction: all of it or nothing. \
                Afterwards the rows of every table are counted and hashed on both sides; any difference is an error.
                """)
        @Argument(help: "The registry to copy from.")
        var from: String
        @Argument(help: "The registry to copy into (empty).")
        var to: String
        @Flag(help: "Report each table on standard output as it is copied.")
        var progress = false

        func run() throws {
            func open(_ path: String, create: Bool) throws -> Registry {
                do { return try Registry.load(path: path, create: create, migrating: RegistryOptions.tellMigration(path)) } catch {
                    Stderr.line("\(Registry.displayed(path)): cannot open the registry: \(error)")
                    throw ExitCode(ExitStatus.badInput)
                }
            }
            let source = try open(from, create: false), target = try open(to, create: true)
            let started = Date()
            do {
                let summary = try source.copy(into: target, progress: progress ? Import.printProgress : nil)
                print("copied \(summary.description) in \(String(format: "%.2f", Date().timeIntervalSince(started))) s")
            } catch let error as CopyError {
                Stderr.line("winnow: \(error.description)")
                throw ExitCode(ExitStatus.badInput)
            }
        }
    }

    struct Stats: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print where the registry lives and how many records of each kind it holds.",
            discussion: "One line per kind (`person 6`). --check also runs the store's own consistency check (exit 1 when it fails).")
        @OptionGroup var registry: RegistryOptions
        @Flag(help: "Run the store's consistency check (SQLite: integrity_check, reading every page; PostgreSQL: the kept counts against the tables).")
        var check = false

        func run() throws {
            let r = try registry.open(required: true)!
            print("registry \(r.location) (\(r.backend))")
            for (kind, count) in try r.counts().sorted(by: { $0.key < $1.key }) { print("\(kind) \(count)") }
            if check {
                let intact = try r.isIntact()
                print("check \(intact ? "ok" : "FAILED")")
                if !intact { throw ExitCode(1) }
            }
        }
    }
}
