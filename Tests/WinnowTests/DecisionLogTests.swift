import Foundation
import Testing
import Crypto
@testable import WinnowLog

/// The tamper-evident log: RFC 9162 hashing and proofs against the published test vectors, and
/// every tampering the issue names detected and located.
@Suite("Merkle tree (RFC 9162)")
struct MerkleTreeTests {
    /// The inputs and tree heads published with the Certificate Transparency reference code (RFC 6962).
    static let leafData: [[UInt8]] = ["", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f"]
        .map { [UInt8](hex: $0)! }
    static let roots = [
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
        "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
        "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
    ]

    @Test("the tree heads of the reference leaves, for every size 0 to 8, by recursion and by the frontier")
    func referenceRoots() {
        let leaves = Self.leafData.map { MerkleTree.leafHash($0) }
        var frontier = MerkleTree.Frontier()
        #expect(frontier.root.hex == Self.roots[0])
        for n in 0...8 {
            #expect(MerkleTree.root(Array(leaves.prefix(n))).hex == Self.roots[n], "size \(n)")
            if n > 0 {
                frontier.append(leaves[n - 1])
                #expect(frontier.root.hex == Self.roots[n], "frontier size \(n)")
            }
        }
    }

    @Test("the reference audit paths of leaves 0 and 5 in the tree of 8")
    func referenceInclusion() {
        let leaves = Self.leafData.map { MerkleTree.leafHash($0) }
        #expect(MerkleTree.inclusionProof(index: 0, leaves: leaves[...]).map(\.hex) == [
            "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
        ])
        #expect(MerkleTree.inclusionProof(index: 5, leaves: leaves[...]).map(\.hex) == [
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ])
    }

    @Test("every leaf's inclusion proof verifies in every tree up to 40 leaves, and a wrong leaf, index, root or path does not")
    func inclusion() {
        let leaves = (0..<40).map { MerkleTree.leafHash([UInt8($0), 7]) }
        for n in 1...40 {
            let tree = leaves.prefix(n), root = MerkleTree.root(tree)
            for i in 0..<n {
                let proof = MerkleTree.inclusionProof(index: i, leaves: tree)
                #expect(MerkleTree.verifyInclusion(index: i, size: n, leafHash: tree[i], proof: proof, root: root))
                #expect(!MerkleTree.verifyInclusion(index: i, size: n, leafHash: MerkleTree.leafHash([99]), proof: proof, root: root))
                if n > 1 {
                    #expect(!MerkleTree.verifyInclusion(index: (i + 1) % n, size: n, leafHash: tree[i], proof: proof, root: root))
                    var bent = proof
                    bent[0][0] ^= 1
                    #expect(!MerkleTree.verifyInclusion(index: i, size: n, leafHash: tree[i], proof: bent, root: root))
                }
            }
        }
    }

    @Test("consistency proofs between every pair of sizes up to 24 verify; a changed old root or path does not")
    func consistency() {
        let leaves = (0..<24).map { MerkleTree.leafHash([UInt8($0)]) }
        for n in 1...24 {
            let newRoot = MerkleTree.root(Array(leaves.prefix(n)))
            for m in 0...n {
                let oldRoot = MerkleTree.root(Array(leaves.prefix(m)))
                let proof = MerkleTree.consistencyProof(old: m, leaves: leaves.prefix(n))
                #expect(MerkleTree.verifyConsistency(oldSize: m, newSize: n, oldRoot: oldRoot, newRoot: newRoot, proof: proof), "\(m) -> \(n)")
                if m > 0 && m < n {
                    var wrongOld = oldRoot
                    wrongOld[0] ^= 1
                    #expect(!MerkleTree.verifyConsistency(oldSize: m, newSize: n, oldRoot: wrongOld, newRoot: newRoot, proof: proof))
                    var bent = proof
                    bent[bent.count - 1][3] ^= 1
                    #expect(!MerkleTree.verifyConsistency(oldSize: m, newSize: n, oldRoot: oldRoot, newRoot: newRoot, proof: bent))
                }
            }
        }
    }
}

