import Foundation
import Logging
import NIOCore
import NIOPosix
import PostgresNIO

/// The shared registry: a PostgreSQL database (or one schema of it) through postgres-nio, for a
/// ministry whose reviewers, server and oversight unit all read and write one registry.
///
/// The registry's API is synchronous (a screening asks it dozens of small questions in a row), so
/// each call waits for postgres-nio's future on the calling thread; the connections run on their own
/// event loop group, never the caller's, so a wait can never block the loop it waits for. Connections
/// are kept in a small pool and every read runs in a read-only repeatable-read transaction, the same
/// consistent snapshot a SQLite read sees.
final class PostgresStore: RegistryStore, @unchecked Sendable {
    let url: PostgresURL
    private let configuration: PostgresConnection.Configuration
    private let group: any EventLoopGroup
    private let logger: Logger
    private let lock = NSLock()
    private var idle: [PostgresConnection] = []
    private var nextID = 0
    /// Idle connections kept for reuse; more may be open at once while many threads read.
    static let keptIdle = 16
    /// A transaction that PostgreSQL aborts for a serialization failure or a deadlock is run again,
    /// up to this many times, then reported.
    static let writeAttempts = 6

    var backend: String { "postgresql" }

    private init(url: PostgresURL) {
        self.url = url
        var configuration = PostgresConnection.Configuration(host: url.host, port: url.port, username: url.user,
                                                             password: url.password, database: url.database, tls: .disable)
        configuration.options.connectTimeout = .seconds(10)
        configuration.options.additionalStartupParameters = [("application_name", url.applicationName)]
        self.configuration = configuration
        group = MultiThreadedEventLoopGroup.singleton
        var logger = Logger(label: "winnow.registry.postgres")
        logger.logLevel = .critical
        self.logger = logger
    }

    deinit {
        // A connection is closed before it is let go (postgres-nio asserts it): waited for here,
        // on the thread that drops the last reference to the store, never one of the store's loops.
        for c in idle { Self.closeAndWait(c) }
    }

    private static func closeAndWait(_ c: PostgresConnection) {
        let closing: EventLoopFuture<Void> = c.close()
        try? closing.wait()
    }

    /// Connects, creates the schema if the address names one, and runs the migrations not yet applied.
    /// `create` false: a database (or schema) that holds no registry yet is `RegistryMissing`, as a
    /// SQLite path that does not exist is, and nothing is created in it.
    static func open(_ address: String, create: Bool, migrating: (@Sendable (_ migrations: [String], _ persons: Int) -> Void)?) throws -> PostgresStore {
        let store = PostgresStore(url: try PostgresURL(address))
        if !create, try !store.holdsRegistry() { throw RegistryMissing(path: address) }
        try store.migrate(migrating: migrating)
        return store
    }

    /// Whether the schema already has the migrations table (without creating the schema).
    private func holdsRegistry() throws -> Bool {
        let connection = try connect(id: 0)
        defer { Self.closeAndWait(connection) }
        let rows = try PostgresSession(store: self, connection: connection).rows(
            "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = COALESCE(CAST(? AS TEXT), current_schema()) AND table_name = 'winnowmigration'",
            [SQLValue(url.schema)])
        return rows.first?[0].int ?? 0 > 0
    }

    // MARK: connections

    /// A new connection, its failure said in the registry's terms.
    private func connect(id: Int) throws -> PostgresConnection {
        do {
            return try PostgresConnection.connect(on: group.next(), configuration: configuration, id: id, logger: logger).wait()
        } catch {
            throw StoreFailure(kind: .connection, message: "cannot connect to the registry \(url.display): \(Self.describe(error))")
        }
    }

    private func acquire() throws -> PostgresConnection {
        lock.lock()
        while let c = idle.popLast() {
            if !c.isClosed { lock.unlock(); return c }
        }
        nextID += 1
        let id = nextID
        lock.unlock()
        let connection = try connect(id: id)
        if let schema = url.schema {
            // Created by the first connection of a new schema; a name checked to be a plain SQL identifier.
            do {
                _ = try run(connection, "CREATE SCHEMA IF NOT EXISTS \(schema)", [])
                _ = try run(connection, "SET search_path TO \(schema)", [])
            } catch {
                Self.closeAndWait(connection)
                throw error
            }
        }
        return connection
    }

    private func release(_ connection: PostgresConnection) {
        lock.lock()
        let kept = !connection.isClosed && idle.count < Self.keptIdle
        if kept { idle.append(connection) }
        lock.unlock()
        if !kept { Self.closeAndWait(connection) }
    }

