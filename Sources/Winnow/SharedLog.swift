public import Foundation
public import Crypto
public import WinnowLog
public import WinnowRegistry

/// A decision log in a database that several servers and commands write at once: the registry
/// module's `SharedLogRows` (lines, a head row that every writer locks) made a `LogStorage`.
///
/// The public key is in the database; the private key that signs checkpoints is a file
/// (`keyFile`), the same on every server that signs, and never stored in the database, so that
/// whoever can rewrite rows still cannot sign a checkpoint over them.
public struct SharedLogStorage: LogStorage {
    public let rows: SharedLogRows
    /// The signing key's file; nil for a reader or a process that only appends.
    public let keyFile: URL?

    public var location: String { rows.location }
    public var folder: URL? { nil }

    /// The log in `registry`'s database; throws when it holds none.
    public static func open(_ registry: Registry, keyFile: URL? = nil) throws -> SharedLogStorage {
        let rows = SharedLogRows(registry: registry)
        guard try rows.publicKey() != nil else {
            throw LogError("\(registry.location) holds no decision log; create one with `winnow log init \(registry.location) --signing-key FILE`, or start a server with --shared-store")
        }
        return SharedLogStorage(rows: rows, keyFile: keyFile)
    }

    /// The log in `registry`'s database, created on first use: with the key in `keyFile` when that
    /// file exists, else with a new key written there (mode 0600, its public key beside it). The
    /// key must be the log's: a server given another key is refused, since its checkpoints would
    /// not verify. Returns whether this call created the log.
    public static func openOrCreate(_ registry: Registry, keyFile: URL) throws -> (storage: SharedLogStorage, created: Bool) {
        let rows = SharedLogRows(registry: registry)
        let storage = SharedLogStorage(rows: rows, keyFile: keyFile)
        var created = false
        if try rows.publicKey() == nil {
            let wrote = !FileManager.default.fileExists(atPath: keyFile.path)
            if wrote {
                try FileManager.default.createDirectory(at: keyFile.deletingLastPathComponent(), withIntermediateDirectories: true,
                                                        attributes: [.posixPermissions: 0o700])
                try FileLogStorage.writeKey(Curve25519.Signing.PrivateKey(), to: keyFile)
            }
            let mine = try FileLogStorage.readKey(keyFile).publicKey.rawRepresentation.base64EncodedString()
            let theirs = try rows.create(publicKey: mine)
            created = theirs == mine
            if !created, wrote {
                // Another server created the log first, with its own key: this one is of no use.
                try? FileManager.default.removeItem(at: keyFile)
                try? FileManager.default.removeItem(at: keyFile.deletingPathExtension().appendingPathExtension("pub"))
            }
        }
        _ = try storage.signingKey()
        return (storage, created)
    }

    /// Keeps a request's bytes in the database, by their SHA-256, and returns the name a log entry
    /// records for them (`stored`): `requests/SHA256.EXT`.
    public func keepRequest(_ bytes: [UInt8], sha256: String) throws -> String {
        let ext = Self.requestExtension(bytes)
        try rows.keepRequest(sha256: sha256, extension: ext, bytes: bytes)
        return "requests/\(sha256).\(ext)"
    }

    /// Writes the request the database keeps under this SHA-256 into `folder` as `SHA256.EXT`
    /// (mode 0600), unless a file of that name is there already, and returns the file; nil when the
    /// database keeps no such request.
    public func copyRequest(sha256: String, into folder: URL) throws -> URL? {
        guard let kept = try rows.request(sha256: sha256) else { return nil }
        let file = folder.appendingPathComponent("\(sha256).\(kept.extension)")
        if !FileManager.default.fileExists(atPath: file.path) {
            guard FileManager.default.createFile(atPath: file.path, contents: Data(kept.bytes), attributes: [.posixPermissions: 0o600]) else {
                throw LogError("cannot write the request \(sha256) into \(folder.path)")
            }
        }
        return file
    }

    /// "xml" when the first character after white space (and a byte-order mark) is `<`, else "json".
    public static func requestExtension(_ bytes: [UInt8]) -> String {
        bytes.first { $0 != 0x20 && $0 != 0x09 && $0 != 0x0A && $0 != 0x0D && $0 != 0xEF && $0 != 0xBB && $0 != 0xBF } == UInt8(ascii: "<") ? "xml" : "json"
    }