@Suite("Decision log")
struct DecisionLogTests {
    /// A log of five entries (three screenings, two decisions) and a checkpoint after the fourth and the fifth.
    static func makeLog() throws -> (TempDir, DecisionLog) {
        let dir = try TempDir()
        let log = try DecisionLog.create(at: dir.url.appendingPathComponent("log"))
        for i in 0..<5 {
            var e = LogEntry(kind: i % 2 == 0 ? .screening : .decision, time: "2026-12-0\(i + 1)T10:00:00Z",
                             request: "r\(i).json", requestSha256: [UInt8(i)].sha256)
            if e.kind == .decision { e.decision = "refuse"; e.reviewer = "Reviewer \(i)" } else { e.band = "high"; e.score = 50 + i }
            try log.append(e)
            if i >= 3 { try log.checkpoint(time: "2026-12-0\(i + 1)T12:00:00Z") }
        }
        return (dir, log)
    }

    static func lines(_ log: DecisionLog) throws -> [String] {
        try String(contentsOf: log.folder!.appendingPathComponent("entries.jsonl"), encoding: .utf8).split(separator: "\n").map(String.init)
    }

    static func rewrite(_ log: DecisionLog, _ lines: [String]) throws {
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: log.folder!.appendingPathComponent("entries.jsonl"))
    }

    @Test("an untouched log verifies: entries, tree and both checkpoints")
    func intact() throws {
        let (dir, log) = try Self.makeLog()
        defer { withExtendedLifetime(dir) {} }
        let v = log.verify()
        #expect(v.ok, "\(v.problems)")
        #expect(v.entries == 5 && v.checkpoints == 2)
        #expect(try log.entries().map(\.index) == [0, 1, 2, 3, 4])
    }

    @Test("a changed entry is named: the next entry's recorded root, and the checkpoints, no longer match")
    func changed() throws {
        let (dir, log) = try Self.makeLog()
        defer { withExtendedLifetime(dir) {} }
        var lines = try Self.lines(log)
        lines[2] = lines[2].replacingOccurrences(of: "\"score\":52", with: "\"score\":12")
        try Self.rewrite(log, lines)
        let v = log.verify()
        #expect(v.problems.contains("entry 2 was changed after it was logged (entry 3 recorded a different log before it)"), "\(v.problems)")
        #expect(v.problems.contains { $0.hasPrefix("checkpoint 1: the first 4 entries no longer match") })
    }

    @Test("a changed last entry, which no later entry records, is caught by the checkpoint that covers it")
    func changedLast() throws {
        let (dir, log) = try Self.makeLog()
        defer { withExtendedLifetime(dir) {} }
        var lines = try Self.lines(log)
        lines[4] = lines[4].replacingOccurrences(of: "\"score\":54", with: "\"score\":4")
        try Self.rewrite(log, lines)
        let v = log.verify()
        #expect(v.problems == ["checkpoint 2: the first 5 entries no longer match the root it signed (2026-12-05T12:00:00Z); an entry among them was changed, removed or reordered"], "\(v.problems)")
    }

    @Test("a removed entry, a reordering and a dropped tail are each detected")
    func removedAndReordered() throws {
        do {
            let (dir, log) = try Self.makeLog()
            defer { withExtendedLifetime(dir) {} }
            var lines = try Self.lines(log)
            lines.remove(at: 1)
            try Self.rewrite(log, lines)
            #expect(log.verify().problems.contains("entry at line 2 says it is entry 2: an entry was removed, inserted or moved before it"))
        }
        do {
            let (dir, log) = try Self.makeLog()
            defer { withExtendedLifetime(dir) {} }
            var lines = try Self.lines(log)
            lines.swapAt(1, 3)
            try Self.rewrite(log, lines)
            let problems = log.verify().problems
            #expect(problems.contains("entry at line 2 says it is entry 3: an entry was removed, inserted or moved before it"))
            #expect(problems.contains("entry at line 4 says it is entry 1: an entry was removed, inserted or moved before it"))
        }
        do {
            let (dir, log) = try Self.makeLog()
            defer { withExtendedLifetime(dir) {} }
            try Self.rewrite(log, Array(try Self.lines(log).prefix(4)))
            #expect(log.verify().problems == ["checkpoint 2 covers 5 entries but the log has 4: entries were removed"])
        }
    }

    @Test("a forged checkpoint is refused: a changed root or size, or another key's signature")
    func forgedCheckpoint() throws {
        let (dir, log) = try Self.makeLog()
        defer { withExtendedLifetime(dir) {} }
        let file = log.folder!.appendingPathComponent("checkpoints.jsonl")
        let original = try String(contentsOf: file, encoding: .utf8)
        var lines = original.split(separator: "\n").map(String.init)
        var c = try JSONDecoder().decode(Checkpoint.self, from: Data(lines[1].utf8))
        c.treeSize = 3
        c.rootHash = try log.inclusionProof(index: 0, size: 3).root
        lines[1] = c.line
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: file)
        let problems = log.verify().problems
        #expect(problems.contains { $0.hasPrefix("checkpoint 2 (size 3, 2026-12-05T12:00:00Z) is not signed by the log's key") }, "\(problems)")
        #expect(problems.contains("checkpoint 2 is smaller than the one before it: the log cannot shrink"))
        // Signed, but by another key than the one the verifier trusts.
        try Data(original.utf8).write(to: file)
        let stranger = Curve25519.Signing.PrivateKey().publicKey
        #expect(log.verify(key: stranger).problems.filter { $0.contains("is not signed by the log's key") }.count == 2)
    }

    @Test("a log rewritten by someone holding the key still fails against a checkpoint kept elsewhere")
    func rewrittenWithTheKey() throws {
        let (dir, log) = try Self.makeLog()
        let kept = try JSONDecoder().decode(Checkpoint.self, from: Data(
            try String(contentsOf: log.folder!.appendingPathComponent("checkpoints.jsonl"), encoding: .utf8).split(separator: "\n")[1].utf8))
        // Rebuild the whole log with entry 1's decision changed, re-chaining and re-signing with the same key.
        var entries = try log.entries()
        entries[1].decision = "execute"
        let folder = dir.url.appendingPathComponent("log")
        let key = try String(contentsOf: folder.appendingPathComponent("log.key"), encoding: .utf8)
        try FileManager.default.removeItem(at: folder.appendingPathComponent("entries.jsonl"))
        try Data().write(to: folder.appendingPathComponent("entries.jsonl"))
        try Data().write(to: folder.appendingPathComponent("checkpoints.jsonl"))
        for e in entries { try log.append(e) }
        try log.checkpoint(time: "2026-12-06T12:00:00Z")
        #expect(try String(contentsOf: folder.appendingPathComponent("log.key"), encoding: .utf8) == key)
        #expect(log.verify().ok, "consistent in itself")
        let v = log.verify(external: kept)
        #expect(v.problems == ["the checkpoint given: the first 5 entries no longer match the root it signed (2026-12-05T12:00:00Z); an entry among them was changed, removed or reordered"], "\(v.problems)")
    }

    @Test("a log held open by a long-running writer refuses appends from elsewhere, and takes them again once it is released")
    func singleWriter() throws {
        let (dir, log) = try Self.makeLog()
        defer { withExtendedLifetime(dir) {} }
        var appender: LogAppender? = try LogAppender(folder: log.folder!)
        let e = LogEntry(kind: .screening, time: "2026-12-06T10:00:00Z", request: "r.json", requestSha256: [9].sha256)
        #expect(throws: LogError.self) { try log.append(e) }
        #expect(throws: LogError.self) { try LogAppender(folder: log.folder!) }
        #expect(try appender?.append(e).index == 5)
        appender = nil
        #expect(try log.append(e).index == 6)
        #expect(log.verify().ok)
    }

    @Test("a server's appends share the disk's flushes: one flush covers every entry written before it, and none is lost")
    func sharedFlushes() async throws {
        let (dir, log) = try Self.makeLog()
        defer { withExtendedLifetime(dir) {} }
        let appender = try LogAppender(folder: log.folder!)
        let exclusive = try #require(appender.exclusive)
        let entry = { @Sendable (n: Int) in LogEntry(kind: .screening, time: "2026-12-06T10:00:00Z", request: "r\(n).json", requestSha256: [UInt8(n)].sha256) }
        let written = try (0..<3).map { try exclusive.write(entry($0)) }
        #expect(written.map(\.index) == [5, 6, 7])
        #expect(exclusive.flushes == (0, 0))
        try await exclusive.durable(through: 7)
        #expect(exclusive.flushes == (1, 8), "one flush for the three, and the five before them")
        try await exclusive.durable(through: 5)
        try exclusive.sync(through: 6)
        #expect(exclusive.flushes == (1, 8), "entries already covered need no flush")

        let indices = try await withThrowingTaskGroup(of: Int.self) { group in
            for n in 0..<64 { group.addTask { try await appender.appendDurably(entry(n)).index } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(indices.sorted() == Array(8..<72), "every append numbered once, none lost")
        let (count, synced) = exclusive.flushes
        #expect(synced == 72, "every entry returned is covered by a flush")
        #expect(count >= 2 && count <= 65)
        withExtendedLifetime(appender) {}
        #expect(log.verify().ok)
        #expect(try log.entries().count == 72)
    }

    @Test("a flush that fails stops the log: that append, and every one after it, is an error")
    func failedFlushStopsTheLog() async throws {
        let (dir, log) = try Self.makeLog()
        defer { withExtendedLifetime(dir) {} }
        let files = FileLogStorage(directory: log.folder!)
        let exclusive = try ExclusiveLog(files, flush: { _ in errno = EIO; return -1 })
        let entry = LogEntry(kind: .screening, time: "2026-12-06T10:00:00Z", request: "r.json", requestSha256: [9].sha256)
        let written = try exclusive.write(entry)
        #expect(throws: LogError.self) { try exclusive.sync(through: written.index) }
        await #expect(throws: LogError.self) { try await exclusive.durable(through: written.index) }
        do {
            _ = try exclusive.write(entry)
            Issue.record("an entry was written after a failed flush")
        } catch let error as LogError {
            #expect("\(error)".contains("takes no more entries"), "\(error)")
        }
        #expect(exclusive.flushes.count == 0)
        #expect(try log.entries().count == 6, "the one entry written before the flush failed, and none after")
    }

    @Test("an entry cut off mid-write is reported, and nothing is appended after it")
    func tornWrite() throws {
        let (dir, log) = try Self.makeLog()
        defer { withExtendedLifetime(dir) {} }
        let handle = try FileHandle(forWritingTo: log.folder!.appendingPathComponent("entries.jsonl"))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("{\"index\":5,\"kind\":\"scr".utf8))
        try handle.close()
        #expect(log.verify().problems.contains("the log ends in an incomplete entry after entry 4: a write was cut off or the file was truncated"))
        #expect(throws: LogError.self) { try log.append(LogEntry(kind: .screening, time: "t", request: "x", requestSha256: "00")) }
    }
}

