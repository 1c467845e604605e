import Crypto
public import Foundation
import Synchronization
import WinnowLog
import WinnowModel
public import WinnowRegistry

/// What a token may do. `admin` may do everything.
public enum Scope: String, Sendable, Codable, CaseIterable {
    case screen
    case registryRead = "registry:read"
    case registryWrite = "registry:write"
    /// Record decisions on screened requests in the log.
    case decide
    case admin
}

/// An API token as stored: its SHA-256, never the token itself.
public struct TokenRecord: Sendable, Codable, Equatable {
    public var id: String
    public var name: String
    public var sha256: String
    public var scopes: [Scope]
    public var created: String
    public var revoked: String?

    public func allows(_ scope: Scope) -> Bool { revoked == nil && (scopes.contains(scope) || scopes.contains(.admin)) }
}

/// The tokens of a data folder, in `tokens.json`, written atomically. The server reads the file
/// again when it changes, so that `winnow serve token revoke` takes effect without a restart.
///
/// Tokens are 32 random bytes: a salted slow hash (as for passwords) would add nothing against
/// guessing, so a token is looked up by its SHA-256.
public final class TokenStore: Sendable {
    private let store: any RecordKeeper<TokenRecord>
    /// Where the tokens are kept: `DATA/tokens.json`, or a shared database.
    public var location: String { store.location }

    public init(folder: URL) {
        store = RecordFile(folder.appendingPathComponent("tokens.json"))
    }

    /// Tokens kept in a database that several servers share (`--shared-store`).
    public init(shared: ServerRecords) {
        store = SharedRecordSet(shared, kind: "tokens")
    }

    public static let prefix = "wnw_"

    static func digest(_ token: String) -> String {
        Array(SHA256.hash(data: Data(token.utf8))).hex
    }

    /// Every token, revoked ones included, read from the file if it changed.
    public func records() throws -> [TokenRecord] { try store.records() }

    /// The record of a presented token, if it is known and not revoked.
    public func check(_ token: String) -> TokenRecord? {
        guard token.hasPrefix(Self.prefix), let records = try? records() else { return nil }
        let hash = Self.digest(token)
        return records.first { $0.sha256 == hash && $0.revoked == nil }
    }

    /// Makes a token; the token is returned once and only its hash is kept.
    public func create(name: String, scopes: [Scope], now: Date = Date()) throws -> (token: String, record: TokenRecord) {
        let token = Self.prefix + randomBase64URL(bytes: 32)
        let record = try store.update { records in
            let id = "t\(records.count + 1)-" + String(Self.digest(token).prefix(8))
            let record = TokenRecord(id: id, name: name, sha256: Self.digest(token), scopes: scopes,
                                     created: Day.timestamp(secondsSince1970: now.timeIntervalSince1970))
            records.append(record)
            return record
        }
        return (token, record)
    }

    /// Revokes a token by id; false when there is none.
    public func revoke(id: String, now: Date = Date()) throws -> Bool {
        try store.update { records in
            guard let i = records.firstIndex(where: { $0.id == id && $0.revoked == nil }) else { return false }
            records[i].revoked = Day.timestamp(secondsSince1970: now.timeIntervalSince1970)
            return true
        }
    }
}

/// Where a small set of records (tokens, users) is kept: read whole, changed by one writer at a
/// time, and read again when it changes, so that `winnow serve token revoke` or `user disable`
/// takes effect in a running server without a restart.
protocol RecordKeeper<Record>: Sendable {
    associatedtype Record: Codable & Sendable & Equatable
    var location: String { get }
    func records() throws -> [Record]
    /// Applies `change` to the stored records and stores the result, if it differs. `change` may
    /// run more than once.
    func update<T>(_ change: (inout [Record]) throws -> T) throws -> T
}

/// Records kept in one JSON file of the data folder: written atomically, owner only (hashes do not
/// give the secrets, but names, scopes and roles are nobody's business), and cached until the
/// file changes (its inode, size or modification time: an atomic write by rename makes a new one).
final class RecordFile<Record: Codable & Sendable & Equatable>: RecordKeeper {
    let file: URL
    private let state = Mutex<(records: [Record], modified: Stamp?)>(([], nil))

    /// What tells that the file changed, from one `stat`. Foundation's `attributesOfItem`, used
    /// before, also read /etc/passwd and /etc/group to name the owner and listed the extended
    /// attributes, on every API request, since each one checks its token.
    struct Stamp: Equatable {
        var inode: UInt64
        var size: Int64
        var seconds: Int
        var nanoseconds: Int

        init?(_ path: String) {
            var info = stat()
            guard stat(path, &info) == 0 else { return nil }
            inode = UInt64(info.st_ino)
            size = Int64(info.st_size)
            seconds = Int(info.st_mtim.tv_sec)
            nanoseconds = Int(info.st_mtim.tv_nsec)
        }
    }