    /// Closes the idle connections (those in use close when they are given back).
    func close() {
        lock.lock()
        let all = idle
        idle = []
        lock.unlock()
        for c in all { Self.closeAndWait(c) }
    }

    // MARK: transactions

    func read<T>(_ body: (any SQLSession) throws -> T) throws -> T {
        // A read that loses its connection is run once more on a new one: it changed nothing.
        var attempt = 0
        while true {
            attempt += 1
            let connection = try acquire()
            defer { release(connection) }
            do {
                let session = PostgresSession(store: self, connection: connection)
                try session.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
                let value: T
                do { value = try body(session) } catch {
                    _ = try? run(connection, "ROLLBACK", [])
                    throw error
                }
                try session.execute("COMMIT")
                return value
            } catch let failure as StoreFailure where failure.kind == .connection && attempt == 1 {
                continue
            }
        }
    }

    func write<T>(_ body: (any SQLSession) throws -> T) throws -> T {
        var attempt = 0
        while true {
            attempt += 1
            let connection = try acquire()
            defer { release(connection) }
            let session = PostgresSession(store: self, connection: connection)
            var committing = false
            do {
                try session.execute("BEGIN")
                let value = try body(session)
                committing = true
                try session.execute("COMMIT")
                return value
            } catch let failure as StoreFailure {
                if !committing { _ = try? run(connection, "ROLLBACK", []) }
                // Lost before COMMIT was sent: the server rolled the transaction back, so it can run
                // again. Lost during COMMIT: whether it was written is unknown, and that is said.
                if failure.kind == .connection && committing {
                    throw StoreFailure(kind: .connection, message: "the connection to \(url.display) was lost while committing; "
                                       + "the write may or may not have been stored: \(failure.message)")
                }
                let retryable = failure.kind == .connection || failure.message.hasPrefix("[40001]") || failure.message.hasPrefix("[40P01]")
                if retryable && attempt < Self.writeAttempts { continue }
                throw failure
            } catch {
                // The caller's own refusal (a decision that is not final, a user who exists): the
                // transaction is rolled back before the connection goes back to the pool, or its
                // locks would stay held by an idle connection.
                if !committing { _ = try? run(connection, "ROLLBACK", []) }
                throw error
            }
        }
    }

    /// Runs one statement, mapping postgres-nio's errors into `StoreFailure`.
    fileprivate func run(_ connection: PostgresConnection, _ sql: String, _ arguments: [SQLValue]) throws -> PostgresQueryResult {
        var binds = PostgresBindings(capacity: arguments.count)
        for a in arguments {
            switch a {
            case .null: binds.appendNull()
            case .int(let i): binds.append(i)
            case .real(let d): binds.append(d)
            case .text(let s): binds.append(s)
            }
        }
        do {
            return try connection.query(PostgresQuery(unsafeSQL: Self.numbered(sql), binds: binds), logger: logger).wait()
        } catch let error as PSQLError {
            if let state = error.serverInfo?[.sqlState] {
                let message = "[\(state)] " + (error.serverInfo?[.message] ?? "") + (error.serverInfo?[.detail].map { " (\($0))" } ?? "")
                // Class 23: a constraint. Class 08 and 57P01-57P03: the connection ended (a lost
                // link, an administrator's pg_terminate_backend, a server shutting down or starting).
                let kind: StoreFailure.Kind = state.hasPrefix("23") ? .constraint
                    : state.hasPrefix("08") || ["57P01", "57P02", "57P03"].contains(state) ? .connection : .other
                // A connection that ended is closed here, so that the pool never hands it out again.
                if kind == .connection { Self.closeAndWait(connection) }
                throw StoreFailure(kind: kind, message: message)
            }
            Self.closeAndWait(connection)
            throw StoreFailure(kind: .connection, message: "\(url.display): \(Self.describe(error))")
        } catch {
            Self.closeAndWait(connection)
            throw StoreFailure(kind: .connection, message: "\(url.display): \(Self.describe(error))")
        }
    }

    static func describe(_ error: any Error) -> String {
        if let e = error as? PSQLError {
            if let message = e.serverInfo?[.message] { return message }
            if let underlying = e.underlying { return "\(e.code): \(underlying)" }
            return "\(e.code)"
        }
        return "\(error)"
    }