@Suite("winnow log (command line)")
struct LogCommandTests {
    @Test("8 processes deciding at once: every decision recorded once; reviewers deciding one request at once: exactly one first decision")
    func concurrentDecisions() async throws {
        let dir = try TempDir()
        let folder = dir.url.appendingPathComponent("log").path
        #expect(try runWinnow(["log", "init", folder]).status == 0)
        let lanes = 8, perLane = 4
        var requests: [[String]] = Array(repeating: [], count: lanes)
        for i in 0..<(lanes * perLane) { requests[i % lanes].append(try dir.write("r\(i).json", "{\"request\": \(i)}")) }
        let contested = try dir.write("contested.json", "{\"request\": \"contested\"}")
        let decide: @Sendable (String, String) -> ProcessResult? = { request, reviewer in
            (try? runWinnow(["log", "decide", folder, "--request", request, "--decision", "execute", "--reviewer", reviewer]))
        }
        let results = await withTaskGroup(of: [(Int32, String)].self) { group in
            for (lane, files) in requests.enumerated() {
                group.addTask {
                    // Each lane decides its own requests, and once the contested one.
                    (files + [contested]).map { file in decide(file, "reviewer \(lane)").map { ($0.status, file + ": " + $0.stderr) } ?? (99, file) }
                }
            }
            return await group.reduce(into: []) { $0 += $1 }
        }
        let own = results.filter { !$0.1.hasPrefix(contested) }, rival = results.filter { $0.1.hasPrefix(contested) }
        #expect(own.count == lanes * perLane && own.allSatisfy { $0.0 == 0 }, "\(own.filter { $0.0 != 0 })")
        #expect(rival.filter { $0.0 == 0 }.count == 1, "one first decision on the contested request")
        #expect(rival.filter { $0.0 == 2 && $0.1.contains("was decided in entry") }.count == lanes - 1, "\(rival)")
        let log = try DecisionLog.open(URL(fileURLWithPath: folder))
        let entries = try log.entries()
        #expect(entries.count == lanes * perLane + 1)
        #expect(entries.map(\.index) == Array(0..<entries.count))
        #expect(Set(entries.map(\.requestSha256)).count == entries.count, "each request decided once")
        #expect(log.verify().ok)
    }

