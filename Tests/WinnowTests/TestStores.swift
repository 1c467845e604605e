import Foundation
import Synchronization
import Testing
@testable import Winnow
@testable import WinnowRegistry
import WinnowModel

/// The PostgreSQL server the registry suite also runs against: `WINNOW_TEST_POSTGRES`, a
/// `postgres://USER@HOST[:PORT]/DB` address (`.ci/run` starts one on loopback and sets it).
let postgresTestAddress: String? = {
    let value = ProcessInfo.processInfo.environment["WINNOW_TEST_POSTGRES"] ?? ""
    return value.isEmpty ? nil : value
}()

let postgresSkipReason: Comment = "WINNOW_TEST_POSTGRES is not set: the PostgreSQL half of the registry suite is skipped (.ci/run starts a server and sets it)"

/// A registry store the registry suite runs against: every test taking a `TestStore` runs once
/// for each one available.
enum TestStore: String, Sendable, CustomTestStringConvertible {
    case sqlite, postgres

    /// SQLite always; PostgreSQL when `WINNOW_TEST_POSTGRES` names a server.
    static let available: [TestStore] = postgresTestAddress == nil ? [.sqlite] : [.sqlite, .postgres]

    var testDescription: String { rawValue }

    /// The address of a new, empty registry: a file in `dir`, or a schema of its own on the test
    /// server (so that tests running in parallel never see each other's records).
    func address(in dir: TempDir?) -> String {
        switch self {
        case .sqlite:
            return dir!.url.appendingPathComponent("r-\(UUID().uuidString.prefix(8)).sqlite").path
        case .postgres:
            let schema = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16)
            let base = postgresTestAddress!
            return base + (base.contains("?") ? "&" : "?") + "schema=\(schema)"
        }
    }

    /// A new, empty registry on this store.
    func registry(in dir: TempDir) throws -> Registry {
        try Registry.open(path: address(in: dir))
    }

    /// The demo registry on this store: in memory for SQLite (as most tests use it), in a schema of
    /// its own on PostgreSQL.
    func demo() throws -> Registry {
        let registry = try empty()
        try registry.importFile(demoRegistryPath)
        return registry
    }

    /// A new, empty registry: in memory for SQLite, in a schema of its own on PostgreSQL.
    func empty() throws -> Registry {
        switch self {
        case .sqlite: try Registry.inMemory()
        case .postgres: try Registry.open(path: address(in: nil))
        }
    }
}

@Suite("Registry stores")
struct RegistryStoreTests {
    @Test("PostgreSQL: the registry suite runs against a real server", .enabled(if: postgresTestAddress != nil, postgresSkipReason))
    func postgresReachable() throws {
        let registry = try TestStore.postgres.demo()
        #expect(registry.backend == "postgresql")
        #expect(registry.answers())
        #expect(try registry.isIntact())
        #expect(registry.location.hasPrefix("postgres://") && registry.location.contains("?schema=t_"))
    }

