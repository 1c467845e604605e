import ArgumentParser
import Foundation
import Winnow
import WinnowLog
import WinnowRegistry
import Crypto
import WinnowModel

/// `winnow log`: the tamper-evident log of screenings and decisions (an RFC 9162 Merkle tree with
/// signed checkpoints). `winnow screen --log DIR` adds screenings; `log decide` adds decisions.
struct LogCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "log",
        abstract: "The tamper-evident log of screenings and decisions: create, add decisions, sign checkpoints, prove, verify.",
        subcommands: [Init.self, Decide.self, Checkpoint.self, Prove.self, Verify.self, Copy.self])

    /// The log at `location`: a folder, or a database that servers share (a `postgres://`
    /// address, or a SQLite file). `signingKey` is the shared log's key file, for checkpoints.
    static func open(_ location: String, signingKey: String? = nil) throws -> DecisionLog {
        try attempt {
            guard isDatabase(location) else { return try DecisionLog.open(URL(fileURLWithPath: location)) }
            let registry = try Registry.load(path: location, create: false)
            return DecisionLog(storage: try SharedLogStorage.open(registry, keyFile: signingKey.map { URL(fileURLWithPath: $0) }))
        }
    }

    /// A `postgres://` address, an existing SQLite file (by its header), or a file to be made that
    /// is named as a SQLite database is (`.sqlite`, `.db`); anything else is a log's folder.
    static func isDatabase(_ location: String) -> Bool {
        if location.hasPrefix("postgres://") || location.hasPrefix("postgresql://") { return true }
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: location, isDirectory: &isFolder) {
            guard !isFolder.boolValue, let file = FileHandle(forReadingAtPath: location) else { return false }
            defer { try? file.close() }
            return (try? file.read(upToCount: 16)) == Data("SQLite format 3\u{0}".utf8)
        }
        return location.hasSuffix(".sqlite") || location.hasSuffix(".db")
    }

    /// `--signing-key`, else $WINNOW_LOG_KEY.
    static func signingKey(_ given: String?) -> String? {
        given ?? ProcessInfo.processInfo.environment["WINNOW_LOG_KEY"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// The public key given with `--key`, or nil for the log's own.
    static func trustedKey(_ path: String?) throws -> Curve25519.Signing.PublicKey? {
        try path.map { k in try attempt { try DecisionLog.publicKey(from: URL(fileURLWithPath: k)) } }
    }

    /// Runs a log operation; its error is one line on stderr and exit 2.
    static func attempt<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch {
            Stderr.line("winnow: \(error)")
            throw ExitCode(ExitStatus.badInput)
        }
    }

    struct Init: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create an empty log in DIR with a new Ed25519 signing key (log.key, mode 0600; log.pub to share), or in a database that servers share.",
            discussion: "For a database (postgres://USER@HOST/DB, or a SQLite file), --signing-key names the key file: an existing key is used, else a new one is written there. The public key goes in the database; the private key never does.")
        @Argument(help: "The log's folder, or a database: postgres://USER@HOST/DB or a SQLite file.") var folder: String
        @Option(name: .customLong("signing-key"), help: ArgumentHelp("For a database: the signing key's file (default $WINNOW_LOG_KEY).", valueName: "FILE"))
        var signingKey: String?

        func run() throws {
            guard LogCommand.isDatabase(folder) else {
                if signingKey != nil { throw ValidationError("--signing-key is for a log in a database; a folder's log keeps its key as log.key") }
                let log = try LogCommand.attempt { try DecisionLog.create(at: URL(fileURLWithPath: folder)) }
                print("log created in \(log.folder!.path); public key: \(log.folder!.appendingPathComponent("log.pub").path)")
                return
            }
            guard let keyPath = LogCommand.signingKey(signingKey) else {
                throw ValidationError("a log in a database needs --signing-key FILE (or $WINNOW_LOG_KEY): the key that signs its checkpoints, kept out of the database")
            }
            let key = URL(fileURLWithPath: keyPath)
            let (storage, created) = try LogCommand.attempt { () throws -> (SharedLogStorage, Bool) in
                let registry = try Registry.load(path: folder, create: true)
                if try SharedLogRows(registry: registry).publicKey() != nil { throw LogError("\(registry.location) already holds a decision log") }
                return try SharedLogStorage.openOrCreate(registry, keyFile: key)
            }
            guard created else {
                Stderr.line("winnow: \(storage.location): another process created the log first")
                throw ExitCode(ExitStatus.badInput)
            }
            print("log created in \(storage.location); signing key: \(key.path); public key: \(key.deletingPathExtension().appendingPathExtension("pub").path)")
        }
    }

    struct Copy: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Copy a folder's log into a database that holds none (for servers that share it), or a database's log into a new folder.",
            discussion: """
                The log must verify, and the copy is verified. Into a database: its entries byte for byte, its \
                checkpoints, its public key and the requests its server kept; the private key stays in the folder: \
                give it to the servers with --log-key DIR/log.key. Into a folder: the entries, the checkpoints, log.pub \
                and the requests under requests/, so that `log verify` and `audit --log` read the folder offline.
                """)
        @Argument(help: "The log's folder, or the database that holds it.") var from: String
        @Argument(help: "A database without a log (postgres://USER@HOST/DB or a SQLite file), or a new folder.") var to: String
        @Flag(help: "Into a database: say when the copy's one transaction has begun.") var progress = false

        func run() throws {
            switch (LogCommand.isDatabase(from), LogCommand.isDatabase(to)) {
            case (false, true):
                let source = try LogCommand.open(from)
                let v = try LogCommand.attempt {
                    try SharedLogStorage.copy(source, into: try Registry.load(path: to, create: true)) {
                        if progress { RegistryCommand.Import.printProgress("transaction open: copying the log; nothing of it is stored until it commits") }
                    }
                }
                try Self.report(v, into: Registry.displayed(to), then: "Signing key: \(source.folder!.appendingPathComponent("log.key").path) (give it to the servers with --log-key)")
            case (true, false):
                let source = try LogCommand.open(from)
                let v = try LogCommand.attempt { try SharedLogStorage.copy(source, toFolder: URL(fileURLWithPath: to)) }
                try Self.report(v, into: to, then: "Verify or audit it offline: `winnow log verify \(to) --key KEY`, `winnow audit --log \(to)`")
            default:
                throw ValidationError("copy from a log's folder into a database, or from a database into a new folder")
            }
        }

        static func report(_ v: DecisionLog.Verification, into: String, then: String) throws {
            guard v.ok else {
                for p in v.problems { Stderr.line("winnow: copy: \(p)") }
                throw ExitCode(ExitStatus.findings)
            }
            print("copied \(v.entries) entries and \(v.checkpoints) checkpoints into \(into); the copy verifies. \(then)")
        }
    }

    struct Decide: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record a decision on a request. A recorded decision is final; a correction is a new entry (--corrects N).")
        @Argument(help: "The log's folder, or the database that holds it.") var folder: String
        @Option(help: "The request file decided on (its SHA-256 is recorded).") var request: String
        @Option(help: "execute, execute_with_conditions, refuse or ask_for_information.") var decision: String
        @Option(help: "Who decided.") var reviewer: String
        @Option(help: "The reviewer's role.") var role: String = "reviewer"
        @Option(help: "Legal grounds, comma-separated source ids (e.g. ECE-3,ECHR-8).") var grounds: String = ""
        @Option(help: "Why.") var rationale: String = ""
        @Option(help: "The index of the entry this decision corrects.") var corrects: Int?

        func validate() throws {
            if let problem = LogEntry.kindProblem(decision) { throw ValidationError("--\(problem.description)") }
            guard !reviewer.trimmingCharacters(in: .whitespaces).isEmpty else { throw ValidationError("--reviewer must name someone") }
        }

        func run() throws {
            let log = try LogCommand.open(folder)
            guard let bytes = FileManager.default.contents(atPath: request) else {
                Stderr.line("winnow: \(request): cannot read the request")
                throw ExitCode(ExitStatus.badInput)
            }
            var entry = LogEntry(kind: .decision, time: Day.nowTimestamp, request: request, requestSha256: [UInt8](bytes).sha256)
            entry.reviewer = reviewer
            entry.role = role
            entry.decision = decision
            entry.grounds = grounds.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            entry.rationale = rationale
            entry.corrects = corrects
            // The check and the append under one lock: two reviewers deciding the same request
            // at once cannot both record a first decision.
            let stored = try LogCommand.attempt { () throws -> LogEntry in
                // The band a decision answers to is the request's latest screening in this log, if any.
                let band = try log.latestScreening(requestSha256: entry.requestSha256)?.band
                return try log.append(checked: { tip in
                    if let problem = try LogEntry.decisionProblem(decision, requestSha256: entry.requestSha256, band: band, rationale: rationale,
                                                                  corrects: corrects, in: tip) {
                        throw LogError(problem.description)
                    }
                    return entry
                })
            }
            print("entry \(stored.index): \(decision) by \(reviewer)")
        }
    }

    struct Checkpoint: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Sign a checkpoint (tree size, root hash, time) of the log as it stands, and print it. Keep copies elsewhere: verify --checkpoint checks a log against one.")
        @Argument(help: "The log's folder, or the database that holds it.") var folder: String
        @Option(name: .customLong("signing-key"), help: ArgumentHelp("For a log in a database: the signing key's file (default $WINNOW_LOG_KEY).", valueName: "FILE"))
        var signingKey: String?
        func run() throws {
            let log = try LogCommand.open(folder, signingKey: LogCommand.signingKey(signingKey))
            let checkpoint = try LogCommand.attempt { try log.checkpoint(time: Day.nowTimestamp) }
            print(checkpoint.line)
        }
    }

    struct Prove: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print an entry with its inclusion proof (RFC 9162 audit path), or with --from a consistency proof between two tree sizes.")
        @Argument(help: "The log's folder, or the database that holds it.") var folder: String
        @Argument(help: "The entry's index.") var index: Int?
        @Option(help: "The tree size to prove against (default: the whole log).") var size: Int?
        @Option(help: "Prove that the tree of this size is a prefix of the tree of --size.") var from: Int?

        func run() throws {
            let log = try LogCommand.open(folder)
            var out: [String: Any] = [:]
            if let from {
                let proof = try LogCommand.attempt { try log.consistencyProof(old: from, new: size) }
                out = ["oldSize": from, "proof": proof]
                if let size { out["newSize"] = size }
            } else {
                guard let index else { throw ValidationError("give an entry's index, or --from N for a consistency proof") }
                let (entry, root, proof) = try LogCommand.attempt { try log.inclusionProof(index: index, size: size) }
                out = ["index": index, "entry": entry, "rootHash": root, "proof": proof]
                if let size { out["treeSize"] = size }
            }
            let data = try JSONSerialization.data(withJSONObject: out, options: [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes])
            print(String(decoding: data, as: UTF8.self))
        }
    }

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check the log offline: every entry, the tree and every signed checkpoint; say which entry or checkpoint fails.",
            discussion: "Exit 0 when everything holds, 1 when something does not (each problem on stderr), 2 for bad usage.")
        @Argument(help: "The log's folder, the database that holds it, or a server's address (http://HOST:PORT): its entries, latest checkpoint and key are copied and verified here.") var folder: String
        @Option(help: "A checkpoint kept elsewhere (one JSON line, as `log checkpoint` prints it) that the log must still match.") var checkpoint: String?
        @Option(help: "The public key to trust (log.pub as published); default: the log's own log.pub (for an address: the key the server sends).") var key: String?
        @Option(help: "For an address: an API token (any scope); default $WINNOW_TOKEN.") var token: String?

        func run() async throws {
            var copy: URL?
            defer { if let copy { try? FileManager.default.removeItem(at: copy) } }
            var location = folder
            if LogFetch.isURL(folder) {
                let into = FileManager.default.temporaryDirectory.appendingPathComponent("winnow-log-\(UUID().uuidString)")
                copy = into
                let n: Int
                do { n = try await LogFetch.copy(from: folder, token: token ?? ProcessInfo.processInfo.environment["WINNOW_TOKEN"], into: into) } catch {
                    Stderr.line("winnow: \(error)")
                    throw ExitCode(ExitStatus.badInput)
                }
                Stderr.line("copied \(n) entries and the latest checkpoint from \(folder)" + (key == nil ? "; trusting the key the server sent (give --key for a copy published elsewhere)" : ""))
                location = into.path
            }
            let log = try LogCommand.open(location)
            let trusted = try LogCommand.trustedKey(key)
            let external = try checkpoint.map { path -> WinnowLog.Checkpoint in
                guard let data = FileManager.default.contents(atPath: path),
                      let c = try? JSONDecoder().decode(WinnowLog.Checkpoint.self, from: data) else {
                    Stderr.line("winnow: \(path): not a checkpoint (one JSON line, as `winnow log checkpoint` prints it)")
                    throw ExitCode(ExitStatus.badInput)
                }
                return c
            }
            let v = log.verify(key: trusted, external: external)
            if v.ok {
                print("log verified: \(v.entries) entries, \(v.checkpoints) signed checkpoints\(external == nil ? "" : ", and the checkpoint given"): all hold")
                return
            }
            for problem in v.problems { Stderr.line("winnow: log: \(problem)") }
            print("log NOT verified: \(v.problems.count) problem(s) in \(v.entries) entries and \(v.checkpoints) checkpoints")
            throw ExitCode(ExitStatus.findings)
        }
    }
}

