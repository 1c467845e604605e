import Testing
import Foundation
import Crypto
import Winnow
@testable import WinnowLog
@testable import WinnowRegistry
import WinnowServer

/// The decision log in a database that several servers write at once (`SharedLogStorage`), on
/// SQLite and, with `WINNOW_TEST_POSTGRES`, on PostgreSQL.
@Suite("a decision log that servers share")
struct SharedLogTests {
    static func screening(_ n: Int) -> LogEntry {
        var e = LogEntry(kind: .screening, time: "2026-12-03T10:00:0\(n % 10)Z", request: "r\(n).json", requestSha256: String(repeating: "\(n % 10)", count: 64))
        e.band = "low"
        e.score = n
        return e
    }

    @Test("the frontier's text gives back the same tree, and damaged text is refused")
    func frontierText() throws {
        for n in [0, 1, 2, 3, 7, 8, 13] {
            let leaves = (0..<n).map { MerkleTree.leafHash(Array("leaf \($0)".utf8)) }
            let f = MerkleTree.Frontier(leaves)
            let back = try #require(MerkleTree.Frontier(serialized: f.serialized))
            #expect(back.size == n && back.root == MerkleTree.root(leaves), "\(n)")
        }
        let three = MerkleTree.Frontier((0..<3).map { MerkleTree.leafHash([UInt8($0)]) }).serialized
        #expect(MerkleTree.Frontier(serialized: three.components(separatedBy: ",").reversed().joined(separator: ",")) == nil, "sizes must fall")
        #expect(MerkleTree.Frontier(serialized: "3:" + String(repeating: "0", count: 64)) == nil, "3 is not a power of two")
        #expect(MerkleTree.Frontier(serialized: "1:abcd") == nil, "a hash has 32 bytes")
    }

    @Test("entries, checkpoints and proofs in a database are those of the same log in a folder", arguments: TestStore.available)
    func sameAsFolder(_ store: TestStore) throws {
        let dir = try TempDir()
        let (storage, created) = try SharedLogStorage.openOrCreate(try store.registry(in: dir), keyFile: dir.url.appendingPathComponent("keys/log.key"))
        #expect(created)
        let shared = DecisionLog(storage: storage)
        let folder = try DecisionLog.create(at: dir.url.appendingPathComponent("folder"))
        for n in 0..<11 {
            #expect(try shared.append(Self.screening(n)) == folder.append(Self.screening(n)))
        }
        #expect(try shared.storedEntries(from: 0, count: 100) == folder.storedEntries(from: 0, count: 100))
        #expect(try shared.storedEntries(from: 4, count: 3) == folder.storedEntries(from: 4, count: 3))
        #expect(try shared.inclusionProof(index: 6, size: 9) == folder.inclusionProof(index: 6, size: 9))
        #expect(try shared.consistencyProof(old: 5) == folder.consistencyProof(old: 5))
        let checkpoint = try shared.checkpoint(time: "2026-12-03T11:00:00Z")
        #expect(try checkpoint.treeSize == 11 && checkpoint.rootHash == folder.inclusionProof(index: 0).root)
        #expect(try shared.latestCheckpoint(time: "2026-12-03T12:00:00Z") == checkpoint, "no new entries: no new signature")
        let v = shared.verify()
        #expect(v.ok && v.entries == 11 && v.checkpoints == 1, "\(v.problems)")
        // The public key is in the database; the private key only in its file.
        #expect(try storage.publicKey().rawRepresentation == FileLogStorage.readKey(dir.url.appendingPathComponent("keys/log.key")).publicKey.rawRepresentation)
        #expect(FileManager.default.fileExists(atPath: dir.url.appendingPathComponent("keys/log.pub").path))
    }