    @Test("PostgreSQL: a copy (as a large import) ends with the tables vacuumed and analysed, so that searches read the keys from the index alone",
          .enabled(if: postgresTestAddress != nil, postgresSkipReason))
    func settledAfterImport() throws {
        let registry = try TestStore.postgres.empty()
        _ = try TestStore.sqlite.demo().copy(into: registry)
        let settled = try registry.store.read { s in
            try s.strings("""
                SELECT relname FROM pg_stat_user_tables WHERE schemaname = current_schema()
                AND last_vacuum IS NOT NULL AND last_analyze IS NOT NULL ORDER BY relname
                """)
        }
        for table in ["namekey", "person", "personname", "keystat"] { #expect(settled.contains(table), "\(table): \(settled)") }
    }

    @Test("a PostgreSQL database or schema with no registry is refused as a missing SQLite file is; --create-registry makes one",
          .enabled(if: postgresTestAddress != nil, postgresSkipReason))
    func postgresMissing() throws {
        let address = TestStore.postgres.address(in: nil)
        let screen = try runWinnow(["screen", "SampleRequests/eaw-pl-theft.json", "--registry", address])
        #expect(screen.status == 2)
        #expect(screen.stderr.contains("no registry in this database (or schema)"), "\(screen.stderr)")
        let created = try runWinnow(["screen", "SampleRequests/eaw-pl-theft.json", "--registry", address, "--create-registry", "--format", "json"])
        #expect(created.status == 0, "\(created.stderr)")
        #expect(created.stdout.contains("holds no records"))
        #expect(try runWinnow(["screen", "SampleRequests/eaw-pl-theft.json", "--registry", address]).status == 0)
    }

    @Test("? placeholders become $1, $2, ... outside quoted text")
    func numbered() {
        #expect(PostgresStore.numbered("SELECT '?' || name FROM t WHERE a = ? AND b IN (?, ?)") == "SELECT '?' || name FROM t WHERE a = $1 AND b IN ($2, $3)")
        #expect(PostgresStore.numbered("SELECT 1") == "SELECT 1")
    }

    @Test("a PostgreSQL address is read in full, printed without its password, and refused with a reason when malformed")
    func addresses() throws {
        let url = try PostgresURL("postgres://winnow:s3cret@db.example:5433/registry?schema=ministry")
        #expect(url.user == "winnow" && url.password == "s3cret" && url.host == "db.example" && url.port == 5433)
        #expect(url.database == "registry" && url.schema == "ministry")
        #expect(url.display == "postgres://winnow@db.example:5433/registry?schema=ministry")
        #expect(!Registry.displayed("postgres://winnow:s3cret@db.example/registry").contains("s3cret"))
        #expect(throws: StoreFailure.self) { try PostgresURL("postgres://db.example/registry") }
        #expect(throws: StoreFailure.self) { try PostgresURL("postgres://u@db.example/") }
        #expect(throws: StoreFailure.self) { try PostgresURL("postgres://u@db.example/r?schema=Robert'); DROP TABLE person;--") }
        #expect(throws: StoreFailure.self) { try PostgresURL("postgres://u@db.example/r?sslmode=require") }
    }

    @Test("a server that does not answer is a clear error, not a hang")
    func unreachable() throws {
        // Port 1 on loopback: nothing listens there, the connection is refused at once.
        #expect { try Registry.open(path: "postgres://winnow@127.0.0.1:1/registry") } throws: {
            "\($0)".contains("cannot connect to the registry postgres://winnow@127.0.0.1:1/registry")
        }
    }
}

@Suite("Registry copy and many writers")
struct RegistrySharingTests {
    @Test("registry copy: SQLite to SQLite keeps every row, checked by counts and digest; a non-empty target is refused")
    func copySQLite() throws {
        let dir = try TempDir()
        let from = TestStore.sqlite.address(in: dir), to = TestStore.sqlite.address(in: dir)
        #expect(try runWinnow(["registry", "import", demoRegistryPath, "--registry", from]).status == 0)
        #expect(try runWinnow(["screen", "SampleRequests/interpol-red-notice-ru-activist.xml", "--registry", from, "--record"]).status == 0)
        let copied = try runWinnow(["registry", "copy", from, to])
        #expect(copied.status == 0, "\(copied.stderr)")
        let source = try Registry.open(path: from).contentDigest(), target = try Registry.open(path: to).contentDigest()
        #expect(source.digest == target.digest && source.counts == target.counts)
        #expect(copied.stdout.contains("7 person, ") && copied.stdout.contains(source.digest))
        let again = try runWinnow(["registry", "copy", from, to])
        #expect(again.status == 2 && again.stderr.contains("is not empty"))
        #expect(try Registry.open(path: to).contentDigest().digest == source.digest, "the refused copy wrote nothing")
    }

