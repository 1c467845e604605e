import Foundation
import WinnowModel
public import WinnowNames

/// The requested state's own records (persons, protection, domestic cases, organisations, earlier
/// requests, INTERPOL actions), in a SQLite file (the embedded default) or a PostgreSQL database
/// (shared by many reviewers and processes). Which one is the store's business: the registry's
/// queries are the same for both.
public struct Registry: Sendable {
    let store: any RegistryStore
    /// Where the data lives, for the report's provenance (a PostgreSQL address without its password).
    public let location: String
    public let matcher: NameMatcher
    /// How many postings a search starts from before it turns to keys of two name parts at once
    /// (see `search`); smaller in tests, so that a small registry takes that path.
    public var seedBudget = 1500
    /// How long a SQLite write waits for another process's lock before it fails, in seconds.
    public static let busyTimeout: Double = SQLiteStore.busyTimeout

    /// Opens (creating and migrating if needed) the registry at `path`: a SQLite file, or a
    /// `postgres://USER@HOST/DB` address.
    /// `migrating` hears, before they run, the migrations a registry made by an older release
    /// needs (re-indexing the names of a million persons takes minutes; a user should know why).
    public static func open(path: String, matcher: NameMatcher = NameMatcher(),
                            migrating: (@Sendable (_ migrations: [String], _ persons: Int) -> Void)? = nil) throws -> Registry {
        try open(path: path, matcher: matcher, create: true, migrating: migrating)
    }

    /// `create` false: a registry that is not there yet (a SQLite file, or a database or schema
    /// without the registry's tables) is `RegistryMissing`, and nothing is created.
    static func open(path: String, matcher: NameMatcher, create: Bool,
                     migrating: (@Sendable (_ migrations: [String], _ persons: Int) -> Void)?) throws -> Registry {
        if PostgresURL.isPostgres(path) {
            let store = try PostgresStore.open(path, create: create, migrating: migrating)
            return Registry(store: store, location: store.url.display, matcher: matcher)
        }
        if !create && !FileManager.default.fileExists(atPath: path) { throw RegistryMissing(path: path) }
        return Registry(store: try SQLiteStore.open(path: path, migrating: migrating), location: path, matcher: matcher)
    }

    /// `path` as it may be printed: a PostgreSQL address without its password.
    public static func displayed(_ path: String) -> String {
        PostgresURL.isPostgres(path) ? PostgresURL.redacted(path) : path
    }

    /// Which store holds the records: "sqlite" or "postgresql".
    public var backend: String { store.backend }

    /// A registry in memory (tests, and registry files given as JSON).
    public static func inMemory(matcher: NameMatcher = NameMatcher()) throws -> Registry {
        Registry(store: try SQLiteStore.inMemory(), location: "in memory", matcher: matcher)
    }

    /// Opens `path`: a SQLite registry, or a JSON import file read into memory for this run. A SQLite
    /// path that does not exist is an error unless `create` says to make one: a mistyped path would
    /// otherwise give an empty registry whose silence reads as "no record".
    public static func load(path: String, create: Bool = false,
                            migrating: (@Sendable (_ migrations: [String], _ persons: Int) -> Void)? = nil) throws -> Registry {
        if path.hasSuffix(".json") || path.hasSuffix(".jsonl") || path.hasSuffix(".csv") {
            let registry = try inMemory()
            _ = try registry.importFile(path)
            return Registry(store: registry.store, location: "\(path) (read into memory)", matcher: registry.matcher)
        }
        return try open(path: path, matcher: NameMatcher(), create: create, migrating: migrating)
    }

    /// Whether the registry holds no record of any kind: then every registry fact is a data gap.
    public func isEmpty() throws -> Bool {
        try store.read { s in
            try s.int("""
                SELECT CASE WHEN EXISTS(SELECT 1 FROM person) OR EXISTS(SELECT 1 FROM organisation) OR EXISTS(SELECT 1 FROM domesticCase)
                    OR EXISTS(SELECT 1 FROM priorRequest) OR EXISTS(SELECT 1 FROM interpolAction) OR EXISTS(SELECT 1 FROM personEvent)
                    THEN 0 ELSE 1 END
                """) != 0
        }
    }