    @Test("a changed or removed entry row is found by verify; a foreign or missing key cannot sign", arguments: TestStore.available)
    func tamperAndKeys(_ store: TestStore) throws {
        let dir = try TempDir()
        let registry = try store.registry(in: dir)
        let keyFile = dir.url.appendingPathComponent("log.key")
        let log = DecisionLog(storage: try SharedLogStorage.openOrCreate(registry, keyFile: keyFile).storage)
        for n in 0..<5 { try log.append(Self.screening(n)) }
        try log.checkpoint(time: "2026-12-03T11:00:00Z")

        // Someone with the database's password cannot sign: a key of their own is refused.
        let foreign = dir.url.appendingPathComponent("other/log.key")
        try FileManager.default.createDirectory(at: foreign.deletingLastPathComponent(), withIntermediateDirectories: true)
        try FileLogStorage.writeKey(Curve25519.Signing.PrivateKey(), to: foreign)
        #expect(throws: LogError.self) { try SharedLogStorage.openOrCreate(registry, keyFile: foreign) }
        let unsigned = DecisionLog(storage: try SharedLogStorage.open(registry))
        #expect(throws: LogError.self) { try unsigned.checkpoint(time: "2026-12-03T12:00:00Z") }
        #expect(try unsigned.append(Self.screening(5)).index == 5, "appending needs no key")

        try registry.store.write { s in
            try s.execute("UPDATE logEntry SET line = replace(line, '\"score\":2', '\"score\":9') WHERE position = 2")
        }
        let v = log.verify()
        #expect(v.problems.contains("entry 2 was changed after it was logged (entry 3 recorded a different log before it)"), "\(v.problems)")
        #expect(v.problems.contains { $0.hasPrefix("checkpoint 1: the first 5 entries no longer match") }, "\(v.problems)")
        try registry.store.write { s in try s.execute("DELETE FROM logEntry WHERE position = 1") }
        #expect(log.verify().problems.contains("entry at line 2 says it is entry 2: an entry was removed, inserted or moved before it"))

        // The last entry, which no checkpoint covers, removed: the head still counts it.
        let fresh = DecisionLog(storage: try SharedLogStorage.openOrCreate(try store.registry(in: dir), keyFile: dir.url.appendingPathComponent("fresh.key")).storage)
        for n in 0..<3 { try fresh.append(Self.screening(n)) }
        #expect(fresh.verify().ok)
        let rows = (fresh.storage as! SharedLogStorage).rows
        try rows.store.write { s in try s.execute("DELETE FROM logEntry WHERE position = 2") }
        #expect(fresh.verify().problems == ["the log's head records 3 entries but 2 are stored: entries were removed or added behind the head"])
    }

    @Test("a decision's check reads the log under the lock: corrections must name the standing decision on the same request, in a folder and in a database",
          arguments: [nil] + TestStore.available.map(Optional.some))
    func decisionChecks(_ store: TestStore?) throws {
        let dir = try TempDir()
        let log = try store.map { DecisionLog(storage: try SharedLogStorage.openOrCreate(try $0.registry(in: dir), keyFile: dir.url.appendingPathComponent("log.key")).storage) }
            ?? DecisionLog.create(at: dir.url.appendingPathComponent("log"))
        let a = String(repeating: "a", count: 64), b = String(repeating: "b", count: 64)
        func decide(_ sha: String, corrects: Int? = nil, rationale: String = "why") throws -> LogEntry {
            try log.append(checked: { tip in
                if let problem = try LogEntry.decisionProblem("refuse", requestSha256: sha, band: "high", rationale: rationale, corrects: corrects, in: tip) {
                    throw LogError(problem.description)
                }
                var e = LogEntry(kind: .decision, time: "2026-12-03T10:00:00Z", request: "\(sha.prefix(1)).json", requestSha256: sha)
                e.decision = "refuse"
                e.corrects = corrects
                return e
            })
        }
        func refusal(_ body: () throws -> LogEntry) -> String {
            do { _ = try body(); return "recorded" } catch { return "\(error)" }
        }
        var screening = LogEntry(kind: .screening, time: "2026-12-03T09:00:00Z", request: "a.json", requestSha256: a)
        screening.band = "high"
        try log.append(screening)                                   // 0
        #expect(try decide(a).index == 1)
        #expect(try decide(b).index == 2)
        #expect(refusal { try decide(a) } == "the request was decided in entry 1; a correction names it (corrects)")
        #expect(refusal { try decide(a, corrects: 0) } == "corrects: entry 0 is not a decision in the log")
        #expect(refusal { try decide(a, corrects: 9) } == "corrects: entry 9 is not a decision in the log")
        #expect(refusal { try decide(a, corrects: 2) } == "corrects: entry 2 is a decision on another request (b.json)")
        #expect(refusal { try decide(a, corrects: 1, rationale: " ") } == "rationale: a correction needs a rationale")
        #expect(try decide(a, corrects: 1).index == 3)
        #expect(refusal { try decide(a, corrects: 1) } == "corrects: entry 1 was itself corrected; the standing decision is entry 3")
        #expect(try log.latestScreening(requestSha256: a)?.index == 0 && log.latestScreening(requestSha256: b) == nil)
        #expect(try log.decisions(requestSha256: a).map(\.index) == [1, 3] && log.decisions(requestSha256: nil).count == 3)
    }

