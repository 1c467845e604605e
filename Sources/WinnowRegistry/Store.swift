import Foundation

// The registry's one storage interface. The registry's queries are written once, in the SQL that
// SQLite and PostgreSQL share (`?` placeholders, `ON CONFLICT`, `||`, `COALESCE`, unquoted
// identifiers), and run through a `RegistryStore`: `SQLiteStore` (GRDB, the embedded default) or
// `PostgresStore` (postgres-nio, the shared registry). Nothing outside this module sees SQL or
// knows which store it talks to. What the two dialects do not share (schema, migrations,
// checkpoints, integrity checks) is each store's own.

/// A value bound into or read out of the registry's SQL.
enum SQLValue: Sendable, Hashable {
    case null
    case int(Int)
    case real(Double)
    case text(String)

    init(_ string: String?) { self = string.map(SQLValue.text) ?? .null }

    var string: String? {
        switch self {
        case .text(let s): s
        case .int(let i): String(i)
        case .real(let d): String(d)
        case .null: nil
        }
    }

    var real: Double? {
        switch self {
        case .real(let d): d
        case .int(let i): Double(i)
        case .text(let s): Double(s)
        case .null: nil
        }
    }

    var int: Int? {
        switch self {
        case .int(let i): i
        case .real(let d): Int(d)
        case .text(let s): Int(s)
        case .null: nil
        }
    }
}

extension SQLValue: ExpressibleByStringLiteral {
    init(stringLiteral value: String) { self = .text(value) }
}

/// The column names of a result, shared by its rows. PostgreSQL folds unquoted identifiers to lower
/// case and SQLite keeps them as written: rows are read by name in either case.
final class SQLColumns: Sendable {
    let index: [String: Int]
    init(_ names: [String]) {
        var index: [String: Int] = [:]
        for (i, name) in names.enumerated() where index[name.lowercased()] == nil { index[name.lowercased()] = i }
        self.index = index
    }
}

/// One row of a result.
struct SQLRow: Sendable {
    let columns: SQLColumns
    let values: [SQLValue]

    subscript(_ i: Int) -> SQLValue { values[i] }

    subscript(_ name: String) -> SQLValue {
        guard let i = columns.index[name.lowercased()] else { return .null }
        return values[i]
    }

    /// The text in column `name`, or nil for NULL.
    func string(_ name: String) -> String? { self[name].string }

    /// The text in a NOT NULL column.
    func text(_ name: String) throws -> String {
        guard let s = self[name].string else { throw StoreFailure(kind: .other, message: "column \(name) is NULL where a value is required") }
        return s
    }

    func int(_ name: String) -> Int { self[name].int ?? 0 }
}

/// What went wrong in a store, in terms both backends share.
struct StoreFailure: Error, CustomStringConvertible {
    enum Kind { case constraint, connection, other }
    var kind: Kind
    var message: String
    var description: String { message }
}

/// A connection inside a transaction (or a read snapshot).
protocol SQLSession {
    /// Runs `sql` with `arguments` in place of its `?` and returns every row.
    func rows(_ sql: String, _ arguments: [SQLValue]) throws -> [SQLRow]
    func execute(_ sql: String, _ arguments: [SQLValue]) throws
    /// Inserts `rows` into `table`; `ignoringConflicts` skips a row that a unique key already holds.
    func insert(into table: String, columns: [String], rows: [[SQLValue]], ignoringConflicts: Bool) throws
}

extension SQLSession {
    func rows(_ sql: String) throws -> [SQLRow] { try rows(sql, []) }
    func execute(_ sql: String) throws { try execute(sql, []) }
    /// The first column of every row, as text (NULLs left out).
    func strings(_ sql: String, _ arguments: [SQLValue] = []) throws -> [String] {
        try rows(sql, arguments).compactMap { $0[0].string }
    }
    func int(_ sql: String, _ arguments: [SQLValue] = []) throws -> Int? {
        try rows(sql, arguments).first?[0].int
    }
    func insert(into table: String, columns: [String], rows: [[SQLValue]]) throws {
        try insert(into: table, columns: columns, rows: rows, ignoringConflicts: false)
    }
}