/// `winnow report verify FILE --log DIR`: whether a report is the one a log recorded.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Check a report against the decision log that recorded it, or against its receipt.",
        subcommands: [Verify.self])

    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Find the report's entry in a log (by the SHA-256 of its bytes), verify the log, and name the signed checkpoint that covers it; or check the report's receipt (--receipt) with the log's public key alone.",
            discussion: """
                A receipt (GET /v1/log/receipts/N from the server, or the desk's "receipt" link) holds the \
                report's entry, its inclusion proof and the signed checkpoint: checked offline without a copy \
                of the log, against the key given with --key. Exit 0 when the report is a logged screening \
                covered by a checkpoint signed with the trusted key; 1 when it is not; 2 for bad usage.
                """)
        @Argument(help: "The report file, exactly as it was issued.") var file: String
        @Option(help: "The log's folder (the server's DATA/log, or a copy of it), or the database that holds it.") var log: String?
        @Option(help: "The report's receipt (JSON), instead of a log; needs --key.") var receipt: String?
        @Option(help: "The public key to trust (log.pub as published); default with --log: the log's own log.pub.") var key: String?

        func validate() throws {
            if (log == nil) == (receipt == nil) { throw ValidationError("give --log DIR or --receipt FILE (one of them)") }
            if receipt != nil, key == nil { throw ValidationError("--receipt needs --key: the public key you trust, as the server publishes it (DATA/log/log.pub)") }
        }

        func run() throws {
            guard let bytes = FileManager.default.contents(atPath: file) else {
                Stderr.line("winnow: \(file): cannot read the report")
                throw ExitCode(ExitStatus.badInput)
            }
            if let receipt {
                guard let data = FileManager.default.contents(atPath: receipt) else {
                    Stderr.line("winnow: \(receipt): cannot read the receipt")
                    throw ExitCode(ExitStatus.badInput)
                }
                let r: Receipt
                do { r = try JSONDecoder().decode(Receipt.self, from: data) } catch {
                    Stderr.line("winnow: \(receipt): not a receipt (\(error))")
                    throw ExitCode(ExitStatus.badInput)
                }
                if let problem = r.problem(report: [UInt8](bytes), key: try LogCommand.trustedKey(key)!) {
                    print("report NOT verified: \(problem)")
                    throw ExitCode(ExitStatus.findings)
                }
                let e = r.decodedEntry!
                print("report verified by its receipt: entry \(r.index), \(e.request) screened \(e.time): \(e.band ?? "?") \(e.score.map(String.init) ?? "?"); "
                      + "in the tree of \(r.checkpoint.treeSize) entries signed \(r.checkpoint.time) with key \(r.checkpoint.keyId)")
                return
            }
            let decisionLog = try LogCommand.open(log!)
            let trusted = try LogCommand.trustedKey(key)
            let v = decisionLog.verify(key: trusted)
            guard v.ok else {
                for p in v.problems { Stderr.line("winnow: log: \(p)") }
                print("report NOT verified: the log itself does not verify")
                throw ExitCode(ExitStatus.findings)
            }
            let sha = [UInt8](bytes).sha256
            let entries = v.decodedEntries
            guard let entry = entries.first(where: { $0.kind == .screening && $0.reportSha256 == sha }) else {
                print("report NOT verified: no screening in the log issued a report with these bytes (SHA-256 \(sha))")
                throw ExitCode(ExitStatus.findings)
            }
            guard let covering = v.decodedCheckpoints.first(where: { $0.treeSize > entry.index }) else {
                print("report NOT verified: entry \(entry.index) is in the log but no signed checkpoint covers it yet (`winnow log checkpoint`)")
                throw ExitCode(ExitStatus.findings)
            }
            print("report verified: entry \(entry.index) of \(entries.count), \(entry.request) screened \(entry.time): \(entry.band ?? "?") \(entry.score.map(String.init) ?? "?"); "
                  + "covered by the checkpoint of \(covering.treeSize) entries signed \(covering.time) with key \(covering.keyId)")
        }
    }
}