    @Test("screen --log and log decide add entries; log verify passes, then names the entry someone changed, and exits 1")
    func journey() throws {
        let dir = try TempDir()
        let folder = dir.url.appendingPathComponent("log").path
        let sample = "SampleRequests/mla-kz-refugee-lawyer-search.json"
        #expect(try runWinnow(["log", "init", folder]).status == 0)
        let screened = try runWinnow(["screen", sample, "--registry", "SampleRequests/registry/demo.json", "--format", "json",
                                      "--as-of", "2026-11-29", "--log", folder])
        #expect(screened.status == 0, "\(screened.stderr)")
        #expect(screened.stderr.contains("logged as entry 0"))
        let decided = try runWinnow(["log", "decide", folder, "--request", sample, "--decision", "refuse", "--reviewer", "A. Reviewer",
                                     "--grounds", "ECHR-8, MICHAUD", "--rationale", "the lawyer's privileged files"])
        #expect(decided.status == 0, "\(decided.stderr)")
        // A correction refers to the decision it corrects, about the same request; anything else is refused.
        #expect(try runWinnow(["log", "decide", folder, "--request", sample, "--decision", "execute", "--reviewer", "B", "--corrects", "0"]).status == 2)
        let checkpoint = try runWinnow(["log", "checkpoint", folder])
        #expect(checkpoint.status == 0)
        let kept = try dir.write("kept.json", checkpoint.stdout)

        let entries = try DecisionLog.open(URL(fileURLWithPath: folder)).entries()
        #expect(entries.map(\.kind) == [.screening, .decision])
        // The screening entry carries the report's hash: the report on stdout is the one logged.
        #expect(entries[0].reportSha256 == Array(screened.stdout.utf8).sha256)
        #expect(entries[0].band == "critical" && entries[1].grounds == ["ECHR-8", "MICHAUD"])

        let ok = try runWinnow(["log", "verify", folder, "--checkpoint", kept, "--key", folder + "/log.pub"])
        #expect(ok.status == 0 && ok.stdout.contains("2 entries, 1 signed checkpoints, and the checkpoint given: all hold"), "\(ok.stdout)\(ok.stderr)")

        // Someone turns the screening's band down after the fact.
        let file = URL(fileURLWithPath: folder + "/entries.jsonl")
        let text = try String(contentsOf: file, encoding: .utf8)
        try Data(text.replacingOccurrences(of: "\"band\":\"critical\"", with: "\"band\":\"low\"").utf8).write(to: file)
        let bad = try runWinnow(["log", "verify", folder, "--checkpoint", kept])
        #expect(bad.status == 1)
        #expect(bad.stderr.contains("entry 0 was changed after it was logged (entry 1 recorded a different log before it)"), "\(bad.stderr)")
        #expect(bad.stderr.contains("the checkpoint given: the first 2 entries no longer match"))
        #expect(try runWinnow(["log", "verify", dir.url.appendingPathComponent("nothing").path]).status == 2)
    }