    @Test("writers on separate connections at once: every entry numbered once, in one chain; one first decision on a contested request",
          arguments: TestStore.available)
    func concurrentWriters(_ store: TestStore) async throws {
        let dir = try TempDir()
        let address = store.address(in: dir)
        let keyFile = dir.url.appendingPathComponent("log.key")
        _ = try SharedLogStorage.openOrCreate(try Registry.open(path: address), keyFile: keyFile)
        // Each writer opens the database itself, as a server or a `winnow log decide` would.
        let writers = try (0..<6).map { _ in DecisionLog(storage: try SharedLogStorage.open(try Registry.load(path: address), keyFile: keyFile)) }
        let contested = String(repeating: "c", count: 64)
        let outcomes = try await withThrowingTaskGroup(of: (indices: [Int], decided: Bool).self) { group in
            for (w, log) in writers.enumerated() {
                group.addTask {
                    var indices: [Int] = []
                    for n in 0..<8 { indices.append(try log.append(Self.screening(w * 8 + n)).index) }
                    if w % 2 == 0 { indices.append(try log.checkpoint(time: "2026-12-03T11:0\(w):00Z").treeSize) }
                    var decision = LogEntry(kind: .decision, time: "2026-12-03T11:00:00Z", request: "contested.json", requestSha256: contested)
                    decision.decision = "refuse"
                    decision.reviewer = "reviewer \(w)"
                    do {
                        _ = try log.append { tip in
                            if let problem = try LogEntry.decisionProblem("refuse", requestSha256: contested, band: nil, rationale: "", corrects: nil, in: tip) {
                                throw LogError(problem.description)
                            }
                            return decision
                        }
                        return (indices, true)
                    } catch is LogError {
                        return (indices, false)
                    }
                }
            }
            return try await group.reduce(into: [(indices: [Int], decided: Bool)]()) { $0.append($1) }
        }
        #expect(outcomes.filter(\.decided).count == 1, "exactly one first decision")
        let log = writers[0]
        let entries = try log.entries()
        #expect(entries.count == 6 * 8 + 1)
        #expect(entries.map(\.index) == Array(0..<entries.count))
        #expect(Set(entries.filter { $0.kind == .screening }.compactMap(\.score)) == Set(0..<48), "no screening lost or written twice")
        let v = log.verify()
        #expect(v.ok && v.checkpoints == 3, "\(v.problems)")
        // Checkpoints were recorded in the order they were signed: sizes never fall.
        #expect(v.decodedCheckpoints.map(\.treeSize) == v.decodedCheckpoints.map(\.treeSize).sorted())
        #expect(try log.decisions(requestSha256: contested).count == 1)
    }