    /// `?` placeholders as PostgreSQL's `$1, $2, ...`, leaving quoted text alone.
    static func numbered(_ sql: String) -> String {
        guard sql.contains("?") else { return sql }
        var out = ""
        out.reserveCapacity(sql.utf8.count + 16)
        var n = 0
        var quoted = false
        for c in sql {
            if c == "'" { quoted.toggle() }
            if c == "?" && !quoted { n += 1; out += "$\(n)" } else { out.append(c) }
        }
        return out
    }

    /// After a large import, the tables are vacuumed and analysed at once rather than when
    /// autovacuum comes round. Statistics: at a million persons, searches right after an import
    /// without them had a p95 of 195 ms, with them 35 ms. The vacuum marks the new pages all-visible,
    /// so that the search keys are read from the index alone (else every key is checked in the
    /// table): search p95 about 31 ms before it, 27 ms after (3.5 s at a million persons; see
    /// docs/benchmarks.md). VACUUM cannot run in a transaction, so it runs on a connection of its
    /// own. A failure only leaves this to autovacuum.
    func settle() {
        guard let connection = try? acquire() else { return }
        defer { release(connection) }
        _ = try? run(connection, "VACUUM (ANALYZE) " + Registry.copiedTables.map(\.table).joined(separator: ", "), [])
    }

    func answers() -> Bool {
        (try? read { s in try s.int("SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = 'person'") }) == 1
    }

    /// Every record's references resolve and every count kept by the triggers equals the table's
    /// (PostgreSQL checks its own pages; `amcheck` is the administrator's tool).
    func isIntact() throws -> Bool {
        try read { s in
            for table in Registry.countedTables {
                guard try s.int("SELECT COUNT(*) FROM \(table)") == s.int("SELECT count FROM recordCount WHERE tableName = ?", [.text(table)]) else { return false }
            }
            return true
        }
    }

    // MARK: schema

    /// Named migrations, in order, recorded in `winnowMigration`. A shipped migration is never
    /// edited: a change is a new one. The first creates the schema that SQLite's seven migrations
    /// (`SQLiteStore.migrator`) reach; later ones follow both lists in step.
    static let migrations: [(name: String, sql: [String])] = [
        ("2026-12-02 registry schema (as SQLite's migrations up to 2026-12-02 record counts)", schema),
        ("2026-12-03 the server's own records: tokens, users, the access log", [
            "CREATE TABLE serverRecordSet (kind \(text) PRIMARY KEY, version BIGINT NOT NULL)",
            "CREATE TABLE serverRecord (kind \(text) NOT NULL, position BIGINT NOT NULL, body \(text) NOT NULL, PRIMARY KEY (kind, position))",
            "CREATE TABLE accessEntry (seq BIGSERIAL PRIMARY KEY, target \(text) NOT NULL, body \(text) NOT NULL)",
            "CREATE INDEX accessEntry_target ON accessEntry (target)",
        ]),
        ("2026-12-03 the shared decision log: entries, checkpoints, its head, the requests screened",
         SharedLogRows.schema(text: text, integer: "BIGINT")),
        ("2026-12-03 the desk's cases", [ServerRecords.deskCaseTable(text: text, integer: "BIGINT")]),
        ("2026-12-03 the desk's sessions", [ServerRecords.deskSessionTable(text: text, real: "DOUBLE PRECISION")]),
        ("2026-12-03 the desk's failed sign-ins", ServerRecords.signInFailureTable(text: text, real: "DOUBLE PRECISION", serial: "BIGSERIAL PRIMARY KEY")),
    ]

    /// Text compares byte by byte, as in SQLite, whatever the database's locale: the same order of
    /// ids, dates and names on both stores.
    private static let text = "TEXT COLLATE \"C\""

