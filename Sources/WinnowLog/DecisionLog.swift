public import Foundation
public import Crypto

/// One entry of the log: a screening (what was screened, with what, and the result) or a
/// decision (who decided what, on which grounds). Hashes are lower-case hexadecimal SHA-256.
public struct LogEntry: Codable, Sendable, Equatable {
    public enum Kind: String, Codable, Sendable { case screening, decision }

    /// Its position in the log, from 0; written by the log.
    public var index: Int
    public var kind: Kind
    /// ISO 8601, UTC.
    public var time: String
    /// The request file as named by whoever logged it, and the SHA-256 of its bytes.
    public var request: String
    public var requestSha256: String
    public var requestId: String?
    /// Where the logger kept a copy of the request's bytes, relative to the log's folder (the
    /// server keeps every request it screens in `DATA/requests/`).
    public var stored: String?
    // Screening.
    public var reportSha256: String?
    public var rulePackSha256: String?
    public var registry: String?
    public var band: String?
    public var score: Int?
    // Decision.
    public var reviewer: String?
    public var role: String?
    public var decision: String?
    public var grounds: [String]?
    public var rationale: String?
    /// The entry a decision corrects: a recorded decision is final, a correction is a new entry.
    public var corrects: Int?
    /// The reviewer's view of each reason of the report, by rule id: "agree" or "disagree".
    public var assessments: [String: String]?
    /// The root of the log's tree before this entry (hexadecimal); written by the log. A change to
    /// an earlier entry shows at the first entry after it.
    public var previousRoot: String

    public init(kind: Kind, time: String, request: String, requestSha256: String, requestId: String? = nil) {
        index = 0
        self.kind = kind
        self.time = time
        self.request = request
        self.requestSha256 = requestSha256
        self.requestId = requestId
        previousRoot = ""
    }

    /// The line it is stored as: compact JSON with sorted keys. The line's bytes are the leaf.
    public var line: String { compactLine(self) }
}

/// A value as one line of compact JSON with sorted keys: how entries and checkpoints are stored.
func compactLine(_ value: some Encodable) -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    return String(decoding: (try? encoder.encode(value)) ?? Data(), as: UTF8.self)
}

/// A signed statement of the log's size and root at a time (the checkpoint of RFC 9162's signed
/// tree head), over `message`.
public struct Checkpoint: Codable, Sendable, Equatable {
    public var treeSize: Int
    /// Hexadecimal.
    public var rootHash: String
    public var time: String
    /// The first 16 hexadecimal digits of the SHA-256 of the public key that signed it.
    public var keyId: String
    /// Ed25519, base64.
    public var signature: String

    /// What is signed.
    public static func message(treeSize: Int, rootHash: String, time: String) -> Data {
        Data("winnow-log checkpoint v1\n\(treeSize)\n\(rootHash)\n\(time)\n".utf8)
    }

    public func isSigned(by key: Curve25519.Signing.PublicKey) -> Bool {
        guard let signature = Data(base64Encoded: signature) else { return false }
        return key.isValidSignature(signature, for: Self.message(treeSize: treeSize, rootHash: rootHash, time: time))
    }

    public var line: String { compactLine(self) }
}

public struct LogError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// The append-only log in a folder: `entries.jsonl` (one entry per line), `checkpoints.jsonl`,
/// `log.pub` (the Ed25519 public key, base64) and `log.key` (the private key, mode 0600; it stays
/// with whoever signs checkpoints, the server). Appends take an exclusive lock on the entries file.
public struct DecisionLog: Sendable {
    public let folder: URL
    var entriesFile: URL { folder.appendingPathComponent("entries.jsonl") }
    var checkpointsFile: URL { folder.appendingPathComponent("checkpoints.jsonl") }
    public var publicKeyFile: URL { folder.appendingPathComponent("log.pub") }
    var privateKeyFile: URL { folder.appendingPathComponent("log.key") }

