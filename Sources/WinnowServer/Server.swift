public import Foundation
public import Hummingbird
public import Logging
import ServiceLifecycle
#if canImport(Glibc)
import Glibc
#endif
import Synchronization
public import Winnow
import WinnowIntake
public import WinnowRegistry
public import WinnowLog

/// How `winnow serve` runs.
public struct ServerConfiguration: Sendable {
    public var host = "127.0.0.1"
    public var port = 8080
    /// The server's own folder: the SQLite registry (unless `registryPath`), tokens, the access log.
    public var dataFolder: URL
    /// A registry elsewhere (SQLite file), instead of `registry.sqlite` in the data folder.
    public var registryPath: String?
    /// A database (a `postgres://` address, or a SQLite file) that keeps the API tokens, the desk's
    /// users and the access log instead of the data folder, so that several servers share them.
    /// It may be the registry's own address.
    public var sharedStorePath: String?
    /// With a shared store, the file holding the decision log's signing key, the same on every
    /// server (default `DATA/log/log.key`; the first server to start creates it).
    public var logKeyPath: String?
    /// The largest request body accepted, as on the command line (8 MiB).
    public var maxBodyBytes = Intake.Limits().maxBytes
    /// Screenings at once; beyond, 503 with Retry-After.
    public var maxConcurrentScreens = ProcessInfo.processInfo.activeProcessorCount
    /// A connection idle this long (a client that stops sending) is closed.
    public var idleTimeoutSeconds: Int64 = 30
    /// A body must arrive whole within this many seconds, however steadily it trickles in.
    public var bodyReadSeconds = 30.0
    /// Requests one `POST /v1/batch` may carry.
    public var maxBatchItems = 100
    /// After a stop signal and the last answer, how long to let the answers leave before closing.
    public var drainSeconds = 1.0
    /// The longest a stop waits for requests in flight.
    public var maxDrainSeconds: Int64 = 60
    /// Mark the desk's cookies `Secure` (the server is reached over TLS, through a proxy). A request
    /// with `X-Forwarded-Proto: https` gets them so anyway.
    public var secureCookies = false
    /// bcrypt's cost for the desk's passwords (tests lower it).
    public var passwordCost: UInt8 = 12
    /// A desk session ends after this long without a request, or `sessionLifetime` in all.
    public var sessionIdleSeconds: Double = 30 * 60
    public var sessionLifetimeSeconds: Double = 10 * 3600

    public init(dataFolder: URL) {
        self.dataFolder = dataFolder
    }

    public var registryFile: String { registryPath ?? dataFolder.appendingPathComponent("registry.sqlite").path }
    public var logKeyFile: URL { logKeyPath.map { URL(fileURLWithPath: $0) } ?? dataFolder.appendingPathComponent("log/log.key") }
}

/// What the server keeps loaded: the pack with its profiles, the registry, tokens, logs, figures.
public struct ServerState: Sendable {
    public var configuration: ServerConfiguration
    public var pack: RulePack
    public var registry: Registry
    public var tokens: TokenStore
    public var access: AccessLog
    /// The tamper-evident log of screenings and decisions (`DATA/log`, or the shared store's),
    /// created with its signing key on first start.
    public var log: LogAppender
    /// Every request screened, kept by its SHA-256 (`DATA/requests`, or the shared store's), so
    /// that decisions can be audited.
    public var requests: RequestStore
    /// The desk: its users (`DATA/users.json`), sessions (in memory) and cases (`DATA/desk`); all
    /// three in the shared store when there is one.
    public var users: UserStore
    let sessions: SessionStore
    /// Failed sign-ins for one name (counted in the shared store when there is one, like the two below).
    let signInThrottle: SignInThrottle
    /// Failed sign-ins from one client (its address, or what a proxy on this machine forwards),
    /// whatever the names tried.
    let signInThrottleClient: SignInThrottle
    /// Failed sign-ins over all names: a guesser who varies the name is slowed too.
    let signInThrottleAll: SignInThrottle
    let desk: DeskStore
    public var metrics = ServerMetrics()
    let screening: ScreenLimiter
    let activity = Activity()