    /// Copies a folder's log into `registry`'s database, which must hold none: every entry byte
    /// for byte, every checkpoint, the public key, and the requests the folder's server kept. The
    /// log must verify first, and the copy is verified after; the private key stays in the folder
    /// (`log.key`), to be given to the servers with `--log-key`. Returns the copy's verification.
    /// `opened` is called when the copy's transaction has begun.
    public static func copy(_ source: DecisionLog, into registry: Registry, opened: () -> Void = {}) throws -> DecisionLog.Verification {
        let checked = source.verify()
        guard checked.ok else { throw LogError("\(source.location) does not verify; it is not copied:\n" + checked.problems.joined(separator: "\n")) }
        let lines = try source.storage.entryLines().lines
        var frontier = MerkleTree.Frontier()
        var entries: [SharedLogRows.NewEntry] = []
        var requests: [(sha256: String, extension: String, bytes: [UInt8])] = []
        var seen = Set<String>()
        for (line, entry) in zip(lines, checked.decodedEntries) {
            frontier.append(MerkleTree.leafHash(line))
            entries.append(.init(line: String(decoding: line, as: UTF8.self), kind: entry.kind.rawValue, requestSha256: entry.requestSha256))
            if let stored = entry.stored, let folder = source.folder, seen.insert(entry.requestSha256).inserted,
               let bytes = FileManager.default.contents(atPath: folder.appendingPathComponent(stored).path).map({ [UInt8]($0) }),
               bytes.sha256 == entry.requestSha256 {
                requests.append((entry.requestSha256, requestExtension(bytes), bytes))
            }
        }
        let rows = SharedLogRows(registry: registry)
        try rows.importLog(publicKey: try source.storage.publicKey().rawRepresentation.base64EncodedString(), entries: entries, frontier: frontier.serialized,
                           checkpoints: checked.decodedCheckpoints.map { ($0.treeSize, $0.line) }, requests: requests, opened: opened)
        return DecisionLog(storage: SharedLogStorage(rows: rows, keyFile: nil)).verify(key: try source.storage.publicKey())
    }

