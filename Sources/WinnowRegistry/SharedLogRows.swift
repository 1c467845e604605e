import Foundation

/// A decision log's rows in the registry's database, so that several servers on one PostgreSQL
/// registry write one log (`winnow serve --shared-store`). This module stores lines and knows
/// nothing of Merkle trees or signatures: the facade's `SharedLogStorage` makes a `LogStorage` of it.
///
/// - `logHead`: one row, the log's size, the tree's frontier (its text, as the log module writes
///   it) and its public key. Every append and checkpoint locks it first, so writers take turns and
///   each reads the size and frontier the one before committed.
/// - `logEntry`: one line per entry, by position, with its kind and request hash for lookups.
/// - `logCheckpoint`: the signed checkpoints, in order.
/// - `logRequest`: the requests screened, by SHA-256, so that any server (or an audit) can read
///   what a decision was on.
public final class SharedLogRows: Sendable {
    let store: any RegistryStore
    /// Where the rows live, as printed (a password is never shown).
    public let location: String

    public init(registry: Registry) {
        store = registry.store
        location = registry.location
    }

    static func schema(text t: String, integer n: String) -> [String] {
        [
            "CREATE TABLE logHead (id \(n) PRIMARY KEY CHECK (id = 1), size \(n) NOT NULL, frontier \(t) NOT NULL, publicKey \(t) NOT NULL)",
            "CREATE TABLE logEntry (position \(n) PRIMARY KEY, kind \(t) NOT NULL, requestSha256 \(t) NOT NULL, line \(t) NOT NULL)",
            "CREATE INDEX logEntry_request ON logEntry (requestSha256, kind)",
            "CREATE TABLE logCheckpoint (position \(n) PRIMARY KEY, treeSize \(n) NOT NULL, line \(t) NOT NULL)",
            "CREATE TABLE logRequest (sha256 \(t) PRIMARY KEY, extension \(t) NOT NULL, body \(t) NOT NULL)",
        ]
    }

    /// The log's size and frontier, read under the head's lock.
    public struct Head: Sendable {
        public var size: Int
        public var frontier: String
    }

    /// An entry to write: its line, and its kind and request hash for lookups.
    public struct NewEntry: Sendable {
        public var line: String
        public var kind: String
        public var requestSha256: String
        public init(line: String, kind: String, requestSha256: String) {
            self.line = line
            self.kind = kind
            self.requestSha256 = requestSha256
        }
    }

    /// The log's public key as stored, or nil when the database holds no log yet.
    public func publicKey() throws -> String? {
        try store.read { s in try s.strings("SELECT publicKey FROM logHead WHERE id = 1").first }
    }

    /// Creates the empty log with this public key unless the database holds one, and returns the
    /// key of the log it holds: another server's when it created the log first.
    public func create(publicKey: String) throws -> String {
        try store.write { s in
            try s.insert(into: "logHead", columns: ["id", "size", "frontier", "publicKey"],
                         rows: [[.int(1), .int(0), .text(""), .text(publicKey)]], ignoringConflicts: true)
            guard let key = try s.strings("SELECT publicKey FROM logHead WHERE id = 1").first else {
                throw StoreFailure(kind: .other, message: "the log's head was not written")
            }
            return key
        }
    }

    /// The head as it stands (read without locking it).
    public func head() throws -> Head {
        try store.read { s in try readHead(s) }
    }

    /// The head row; throws when the database holds no log.
    private func readHead(_ s: any SQLSession) throws -> Head {
        guard let row = try s.rows("SELECT size, frontier FROM logHead WHERE id = 1").first else {
            throw StoreFailure(kind: .other, message: "\(location) holds no decision log; a server started with --shared-store creates it, or `winnow log init`")
        }
        return Head(size: row.int("size"), frontier: row.string("frontier") ?? "")
    }

    public func size() throws -> Int {
        try store.read { s in try s.int("SELECT size FROM logHead WHERE id = 1") ?? 0 }
    }

    /// Up to `count` lines from position `from` (every line when `count` is nil), in order.
    public func lines(from: Int = 0, count: Int? = nil) throws -> [String] {
        try store.read { s in
            try s.strings("SELECT line FROM logEntry WHERE position >= ? AND position < ? ORDER BY position",
                          [.int(from), .int(count.map { from + $0 } ?? Int(Int64.max))])
        }
    }

    /// The lines of the entries of one kind about one request (about every request when nil), in log order.
    public func lines(kind: String, requestSha256: String?) throws -> [String] {
        try store.read { s in try Self.lines(s, kind: kind, requestSha256: requestSha256) }
    }

    private static func lines(_ s: any SQLSession, kind: String, requestSha256: String?) throws -> [String] {
        if let requestSha256 {
            return try s.strings("SELECT line FROM logEntry WHERE requestSha256 = ? AND kind = ? ORDER BY position", [.text(requestSha256), .text(kind)])
        }
        return try s.strings("SELECT line FROM logEntry WHERE kind = ? ORDER BY position", [.text(kind)])
    }

    public func checkpointLines() throws -> [String] {
        try store.read { s in try s.strings("SELECT line FROM logCheckpoint ORDER BY position") }
    }

