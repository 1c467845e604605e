public import Foundation
public import Crypto
import WinnowModel

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
    /// Where the logger kept a copy of the request's bytes: relative to the log's folder (the
    /// server keeps every request it screens in `DATA/requests/`), or for a log in a database,
    /// `requests/SHA256.EXT`, the copy that the database keeps by the request's SHA-256.
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

/// The append-only log: entries (one per line, each the leaf of an RFC 9162 Merkle tree) and
/// signed checkpoints, kept by a `LogStorage` (a folder, or a database several servers share).
public struct DecisionLog: Sendable {
    public let storage: any LogStorage
    /// The folder the entries' `stored` paths are relative to; nil for a log in a database.
    public var folder: URL? { storage.folder }
    /// Where the log is, as printed.
    public var location: String { storage.location }

    public init(storage: any LogStorage) { self.storage = storage }

    /// The log in a folder (whether or not it holds one yet).
    public init(folder: URL) { storage = FileLogStorage(directory: folder) }

    /// A new, empty log in a folder with a fresh signing key; refuses a folder that already holds a log.
    public static func create(at folder: URL) throws -> DecisionLog {
        let files = FileLogStorage(directory: folder)
        try files.create()
        return DecisionLog(storage: files)
    }

    public static func open(_ folder: URL) throws -> DecisionLog {
        let files = FileLogStorage(directory: folder)
        guard files.exists else {
            throw LogError("\(folder.path) holds no log (entries.jsonl); create one with `winnow log init \(folder.path)`")
        }
        return DecisionLog(storage: files)
    }

    public static func publicKey(from file: URL) throws -> Curve25519.Signing.PublicKey {
        guard let text = try? String(contentsOf: file, encoding: .utf8), let key = publicKey(base64: text) else {
            throw LogError("\(file.path): not an Ed25519 public key (base64 of its 32 bytes)")
        }
        return key
    }

    /// A public key as `log.pub` holds it: the base64 of its 32 bytes.
    public static func publicKey(base64 text: String) -> Curve25519.Signing.PublicKey? {
        Data(base64Encoded: text.trimmingCharacters(in: .whitespacesAndNewlines)).flatMap { try? Curve25519.Signing.PublicKey(rawRepresentation: $0) }
    }

    public static func keyId(_ key: Curve25519.Signing.PublicKey) -> String {
        String(Array(SHA256.hash(data: key.rawRepresentation)).hex.prefix(16))
    }

    /// Appends an entry (its index and the root before it are filled in) and returns it as stored.
    @discardableResult
    public func append(_ entry: LogEntry) throws -> LogEntry {
        try storage.append(holder: "append", wait: 10) { tip in Self.chained(entry, tip) }
    }

    /// Appends the entry that `make` returns after checking the log as it stands (`LogTip`),
    /// under the writer lock: a check that `make` makes (a decision is final) holds when the entry
    /// is written, even with other processes appending at once.
    @discardableResult
    public func append(checked make: (LogTip) throws -> LogEntry) throws -> LogEntry {
        try storage.append(holder: "append", wait: 10) { tip in Self.chained(try make(tip), tip) }
    }

    /// The entry numbered and chained to the log as it stands.
    static func chained(_ entry: LogEntry, _ tip: LogTip) -> LogEntry {
        var stored = entry
        stored.index = tip.frontier.size
        stored.previousRoot = tip.frontier.root.hex
        return stored
    }

    /// Every entry, decoded; a line that is not an entry is an error naming it.
    public func entries() throws -> [LogEntry] {
        try Self.decodeEntries(try storage.entryLines().lines)
    }

    static func decodeEntries(_ lines: [ArraySlice<UInt8>]) throws -> [LogEntry] {
        try lines.enumerated().map { i, line in
            guard let entry = decode(LogEntry.self, line) else { throw LogError("entry \(i) (line \(i + 1)) of the log is not a log entry") }
            return entry
        }
    }

    /// Every decision on the request with this SHA-256 (every decision when nil), in log order.
    public func decisions(requestSha256: String?) throws -> [LogEntry] {
        try storage.entries(kind: .decision, requestSha256: requestSha256)
    }

    /// The latest screening of the request with this SHA-256, or nil.
    public func latestScreening(requestSha256: String) throws -> LogEntry? {
        try storage.entries(kind: .screening, requestSha256: requestSha256).last
    }

