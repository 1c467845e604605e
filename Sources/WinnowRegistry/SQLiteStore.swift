import Foundation
import GRDB

/// The embedded registry: one SQLite file (or memory) through GRDB, written in transactions with WAL.
struct SQLiteStore: RegistryStore {
    let writer: any DatabaseWriter
    var backend: String { "sqlite" }

    /// How long a write waits for another process's lock before it fails, in seconds.
    static let busyTimeout: Double = 30

    static func configuration() -> Configuration {
        var config = Configuration()
        config.foreignKeysEnabled = true
        // Several processes may write at once (a batch recording, a reviewer screening): a writer
        // that finds the database locked waits for it instead of failing the write.
        config.busyMode = .timeout(busyTimeout)
        return config
    }

    /// Opens (creating and migrating if needed) the file at `path`; see `Registry.open` for `migrating`.
    static func open(path: String, migrating: (@Sendable (_ migrations: [String], _ persons: Int) -> Void)?) throws -> SQLiteStore {
        let pool = try DatabasePool(path: path, configuration: configuration())
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
        let store = SQLiteStore(writer: pool)
        // What an earlier import or migration left in the write-ahead log goes into the database,
        // as far as it can without waiting for other processes.
        store.checkpoint(waiting: false)
        return store
    }

    static func inMemory() throws -> SQLiteStore {
        let queue = try DatabaseQueue(configuration: configuration())
        try migrator.migrate(queue)
        return SQLiteStore(writer: queue)
    }

    func read<T>(_ body: (any SQLSession) throws -> T) throws -> T {
        try mapped { try writer.read { db in try body(GRDBSession(db: db)) } }
    }

    func write<T>(_ body: (any SQLSession) throws -> T) throws -> T {
        try mapped { try writer.write { db in try body(GRDBSession(db: db)) } }
    }

    /// GRDB's errors in the terms both stores share.
    private func mapped<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch let error as DatabaseError {
            throw StoreFailure(kind: error.resultCode == .SQLITE_CONSTRAINT ? .constraint : .other, message: error.message ?? "\(error)")
        }
    }

    /// A large import leaves its pages in the write-ahead log, and every later read searches the
    /// log's index for each page (a screen with a freshly imported million-person registry spent
    /// half its time there). Copying them into the database now costs the importer, once.
    func settle() { checkpoint(waiting: true) }

    /// Copies the write-ahead log into the database file: all of it, waiting for readers and
    /// writers of other processes and then emptying the log (`waiting`), or as much as it can at once.
    /// A checkpoint that cannot finish is not an error: SQLite checkpoints again after later writes.
    func checkpoint(waiting: Bool) {
        guard let pool = writer as? DatabasePool else { return }
        _ = try? pool.writeWithoutTransaction { db in try db.checkpoint(waiting ? .truncate : .passive) }
    }

    /// Cheap at any size (`isIntact` reads every page: 1.9 s at 100,000 persons).
    func answers() -> Bool {
        (try? writer.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'") }).flatMap { $0 } ?? 0 > 0
    }

    /// `PRAGMA integrity_check` is "ok".
    func isIntact() throws -> Bool {
        try writer.read { db in try String.fetchOne(db, sql: "PRAGMA integrity_check") == "ok" }
    }

    /// Named migrations, in order. A shipped migration is never edited: a change is a new one.
    /// PostgreSQL's own list is `PostgresStore.migrations`.
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
            try Registry.reindexAllNames(in: GRDBSession(db: db))
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
            try Registry.reindexAllNames(in: GRDBSession(db: db))
        }
        migrator.registerMigration("2026-12-02 record counts kept by triggers") { db in
            // Every report states the registry's counts; COUNT(*) over a million persons on each
            // screening took half of it. Triggers keep the counts in the same transaction as the write.
            try db.create(table: "recordCount") { t in
                t.primaryKey("tableName", .text)
                t.column("count", .integer).notNull()
            }
            for table in Registry.countedTables {
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
        migrator.registerMigration("2026-12-03 the server's own records: tokens, users, the access log") { db in
            // For servers that keep them beside the registry (`winnow serve --shared-store`); see `ServerRecords`.
            try db.execute(sql: "CREATE TABLE serverRecordSet (kind TEXT PRIMARY KEY, version INTEGER NOT NULL)")
            try db.execute(sql: "CREATE TABLE serverRecord (kind TEXT NOT NULL, position INTEGER NOT NULL, body TEXT NOT NULL, PRIMARY KEY (kind, position))")
            try db.execute(sql: "CREATE TABLE accessEntry (seq INTEGER PRIMARY KEY AUTOINCREMENT, target TEXT NOT NULL, body TEXT NOT NULL)")
            try db.execute(sql: "CREATE INDEX accessEntry_target ON accessEntry (target)")
        }
        migrator.registerMigration("2026-12-03 the shared decision log: entries, checkpoints, its head, the requests screened") { db in
            // For servers that share one log (`winnow serve --shared-store`); see `SharedLogRows`.
            for sql in SharedLogRows.schema(text: "TEXT", integer: "INTEGER") { try db.execute(sql: sql) }
        }
        migrator.registerMigration("2026-12-03 the desk's cases") { db in
            try db.execute(sql: ServerRecords.deskCaseTable(text: "TEXT", integer: "INTEGER"))
        }
        migrator.registerMigration("2026-12-03 the desk's sessions") { db in
            try db.execute(sql: ServerRecords.deskSessionTable(text: "TEXT", real: "REAL"))
        }
        migrator.registerMigration("2026-12-03 the desk's failed sign-ins") { db in
            for sql in ServerRecords.signInFailureTable(text: "TEXT", real: "REAL", serial: "INTEGER PRIMARY KEY AUTOINCREMENT") { try db.execute(sql: sql) }
        }
        return migrator
    }
}