    /// Opens (and on first start creates) the data folder and its registry.
    /// `migrating`: see `Registry.open`; the registry is upgraded before the server listens.
    public init(configuration: ServerConfiguration, pack: RulePack,
                migrating: (@Sendable (_ migrations: [String], _ persons: Int) -> Void)? = nil) throws {
        try FileManager.default.createDirectory(at: configuration.dataFolder, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
        self.configuration = configuration
        self.pack = pack
        registry = try Registry.load(path: configuration.registryFile, create: configuration.registryPath == nil, migrating: migrating)
        let requestsFolder = configuration.dataFolder.appendingPathComponent("requests")
        let deskFolder = configuration.dataFolder.appendingPathComponent("desk")
        // With a shared store, every record below is kept there; `records` nil keeps them here.
        let records: ServerRecords?
        if let shared = configuration.sharedStorePath {
            // The registry's own connections when it is the same database.
            let database = shared == configuration.registryFile ? registry : try Registry.load(path: shared, create: true)
            records = ServerRecords(registry: database)
            // A server that moves to a shared store brings its log along rather than start a second
            // one beside it under the same key.
            let own = FileLogStorage(directory: configuration.dataFolder.appendingPathComponent("log"))
            if own.exists, try own.size() > 0, try SharedLogRows(registry: database).publicKey() == nil {
                throw LogError("\(own.location) holds this server's decision log and \(database.location) holds none: copy it there first with `winnow log copy \(own.location) ADDRESS`, so that the servers carry it on")
            }
            let (storage, _) = try SharedLogStorage.openOrCreate(database, keyFile: configuration.logKeyFile)
            log = LogAppender(shared: DecisionLog(storage: storage))
            requests = try RequestStore(folder: requestsFolder, shared: storage)
        } else {
            records = nil
            log = try LogAppender(folder: configuration.dataFolder.appendingPathComponent("log"))
            requests = try RequestStore(folder: requestsFolder)
        }
        tokens = records.map { TokenStore(shared: $0) } ?? TokenStore(folder: configuration.dataFolder)
        access = AccessLog(folder: configuration.dataFolder, shared: records)
        users = records.map { UserStore(shared: $0, cost: configuration.passwordCost) } ?? UserStore(folder: configuration.dataFolder, cost: configuration.passwordCost)
        desk = try DeskStore(folder: deskFolder, shared: records)
        sessions = SessionStore(idle: configuration.sessionIdleSeconds, lifetime: configuration.sessionLifetimeSeconds, shared: records)
        signInThrottle = SignInThrottle(shared: records)
        signInThrottleClient = SignInThrottle(limit: 20, shared: records)
        signInThrottleAll = SignInThrottle(limit: 100, shared: records)
        screening = ScreenLimiter(limit: configuration.maxConcurrentScreens)
    }
}

/// A cap on screenings running at once: beyond it a request is refused at once (503), never queued
/// without bound.
final class ScreenLimiter: Sendable {
    let limit: Int
    private let count = Mutex(0)
    init(limit: Int) { self.limit = max(1, limit) }

    /// Screenings running now (the `winnow_screenings_in_flight` gauge).
    var running: Int { count.withLock { $0 } }

    func tryEnter() -> Bool {
        count.withLock { r in
            guard r < limit else { return false }
            r += 1
            return true
        }
    }
    func leave() { count.withLock { $0 -= 1 } }
}

/// Requests being answered, and whether the server is stopping (then it reports not ready).
final class Activity: Sendable {
    private let state = Mutex<(inFlight: Int, draining: Bool)>((0, false))
    var inFlight: Int { state.withLock { $0.inFlight } }
    var draining: Bool { state.withLock { $0.draining } }
    func enter() { state.withLock { $0.inFlight += 1 } }
    func leave() { state.withLock { $0.inFlight -= 1 } }
    /// True the first time only.
    func beginDraining() -> Bool { state.withLock { s in defer { s.draining = true }; return !s.draining } }
}

public enum WinnowServer {
    /// The application: routes, middleware, the HTTP/1.1 server with its idle timeout.
    public static func application(_ state: ServerState, logger: Logger) -> some ApplicationProtocol {
        let router = Routes(state: state).router()
        return Application(
            router: router,
            server: .http1(configuration: .init(idleTimeout: .seconds(state.configuration.idleTimeoutSeconds))),
            configuration: .init(address: .hostname(state.configuration.host, port: state.configuration.port), serverName: "winnow"),
            logger: logger)
    }

