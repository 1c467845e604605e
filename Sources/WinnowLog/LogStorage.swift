public import Foundation
public import Crypto

/// A log's stored lines, each the bytes of one entry or checkpoint without its line break, and
/// whether the store ends in the middle of one (a cut-off write to a file).
public struct StoredLines: Sendable {
    public var lines: [ArraySlice<UInt8>]
    public var torn: Bool

    public init(lines: [ArraySlice<UInt8>], torn: Bool = false) {
        self.lines = lines
        self.torn = torn
    }
}

/// The log as it stands while an append holds its writer lock: the tree's frontier (its size and
/// root), and what a check reads, each read only when asked for: the entry at a position, and the
/// decisions on one request (by its SHA-256), in log order. A check reads no more of the log than
/// it needs: on a log in a database every other writer waits for it.
public struct LogTip {
    public var frontier: MerkleTree.Frontier
    public let entry: (Int) throws -> LogEntry?
    public let decisions: (String) throws -> [LogEntry]

    public init(frontier: MerkleTree.Frontier, entry: @escaping (Int) throws -> LogEntry?, decisions: @escaping (String) throws -> [LogEntry]) {
        self.frontier = frontier
        self.entry = entry
        self.decisions = decisions
    }

    /// A tip over every line of the log.
    public init(lines: [ArraySlice<UInt8>]) {
        frontier = MerkleTree.Frontier(lines.map { MerkleTree.leafHash($0) })
        entry = { i in lines.indices.contains(i) ? DecisionLog.decode(LogEntry.self, lines[i]) : nil }
        decisions = { sha in DecisionLog.entries(in: lines, kind: .decision, requestSha256: sha) }
    }
}

/// Where a log keeps its entries, its checkpoints and its public key: a folder (`FileLogStorage`)
/// or a database that several servers share (the facade's `SharedLogStorage`). `DecisionLog` does
/// the rest (numbering, chaining, proofs, verification), the same on either.
///
/// An implementation serialises appends and checkpoints with one writer lock that every process
/// writing the log honours, and writes an entry whole or not at all.
public protocol LogStorage: Sendable {
    /// Where the log is, as printed (a password is never shown).
    var location: String { get }
    /// The folder that the entries' `stored` paths are relative to; nil when the log has none.
    var folder: URL? { get }
    func entryLines() throws -> StoredLines
    /// Up to `count` lines from `from`.
    func entryLines(from: Int, count: Int) throws -> [ArraySlice<UInt8>]
    /// The entries of one kind about the request with this SHA-256 (about every request when
    /// nil), in log order.
    func entries(kind: LogEntry.Kind, requestSha256: String?) throws -> [LogEntry]
    func checkpointLines() throws -> StoredLines
    /// How many entries the log holds.
    func size() throws -> Int
    /// The size and root that the writers recorded apart from the entries (a database's head
    /// row), for verification to compare with the entries; nil when the storage keeps none (a folder).
    func head() throws -> (size: Int, root: MerkleTree.Hash)?
    func publicKey() throws -> Curve25519.Signing.PublicKey
    /// The key checkpoints are signed with; an error says where it is expected when it is not here.
    func signingKey() throws -> Curve25519.Signing.PrivateKey
    /// Under the writer lock, appends the entry that `make` returns for the log as it stands (the
    /// entry arrives numbered and chained) and returns it. `make` may run more than once (a database
    /// transaction run again), so it changes nothing outside itself. `holder` names the writer in a
    /// lock file; `wait` is how long to wait for another writer.
    func append(holder: String, wait: Double, _ make: (LogTip) throws -> LogEntry) throws -> LogEntry
    /// Under the writer lock, records the checkpoint that `sign` makes of the log's size and root
    /// given the latest checkpoint (nil: none yet), and returns it; when `sign` returns nil,
    /// nothing is recorded and the latest checkpoint is returned.
    func checkpoint(_ sign: (_ size: Int, _ root: MerkleTree.Hash, _ last: Checkpoint?) throws -> Checkpoint?) throws -> Checkpoint
}

extension LogStorage {
    public func entryLines(from: Int, count: Int) throws -> [ArraySlice<UInt8>] {
        let lines = try entryLines().lines
        guard from < lines.count else { return [] }
        return Array(lines[max(0, from)..<min(lines.count, max(0, from) + count)])
    }

    public func entries(kind: LogEntry.Kind, requestSha256: String?) throws -> [LogEntry] {
        DecisionLog.entries(in: try entryLines().lines, kind: kind, requestSha256: requestSha256)
    }

    public func size() throws -> Int { try entryLines().lines.count }

    public func head() throws -> (size: Int, root: MerkleTree.Hash)? { nil }
}

/// A log in a folder: `entries.jsonl` (one entry per line), `checkpoints.jsonl`, `log.pub` (the
/// Ed25519 public key, base64) and `log.key` (the private key, mode 0600; it stays with whoever
/// signs checkpoints, the server). Writers take an exclusive lock on `writer.lock`.
public struct FileLogStorage: LogStorage {
    public let directory: URL
    public var folder: URL? { directory }
    public var location: String { directory.path }
    var entriesFile: URL { directory.appendingPathComponent("entries.jsonl") }
    var checkpointsFile: URL { directory.appendingPathComponent("checkpoints.jsonl") }
    public var publicKeyFile: URL { directory.appendingPathComponent("log.pub") }
    var privateKeyFile: URL { directory.appendingPathComponent("log.key") }
    var writerLockFile: URL { directory.appendingPathComponent("writer.lock") }

    public init(directory: URL) { self.directory = directory }

    /// Whether the folder holds a log.
    public var exists: Bool { FileManager.default.fileExists(atPath: entriesFile.path) }