    private static var schema: [String] {
        let t = text
        var statements = [
            "CREATE TABLE person (id \(t) PRIMARY KEY, birthDate \(t), nationalities \(t) NOT NULL DEFAULT '', profession \(t), recordedFrom \(t), source \(t))",
            // `rowid` keeps the order in which names were written (the primary name first), as SQLite's rowid does.
            "CREATE TABLE personName (rowid BIGSERIAL PRIMARY KEY, personId \(t) NOT NULL REFERENCES person(id) ON DELETE CASCADE, name \(t) NOT NULL, script \(t), kind \(t) NOT NULL)",
            "CREATE INDEX personName_personId ON personName (personId)",
            "CREATE TABLE nameKey (key \(t) NOT NULL, personId \(t) NOT NULL REFERENCES person(id) ON DELETE CASCADE, PRIMARY KEY (key, personId))",
            "CREATE INDEX nameKey_person ON nameKey (personId)",
            "CREATE TABLE relation (personId \(t) NOT NULL REFERENCES person(id) ON DELETE CASCADE, relatedId \(t) NOT NULL REFERENCES person(id) ON DELETE CASCADE, relation \(t) NOT NULL)",
            "CREATE INDEX relation_personId ON relation (personId)",
            "CREATE INDEX relation_relatedId ON relation (relatedId)",
            """
            CREATE TABLE protection (id \(t) PRIMARY KEY, personId \(t) NOT NULL REFERENCES person(id) ON DELETE CASCADE, kind \(t) NOT NULL,
                grantingState \(t) NOT NULL, againstState \(t), granted \(t) NOT NULL, ended \(t), reference \(t))
            """,
            "CREATE INDEX protection_personId ON protection (personId)",
            "CREATE TABLE organisation (id \(t) PRIMARY KEY, name \(t) NOT NULL, kind \(t), controllingState \(t), recordedFrom \(t))",
            """
            CREATE TABLE domesticCase (id \(t) PRIMARY KEY, number \(t) NOT NULL, authority \(t), kind \(t) NOT NULL, status \(t) NOT NULL,
                outcome \(t), opened \(t) NOT NULL, closed \(t), summary \(t))
            """,
            """
            CREATE TABLE caseParty (rowid BIGSERIAL PRIMARY KEY, caseId \(t) NOT NULL REFERENCES domesticCase(id) ON DELETE CASCADE,
                personId \(t) REFERENCES person(id) ON DELETE CASCADE, organisationId \(t) REFERENCES organisation(id) ON DELETE CASCADE,
                role \(t) NOT NULL, actedFor \(t))
            """,
            "CREATE INDEX caseParty_caseId ON caseParty (caseId)",
            "CREATE INDEX caseParty_personId ON caseParty (personId)",
            "CREATE INDEX caseParty_organisationId ON caseParty (organisationId)",
            """
            CREATE TABLE priorRequest (id \(t) PRIMARY KEY, reference \(t) NOT NULL, instrument \(t) NOT NULL, requestingState \(t) NOT NULL,
                received \(t) NOT NULL, subjectId \(t) REFERENCES person(id) ON DELETE SET NULL, decision \(t) NOT NULL, decisionDate \(t), grounds \(t))
            """,
            "CREATE INDEX priorRequest_subjectId ON priorRequest (subjectId)",
            """
            CREATE TABLE priorRequestCase (rowid BIGSERIAL PRIMARY KEY, requestId \(t) NOT NULL REFERENCES priorRequest(id) ON DELETE CASCADE,
                number \(t) NOT NULL, normalized \(t) NOT NULL, state \(t))
            """,
            "CREATE INDEX priorRequestCase_requestId ON priorRequestCase (requestId)",
            "CREATE INDEX priorRequestCase_normalized ON priorRequestCase (normalized)",
            """
            CREATE TABLE interpolAction (id \(t) PRIMARY KEY, personId \(t) NOT NULL REFERENCES person(id) ON DELETE CASCADE, kind \(t) NOT NULL,
                state \(t) NOT NULL, action \(t) NOT NULL, date \(t) NOT NULL, reference \(t))
            """,
            "CREATE INDEX interpolAction_personId ON interpolAction (personId)",
            "CREATE TABLE keyStat (key \(t) PRIMARY KEY, count BIGINT NOT NULL)",
            """
            CREATE TABLE personEvent (id \(t) PRIMARY KEY, personId \(t) NOT NULL REFERENCES person(id) ON DELETE CASCADE, kind \(t) NOT NULL,
                date \(t) NOT NULL, body \(t), state \(t), description \(t), reference \(t))
            """,
            "CREATE INDEX personEvent_personId ON personEvent (personId)",
            // Every report states the registry's counts: triggers keep them in the writing transaction.
            // Once per statement, by the rows it wrote: a trigger for each row would update the one
            // counter row a million times in an import's transaction, each update slower than the
            // last (its versions pile up until the transaction ends).
            "CREATE TABLE recordCount (tableName \(t) PRIMARY KEY, count BIGINT NOT NULL)",
            """
            CREATE FUNCTION winnow_count_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                UPDATE recordCount SET count = count + (SELECT COUNT(*) FROM inserted) WHERE tableName = TG_ARGV[0];
                RETURN NULL;
            END $$
            """,
            """
            CREATE FUNCTION winnow_count_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                UPDATE recordCount SET count = count - (SELECT COUNT(*) FROM deleted) WHERE tableName = TG_ARGV[0];
                RETURN NULL;
            END $$
            """,
        ]
        for table in Registry.countedTables {
            statements.append("INSERT INTO recordCount (tableName, count) VALUES ('\(table)', 0)")
            statements.append("CREATE TRIGGER \(table)_counted_insert AFTER INSERT ON \(table) REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION winnow_count_inserted('\(table)')")
            statements.append("CREATE TRIGGER \(table)_counted_delete AFTER DELETE ON \(table) REFERENCING OLD TABLE AS deleted FOR EACH STATEMENT EXECUTE FUNCTION winnow_count_deleted('\(table)')")
        }
        return statements
    }