    init(_ file: URL) { self.file = file }

    var location: String { file.path }

    func records() throws -> [Record] {
        let modified = Stamp(file.path)
        if let cached = state.withLock({ $0.modified == modified && modified != nil ? $0.records : nil }) { return cached }
        guard let modified, let data = FileManager.default.contents(atPath: file.path) else {
            state.withLock { $0 = ([], nil) }
            return []
        }
        let records = try JSONDecoder().decode([Record].self, from: data)
        state.withLock { $0 = (records, modified) }
        return records
    }

    func update<T>(_ change: (inout [Record]) throws -> T) throws -> T {
        let before = try records()
        var records = before
        let value = try change(&records)
        guard records != before else { return value }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try encoder.encode(records).write(to: file, options: .atomic)
        try? FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: file.path)
        state.withLock { $0 = ([], nil) }
        return value
    }
}

/// Records kept as one set of a shared database (`ServerRecords`), one JSON body a record: every
/// server sees a change at its next read.
final class SharedRecordSet<Record: Codable & Sendable & Equatable>: RecordKeeper {
    let shared: ServerRecords
    let kind: String

    init(_ shared: ServerRecords, kind: String) {
        self.shared = shared
        self.kind = kind
    }

    var location: String { "\(kind) in \(shared.location)" }

    func records() throws -> [Record] { try Self.decode(try shared.records(kind)) }

    func update<T>(_ change: (inout [Record]) throws -> T) throws -> T {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return try shared.update(kind) { bodies in
            let before = try Self.decode(bodies)
            var records = before
            let value = try change(&records)
            guard records != before else { return (nil, value) }
            return (try records.map { String(decoding: try encoder.encode($0), as: UTF8.self) }, value)
        }
    }

    private static func decode(_ bodies: [String]) throws -> [Record] {
        try bodies.map { try JSONDecoder().decode(Record.self, from: Data($0.utf8)) }
    }
}

/// `bytes` random bytes as base64url without padding: tokens and session ids.
func randomBase64URL(bytes count: Int) -> String {
    var generator = SystemRandomNumberGenerator()
    let bytes = (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
    return Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-")
        .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
}

/// An append-only log of every read of a person's record: which token, when, what.
/// In `DATA/access.log` (JSON lines), or in a database several servers share (`--shared-store`),
/// where every server's reads are in one log.
public final class AccessLog: Sendable {
    public let file: URL
    private let shared: ServerRecords?
    /// The entries by target (`case 12`), read from the file at the first question and kept up to
    /// date by `append`: a page's history does not read the whole log.
    private let index = Mutex<[String: [Entry]]?>(nil)

    /// The log in `folder`, or in `shared` (a database that several servers share) when given.
    public init(folder: URL, shared: ServerRecords? = nil) {
        file = folder.appendingPathComponent("access.log")
        self.shared = shared
    }

    /// Where the entries are kept, as printed.
    public var location: String { shared.map { "the access log in \($0.location)" } ?? file.path }

    public struct Entry: Codable, Sendable, Equatable {
        public var time: String
        public var token: String
        public var action: String
        public var target: String
        public var results: Int?
    }

    public func append(_ entry: Entry) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var line = try encoder.encode(entry)
        if let shared { return try shared.appendAccess(target: entry.target, body: String(decoding: line, as: UTF8.self)) }
        line.append(0x0A)
        try index.withLock { index in
            if !FileManager.default.fileExists(atPath: file.path) {
                // A file that cannot be created fails the open below, with the reason.
                _ = FileManager.default.createFile(atPath: file.path, contents: nil, attributes: [.posixPermissions: 0o600])
            }
            let handle = try FileHandle(forWritingTo: file)
            defer { try? handle.close() }
            try handle.seekToEnd()
            try handle.write(contentsOf: line)
            index?[entry.target, default: []].append(entry)
        }
    }

    /// The entries about one target, in order.
    public func entries(target: String) throws -> [Entry] {
        if let shared { return try shared.accessEntries(target: target).map(Self.decode) }
        return try index.withLock { index in
            if index == nil { index = Dictionary(grouping: try entries(), by: \.target) }
            return index?[target] ?? []
        }
    }

    public func entries() throws -> [Entry] {
        if let shared { return try shared.accessEntries(target: nil).map(Self.decode) }
        guard let data = FileManager.default.contents(atPath: file.path) else { return [] }
        return try data.split(separator: 0x0A).map { try JSONDecoder().decode(Entry.self, from: Data($0)) }
    }

    private static func decode(_ body: String) throws -> Entry { try JSONDecoder().decode(Entry.self, from: Data(body.utf8)) }
}