    /// Locks the head, reads it, and returns it; throws when the database holds no log.
    private func lockedHead(_ s: any SQLSession) throws -> Head {
        try s.execute("UPDATE logHead SET size = size WHERE id = 1")
        return try readHead(s)
    }

    /// What an append may read of the log under the head's lock, in its transaction: the line at
    /// a position, and the lines of the decisions on one request.
    public struct Reading {
        public let line: (Int) throws -> String?
        public let decisionLines: (String) throws -> [String]
    }

    /// Under the head's lock, writes the entry that `make` returns for the head (it may read the
    /// log through `Reading`) and moves the head past it to the `frontier` it returns, in one
    /// transaction, and returns `make`'s value. `make` may run more than once (a transaction
    /// PostgreSQL runs again).
    public func append<T>(_ make: (_ head: Head, _ reading: Reading) throws -> (entry: NewEntry, frontier: String, value: T)) throws -> T {
        try store.write { s in
            let head = try lockedHead(s)
            let reading = Reading(
                line: { try s.strings("SELECT line FROM logEntry WHERE position = ?", [.int($0)]).first },
                decisionLines: { try Self.lines(s, kind: "decision", requestSha256: $0) })
            let (entry, frontier, value) = try make(head, reading)
            try s.insert(into: "logEntry", columns: ["position", "kind", "requestSha256", "line"],
                         rows: [[.int(head.size), .text(entry.kind), .text(entry.requestSha256), .text(entry.line)]], ignoringConflicts: false)
            try s.execute("UPDATE logHead SET size = ?, frontier = ? WHERE id = 1", [.int(head.size + 1), .text(frontier)])
            return value
        }
    }

    /// Under the head's lock, records the checkpoint line that `make` returns for the head and the
    /// latest checkpoint line (nil: none yet), unless it returns nil; returns `make`'s value.
    public func checkpoint<T>(_ make: (_ head: Head, _ last: String?) throws -> (line: String?, value: T)) throws -> T {
        try store.write { s in
            let head = try lockedHead(s)
            let count = try s.int("SELECT COUNT(*) FROM logCheckpoint") ?? 0
            let last = try s.strings("SELECT line FROM logCheckpoint WHERE position = ?", [.int(count - 1)]).first
            let (line, value) = try make(head, last)
            if let line {
                try s.insert(into: "logCheckpoint", columns: ["position", "treeSize", "line"],
                             rows: [[.int(count), .int(head.size), .text(line)]], ignoringConflicts: false)
            }
            return value
        }
    }

    /// Writes a whole log into a database that holds none, in one transaction: its public key, its
    /// entries in order, the tree's `frontier` after the last, its
    /// checkpoint lines with their sizes,
    /// and the requests kept with it. All or nothing; refused when the database holds a log.
    /// `opened` is called when the transaction has begun (a progress line).
    public func importLog(publicKey: String, entries: [NewEntry], frontier: String, checkpoints: [(treeSize: Int, line: String)],
                          requests: [(sha256: String, extension: String, bytes: [UInt8])], opened: () -> Void = {}) throws {
        try store.write { s in
            opened()
            if try s.int("SELECT COUNT(*) FROM logHead") ?? 0 > 0 {
                throw StoreFailure(kind: .other, message: "\(location) already holds a decision log; a log is copied only into a database without one")
            }
            try s.insert(into: "logHead", columns: ["id", "size", "frontier", "publicKey"],
                         rows: [[.int(1), .int(entries.count), .text(frontier), .text(publicKey)]])
            try s.insert(into: "logEntry", columns: ["position", "kind", "requestSha256", "line"],
                         rows: entries.enumerated().map { [.int($0.offset), .text($0.element.kind), .text($0.element.requestSha256), .text($0.element.line)] })
            try s.insert(into: "logCheckpoint", columns: ["position", "treeSize", "line"],
                         rows: checkpoints.enumerated().map { [.int($0.offset), .int($0.element.treeSize), .text($0.element.line)] })
            try s.insert(into: "logRequest", columns: ["sha256", "extension", "body"],
                         rows: requests.map { [.text($0.sha256), .text($0.extension), .text(Data($0.bytes).base64EncodedString())] }, ignoringConflicts: true)
        }
    }

    /// Keeps a request's bytes (base64) by their SHA-256, once.
    public func keepRequest(sha256: String, extension ext: String, bytes: [UInt8]) throws {
        try store.write { s in
            try s.insert(into: "logRequest", columns: ["sha256", "extension", "body"],
                         rows: [[.text(sha256), .text(ext), .text(Data(bytes).base64EncodedString())]], ignoringConflicts: true)
        }
    }

    /// A request kept by `keepRequest`, with its extension, or nil.
    public func request(sha256: String) throws -> (extension: String, bytes: [UInt8])? {
        try store.read { s in
            guard let row = try s.rows("SELECT extension, body FROM logRequest WHERE sha256 = ?", [.text(sha256)]).first,
                  let data = Data(base64Encoded: row.string("body") ?? "") else { return nil }
            return (row.string("extension") ?? "json", [UInt8](data))
        }
    }
}