    /// Runs the migrations not yet applied, in one transaction under an advisory lock, so that many
    /// processes starting at once migrate a new database exactly once.
    private func migrate(migrating: (@Sendable (_ migrations: [String], _ persons: Int) -> Void)?) throws {
        let connection = try acquire()
        defer { release(connection) }
        let session = PostgresSession(store: self, connection: connection)
        try session.execute("BEGIN")
        do {
            try session.execute("SELECT pg_advisory_xact_lock(hashtext('winnow registry migration ' || current_schema()))")
            try session.execute("CREATE TABLE IF NOT EXISTS winnowMigration (identifier TEXT COLLATE \"C\" PRIMARY KEY, applied TEXT NOT NULL)")
            let applied = Set(try session.strings("SELECT identifier FROM winnowMigration"))
            let pending = Self.migrations.filter { !applied.contains($0.name) }
            if !pending.isEmpty, let migrating, !applied.isEmpty {
                migrating(pending.map(\.name), try session.int("SELECT count FROM recordCount WHERE tableName = 'person'") ?? 0)
            }
            for m in pending {
                for statement in m.sql { try session.execute(statement) }
                try session.execute("INSERT INTO winnowMigration (identifier, applied) VALUES (?, ?)",
                                    [.text(m.name), .text(ISO8601DateFormatter().string(from: Date()))])
            }
            try session.execute("COMMIT")
        } catch {
            _ = try? run(connection, "ROLLBACK", [])
            throw error
        }
    }
}

/// A PostgreSQL connection inside a transaction, as a `SQLSession`.
struct PostgresSession: SQLSession {
    let store: PostgresStore
    let connection: PostgresConnection

    func rows(_ sql: String, _ arguments: [SQLValue]) throws -> [SQLRow] {
        let result = try store.run(connection, sql, arguments)
        var out: [SQLRow] = []
        var columns: SQLColumns?
        for row in result.rows {
            if columns == nil { columns = SQLColumns(row.map(\.columnName)) }
            var values: [SQLValue] = []
            values.reserveCapacity(row.count)
            for cell in row {
                guard cell.bytes != nil else { values.append(.null); continue }
                switch cell.dataType {
                case .int2, .int4, .int8, .oid: values.append(.int(try cell.decode(Int.self)))
                case .bool: values.append(.int(try cell.decode(Bool.self) ? 1 : 0))
                case .float4, .float8: values.append(.real(try cell.decode(Double.self)))
                default: values.append(.text(try cell.decode(String.self)))
                }
            }
            out.append(SQLRow(columns: columns!, values: values))
        }
        return out
    }

    func execute(_ sql: String, _ arguments: [SQLValue]) throws {
        _ = try store.run(connection, sql, arguments)
    }

    /// Many rows per statement (a round trip per row would make a million-person import take hours),
    /// within PostgreSQL's limit of 65,535 parameters per statement.
    func insert(into table: String, columns: [String], rows: [[SQLValue]], ignoringConflicts: Bool) throws {
        guard !rows.isEmpty else { return }
        let perStatement = max(1, 30_000 / columns.count)
        var start = 0
        while start < rows.count {
            let chunk = rows[start..<min(rows.count, start + perStatement)]
            let tuple = "(" + placeholders(columns.count) + ")"
            let sql = "INSERT INTO \(table) (\(columns.joined(separator: ", "))) VALUES "
                + Array(repeating: tuple, count: chunk.count).joined(separator: ",")
                + (ignoringConflicts ? " ON CONFLICT DO NOTHING" : "")
            try execute(sql, Array(chunk.joined()))
            start += perStatement
        }
    }
}