    public init(folder: URL) { self.folder = folder }

    /// A new, empty log with a fresh signing key; refuses a folder that already holds a log.
    public static func create(at folder: URL) throws -> DecisionLog {
        let log = DecisionLog(folder: folder)
        let fm = FileManager.default
        if fm.fileExists(atPath: log.entriesFile.path) { throw LogError("\(folder.path) already holds a log") }
        try fm.createDirectory(at: folder, withIntermediateDirectories: true)
        let key = Curve25519.Signing.PrivateKey()
        guard fm.createFile(atPath: log.privateKeyFile.path, contents: Data(key.rawRepresentation.base64EncodedString().utf8),
                            attributes: [.posixPermissions: 0o600]) else { throw LogError("cannot write \(log.privateKeyFile.path)") }
        try Data((key.publicKey.rawRepresentation.base64EncodedString() + "\n").utf8).write(to: log.publicKeyFile)
        fm.createFile(atPath: log.entriesFile.path, contents: Data())
        fm.createFile(atPath: log.checkpointsFile.path, contents: Data())
        return log
    }

    public static func open(_ folder: URL) throws -> DecisionLog {
        let log = DecisionLog(folder: folder)
        guard FileManager.default.fileExists(atPath: log.entriesFile.path) else {
            throw LogError("\(folder.path) holds no log (entries.jsonl); create one with `winnow log init \(folder.path)`")
        }
        return log
    }

    public static func publicKey(from file: URL) throws -> Curve25519.Signing.PublicKey {
        guard let text = try? String(contentsOf: file, encoding: .utf8),
              let raw = Data(base64Encoded: text.trimmingCharacters(in: .whitespacesAndNewlines)),
              let key = try? Curve25519.Signing.PublicKey(rawRepresentation: raw) else {
            throw LogError("\(file.path): not an Ed25519 public key (base64 of its 32 bytes)")
        }
        return key
    }

    public static func keyId(_ key: Curve25519.Signing.PublicKey) -> String {
        String(Array(SHA256.hash(data: key.rawRepresentation)).hex.prefix(16))
    }

    /// The stored lines, as bytes, and whether the file ends in the middle of one.
    static func lines(of file: URL) throws -> (lines: [ArraySlice<UInt8>], torn: Bool) {
        guard let data = FileManager.default.contents(atPath: file.path) else { throw LogError("cannot read \(file.path)") }
        let bytes = [UInt8](data)
        var out: [ArraySlice<UInt8>] = []
        var start = 0
        for (i, b) in bytes.enumerated() where b == 0x0A {
            out.append(bytes[start..<i])
            start = i + 1
        }
        return (out, start < bytes.count)
    }

    var writerLockFile: URL { folder.appendingPathComponent("writer.lock") }

    /// Who holds the writer lock for its whole life: it is not waited for.
    static let longHolder = "server"