    @Test("registry copy: SQLite to PostgreSQL and back gives the same rows, the same search answers and the same reports",
          .enabled(if: postgresTestAddress != nil, postgresSkipReason))
    func copyAcross() throws {
        let dir = try TempDir()
        let sqlite = TestStore.sqlite.address(in: dir), postgres = TestStore.postgres.address(in: dir), back = TestStore.sqlite.address(in: dir)
        #expect(try runWinnow(["registry", "import", demoRegistryPath, "--registry", sqlite]).status == 0)
        #expect(try runWinnow(["screen", "SampleRequests/interpol-red-notice-ru-activist.xml", "--registry", sqlite, "--record"]).status == 0)
        #expect(try runWinnow(["registry", "copy", sqlite, postgres]).status == 0)
        #expect(try runWinnow(["registry", "copy", postgres, back]).status == 0)
        let a = try Registry.open(path: sqlite), b = try Registry.open(path: postgres), c = try Registry.open(path: back)
        #expect(try a.contentDigest() == b.contentDigest())
        #expect(try a.contentDigest() == c.contentDigest())
        #expect(try a.exportJSON() == b.exportJSON())
        for name in ["Dana Temirkhanova", "Темирханова Дана", "Nurlan", "Ivan Petrov"] {
            #expect(try a.search(name, includeNonMatches: true) == b.search(name, includeNonMatches: true), "\(name)")
        }
        // The same report from either store, apart from where the registry lives.
        for sample in ["mla-kz-refugee-lawyer-search.json", "interpol-red-notice-ru-activist.xml"] {
            let fromA = try screenSample(sample, screener: Screener(pack: shippedPack, asOf: testToday, registry: a))
            let fromB = try screenSample(sample, screener: Screener(pack: shippedPack, asOf: testToday, registry: b))
            #expect(fromA.score == fromB.score && fromA.band == fromB.band)
            #expect(fromA.findings.map(\.rule) == fromB.findings.map(\.rule))
            #expect(fromA.findings.flatMap { $0.evidence.map(\.quote) } == fromB.findings.flatMap { $0.evidence.map(\.quote) })
        }
    }

    @Test("8 processes recording requests into one PostgreSQL registry at once lose nothing and duplicate nothing",
          .enabled(if: postgresTestAddress != nil, postgresSkipReason))
    func manyWriters() async throws {
        let dir = try TempDir()
        let address = TestStore.postgres.address(in: dir)
        _ = try Registry.open(path: address)   // created and migrated once, as a deployment would
        let lanes = 8, perLane = 5
        var files: [[String]] = Array(repeating: [], count: lanes)
        for i in 0..<(lanes * perLane) {
            files[i % lanes].append(try dir.write("r\(i).json", try String(contentsOfFile: Paths.sample("eaw-pl-theft.json"), encoding: .utf8).replacingOccurrences(of: "DE-EAW-2025-1102", with: "DE-EAW-2025-\(3000 + i)")))
        }
        let statuses = await withTaskGroup(of: [Int32].self) { group in
            for lane in files {
                group.addTask {
                    lane.map { file in (try? runWinnow(["screen", file, "--registry", address, "--record", "--format", "json"]))?.status ?? 99 }
                }
            }
            return await group.reduce(into: []) { $0 += $1 }
        }
        #expect(statuses.count == lanes * perLane && statuses.allSatisfy { $0 == 0 }, "\(statuses)")
        let registry = try Registry.open(path: address)
        #expect(try registry.counts()["priorRequest"] == lanes * perLane)
        #expect(try registry.isIntact(), "the counts kept by triggers equal the tables'")
        let distinct = try registry.store.read { s in
            (try s.int("SELECT COUNT(DISTINCT reference) FROM priorRequest"), try s.int("SELECT COUNT(*) FROM priorRequestCase"))
        }
        #expect(distinct.0 == lanes * perLane)
        #expect(distinct.1 == lanes * perLane, "each request's case number once")
    }