    @Test("a folder's log copied into a database: the same entries and checkpoints, its requests, signed on with the folder's key; once only",
          arguments: TestStore.available)
    func copyFolder(_ store: TestStore) throws {
        let dir = try TempDir()
        let folder = try DecisionLog.create(at: dir.url.appendingPathComponent("data/log"))
        let requests = dir.url.appendingPathComponent("data/requests")
        try FileManager.default.createDirectory(at: requests, withIntermediateDirectories: true)
        for n in 0..<5 {
            let bytes = Array(#"{"request": \#(n)}"#.utf8)
            try Data(bytes).write(to: requests.appendingPathComponent("\(bytes.sha256).json"))
            var e = LogEntry(kind: .screening, time: "2026-12-03T10:00:0\(n)Z", request: "r\(n).json", requestSha256: bytes.sha256)
            e.stored = "../requests/\(bytes.sha256).json"
            try folder.append(e)
            if n == 2 { try folder.checkpoint(time: "2026-12-03T10:30:00Z") }
        }
        try folder.checkpoint(time: "2026-12-03T11:00:00Z")
        let address = store.address(in: dir)
        let registry = try Registry.open(path: address)
        let v = try SharedLogStorage.copy(folder, into: registry)
        #expect(v.ok && v.entries == 5 && v.checkpoints == 2, "\(v.problems)")
        let shared = DecisionLog(storage: try SharedLogStorage.open(registry, keyFile: folder.folder!.appendingPathComponent("log.key")))
        #expect(try shared.storedEntries(from: 0, count: 10) == folder.storedEntries(from: 0, count: 10))
        #expect(try shared.storage.checkpointLines().lines == folder.storage.checkpointLines().lines)
        let rows = SharedLogRows(registry: registry)
        for e in try folder.entries() { #expect(try rows.request(sha256: e.requestSha256)?.bytes.sha256 == e.requestSha256) }
        // Servers carry on from the copy with the folder's key.
        let appender = LogAppender(shared: shared)
        #expect(try appender.append(Self.screening(5)).index == 5)
        let next = try appender.checkpoint(time: "2026-12-03T12:00:00Z")
        #expect(try next.treeSize == 6 && next.isSigned(by: try folder.storage.publicKey()))
        #expect(shared.verify().ok)
        #expect(throws: (any Error).self, "a database holds one log") { try SharedLogStorage.copy(folder, into: registry) }
        // A server whose folder holds a log does not start a second log beside it in an empty store.
        let empty = store.address(in: dir)
        _ = try Registry.open(path: empty)
        var configuration = ServerConfiguration(dataFolder: dir.url.appendingPathComponent("data"))
        configuration.sharedStorePath = empty
        #expect(throws: LogError.self) { try ServerState(configuration: configuration, pack: shippedPack) }
        // Started on the store it was copied into, with the folder's key, it carries the log on.
        configuration.sharedStorePath = address
        configuration.logKeyPath = folder.folder!.appendingPathComponent("log.key").path
        #expect(try ServerState(configuration: configuration, pack: shippedPack).log.size() == 6)

        // A log that does not verify is not copied.
        let lines = try String(contentsOf: folder.folder!.appendingPathComponent("entries.jsonl"), encoding: .utf8)
        try lines.replacingOccurrences(of: "r1.json", with: "r9.json").write(to: folder.folder!.appendingPathComponent("entries.jsonl"), atomically: true, encoding: .utf8)
        #expect(throws: LogError.self) { try SharedLogStorage.copy(folder, into: try store.registry(in: dir)) }
    }

    @Test("a database's log copied into a new folder: the same entries, checkpoints and key, and its requests, so that it verifies and audits offline",
          arguments: TestStore.available)
    func copyToFolder(_ store: TestStore) throws {
        let dir = try TempDir()
        let address = store.address(in: dir)
        let storage = try SharedLogStorage.openOrCreate(try Registry.open(path: address), keyFile: dir.url.appendingPathComponent("log.key")).storage
        let shared = DecisionLog(storage: storage)
        let request = Array(#"{"a request": "of the test"}"#.utf8)
        var screening = LogEntry(kind: .screening, time: "2026-12-03T10:00:00Z", request: "r.json", requestSha256: request.sha256)
        screening.stored = try storage.keepRequest(request, sha256: request.sha256)
        screening.band = "low"
        try shared.append(screening)
        var decision = LogEntry(kind: .decision, time: "2026-12-03T11:00:00Z", request: "r.json", requestSha256: request.sha256)
        decision.stored = screening.stored
        decision.decision = "execute"
        decision.reviewer = "A. Reviewer"
        try shared.append(decision)
        try shared.checkpoint(time: "2026-12-03T12:00:00Z")

        let target = dir.url.appendingPathComponent("archive")
        let v = try SharedLogStorage.copy(shared, toFolder: target)
        #expect(v.ok && v.entries == 2 && v.checkpoints == 1, "\(v.problems)")
        let folder = try DecisionLog.open(target)
        #expect(try folder.storedEntries(from: 0, count: 10) == shared.storedEntries(from: 0, count: 10))
        #expect(try folder.storage.publicKey().rawRepresentation == storage.publicKey().rawRepresentation)
        #expect(!FileManager.default.fileExists(atPath: target.appendingPathComponent("log.key").path), "the private key is never in the database")
        // The decision's request is where its entry says, with the bytes it was decided on.
        let standing = try folder.standingDecisions()
        #expect(standing.count == 1 && FileManager.default.contents(atPath: standing[0].file).map { [UInt8]($0).sha256 } == request.sha256)
        #expect(throws: LogError.self, "only into a new folder") { try SharedLogStorage.copy(shared, toFolder: target) }
        let contents = try FileManager.default.contentsOfDirectory(atPath: dir.url.path)
        #expect(!contents.contains { $0.hasSuffix(".partial") })
    }

    @Test("kill -9 while a log is copied into a database: nothing of it is stored, and the copy run again completes", arguments: TestStore.available)
    func killDuringCopy(_ store: TestStore) throws {
        let dir = try TempDir()
        let folder = try DecisionLog.create(at: dir.url.appendingPathComponent("log"))
        // 3,000 entries written at once, chained as the log chains them.
        var frontier = MerkleTree.Frontier()
        var text = ""
        for n in 0..<3_000 {
            var e = Self.screening(n)
            e.index = n
            e.previousRoot = frontier.root.hex
            let line = e.line
            frontier.append(MerkleTree.leafHash(Array(line.utf8)))
            text += line + "\n"
        }
        try Data(text.utf8).write(to: folder.folder!.appendingPathComponent("entries.jsonl"))
        #expect(folder.verify().ok)
        let address = store.address(in: dir)
        _ = try Registry.open(path: address)

        // Killed once the copy says its transaction is open.
        #expect(try killWinnow(["log", "copy", folder.folder!.path, address, "--progress"], when: "transaction open") == .uncaughtSignal)

        let rows = SharedLogRows(registry: try Registry.load(path: address))
        #expect(try rows.publicKey() == nil && rows.lines(from: 0, count: 10).isEmpty, "no head and no entry of the cut copy")
        let again = try runWinnow(["log", "copy", folder.folder!.path, address])
        #expect(again.status == 0 && again.stdout.hasPrefix("copied 3000 entries"), "\(again.stdout)\(again.stderr)")
    }

    @Test("the command line on a log in a database: init, screen --log, decide, checkpoint, verify, audit", arguments: TestStore.available)
    func commandLine(_ store: TestStore) throws {
        let dir = try TempDir()
        let address = store.address(in: dir)
        let key = dir.url.appendingPathComponent("keys/log.key").path
        try FileManager.default.createDirectory(at: dir.url.appendingPathComponent("keys"), withIntermediateDirectories: true)
        let refused = try runWinnow(["log", "init", address])
        #expect(refused.status != 0 && refused.stderr.contains("--signing-key"), "\(refused.stderr)")
        let made = try runWinnow(["log", "init", address, "--signing-key", key])
        #expect(made.status == 0 && made.stdout.contains("signing key: \(key)"), "\(made.stdout)\(made.stderr)")
        let again = try runWinnow(["log", "init", address, "--signing-key", key])
        #expect(again.status == 2 && again.stderr.contains("already holds a decision log"), "\(again.stderr)")

        let sample = "SampleRequests/eaw-pl-theft.json"
        let report = dir.url.appendingPathComponent("report.json").path
        let screened = try runWinnow(["screen", sample, "--log", address, "--as-of", "2026-11-29", "--registry", demoRegistryPath, "--format", "json", "-o", report])
        #expect(screened.status == 0 && screened.stderr.contains("logged as entry 0 in"), "\(screened.stderr)")
        let decided = try runWinnow(["log", "decide", address, "--request", sample, "--decision", "execute", "--reviewer", "A. Prosecutor"])
        #expect(decided.status == 0 && decided.stdout.contains("entry 1: execute"), "\(decided.stdout)\(decided.stderr)")
        let twice = try runWinnow(["log", "decide", address, "--request", sample, "--decision", "refuse", "--reviewer", "B. Prosecutor"])
        #expect(twice.status == 2, "a recorded decision is final: \(twice.stdout)\(twice.stderr)")
        #expect(try runWinnow(["log", "checkpoint", address]).status == 2, "no key, no signature")
        let checkpoint = try runWinnow(["log", "checkpoint", address, "--signing-key", key])
        #expect(checkpoint.status == 0 && checkpoint.stdout.contains("\"treeSize\":2"), "\(checkpoint.stdout)\(checkpoint.stderr)")
        let verified = try runWinnow(["log", "verify", address])
        #expect(verified.status == 0 && verified.stdout.contains("2 entries, 1 signed checkpoints"), "\(verified.stdout)\(verified.stderr)")
        // A file that is not a SQLite database is not taken for one.
        let notLog = try runWinnow(["log", "verify", report])
        #expect(notLog.status == 2 && notLog.stderr.contains("holds no log"), "\(notLog.stderr)")
        let proved = try runWinnow(["log", "prove", address, "0"])
        #expect(proved.status == 0 && proved.stdout.contains("\"rootHash\""), "\(proved.stderr)")
        // The request went into the database with its screening: the audit reads it from there.
        let out = dir.url.appendingPathComponent("audit").path
        let audited = try runWinnow(["audit", "--log", address, "--out", out, "--registry", demoRegistryPath])
        #expect(audited.status == 0 && audited.stdout.hasPrefix("1 decisions audited"), "\(audited.stdout)\(audited.stderr)")
        // Copied out into a folder, the log verifies and audits there, offline.
        let archive = dir.url.appendingPathComponent("archive").path
        let out2 = dir.url.appendingPathComponent("audit2").path
        let copied = try runWinnow(["log", "copy", address, archive])
        #expect(copied.status == 0 && copied.stdout.hasPrefix("copied 2 entries and 1 checkpoints into \(archive)"), "\(copied.stdout)\(copied.stderr)")
        let offline = try runWinnow(["audit", "--log", archive, "--out", out2, "--registry", demoRegistryPath])
        #expect(offline.status == 0 && offline.stdout.hasPrefix("1 decisions audited"), "\(offline.stdout)\(offline.stderr)")
        // The report the screening issued is found in the database's log.
        let checked = try runWinnow(["report", "verify", report, "--log", address])
        #expect(checked.status == 0 && checked.stdout.hasPrefix("report verified: entry 0 of 2"), "\(checked.stdout)\(checked.stderr)")
    }
}