    /// Takes the log's writer lock and returns its descriptor (closing it releases the lock), and
    /// writes into the lock file who holds it. A long-running writer (the server, `holder` "server")
    /// holds it for its whole life, so that no other process appends behind its back: a process
    /// that finds it so held fails at once. A short writer (another `winnow log decide` or `screen
    /// --log`) is waited for, up to `wait` seconds, so that reviewers deciding at once all get in.
    func lockWriter(holder: String = "append", wait: Double = 10) throws -> Int32 {
        let fd = Foundation.open(writerLockFile.path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw LogError("cannot open \(writerLockFile.path)") }
        let deadline = Date().addingTimeInterval(wait)
        while flock(fd, LOCK_EX | LOCK_NB) != 0 {
            let current = (try? String(contentsOf: writerLockFile, encoding: .utf8)) ?? ""
            if current.hasPrefix(Self.longHolder) || Date() >= deadline {
                close(fd)
                let who = current.hasPrefix(Self.longHolder) ? "a running `winnow serve` (\(current.trimmingCharacters(in: .whitespacesAndNewlines)))" : "another process, for over \(Int(wait)) s"
                throw LogError("this log is being written by \(who); append through it, or stop it first")
            }
            usleep(2_000)
        }
        let note = Array("\(holder) pid \(getpid())\n".utf8)
        if ftruncate(fd, 0) == 0 { _ = note.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) } }
        return fd
    }

    /// Appends an entry (its index and the root before it are filled in) and returns it as stored.
    @discardableResult
    public func append(_ entry: LogEntry) throws -> LogEntry {
        try appendLocked { _ in entry }
    }

    /// Appends the entry that `make` returns after seeing every entry, under the writer lock: a
    /// check that `make` makes (a decision is final) holds when the entry is written, even with
    /// other processes appending at once.
    @discardableResult
    public func append(checked make: ([LogEntry]) throws -> LogEntry) throws -> LogEntry {
        try appendLocked { lines in try make(try Self.decodeEntries(lines)) }
    }

    /// Appends the entry that `make` returns from the stored lines, under the writer lock.
    private func appendLocked(_ make: ([ArraySlice<UInt8>]) throws -> LogEntry) throws -> LogEntry {
        let lock = try lockWriter()
        defer { close(lock) }
        let fd = Foundation.open(entriesFile.path, O_WRONLY | O_APPEND | O_CLOEXEC)
        guard fd >= 0 else { throw LogError("cannot open \(entriesFile.path) to append") }
        defer { close(fd) }
        let (lines, torn) = try Self.lines(of: entriesFile)
        if torn { throw LogError("\(entriesFile.path) ends in an incomplete entry; run `winnow log verify` and repair it before appending") }
        let frontier = MerkleTree.Frontier(lines.map { MerkleTree.leafHash($0) })
        var stored = try make(lines)
        stored.index = lines.count
        stored.previousRoot = frontier.root.hex
        try Self.write(line: stored.line, to: fd, file: entriesFile)
        return stored
    }

    private static func write(line: String, to fd: Int32, file: URL) throws {
        let bytes = Array((line + "\n").utf8)
        let written = bytes.withUnsafeBytes { Foundation.write(fd, $0.baseAddress, $0.count) }
        guard written == bytes.count, fsync(fd) == 0 else { throw LogError("could not write the entry to \(file.path)") }
    }

    /// Every entry, decoded; a line that is not an entry is an error naming it.
    public func entries() throws -> [LogEntry] {
        try Self.decodeEntries(try Self.lines(of: entriesFile).lines)
    }

    static func decodeEntries(_ lines: [ArraySlice<UInt8>]) throws -> [LogEntry] {
        try lines.enumerated().map { i, line in
            guard let entry = decode(LogEntry.self, line) else { throw LogError("line \(i + 1) of entries.jsonl is not a log entry") }
            return entry
        }
    }

    /// One stored line as a value, or nil when it is not one.
    static func decode<T: Decodable>(_ type: T.Type, _ line: ArraySlice<UInt8>) -> T? {
        try? JSONDecoder().decode(type, from: Data(line))
    }

    /// Signs and records a checkpoint of the log as it stands.
    @discardableResult
    public func checkpoint(time: String) throws -> Checkpoint {
        let lock = try lockWriter(holder: "checkpoint")
        defer { close(lock) }
        let leaves = try Self.lines(of: entriesFile).lines.map { MerkleTree.leafHash($0) }
        return try sign(treeSize: leaves.count, rootHash: MerkleTree.root(leaves).hex, time: time)
    }

    /// Signs a checkpoint of the given size and root with the log's key, and records it.
    func sign(treeSize: Int, rootHash root: String, time: String) throws -> Checkpoint {
        guard let text = try? String(contentsOf: privateKeyFile, encoding: .utf8),
              let raw = Data(base64Encoded: text.trimmingCharacters(in: .whitespacesAndNewlines)),
              let key = try? Curve25519.Signing.PrivateKey(rawRepresentation: raw) else {
            throw LogError("\(privateKeyFile.path): no signing key here; checkpoints are signed where the key is kept")
        }
        let signature = try key.signature(for: Checkpoint.message(treeSize: treeSize, rootHash: root, time: time))
        let checkpoint = Checkpoint(treeSize: treeSize, rootHash: root, time: time, keyId: Self.keyId(key.publicKey),
                                    signature: signature.base64EncodedString())
        let handle = try FileHandle(forWritingTo: checkpointsFile)
        defer { try? handle.close() }
        try handle.seekToEnd()
        try handle.write(contentsOf: Data((checkpoint.line + "\n").utf8))
        try handle.synchronize()
        return checkpoint
    }

    /// Up to `count` entries from `from`, each exactly as stored, without its line break: what a
    /// copy of the log is made from (`GET /v1/log/entries`).
    public func storedEntries(from: Int, count: Int) throws -> [String] {
        let lines = try Self.lines(of: entriesFile).lines
        guard from < lines.count else { return [] }
        return lines[max(0, from)..<min(lines.count, max(0, from) + count)].map { String(decoding: $0, as: UTF8.self) }
    }

    /// The entry at `index` and its audit path in the tree of the first `size` entries.
    public func inclusionProof(index: Int, size: Int? = nil) throws -> (entry: String, root: String, proof: [String]) {
        let lines = try Self.lines(of: entriesFile).lines
        let n = size ?? lines.count
        guard n <= lines.count, index >= 0, index < n else { throw LogError("no entry \(index) in a tree of \(n) (the log has \(lines.count))") }
        let leaves = lines.prefix(n).map { MerkleTree.leafHash($0) }
        return (String(decoding: lines[index], as: UTF8.self), MerkleTree.root(leaves).hex,
                MerkleTree.inclusionProof(index: index, leaves: leaves[...]).map(\.hex))
    }

    /// The proof that the tree of the first `old` entries is a prefix of the tree of `new`.
    public func consistencyProof(old: Int, new: Int? = nil) throws -> [String] {
        let lines = try Self.lines(of: entriesFile).lines
        let n = new ?? lines.count
        guard old >= 0, old <= n, n <= lines.count else { throw LogError("no consistency between sizes \(old) and \(n) (the log has \(lines.count))") }
        return MerkleTree.consistencyProof(old: old, leaves: lines.prefix(n).map { MerkleTree.leafHash($0) }[...]).map(\.hex)
    }

    /// What a verification found: every problem, each naming the entry or checkpoint at fault.
    public struct Verification: Sendable {
        /// The entries and checkpoints as read and decoded (a line that does not decode is left out
        /// and named in `problems`), so that a caller need not read the files again.
        public var decodedEntries: [LogEntry] = []
        public var decodedCheckpoints: [Checkpoint] = []
        public var entries = 0
        public var checkpoints: Int { decodedCheckpoints.count }
        public var problems: [String] = []
        public var ok: Bool { problems.isEmpty }
    }

    /// Checks, offline, every entry (it parses, its index is its position, the root it recorded
    /// is the log's before it), every checkpoint (signed by `key`, or by the log's own public key;
    /// its size within the log; its root that of the first entries) and, if given, a checkpoint
    /// kept elsewhere.
    public func verify(key given: Curve25519.Signing.PublicKey? = nil, external: Checkpoint? = nil) -> Verification {
        var v = Verification()
        let key: Curve25519.Signing.PublicKey
        do { key = try given ?? Self.publicKey(from: publicKeyFile) } catch {
            v.problems.append("\(error)")
            return v
        }
        let lines: [ArraySlice<UInt8>]
        do {
            let read = try Self.lines(of: entriesFile)
            lines = read.lines
            if read.torn { v.problems.append("entries.jsonl ends in an incomplete entry after entry \(lines.count - 1): a write was cut off or the file was truncated") }
        } catch {
            v.problems.append("\(error)")
            return v
        }
        var frontier = MerkleTree.Frontier()
        var roots = [frontier.root]          // roots[n]: the tree of the first n entries
        for (i, line) in lines.enumerated() {
            if let entry = Self.decode(LogEntry.self, line) {
                v.decodedEntries.append(entry)
                if entry.index != i {
                    v.problems.append("entry at line \(i + 1) says it is entry \(entry.index): an entry was removed, inserted or moved before it")
                } else if entry.previousRoot != frontier.root.hex {
                    v.problems.append(i == 0 ? "entry 0 records a log before it, but it is the first"
                                             : "entry \(i - 1) was changed after it was logged (entry \(i) recorded a different log before it)")
                }
            } else {
                v.problems.append("line \(i + 1) of entries.jsonl is not a log entry")
            }
            frontier.append(MerkleTree.leafHash(line))
            roots.append(frontier.root)
        }
        v.entries = lines.count
        func check(_ c: Checkpoint, _ name: String) {
            if !c.isSigned(by: key) { v.problems.append("\(name) (size \(c.treeSize), \(c.time)) is not signed by the log's key \(Self.keyId(key))") }
            if c.treeSize > lines.count {
                v.problems.append("\(name) covers \(c.treeSize) entries but the log has \(lines.count): entries were removed")
            } else if c.treeSize < 0 || roots[c.treeSize].hex != c.rootHash {
                v.problems.append("\(name): the first \(c.treeSize) entries no longer match the root it signed (\(c.time)); an entry among them was changed, removed or reordered")
            }
        }
        do {
            let (checkpointLines, torn) = try Self.lines(of: checkpointsFile)
            if torn { v.problems.append("checkpoints.jsonl ends in an incomplete checkpoint") }
            var lastSize = 0
            for (i, line) in checkpointLines.enumerated() {
                guard let c = Self.decode(Checkpoint.self, line) else {
                    v.problems.append("line \(i + 1) of checkpoints.jsonl is not a checkpoint")
                    continue
                }
                if c.treeSize < lastSize { v.problems.append("checkpoint \(i + 1) is smaller than the one before it: the log cannot shrink") }
                lastSize = c.treeSize
                check(c, "checkpoint \(i + 1)")
                v.decodedCheckpoints.append(c)
            }
        } catch {
            v.problems.append("\(error)")
        }
        if let external { check(external, "the checkpoint given") }
        return v
    }
}