    @Test("a write that its caller refuses is rolled back whole: nothing of it is committed by the next write on the same connection",
          arguments: TestStore.available)
    func refusedWriteRolledBack(_ store: TestStore) throws {
        struct Refused: Error {}
        let registry = try store.empty()
        try registry.store.write { s in try s.execute("CREATE TABLE probe (id INTEGER PRIMARY KEY, n INTEGER NOT NULL)") }
        #expect(throws: Refused.self) {
            try registry.store.write { s in
                try s.execute("INSERT INTO probe VALUES (1, 1)")
                throw Refused()
            }
        }
        // The pool hands the same connection to the next writer: had the refused transaction stayed
        // open on it, this COMMIT would store its row too, and its lock would have held until now.
        try registry.store.write { s in try s.execute("INSERT INTO probe VALUES (2, 2)") }
        #expect(try registry.store.read { s in try s.rows("SELECT id FROM probe ORDER BY id").map { $0.int("id") } } == [2])
    }

    @Test("two writers that deadlock: PostgreSQL aborts one, its transaction runs again from the start and commits",
          .enabled(if: postgresTestAddress != nil, postgresSkipReason))
    func deadlockRetried() throws {
        let registry = try TestStore.postgres.empty()
        try registry.store.write { s in
            try s.execute("CREATE TABLE probe (id INTEGER PRIMARY KEY, n INTEGER NOT NULL)")
            try s.execute("INSERT INTO probe VALUES (1, 0), (2, 0)")
        }
        // Each writer takes one row, waits until the other holds the other row, then asks for it.
        let holding = [DispatchSemaphore(value: 0), DispatchSemaphore(value: 0)]
        let attempts = Tally(2), failures = Tally(2)
        let done = DispatchGroup()
        for me in 0..<2 {
            DispatchQueue.global().async(group: done) {
                let other = 1 - me
                do {
                    try registry.store.write { s in
                        let attempt = attempts.add(1, at: me)
                        try s.execute("SET LOCAL deadlock_timeout = '20ms'")
                        try s.execute("UPDATE probe SET n = n + 1 WHERE id = ?", [.int(me + 1)])
                        if attempt == 1 {
                            holding[me].signal()
                            _ = holding[other].wait(timeout: .now() + 20)
                        }
                        try s.execute("UPDATE probe SET n = n + 1 WHERE id = ?", [.int(other + 1)])
                    }
                } catch {
                    failures.add(1, at: me)
                }
            }
        }
        done.wait()
        #expect(failures.values == [0, 0], "neither writer failed")
        let counts = try registry.store.read { s in try s.rows("SELECT n FROM probe ORDER BY id").map { $0.int("n") } }
        #expect(counts == [2, 2], "both transactions committed whole, once each")
        let tries = attempts.values
        #expect(tries.sorted() == [1, 2], "one writer was chosen as the deadlock's victim and ran again: \(tries)")
    }

    @Test("a connection the server drops is replaced: the next read is answered", .enabled(if: postgresTestAddress != nil, postgresSkipReason))
    func droppedConnection() throws {
        let dir = try TempDir()
        let app = "winnow_test_" + UUID().uuidString.prefix(8).lowercased()
        let address = TestStore.postgres.address(in: dir) + "&application_name=\(app)"
        let registry = try Registry.open(path: address)
        try registry.importFile(demoRegistryPath)
        #expect(try registry.search("Dana Temirkhanova").first?.id == "P-0001")
        // Another connection ends every one of this registry's (an administrator, a restart, a proxy's timeout).
        let admin = try Registry.open(path: TestStore.postgres.address(in: dir))
        let ended = try admin.store.read { s in
            try s.int("SELECT COUNT(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = ?", [.text(app)])
        }
        #expect(ended ?? 0 >= 1)
        #expect(try registry.search("Dana Temirkhanova").first?.id == "P-0001")
        #expect(try registry.counts()["person"] == 6)
    }
}

/// Counts kept from several threads.
final class Tally: Sendable {
    private let counts: Mutex<[Int]>
    init(_ n: Int) { counts = Mutex(Array(repeating: 0, count: n)) }
    var values: [Int] { counts.withLock { $0 } }
    @discardableResult
    func add(_ k: Int, at i: Int) -> Int { counts.withLock { $0[i] += k; return $0[i] } }
}