    /// Copies a log in a database into a new folder: its entries and checkpoints byte for byte,
    /// its public key (`log.pub`; the private key is not in the database), and the requests the
    /// database keeps under `requests/`, where the entries' `stored` names point. The folder is a
    /// log of its own that `log verify` and `audit --log` read offline. The log must verify; the
    /// copy is written beside the target and renamed into place, then verified against the
    /// database's key. Returns that verification.
    public static func copy(_ source: DecisionLog, toFolder target: URL) throws -> DecisionLog.Verification {
        guard let shared = source.storage as? SharedLogStorage else { throw LogError("\(source.location) is not a log in a database") }
        let fm = FileManager.default
        if fm.fileExists(atPath: target.path) { throw LogError("\(target.path) exists; a log is copied only into a new folder") }
        let checked = source.verify()
        guard checked.ok else { throw LogError("\(source.location) does not verify; it is not copied:\n" + checked.problems.joined(separator: "\n")) }
        let key = try source.storage.publicKey()
        let partial = target.deletingLastPathComponent().appendingPathComponent(".\(target.lastPathComponent).\(UUID().uuidString).partial")
        do {
            try fm.createDirectory(at: partial.appendingPathComponent("requests"), withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            // The lines as stored, not re-encoded: they are the tree's leaves. Only those verified.
            let stored = try source.storage.entryLines().lines.prefix(checked.entries)
            try Data(stored.flatMap { Array($0) + [0x0A] }).write(to: partial.appendingPathComponent("entries.jsonl"))
            try Data(try source.storage.checkpointLines().lines.flatMap { Array($0) + [0x0A] }).write(to: partial.appendingPathComponent("checkpoints.jsonl"))
            try Data((key.rawRepresentation.base64EncodedString() + "\n").utf8).write(to: partial.appendingPathComponent("log.pub"))
            var seen = Set<String>()
            for entry in checked.decodedEntries where entry.stored?.hasPrefix("requests/") == true && seen.insert(entry.requestSha256).inserted {
                _ = try shared.copyRequest(sha256: entry.requestSha256, into: partial.appendingPathComponent("requests"))
            }
            guard rename(partial.path, target.path) == 0 else { throw LogError("cannot move the copy into \(target.path)") }
        } catch {
            try? fm.removeItem(at: partial)
            throw error
        }
        return DecisionLog(folder: target).verify(key: key)
    }

    public func entryLines() throws -> StoredLines { StoredLines(lines: try rows.lines().map(Self.bytes)) }

    public func entryLines(from: Int, count: Int) throws -> [ArraySlice<UInt8>] {
        try rows.lines(from: max(0, from), count: count).map(Self.bytes)
    }

    public func entries(kind: LogEntry.Kind, requestSha256: String?) throws -> [LogEntry] {
        try rows.lines(kind: kind.rawValue, requestSha256: requestSha256).compactMap(Self.entry)
    }

    /// A stored line as an entry, or nil.
    static func entry(_ line: String) -> LogEntry? { DecisionLog.decode(LogEntry.self, Self.bytes(line)) }

    public func checkpointLines() throws -> StoredLines { StoredLines(lines: try rows.checkpointLines().map(Self.bytes)) }

    public func size() throws -> Int { try rows.size() }

    public func head() throws -> (size: Int, root: MerkleTree.Hash)? {
        let frontier = try Self.frontier(try rows.head())
        return (frontier.size, frontier.root)
    }

    public func publicKey() throws -> Curve25519.Signing.PublicKey {
        guard let text = try rows.publicKey() else { throw LogError("\(location) holds no decision log") }
        guard let key = DecisionLog.publicKey(base64: text) else { throw LogError("\(location): the log's public key is not an Ed25519 key") }
        return key
    }

    public func signingKey() throws -> Curve25519.Signing.PrivateKey {
        guard let keyFile else {
            throw LogError("checkpoints of the log in \(location) are signed with its key file; give it with --signing-key FILE")
        }
        let logs = try publicKey()
        guard FileManager.default.fileExists(atPath: keyFile.path) else {
            throw LogError("the decision log in \(location) is signed with key \(DecisionLog.keyId(logs)), and \(keyFile.path) does not exist; give a copy of its key file (the first server wrote it to its DATA/log/log.key) with --log-key, or --signing-key for `winnow log`")
        }
        let key = try FileLogStorage.readKey(keyFile)
        guard key.publicKey.rawRepresentation == logs.rawRepresentation else {
            throw LogError("\(keyFile.path) is not the key of the log in \(location) (key \(DecisionLog.keyId(logs))); copy the log.key of the server that created it")
        }
        return key
    }

    public func append(holder: String, wait: Double, _ make: (LogTip) throws -> LogEntry) throws -> LogEntry {
        try rows.append { head, reading in
            let frontier = try Self.frontier(head)
            let entry = try make(LogTip(frontier: frontier,
                                        entry: { i in try reading.line(i).flatMap(Self.entry) },
                                        decisions: { sha in try reading.decisionLines(sha).compactMap(Self.entry) }))
            let line = entry.line
            var after = frontier
            after.append(MerkleTree.leafHash(Array(line.utf8)))
            return (SharedLogRows.NewEntry(line: line, kind: entry.kind.rawValue, requestSha256: entry.requestSha256), after.serialized, entry)
        }
    }

    public func checkpoint(_ sign: (Int, MerkleTree.Hash, Checkpoint?) throws -> Checkpoint?) throws -> Checkpoint {
        try rows.checkpoint { head, lastLine in
            let frontier = try Self.frontier(head)
            let last = try lastLine.map { line in
                guard let c = DecisionLog.decode(Checkpoint.self, Self.bytes(line)) else { throw LogError("\(location): the latest checkpoint is not one") }
                return c
            }
            guard let made = try sign(frontier.size, frontier.root, last) else {
                guard let last else { throw LogError("no checkpoint was signed") }
                return (nil, last)
            }
            return (made.line, made)
        }
    }

    /// The head's frontier; a head whose frontier does not match its size is damage, refused.
    static func frontier(_ head: SharedLogRows.Head) throws -> MerkleTree.Frontier {
        guard let f = MerkleTree.Frontier(serialized: head.frontier), f.size == head.size else {
            throw LogError("the log's head is damaged: its frontier does not describe a tree of \(head.size) entries; run `winnow log verify`")
        }
        return f
    }

    static func bytes(_ line: String) -> ArraySlice<UInt8> { ArraySlice(Array(line.utf8)) }
}