    /// The entries of `kind` about the request with this SHA-256 (about every request when nil),
    /// in log order, each decoded once. A line that does not hold the kind and the request's hash
    /// is not decoded at all.
    static func entries(in lines: [ArraySlice<UInt8>], kind: LogEntry.Kind, requestSha256: String?) -> [LogEntry] {
        let marker = Array(#""kind":"\#(kind.rawValue)""#.utf8)
        let hash = requestSha256.map { Array($0.utf8) }
        return lines.compactMap { line in
            guard line.containsBytes(marker), hash.map(line.containsBytes) ?? true,
                  let e = decode(LogEntry.self, line), e.kind == kind, requestSha256 == nil || e.requestSha256 == requestSha256 else { return nil }
            return e
        }
    }

    /// One stored line as a value, or nil when it is not one.
    public static func decode<T: Decodable>(_ type: T.Type, _ line: ArraySlice<UInt8>) -> T? {
        try? JSONDecoder().decode(type, from: Data(line))
    }

    /// Signs and records a checkpoint of the log as it stands.
    @discardableResult
    public func checkpoint(time: String) throws -> Checkpoint {
        let key = try storage.signingKey()
        return try storage.checkpoint { size, root, _ in try Self.sign(size: size, root: root, time: time, key: key) }
    }

    /// The latest checkpoint when it covers the whole log; else a new one, signed now.
    public func latestCheckpoint(time: String) throws -> Checkpoint {
        let key = try storage.signingKey()
        return try storage.checkpoint { size, root, last in
            if let last, last.treeSize == size { return nil }
            return try Self.sign(size: size, root: root, time: time, key: key)
        }
    }

    static func sign(size: Int, root: MerkleTree.Hash, time: String, key: Curve25519.Signing.PrivateKey) throws -> Checkpoint {
        let signature = try key.signature(for: Checkpoint.message(treeSize: size, rootHash: root.hex, time: time))
        return Checkpoint(treeSize: size, rootHash: root.hex, time: time, keyId: keyId(key.publicKey), signature: signature.base64EncodedString())
    }

    /// Up to `count` entries from `from`, each exactly as stored, without its line break: what a
    /// copy of the log is made from (`GET /v1/log/entries`).
    public func storedEntries(from: Int, count: Int) throws -> [String] {
        try storage.entryLines(from: from, count: count).map { String(decoding: $0, as: UTF8.self) }
    }

    /// The entry at `index` and its audit path in the tree of the first `size` entries.
    public func inclusionProof(index: Int, size: Int? = nil) throws -> (entry: String, root: String, proof: [String]) {
        let lines = try storage.entryLines().lines
        let n = size ?? lines.count
        guard n <= lines.count, index >= 0, index < n else { throw LogError("no entry \(index) in a tree of \(n) (the log has \(lines.count))") }
        let leaves = lines.prefix(n).map { MerkleTree.leafHash($0) }
        return (String(decoding: lines[index], as: UTF8.self), MerkleTree.root(leaves).hex,
                MerkleTree.inclusionProof(index: index, leaves: leaves[...]).map(\.hex))
    }

    /// The proof that the tree of the first `old` entries is a prefix of the tree of `new`.
    public func consistencyProof(old: Int, new: Int? = nil) throws -> [String] {
        let lines = try storage.entryLines().lines
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
        do { key = try given ?? storage.publicKey() } catch {
            v.problems.append("\(error)")
            return v
        }
        let lines: [ArraySlice<UInt8>]
        do {
            let read = try storage.entryLines()
            lines = read.lines
            if read.torn { v.problems.append("the log ends in an incomplete entry after entry \(lines.count - 1): a write was cut off or the file was truncated") }
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
                v.problems.append("entry \(i) (line \(i + 1)) of the log is not a log entry")
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
            let read = try storage.checkpointLines()
            let (checkpointLines, torn) = (read.lines, read.torn)
            if torn { v.problems.append("the checkpoints end in an incomplete checkpoint") }
            var lastSize = 0
            for (i, line) in checkpointLines.enumerated() {
                guard let c = Self.decode(Checkpoint.self, line) else {
                    v.problems.append("checkpoint \(i + 1) of the log is not a checkpoint")
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
        // A database keeps the head its writers moved: entries removed or added behind it show
        // even where no checkpoint covers them yet.
        do {
            if let head = try storage.head() {
                if head.size != lines.count {
                    v.problems.append("the log's head records \(head.size) entries but \(lines.count) are stored: entries were removed or added behind the head")
                } else if head.root != roots[lines.count] {
                    v.problems.append("the log's head records a tree that is not its entries': an entry was changed after it was logged")
                }
            }
        } catch {
            v.problems.append("\(error)")
        }
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
                           file: $0.stored.flatMap { stored in folder.map { $0.appendingPathComponent(stored).standardizedFileURL.path } } ?? $0.request,
                           decision: $0.decision ?? "",
                           time: $0.time, reviewer: [$0.reviewer, $0.role.map { "(\($0))" }].compactMap { $0 }.joined(separator: " "))
        }
    }
}