    /// Creates the files of an empty log with a fresh key; refuses a folder that already holds a log.
    func create() throws {
        let fm = FileManager.default
        if exists { throw LogError("\(directory.path) already holds a log") }
        try fm.createDirectory(at: directory, withIntermediateDirectories: true)
        let key = Curve25519.Signing.PrivateKey()
        try Self.writeKey(key, to: privateKeyFile)
        for file in [entriesFile, checkpointsFile] where !fm.createFile(atPath: file.path, contents: Data()) {
            throw LogError("could not create \(file.path)")
        }
    }

    /// Writes a private key (base64, mode 0600) and its public key beside it (`.pub` for `.key`).
    public static func writeKey(_ key: Curve25519.Signing.PrivateKey, to file: URL) throws {
        let fm = FileManager.default
        if fm.fileExists(atPath: file.path) { throw LogError("\(file.path) already exists; a signing key is never overwritten") }
        guard fm.createFile(atPath: file.path, contents: Data(key.rawRepresentation.base64EncodedString().utf8),
                            attributes: [.posixPermissions: 0o600]) else { throw LogError("cannot write \(file.path)") }
        try Data((key.publicKey.rawRepresentation.base64EncodedString() + "\n").utf8)
            .write(to: file.deletingPathExtension().appendingPathExtension("pub"))
    }

    /// The private key in a file as `writeKey` wrote it.
    public static func readKey(_ file: URL) throws -> Curve25519.Signing.PrivateKey {
        guard let text = try? String(contentsOf: file, encoding: .utf8),
              let raw = Data(base64Encoded: text.trimmingCharacters(in: .whitespacesAndNewlines)),
              let key = try? Curve25519.Signing.PrivateKey(rawRepresentation: raw) else {
            throw LogError("\(file.path): no signing key here; checkpoints are signed where the key is kept")
        }
        return key
    }

    /// The lines of a file, as bytes, and whether it ends in the middle of one.
    static func lines(of file: URL) throws -> StoredLines {
        guard let data = FileManager.default.contents(atPath: file.path) else { throw LogError("cannot read \(file.path)") }
        let bytes = [UInt8](data)
        var out: [ArraySlice<UInt8>] = []
        var start = 0
        for (i, b) in bytes.enumerated() where b == 0x0A {
            out.append(bytes[start..<i])
            start = i + 1
        }
        return StoredLines(lines: out, torn: start < bytes.count)
    }

    public func entryLines() throws -> StoredLines { try Self.lines(of: entriesFile) }
    public func checkpointLines() throws -> StoredLines { try Self.lines(of: checkpointsFile) }
    public func publicKey() throws -> Curve25519.Signing.PublicKey { try DecisionLog.publicKey(from: publicKeyFile) }
    public func signingKey() throws -> Curve25519.Signing.PrivateKey { try Self.readKey(privateKeyFile) }

    /// Who holds the writer lock for its whole life: it is not waited for.
    static let longHolder = "server"

    /// Takes the log's writer lock and returns its descriptor (closing it releases the lock), and
    /// writes into the lock file who holds it. A long-running writer (the server, `holder` "server")
    /// holds it for its whole life, so that no other process appends behind its back: a process
    /// that finds it so held fails at once. A short writer (another `winnow log decide` or `screen
    /// --log`) is waited for, up to `wait` seconds, so that reviewers deciding at once all get in.
    func lockWriter(holder: String, wait: Double) throws -> Int32 {
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

    public func append(holder: String, wait: Double, _ make: (LogTip) throws -> LogEntry) throws -> LogEntry {
        let lock = try lockWriter(holder: holder, wait: wait)
        defer { close(lock) }
        let fd = Foundation.open(entriesFile.path, O_WRONLY | O_APPEND | O_CLOEXEC)
        guard fd >= 0 else { throw LogError("cannot open \(entriesFile.path) to append") }
        defer { close(fd) }
        let read = try entryLines()
        if read.torn { throw LogError("\(entriesFile.path) ends in an incomplete entry; run `winnow log verify` and repair it before appending") }
        let stored = try make(LogTip(lines: read.lines))
        try Self.write(line: stored.line, to: fd, file: entriesFile)
        return stored
    }

    static func write(line: String, to fd: Int32, file: URL) throws {
        let bytes = Array((line + "\n").utf8)
        let written = bytes.withUnsafeBytes { Foundation.write(fd, $0.baseAddress, $0.count) }
        guard written == bytes.count, fsync(fd) == 0 else { throw LogError("could not write the entry to \(file.path)") }
    }

    public func checkpoint(_ sign: (Int, MerkleTree.Hash, Checkpoint?) throws -> Checkpoint?) throws -> Checkpoint {
        let lock = try lockWriter(holder: "checkpoint", wait: 10)
        defer { close(lock) }
        return try checkpointLocked(sign)
    }

    /// `checkpoint` for a caller that holds the writer lock already (the server).
    func checkpointLocked(frontier: MerkleTree.Frontier? = nil, _ sign: (Int, MerkleTree.Hash, Checkpoint?) throws -> Checkpoint?) throws -> Checkpoint {
        let tree = try frontier ?? MerkleTree.Frontier(entryLines().lines.map { MerkleTree.leafHash($0) })
        let last = try checkpointLines().lines.last.flatMap { DecisionLog.decode(Checkpoint.self, $0) }
        guard let made = try sign(tree.size, tree.root, last) else {
            guard let last else { throw LogError("no checkpoint was signed") }
            return last
        }
        let handle = try FileHandle(forWritingTo: checkpointsFile)
        defer { try? handle.close() }
        try handle.seekToEnd()
        try handle.write(contentsOf: Data((made.line + "\n").utf8))
        try handle.synchronize()
        return made
    }
}
