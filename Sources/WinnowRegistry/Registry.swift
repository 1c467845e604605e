import Foundation
import GRDB
import WinnowModel
public import WinnowNames

/// The requested state's own records (persons, protection, domestic cases, organisations, earlier
/// requests, INTERPOL actions) in one SQLite file, written in transactions with WAL.
public struct Registry: Sendable {
    let writer: any DatabaseWriter
    /// Where the data lives, for the report's provenance.
    public let location: String
    public let matcher: NameMatcher
    /// How many postings a search starts from before it turns to keys of two name parts at once
    /// (see `search`); smaller in tests, so that a small registry takes that path.
    public var seedBudget = 1500
    /// How long a write waits for another process's lock before it fails, in seconds.
    public static let busyTimeout: Double = 30

    /// Opens (creating and migrating if needed) the registry file at `path`.
    /// `migrating` hears, before they run, the migrations a registry made by an older release
    /// needs (re-indexing the names of a million persons takes minutes; a user should know why).
    public static func open(path: String, matcher: NameMatcher = NameMatcher(),
                            migrating: (@Sendable (_ migrations: [String], _ persons: Int) -> Void)? = nil) throws -> Registry {
        var config = Configuration()
        config.foreignKeysEnabled = true
        // Several processes may write at once (a batch recording, a reviewer screening): a writer
        // that finds the database locked waits for it instead of failing the write.
        config.busyMode = .timeout(Self.busyTimeout)
        let pool = try DatabasePool(path: path, configuration: config)
        if let migrating {
            // Persons are counted only when something is to run: an up-to-date registry opens at once.
            let (pending, persons) = try pool.read { db -> ([String], Int) in
                let applied = try migrator.appliedIdentifiers(db)
                let pending = migrator.migrations.filter { !applied.contains($0) }
                guard !pending.isEmpty, try db.tableExists("person") else { return (pending, 0) }
                return (pending, try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM person") ?? 0)
            }
            // A new file is no news: only an existing registry's upgrade is told.
            if !pending.isEmpty && persons > 0 { migrating(pending, persons) }
        }
        try migrator.migrate(pool)
        let registry = Registry(writer: pool, location: path, matcher: matcher)
        // What an earlier import or migration left in the write-ahead log goes into the database,
        // as far as it can without waiting for other processes.
        registry.checkpoint(waiting: false)
        return registry
    }

    /// Copies the write-ahead log into the database file: all of it, waiting for readers and
    /// writers of other processes and then emptying the log (`waiting`), or as much as it can at once.
    /// A checkpoint that cannot finish is not an error: SQLite checkpoints again after later writes.
    func checkpoint(waiting: Bool) {
        guard let pool = writer as? DatabasePool else { return }
        _ = try? pool.writeWithoutTransaction { db in try db.checkpoint(waiting ? .truncate : .passive) }
    }

    /// A registry in memory (tests, and registry files given as JSON).
    public static func inMemory(matcher: NameMatcher = NameMatcher()) throws -> Registry {
        var config = Configuration()
        config.foreignKeysEnabled = true
        let queue = try DatabaseQueue(configuration: config)
        try migrator.migrate(queue)
        return Registry(writer: queue, location: "in memory", matcher: matcher)
    }

    /// Opens `path`: a SQLite registry, or a JSON import file read into memory for this run. A SQLite
    /// path that does not exist is an error unless `create` says to make one: a mistyped path would
    /// otherwise give an empty registry whose silence reads as "no record".
    public static func load(path: String, create: Bool = false,
                            migrating: (@Sendable (_ migrations: [String], _ persons: Int) -> Void)? = nil) throws -> Registry {
        if path.hasSuffix(".json") || path.hasSuffix(".jsonl") || path.hasSuffix(".csv") {
            let registry = try inMemory()
            _ = try registry.importFile(path)
            return Registry(writer: registry.writer, location: "\(path) (read into memory)", matcher: registry.matcher)
        }
        if !create && !FileManager.default.fileExists(atPath: path) { throw RegistryMissing(path: path) }
        return try open(path: path, migrating: migrating)
    }

    /// Whether the registry holds no record of any kind: then every registry fact is a data gap.
    public func isEmpty() throws -> Bool {
        try writer.read { db in
            try Bool.fetchOne(db, sql: """
                SELECT NOT (EXISTS(SELECT 1 FROM person) OR EXISTS(SELECT 1 FROM organisation) OR EXISTS(SELECT 1 FROM domesticCase)
                    OR EXISTS(SELECT 1 FROM priorRequest) OR EXISTS(SELECT 1 FROM interpolAction) OR EXISTS(SELECT 1 FROM personEvent))
                """) ?? true
        }
    }

    /// Named migrations, in order. A shipped migration is never edited: a change is a new one.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("2026-11-29 persons, names and search keys") { db in
            try db.create(table: "person") { t in
                t.primaryKey("id", .text)
                t.column("birthDate", .text)
                t.column("nationalities", .text).notNull().defaults(to: "")
                t.column("profession", .text)
                t.column("recordedFrom", .text)
                t.column("source", .text)
            }
            try db.create(table: "personName") { t in
                t.column("personId", .text).notNull().indexed().references("person", onDelete: .cascade)
                t.column("name", .text).notNull()
                t.column("script", .text)
                t.column("kind", .text).notNull()
            }
            try db.create(table: "nameKey") { t in
                t.column("key", .text).notNull()
                t.column("personId", .text).notNull().references("person", onDelete: .cascade)
                t.primaryKey(["key", "personId"])
            }
            try db.create(index: "nameKey_person", on: "nameKey", columns: ["personId"])
            try db.create(table: "relation") { t in
                t.column("personId", .text).notNull().indexed().references("person", onDelete: .cascade)
                t.column("relatedId", .text).notNull().indexed().references("person", onDelete: .cascade)
                t.column("relation", .text).notNull()
            }
        }
        migrator.registerMigration("2026-11-29 protection, organisations, cases, requests, INTERPOL") { db in
            try db.create(table: "protection") { t in
                t.primaryKey("id", .text)
                t.column("personId", .text).notNull().indexed().references("person", onDelete: .cascade)
                t.column("kind", .text).notNull()
                t.column("grantingState", .text).notNull()
                t.column("againstState", .text)
                t.column("granted", .text).notNull()
                t.column("ended", .text)
                t.column("reference", .text)
            }
            try db.create(table: "organisation") { t in
                t.primaryKey("id", .text)
                t.column("name", .text).notNull()
                t.column("kind", .text)
                t.column("controllingState", .text)
                t.column("recordedFrom", .text)
            }
            try db.create(table: "domesticCase") { t in
                t.primaryKey("id", .text)
                t.column("number", .text).notNull()
                t.column("authority", .text)
                t.column("kind", .text).notNull()
                t.column("status", .text).notNull()
                t.column("outcome", .text)
                t.column("opened", .text).notNull()
                t.column("closed", .text)
                t.column("summary", .text)
            }
            try db.create(table: "caseParty") { t in
                t.column("caseId", .text).notNull().indexed().references("domesticCase", onDelete: .cascade)
                t.column("personId", .text).indexed().references("person", onDelete: .cascade)
                t.column("organisationId", .text).indexed().references("organisation", onDelete: .cascade)
                t.column("role", .text).notNull()
                t.column("actedFor", .text)
            }
            try db.create(table: "priorRequest") { t in
                t.primaryKey("id", .text)
                t.column("reference", .text).notNull()
                t.column("instrument", .text).notNull()
                t.column("requestingState", .text).notNull()
                t.column("received", .text).notNull()
                t.column("subjectId", .text).indexed().references("person", onDelete: .setNull)
                t.column("decision", .text).notNull()
                t.column("decisionDate", .text)
                t.column("grounds", .text)
            }
            try db.create(table: "priorRequestCase") { t in
                t.column("requestId", .text).notNull().indexed().references("priorRequest", onDelete: .cascade)
                t.column("number", .text).notNull()
                t.column("normalized", .text).notNull().indexed()
                t.column("state", .text)
            }
            try db.create(table: "interpolAction") { t in
                t.primaryKey("id", .text)
                t.column("personId", .text).notNull().indexed().references("person", onDelete: .cascade)
                t.column("kind", .text).notNull()
                t.column("state", .text).notNull()
                t.column("action", .text).notNull()
                t.column("date", .text).notNull()
                t.column("reference", .text)
            }
        }
        migrator.registerMigration("2026-11-29 search key statistics") { db in
            // How many persons carry each search key, so that search starts from the rare ones.
            try db.create(table: "keyStat") { t in
                t.primaryKey("key", .text)
                t.column("count", .integer).notNull()
            }
            try db.execute(sql: "INSERT INTO keyStat (key, count) SELECT key, COUNT(*) FROM nameKey GROUP BY key")
        }
        migrator.registerMigration("2026-12-01 search keys for Arabic, Persian, Turkic and Chinese names") { db in
            // The keys of every name are computed again: Arabic-script and Han names, Wade-Giles and
            // Turkic spellings and the given-name variant tables add keys that older registries lack.
            try reindexAllNames(in: db)
        }
        migrator.registerMigration("2026-12-01 events about persons: persecuted relatives, third-party decisions") { db in
            try db.create(table: "personEvent") { t in
                t.primaryKey("id", .text)
                t.column("personId", .text).notNull().indexed().references("person", onDelete: .cascade)
                t.column("kind", .text).notNull()
                t.column("date", .text).notNull()
                t.column("body", .text)
                t.column("state", .text)
                t.column("description", .text)
                t.column("reference", .text)
            }
        }
        migrator.registerMigration("2026-12-02 search keys for two name parts at once") { db in
            // Pair keys (`NameMatcher.combinedKeys`) bound a search for a name whose every part is
            // common: without them, a search for "Dana" plus a surname no one carries ranks every Dana.
            try reindexAllNames(in: db)
        }
        migrator.registerMigration("2026-12-02 record counts kept by triggers") { db in
            // Every report states the registry's counts; COUNT(*) over a million persons on each
            // screening took half of it. Triggers keep the counts in the same transaction as the write.
            try db.create(table: "recordCount") { t in
                t.primaryKey("tableName", .text)
                t.column("count", .integer).notNull()
            }
            for table in countedTables {
                try db.execute(sql: "INSERT INTO recordCount (tableName, count) SELECT '\(table)', COUNT(*) FROM \(table)")
                try db.execute(sql: """
                    CREATE TRIGGER \(table)_counted_insert AFTER INSERT ON \(table)
                    BEGIN UPDATE recordCount SET count = count + 1 WHERE tableName = '\(table)'; END
                    """)
                try db.execute(sql: """
                    CREATE TRIGGER \(table)_counted_delete AFTER DELETE ON \(table)
                    BEGIN UPDATE recordCount SET count = count - 1 WHERE tableName = '\(table)'; END
                    """)
            }
        }
        return migrator
    }

    /// The tables whose records `counts` reports.
    static let countedTables = ["person", "protection", "organisation", "domesticCase", "priorRequest", "interpolAction", "personEvent"]

    /// Indexes one name of a person under its search keys; `touched` collects the keys for
    /// `refreshKeyStats`.
    static func index(_ name: String, of personId: String, in db: Database, touched: inout Set<String>) throws {
        let statement = try db.cachedStatement(sql: "INSERT OR IGNORE INTO nameKey (key, personId) VALUES (?, ?)")
        for key in NameMatcher.indexKeys(name) {
            try statement.execute(arguments: [key, personId])
            touched.insert(key)
        }
    }

    /// Computes every person's search keys again from the names stored, and the key statistics.
    static func reindexAllNames(in db: Database) throws {
        try db.execute(sql: "DELETE FROM nameKey")
        var touched = Set<String>()
        let rows = try Row.fetchCursor(db, sql: "SELECT personId, name FROM personName")
        while let row = try rows.next() {
            try index(row["name"], of: row["personId"], in: db, touched: &touched)
        }
        try db.execute(sql: "DELETE FROM keyStat")
        try db.execute(sql: "INSERT INTO keyStat (key, count) SELECT key, COUNT(*) FROM nameKey GROUP BY key")
    }

    /// Brings the key statistics up to date for the keys a write touched (all of them, for a large import).
    static func refreshKeyStats(_ touched: Set<String>, in db: Database) throws {
        if touched.count > 20_000 {
            try db.execute(sql: "DELETE FROM keyStat")
            try db.execute(sql: "INSERT INTO keyStat (key, count) SELECT key, COUNT(*) FROM nameKey GROUP BY key")
            return
        }
        let statement = try db.cachedStatement(sql: """
            INSERT INTO keyStat (key, count) VALUES (?, (SELECT COUNT(*) FROM nameKey WHERE key = ?))
            ON CONFLICT(key) DO UPDATE SET count = excluded.count
            """)
        for key in touched { try statement.execute(arguments: [key, key]) }
    }

    /// Counts of each kind of record, for `registry show` and provenance.
    public func counts() throws -> [String: Int] {
        try writer.read { db in
            let rows = try Row.fetchAll(db, sql: "SELECT tableName, count FROM recordCount")
            return Dictionary(uniqueKeysWithValues: rows.map { ($0["tableName"] as String, $0["count"] as Int) })
        }
    }

    /// The registry opens and answers a read of its schema: what a readiness probe asks, cheap at
    /// any size (`isIntact` reads every page: 1.9 s at 100,000 persons).
    public func answers() -> Bool {
        (try? writer.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'") }).flatMap { $0 } ?? 0 > 0
    }

    /// `PRAGMA integrity_check` is "ok".
    public func isIntact() throws -> Bool {
        try writer.read { db in try String.fetchOne(db, sql: "PRAGMA integrity_check") == "ok" }
    }
}

/// `--registry PATH` names a SQLite file that is not there.
public struct RegistryMissing: Error, CustomStringConvertible {
    public let path: String
    public var description: String {
        "\(path): no registry at this path; make one with `winnow registry import FILE --registry \(path)`, "
            + "or pass --create-registry to start an empty one"
    }
}