/// A GRDB connection as a `SQLSession`. Statements are cached by their text: an import runs the
/// same few statements a million times.
struct GRDBSession: SQLSession {
    let db: Database

    func rows(_ sql: String, _ arguments: [SQLValue]) throws -> [SQLRow] {
        let statement = try db.cachedStatement(sql: sql)
        let columns = SQLColumns(statement.columnNames)
        var out: [SQLRow] = []
        let cursor = try Row.fetchCursor(statement, arguments: Self.arguments(arguments))
        while let row = try cursor.next() {
            var values: [SQLValue] = []
            values.reserveCapacity(row.count)
            for value in row.databaseValues {
                switch value.storage {
                case .null: values.append(.null)
                case .int64(let i): values.append(.int(Int(i)))
                case .double(let d): values.append(.real(d))
                case .string(let s): values.append(.text(s))
                case .blob(let b): values.append(.text(String(decoding: b, as: UTF8.self)))
                }
            }
            out.append(SQLRow(columns: columns, values: values))
        }
        return out
    }

    func execute(_ sql: String, _ arguments: [SQLValue]) throws {
        if arguments.isEmpty { try db.execute(sql: sql) } else { try db.cachedStatement(sql: sql).execute(arguments: Self.arguments(arguments)) }
    }

    func insert(into table: String, columns: [String], rows: [[SQLValue]], ignoringConflicts: Bool) throws {
        guard !rows.isEmpty else { return }
        let statement = try db.cachedStatement(sql: "INSERT INTO \(table) (\(columns.joined(separator: ", "))) VALUES (\(placeholders(columns.count)))"
                                                 + (ignoringConflicts ? " ON CONFLICT DO NOTHING" : ""))
        for row in rows { try statement.execute(arguments: Self.arguments(row)) }
    }

    static func arguments(_ values: [SQLValue]) -> StatementArguments {
        StatementArguments(values.map { v -> (any DatabaseValueConvertible)? in
            switch v {
            case .null: nil
            case .int(let i): i
            case .real(let d): d
            case .text(let s): s
            }
        })
    }
}