    /// Runs until SIGTERM or SIGINT; requests in flight are answered before it stops.
    ///
    /// The signal is handled here, not by Hummingbird's graceful shutdown alone: that closes a
    /// connection right after queueing the end of its last response, which drops what the socket has
    /// not yet taken of a large answer (a test saw a 4 MB batch cut short). So on the signal the
    /// server first reports not ready, waits until no request is in flight and then `drainSeconds`
    /// more for the answers to leave, and only then shuts down (at most `maxDrainSeconds` in all).
    public static func run(_ state: ServerState, logger: Logger) async throws {
        let app = application(state, logger: logger)
        logger.info("winnow serve", metadata: [
            "address": "\(state.configuration.host):\(state.configuration.port)", "data": "\(state.configuration.dataFolder.path)",
            "registry": "\(state.registry.location)", "rules": "\(state.pack.name) \(state.pack.release)",
            "tokens": "\(state.tokens.location)", "users": "\(state.users.location)", "access": "\(state.access.location)",
            "log": "\(state.log.log.location)", "requests": "\(state.requests.location)", "desk": "\(state.desk.location)",
        ])
        let group = ServiceGroup(services: [app], logger: logger)
        let signals = [SIGTERM, SIGINT].map { number -> any DispatchSourceSignal in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                Task {
                    guard state.activity.beginDraining() else { return }
                    logger.info("stopping: answering the requests in flight first", metadata: ["inFlight": "\(state.activity.inFlight)"])
                    let clock = ContinuousClock()
                    let deadline = clock.now + .seconds(state.configuration.maxDrainSeconds)
                    while state.activity.inFlight > 0 && clock.now < deadline { try? await Task.sleep(for: .milliseconds(20)) }
                    try? await Task.sleep(for: .milliseconds(Int(state.configuration.drainSeconds * 1000)))
                    await group.triggerGracefulShutdown()
                }
            }
            source.resume()
            return source
        }
        defer { signals.forEach { $0.cancel() } }
        try await group.run()
    }
}

/// The requests the server screened, each once, named by the SHA-256 of its bytes, mode 0600, in
/// the data folder only.
public struct RequestStore: Sendable {
    /// Where copies are kept on this server: the requests themselves, or for a shared store the
    /// copies an audit of the shared log reads.
    public let folder: URL
    /// The shared log, when the requests are kept in its database.
    let shared: SharedLogStorage?

    init(folder: URL, shared: SharedLogStorage? = nil) throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        self.folder = folder
        self.shared = shared
    }

    public var location: String { shared?.location ?? folder.path }

    /// Keeps the bytes and returns the name the log entry records: for a folder log, their path
    /// relative to the log's folder beside this one, written whole and synced, then renamed into
    /// place; for a shared log, `requests/SHA256.EXT`, the row in the shared store. Either way the
    /// copy is durable before the log entry that points to it is written, so a crash never leaves
    /// an entry without its request.
    func keep(_ bytes: [UInt8], sha256: String) throws -> String {
        if let shared { return try shared.keepRequest(bytes, sha256: sha256) }
        let name = "\(sha256).\(SharedLogStorage.requestExtension(bytes))"
        let target = folder.appendingPathComponent(name)
        if !FileManager.default.fileExists(atPath: target.path) {
            try writeWhole(Data(bytes), to: target, sync: true, what: "keep the request in \(folder.path)")
        }
        return "../\(folder.lastPathComponent)/\(name)"
    }

    /// `keep` from a request handler: a request not kept before is written and synced on a thread
    /// of its own, not on one of the few that run Swift's tasks, which go on screening meanwhile.
    func keep(_ bytes: [UInt8], sha256: String) async throws -> String {
        try await Self.writers.run { try keep(bytes, sha256: sha256) }
    }

    private static let writers = DispatchQueue(label: "winnow.requests.keep", attributes: .concurrent)
}

/// Writes `data` to `target` whole or not at all: into a temporary file beside it (mode 0600),
/// synced first when `sync`, then renamed into place. A failure removes the temporary file and is
/// an internal error saying "cannot `what`".
func writeWhole(_ data: Data, to target: URL, sync: Bool, what: String) throws {
    let temporary = target.deletingLastPathComponent().appendingPathComponent(".\(target.lastPathComponent).\(UUID().uuidString).partial")
    guard FileManager.default.createFile(atPath: temporary.path, contents: nil, attributes: [.posixPermissions: 0o600]),
          let handle = FileHandle(forWritingAtPath: temporary.path) else {
        throw Problem.internalError("cannot \(what)")
    }
    do {
        try handle.write(contentsOf: data)
        if sync { try handle.synchronize() }
        try handle.close()
    } catch {
        try? handle.close()
        try? FileManager.default.removeItem(at: temporary)
        throw Problem.internalError("cannot \(what): \(error)")
    }
    if rename(temporary.path, target.path) != 0 {
        try? FileManager.default.removeItem(at: temporary)
        throw Problem.internalError("cannot \(what)")
    }
    // The new name is on disk only once its folder is synced.
    if sync {
        let folder = open(target.deletingLastPathComponent().path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        defer { if folder >= 0 { close(folder) } }
        guard folder >= 0, fsync(folder) == 0 else { throw Problem.internalError("cannot \(what): the folder could not be synced") }
    }
}
