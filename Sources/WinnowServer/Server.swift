public import Foundation
public import Hummingbird
public import Logging
import Synchronization
public import Winnow
import WinnowIntake
public import WinnowRegistry

/// How `winnow serve` runs.
public struct ServerConfiguration: Sendable {
    public var host = "127.0.0.1"
    public var port = 8080
    /// The server's own folder: the SQLite registry (unless `registryPath`), tokens, the access log.
    public var dataFolder: URL
    /// A registry elsewhere (SQLite file), instead of `registry.sqlite` in the data folder.
    public var registryPath: String?
    /// The largest request body accepted, as on the command line (8 MiB).
    public var maxBodyBytes = Intake.Limits().maxBytes
    /// Screenings at once; beyond, 503 with Retry-After.
    public var maxConcurrentScreens = ProcessInfo.processInfo.activeProcessorCount
    /// A connection idle this long (a client that stops sending) is closed.
    public var idleTimeoutSeconds: Int64 = 30
    /// Requests one `POST /v1/batch` may carry.
    public var maxBatchItems = 100

    public init(dataFolder: URL) {
        self.dataFolder = dataFolder
    }

    public var registryFile: String { registryPath ?? dataFolder.appendingPathComponent("registry.sqlite").path }
}

/// What the server keeps loaded: the pack with its profiles, the registry, tokens, logs, figures.
public struct ServerState: Sendable {
    public var configuration: ServerConfiguration
    public var pack: RulePack
    public var registry: Registry
    public var tokens: TokenStore
    public var access: AccessLog
    public var metrics = ServerMetrics()
    let screening: ScreenLimiter

    /// Opens (and on first start creates) the data folder and its registry.
    public init(configuration: ServerConfiguration, pack: RulePack) throws {
        try FileManager.default.createDirectory(at: configuration.dataFolder, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
        self.configuration = configuration
        self.pack = pack
        registry = try Registry.load(path: configuration.registryFile, create: configuration.registryPath == nil)
        tokens = TokenStore(folder: configuration.dataFolder)
        access = AccessLog(folder: configuration.dataFolder)
        screening = ScreenLimiter(limit: configuration.maxConcurrentScreens)
    }
}

/// A cap on screenings running at once: beyond it a request is refused at once (503), never queued
/// without bound.
final class ScreenLimiter: Sendable {
    let limit: Int
    private let running = Mutex(0)
    init(limit: Int) { self.limit = max(1, limit) }

    func tryEnter(_ n: Int = 1) -> Bool {
        running.withLock { r in
            guard r + n <= limit || r == 0 else { return false }
            r += n
            return true
        }
    }
    func leave(_ n: Int = 1) { running.withLock { $0 -= n } }
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
    public static func run(_ state: ServerState, logger: Logger) async throws {
        let app = application(state, logger: logger)
        logger.info("winnow serve", metadata: [
            "address": "\(state.configuration.host):\(state.configuration.port)", "data": "\(state.configuration.dataFolder.path)",
            "registry": "\(state.configuration.registryFile)", "rules": "\(state.pack.name) \(state.pack.release)",
        ])
        try await app.runService(gracefulShutdownSignals: [.sigterm, .sigint])
    }
}