/// `n` placeholders separated by commas, for `IN (...)`.
func placeholders(_ n: Int) -> String { Array(repeating: "?", count: n).joined(separator: ",") }

/// Where a registry's records live, and how to read and write them.
protocol RegistryStore: Sendable {
    /// Runs `body` on a consistent snapshot.
    func read<T>(_ body: (any SQLSession) throws -> T) throws -> T
    /// Runs `body` in one transaction: all of it is written, or none. `body` may run more than once
    /// (PostgreSQL runs a transaction again after a deadlock, a serialization failure or a connection
    /// lost before COMMIT), so it changes nothing outside the session.
    func write<T>(_ body: (any SQLSession) throws -> T) throws -> T
    /// After a large import: SQLite copies its write-ahead log into the database file.
    func settle()
    /// The store opens and answers a cheap read of its schema (a readiness probe).
    func answers() -> Bool
    /// The store's own full consistency check.
    func isIntact() throws -> Bool
    /// Which backend, for `registry show` and the benchmarks.
    var backend: String { get }
}

/// Splits `postgres://USER[:PASSWORD]@HOST[:PORT]/DB[?schema=NAME]` into its parts, and says how to
/// print it without the password.
struct PostgresURL: Sendable, Equatable {
    var user: String
    var password: String?
    var host: String
    var port: Int
    var database: String
    var schema: String?
    var sslmode: String?
    /// Shown in `pg_stat_activity`, so that an administrator sees which connections are Winnow's.
    var applicationName = "winnow"

    static func isPostgres(_ s: String) -> Bool { s.hasPrefix("postgres://") || s.hasPrefix("postgresql://") }

    init(_ s: String) throws {
        guard Self.isPostgres(s), let url = URLComponents(string: s) else {
            throw StoreFailure(kind: .other, message: "\(s): not a postgres://USER@HOST/DB address")
        }
        guard let user = url.user, !user.isEmpty else { throw StoreFailure(kind: .other, message: "\(Self.redacted(s)): the address names no user (postgres://USER@HOST/DB)") }
        let database = String(url.path.dropFirst())
        guard !database.isEmpty else { throw StoreFailure(kind: .other, message: "\(Self.redacted(s)): the address names no database (postgres://USER@HOST/DB)") }
        self.user = user
        self.password = url.password
        self.host = url.host.flatMap { $0.isEmpty ? nil : $0 } ?? "127.0.0.1"
        self.port = url.port ?? 5432
        self.database = database
        for item in url.queryItems ?? [] {
            switch item.name {
            case "schema":
                guard let v = item.value, v.range(of: "^[a-z_][a-z0-9_]{0,62}$", options: .regularExpression) != nil else {
                    throw StoreFailure(kind: .other, message: "\(Self.redacted(s)): schema must be a lower-case SQL name (letters, digits, _)")
                }
                schema = v
            case "sslmode": sslmode = item.value
            case "application_name": applicationName = item.value ?? applicationName
            default: throw StoreFailure(kind: .other, message: "\(Self.redacted(s)): unknown parameter \"\(item.name)\" (known: schema, sslmode, application_name)")
            }
        }
        if let mode = sslmode, mode != "disable" {
            throw StoreFailure(kind: .other, message: "\(Self.redacted(s)): sslmode=\(mode) is not supported; connect on loopback or a private network, or through a TLS tunnel (docs/registry.md)")
        }
    }

    /// The address as printed in reports and logs: never the password.
    var display: String {
        "postgres://\(user)@\(host)\(port == 5432 ? "" : ":\(port)")/\(database)" + (schema.map { "?schema=\($0)" } ?? "")
    }

    static func redacted(_ s: String) -> String {
        s.replacingOccurrences(of: #"(://[^:/@]+):[^@]*@"#, with: "$1:***@", options: .regularExpression)
    }
}