    /// The tables whose records `counts` reports.
    static let countedTables = ["person", "protection", "organisation", "domesticCase", "priorRequest", "interpolAction", "personEvent"]

    /// Indexes names under their search keys, in as few statements as the store allows; `touched`
    /// collects the keys for `refreshKeyStats`.
    static func index(_ names: [PersonNameRecord], in s: any SQLSession, touched: inout Set<String>) throws {
        var rows: [[SQLValue]] = []
        for n in names {
            for key in NameMatcher.indexKeys(n.name) {
                rows.append([.text(key), .text(n.personId)])
                touched.insert(key)
            }
            if rows.count >= 50_000 {
                try s.insert(into: "nameKey", columns: ["key", "personId"], rows: rows, ignoringConflicts: true)
                rows.removeAll(keepingCapacity: true)
            }
        }
        try s.insert(into: "nameKey", columns: ["key", "personId"], rows: rows, ignoringConflicts: true)
    }

    /// Computes every person's search keys again from the names stored, and the key statistics.
    static func reindexAllNames(in s: any SQLSession) throws {
        try s.execute("DELETE FROM nameKey")
        var touched = Set<String>()
        let names = try s.rows("SELECT personId, name FROM personName").map {
            PersonNameRecord(personId: try $0.text("personId"), name: try $0.text("name"), script: nil, kind: "")
        }
        try index(names, in: s, touched: &touched)
        try s.execute("DELETE FROM keyStat")
        try s.execute("INSERT INTO keyStat (key, count) SELECT key, COUNT(*) FROM nameKey GROUP BY key")
    }

    /// Brings the key statistics up to date for the keys a write touched (all of them, for a large import).
    /// Keys are written in sorted order, so that concurrent writers on PostgreSQL lock them in one
    /// order and never deadlock on each other.
    static func refreshKeyStats(_ touched: Set<String>, in s: any SQLSession) throws {
        if touched.count > 20_000 {
            try s.execute("DELETE FROM keyStat")
            try s.execute("INSERT INTO keyStat (key, count) SELECT key, COUNT(*) FROM nameKey GROUP BY key")
            return
        }
        for key in touched.sorted() {
            try s.execute("""
                INSERT INTO keyStat (key, count) VALUES (?, (SELECT COUNT(*) FROM nameKey WHERE key = ?))
                ON CONFLICT(key) DO UPDATE SET count = excluded.count
                """, [.text(key), .text(key)])
        }
    }

    /// Counts of each kind of record, for `registry show` and provenance.
    public func counts() throws -> [String: Int] {
        try store.read { s in
            let rows = try s.rows("SELECT tableName, count FROM recordCount")
            return Dictionary(uniqueKeysWithValues: try rows.map { (try $0.text("tableName"), $0.int("count")) })
        }
    }

    /// The registry opens and answers a read of its schema: what a readiness probe asks, cheap at any size.
    public func answers() -> Bool { store.answers() }

    /// The store's own consistency check (`PRAGMA integrity_check` on SQLite; on PostgreSQL, every
    /// count kept by the triggers against its table).
    public func isIntact() throws -> Bool { try store.isIntact() }
}

/// `--registry PATH` names a SQLite file that is not there.
public struct RegistryMissing: Error, CustomStringConvertible {
    public let path: String
    public var description: String {
        if PostgresURL.isPostgres(path) {
            return "\(PostgresURL.redacted(path)): no registry in this database (or schema); make one with "
                + "`winnow registry import FILE --registry ADDRESS`, or pass --create-registry to start an empty one"
        }
        return "\(path): no registry at this path; make one with `winnow registry import FILE --registry \(path)`, "
            + "or pass --create-registry to start an empty one"
    }
}