    @Test("audit --log audits the standing decisions of a verified log, a correction replacing what it corrects, and refuses a request file that changed")
    func auditFromLog() throws {
        let dir = try TempDir()
        let folder = dir.url.appendingPathComponent("log").path
        let request = dir.url.appendingPathComponent("request.json")
        try FileManager.default.copyItem(at: Paths.samples.appendingPathComponent("mla-kz-refugee-lawyer-search.json"), to: request)
        #expect(try runWinnow(["log", "init", folder]).status == 0)
        #expect(try runWinnow(["log", "decide", folder, "--request", request.path, "--decision", "execute", "--reviewer", "A. Reviewer"]).status == 0)
        let corrected = try runWinnow(["log", "decide", folder, "--request", request.path, "--decision", "refuse", "--reviewer", "B. Head",
                                       "--role", "head of unit", "--corrects", "0", "--rationale", "the subject is a recognised refugee"])
        #expect(corrected.status == 0, "\(corrected.stderr)")
        let out = dir.url.appendingPathComponent("audit").path
        let audited = try runWinnow(["audit", "--log", folder, "--out", out, "--registry", "SampleRequests/registry/demo.json"])
        #expect(audited.status == 0, "\(audited.stderr)")
        #expect(audited.stdout.hasPrefix("1 decisions audited: 0 flagged"), "\(audited.stdout)")
        let rows = try String(contentsOf: URL(fileURLWithPath: out + "/rows.jsonl"), encoding: .utf8)
        #expect(rows.contains("\"decision\":\"refused\"") && rows.contains("B. Head (head of unit)"), "\(rows)")
        // The request file changed after the decision: the audit would screen something else.
        try Data("{}".utf8).write(to: request)
        let changed = try runWinnow(["audit", "--log", folder, "--out", out])
        #expect(changed.status == 2)
        #expect(changed.stderr.contains("entry 1: \(request.path) has changed since the decision"), "\(changed.stderr)")
        // Neither a file nor a log, or both: a usage error.
        #expect(try runWinnow(["audit", "--out", out]).status == 2)
    }

