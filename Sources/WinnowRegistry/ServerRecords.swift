import Foundation

/// The server's own records kept in a registry's database instead of its data folder, so that
/// several servers on one PostgreSQL registry share them (`winnow serve --shared-store`):
///
/// - record sets (the API tokens, the desk's users): small lists, each read whole and replaced
///   whole by one writer at a time;
/// - the access log: who read what, appended by every server, read by target;
/// - the desk's cases: a screening's case, its report as JSON and as issued, by log entry;
/// - the desk's sessions: by the SHA-256 of their id, with their user and the times they end by;
/// - the desk's failed sign-ins, by throttle key, so that a guesser gains nothing by spreading
///   attempts over several servers.
///
/// Bodies are the callers' JSON: this module stores them and knows nothing of tokens or users.
public final class ServerRecords: Sendable {
    let store: any RegistryStore
    /// Where the records live, as printed (a password is never shown).
    public let location: String

    public init(registry: Registry) {
        store = registry.store
        location = registry.location
    }

    /// The bodies of one set, in the order they were saved.
    public func records(_ kind: String) throws -> [String] {
        try store.read { s in try Self.bodies(kind, in: s) }
    }

    /// Replaces a set with what `change` makes of it (nil: leaves it as it is), and returns what
    /// `change` returns. Writers of one set take turns: the set's version row is locked (updated)
    /// before the set is read, so a second writer reads what the first committed, on either store.
    /// `change` may run more than once (a write that PostgreSQL aborts, a dropped connection, is
    /// run again).
    public func update<T>(_ kind: String, _ change: ([String]) throws -> (bodies: [String]?, value: T)) throws -> T {
        try store.write { s in
            try s.insert(into: "serverRecordSet", columns: ["kind", "version"], rows: [[.text(kind), .int(0)]], ignoringConflicts: true)
            try s.execute("UPDATE serverRecordSet SET version = version + 1 WHERE kind = ?", [.text(kind)])
            let (changed, value) = try change(try Self.bodies(kind, in: s))
            guard let bodies = changed else { return value }
            try s.execute("DELETE FROM serverRecord WHERE kind = ?", [.text(kind)])
            try s.insert(into: "serverRecord", columns: ["kind", "position", "body"],
                         rows: bodies.enumerated().map { [.text(kind), .int($0.offset), .text($0.element)] }, ignoringConflicts: false)
            return value
        }
    }

    private static func bodies(_ kind: String, in s: any SQLSession) throws -> [String] {
        try s.strings("SELECT body FROM serverRecord WHERE kind = ? ORDER BY position", [.text(kind)])
    }

    /// Appends one entry to the access log.
    public func appendAccess(target: String, body: String) throws {
        try store.write { s in
            try s.execute("INSERT INTO accessEntry (target, body) VALUES (?, ?)", [.text(target), .text(body)])
        }
    }

    /// The access log's entries about `target` (every entry when nil), in the order written.
    public func accessEntries(target: String?) throws -> [String] {
        try store.read { s in
            if let target { return try s.strings("SELECT body FROM accessEntry WHERE target = ? ORDER BY seq", [.text(target)]) }
            return try s.strings("SELECT body FROM accessEntry ORDER BY seq")
        }
    }

    static func deskCaseTable(text t: String, integer n: String) -> String {
        "CREATE TABLE deskCase (entry \(n) PRIMARY KEY, body \(t) NOT NULL, report \(t) NOT NULL, issued \(t))"
    }

    /// Keeps a desk case (its JSON), its report's JSON and, when it was issued in another form,
    /// the report as issued; a case kept again replaces the first.
    public func keepCase(entry: Int, body: String, report: String, issued: String?) throws {
        try store.write { s in
            try s.execute("DELETE FROM deskCase WHERE entry = ?", [.int(entry)])
            try s.execute("INSERT INTO deskCase (entry, body, report, issued) VALUES (?, ?, ?, ?)", [.int(entry), .text(body), .text(report), SQLValue(issued)])
        }
    }

    /// The entries that have a case.
    public func caseEntries() throws -> [Int] {
        try store.read { s in try s.rows("SELECT entry FROM deskCase ORDER BY entry").map { $0.int("entry") } }
    }

    /// The JSON of the cases of these entries, by entry.
    public func cases(entries: [Int]) throws -> [Int: String] {
        guard !entries.isEmpty else { return [:] }
        return try store.read { s in
            var out: [Int: String] = [:]
            for chunk in stride(from: 0, to: entries.count, by: 500).map({ Array(entries[$0..<min(entries.count, $0 + 500)]) }) {
                for row in try s.rows("SELECT entry, body FROM deskCase WHERE entry IN (\(placeholders(chunk.count)))", chunk.map(SQLValue.int)) {
                    out[row.int("entry")] = try row.text("body")
                }
            }
            return out
        }
    }