extension Array where Element == UInt8 {
    /// SHA-256, hexadecimal.
    public var sha256: String { Array(SHA256.hash(data: self)).hex }
}

extension DecisionLog {
    /// A decision the log holds, as an audit reads it: the latest word on each request (a
    /// correction replaces the decision it corrects).
    public struct LoggedDecision: Sendable, Equatable {
        public var entry: Int
        public var request: String
        public var requestSha256: String
        /// The request file to read: the stored copy when the logger kept one, else the path as logged.
        public var file: String
        public var decision: String
        public var time: String
        public var reviewer: String
    }

    /// The standing decisions, in log order, after verifying the log; a log that does not verify
    /// yields its problems instead.
    public func standingDecisions() throws -> [LoggedDecision] {
        let v = verify()
        guard v.ok else { throw LogError("the log does not verify:\n" + v.problems.joined(separator: "\n")) }
        let decisions = v.decodedEntries.filter { $0.kind == .decision }
        let corrected = Set(decisions.compactMap(\.corrects))
        return decisions.filter { !corrected.contains($0.index) }.map {
            LoggedDecision(entry: $0.index, request: $0.request, requestSha256: $0.requestSha256,
                           file: $0.stored.map { folder.appendingPathComponent($0).standardizedFileURL.path } ?? $0.request,
                           decision: $0.decision ?? "",
                           time: $0.time, reviewer: [$0.reviewer, $0.role.map { "(\($0))" }].compactMap { $0 }.joined(separator: " "))
        }
    }
}