    @Test("report verify finds a report's entry by its bytes and names the signed checkpoint covering it; a changed report is not found")
    func reportVerify() throws {
        let dir = try TempDir()
        let folder = dir.url.appendingPathComponent("log").path
        let report = dir.url.appendingPathComponent("report.html").path
        #expect(try runWinnow(["log", "init", folder]).status == 0)
        let screened = try runWinnow(["screen", "SampleRequests/eaw-pl-theft.json", "--format", "html", "-o", report, "--log", folder])
        #expect(screened.status == 0, "\(screened.stderr)")
        let early = try runWinnow(["report", "verify", report, "--log", folder])
        #expect(early.status == 1 && early.stdout.contains("no signed checkpoint covers it yet"), "\(early.stdout)")
        #expect(try runWinnow(["log", "checkpoint", folder]).status == 0)
        let ok = try runWinnow(["report", "verify", report, "--log", folder, "--key", folder + "/log.pub"])
        #expect(ok.status == 0 && ok.stdout.hasPrefix("report verified: entry 0 of 1, SampleRequests/eaw-pl-theft.json"), "\(ok.stdout)\(ok.stderr)")
        let text = try String(contentsOfFile: report, encoding: .utf8)
        try Data(text.replacingOccurrences(of: "LOW", with: "CRITICAL").utf8).write(to: URL(fileURLWithPath: report))
        let changed = try runWinnow(["report", "verify", report, "--log", folder])
        #expect(changed.status == 1 && changed.stdout.contains("no screening in the log issued a report with these bytes"))
    }
}