    /// One case's JSON, its report's JSON and the report as issued (nil when that is the JSON).
    public func deskCase(entry: Int) throws -> (body: String, report: String, issued: String?)? {
        try store.read { s in
            try s.rows("SELECT body, report, issued FROM deskCase WHERE entry = ?", [.int(entry)]).first.map {
                (try $0.text("body"), try $0.text("report"), $0.string("issued"))
            }
        }
    }

    static func deskSessionTable(text t: String, real r: String) -> String {
        "CREATE TABLE deskSession (idSha256 \(t) PRIMARY KEY, userName \(t) NOT NULL, started \(r) NOT NULL, lastSeen \(r) NOT NULL, body \(t) NOT NULL)"
    }

    /// Keeps a desk session (the caller's JSON) under the SHA-256 of its id, replacing what was
    /// kept under it, after removing the sessions that started before `startedAfter` or were last
    /// seen before `seenAfter` (times are seconds since 1970).
    public func saveSession(idSha256: String, user: String, started: Double, lastSeen: Double, body: String,
                            expiring: (startedBefore: Double, seenBefore: Double)? = nil) throws {
        try store.write { s in
            if let expiring {
                try s.execute("DELETE FROM deskSession WHERE started < ? OR lastSeen < ?", [.real(expiring.startedBefore), .real(expiring.seenBefore)])
            }
            try s.execute("DELETE FROM deskSession WHERE idSha256 = ?", [.text(idSha256)])
            try s.execute("INSERT INTO deskSession (idSha256, userName, started, lastSeen, body) VALUES (?, ?, ?, ?, ?)",
                          [.text(idSha256), .text(user), .real(started), .real(lastSeen), .text(body)])
        }
    }

    /// The session kept under this SHA-256, as the caller's JSON.
    public func session(idSha256: String) throws -> String? {
        try store.read { s in try s.strings("SELECT body FROM deskSession WHERE idSha256 = ?", [.text(idSha256)]).first }
    }

    /// Moves a session's last use to `lastSeen`.
    public func touchSession(idSha256: String, lastSeen: Double, body: String) throws {
        try store.write { s in
            try s.execute("UPDATE deskSession SET lastSeen = ?, body = ? WHERE idSha256 = ?", [.real(lastSeen), .text(body), .text(idSha256)])
        }
    }

    /// Ends one session, or every session of a user.
    public func endSessions(idSha256: String? = nil, user: String? = nil) throws {
        try store.write { s in
            if let idSha256 { try s.execute("DELETE FROM deskSession WHERE idSha256 = ?", [.text(idSha256)]) }
            if let user { try s.execute("DELETE FROM deskSession WHERE userName = ?", [.text(user)]) }
        }
    }

    static func signInFailureTable(text t: String, real r: String, serial: String) -> [String] {
        ["CREATE TABLE signInFailure (seq \(serial), throttleKey \(t) NOT NULL, time \(r) NOT NULL)",
         "CREATE INDEX signInFailure_key ON signInFailure (throttleKey, time)"]
    }

    /// For each key with failures at or after `since`: how many, and the earliest.
    public func signInFailures(keys: [String], since: Double) throws -> [String: (count: Int, first: Double)] {
        guard !keys.isEmpty else { return [:] }
        return try store.read { s in
            var out: [String: (count: Int, first: Double)] = [:]
            for row in try s.rows("SELECT throttleKey, COUNT(*) AS n, MIN(time) AS first FROM signInFailure WHERE throttleKey IN (\(placeholders(keys.count))) AND time >= ? GROUP BY throttleKey",
                                  keys.map(SQLValue.text) + [.real(since)]) {
                if let key = row.string("throttleKey") { out[key] = (row.int("n"), row["first"].real ?? since) }
            }
            return out
        }
    }

    /// Records a failed sign-in under each key, after removing failures older than `purgeBefore`.
    public func recordSignInFailure(keys: [String], time: Double, purgeBefore: Double) throws {
        try store.write { s in
            try s.execute("DELETE FROM signInFailure WHERE time < ?", [.real(purgeBefore)])
            for key in keys { try s.execute("INSERT INTO signInFailure (throttleKey, time) VALUES (?, ?)", [.text(key), .real(time)]) }
        }
    }

    /// Forgets the failures under these keys (a sign-in that succeeded).
    public func clearSignInFailures(keys: [String]) throws {
        guard !keys.isEmpty else { return }
        try store.write { s in
            try s.execute("DELETE FROM signInFailure WHERE throttleKey IN (\(placeholders(keys.count)))", keys.map(SQLValue.text))
        }
    }
}
