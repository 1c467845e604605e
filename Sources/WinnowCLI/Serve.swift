import ArgumentParser
import Foundation
import Logging
import Winnow
import WinnowRegistry
import WinnowServer

/// `winnow serve`: the HTTP API (docs/server.md). The server lives in WinnowServer; this only reads
/// the options and starts it.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Serve the HTTP API (/v1) with the rule pack, the profiles and the registry loaded.",
        discussion: "`winnow serve [start] [options]` runs the server and its desk (/desk); `winnow serve token ...` manages the API's tokens, `winnow serve user ...` the desk's users.",
        subcommands: [Start.self, Token.self, User.self], defaultSubcommand: Start.self)

    struct Start: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the server.",
        discussion: """
            The data folder holds the SQLite registry (unless --registry), the API tokens (hashed) and \
            the access log; it is created on first start. Every route but /health, /ready and \
            /openapi.json needs a token: `winnow serve token create --name NAME --scope screen`. \
            SIGTERM or SIGINT stops the server after the requests in flight are answered.
            """)

    @OptionGroup var data: DataOption
    @Option(help: ArgumentHelp("A registry to use instead of DATA/registry.sqlite. Default: $WINNOW_REGISTRY when set.", valueName: "FILE or postgres://USER@HOST/DB"))
    var registry: String?
    @Option(help: "Address to listen on.")
    var host: String = "127.0.0.1"
    @Option(help: "Port to listen on (0: a free port, named in the log).")
    var port: Int = 8080
    @Option(name: .customLong("max-screens"), help: "Screenings at once; more get 503 with Retry-After. Default: the number of cores.")
    var maxScreens: Int?
    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error or critical.")
    var logLevel: String = "info"
    @Flag(name: .customLong("secure-cookies"), help: "Mark the desk's cookies Secure: the server is reached over TLS (through a proxy that does not send X-Forwarded-Proto).")
    var secureCookies = false
    @Flag(help: "A demo: on a data folder without users, add demo-reviewer and demo-oversight and print their passwords once; into an empty registry, import SampleRequests/registry/demo.json (fictional people).")
    var demo = false
    @Option(name: .customLong("log-key"), help: ArgumentHelp(
        "With --shared-store: the decision log's signing key, the same file on every server. Default: DATA/log/log.key, created by the first server to start; copy it to the others.",
        valueName: "FILE"))
    var logKey: String?
    @OptionGroup var rules: RulesOptions

    func validate() throws {
        if logKey != nil, data.sharedStore == nil { throw ValidationError("--log-key is for a log in a shared store: give --shared-store too") }
        guard (0...65_535).contains(port) else { throw ValidationError("--port must be in 0...65535") }
        if let maxScreens, maxScreens < 1 { throw ValidationError("--max-screens must be positive") }
        guard Logger.Level(rawValue: logLevel) != nil else { throw ValidationError("--log-level: \"\(logLevel)\" is not a level") }
    }

    func run() async throws {
        var configuration = ServerConfiguration(dataFolder: data.folder)
        configuration.host = host
        configuration.port = port
        // As everywhere a registry is taken, WINNOW_REGISTRY when --registry is not given.
        configuration.registryPath = registry ?? ProcessInfo.processInfo.environment["WINNOW_REGISTRY"].flatMap { $0.isEmpty ? nil : $0 }
        configuration.sharedStorePath = data.sharedStore
        configuration.logKeyPath = logKey
        configuration.secureCookies = secureCookies
        if let maxScreens { configuration.maxConcurrentScreens = maxScreens }
        let state: ServerState
        do { state = try ServerState(configuration: configuration, pack: try rules.load(),
                                        migrating: RegistryOptions.tellMigration(configuration.registryFile)) } catch let exit as ExitCode { throw exit } catch {
            Stderr.line("winnow serve: cannot start: \(error)")
            throw ExitCode(ExitStatus.badInput)
        }
        var logger = Logger(label: "winnow")
        logger.logLevel = Logger.Level(rawValue: logLevel)!
        if try state.tokens.records().allSatisfy({ $0.revoked != nil }) {
            Stderr.line("winnow serve: no API token yet: of /v1, only /health, /ready and /openapi.json answer (the desk needs users, not tokens); create one with `winnow serve token create \(data.shown) --name NAME --scope screen`")
        }
        if demo { try Serve.seedDemo(state) }
        if try state.users.records().allSatisfy({ $0.disabled != nil }) {
            Stderr.line("winnow serve: no desk user yet: add one with `winnow serve user add \(data.shown) NAME --role reviewer`")
        }
        Stderr.line("winnow serve: the desk is at http://\(host):\(port)/desk")
        try await WinnowServer.run(state, logger: logger)
    }
    }

    /// `--demo`: users to sign in with and the sample registry, only where there are none yet.
    static func seedDemo(_ state: ServerState, sample: String = "SampleRequests/registry/demo.json") throws {
        if try state.users.records().isEmpty {
            for (name, role) in [("demo-reviewer", Role.reviewer), ("demo-oversight", .oversight)] {
                let (_, password) = try state.users.add(name: name, role: role)
                Stderr.line("winnow serve --demo: sign in to the desk as \(name) with the password \(password) (shown only now)")
            }
        }
        if try state.registry.isEmpty(), FileManager.default.fileExists(atPath: sample) {
            let summary = try state.registry.importFile(sample)
            Stderr.line("winnow serve --demo: imported \(sample) into the registry: \(summary.description)")
        }
    }

    /// `--data DIR`, the same for the server and its token commands.
    struct DataOption: ParsableArguments {
        @Option(help: "The server's data folder.")
        var data: String = "winnow-data"
        @Option(name: .customLong("shared-store"), help: ArgumentHelp(
            "Keep the API tokens, the desk's users, the access log, the decision log and the requests screened in this database instead of the data folder, so that several servers share them.",
            valueName: "postgres://USER@HOST/DB or FILE"))
        var sharedStore: String?
        var folder: URL { URL(fileURLWithPath: data) }

        private var shared: ServerRecords? {
            get throws { try sharedStore.map { ServerRecords(registry: try Registry.load(path: $0, create: true)) } }
        }
        func tokens() throws -> TokenStore { try shared.map { TokenStore(shared: $0) } ?? TokenStore(folder: folder) }
        func users() throws -> UserStore { try shared.map { UserStore(shared: $0) } ?? UserStore(folder: folder) }
        /// The options to repeat in a command printed for the user.
        var shown: String { "--data \(data)" + (sharedStore.map { " --shared-store \(Registry.displayed($0))" } ?? "") }
    }

    struct Token: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "API tokens: create, revoke, list. Only a token's SHA-256 is stored.",
            subcommands: [Create.self, Revoke.self, List.self])

        struct Create: ParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Create a token and print it once.")
            @OptionGroup var data: DataOption
            @Option(help: "Who or what uses the token (a system, a person).")
            var name: String
            @Option(parsing: .singleValue, help: "A scope: screen, registry:read, registry:write, decide or admin (repeat for several).")
            var scope: [String]

            func validate() throws {
                if scope.isEmpty { throw ValidationError("give at least one --scope (screen, registry:read, registry:write, decide, admin)") }
                for s in scope where Scope(rawValue: s) == nil {
                    throw ValidationError("--scope: \"\(s)\" is not one of \(Scope.allCases.map(\.rawValue).joined(separator: ", "))")
                }
            }

            func run() throws {
                let (token, record) = try data.tokens().create(name: name, scopes: scope.compactMap(Scope.init(rawValue:)))
                print(token)
                Stderr.line("token \(record.id) for \(record.name) (\(record.scopes.map(\.rawValue).joined(separator: ", "))); it is shown only now")
            }
        }

        struct Revoke: ParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Revoke a token by its id (from `token list`).")
            @OptionGroup var data: DataOption
            @Argument var id: String
            func run() throws {
                guard try data.tokens().revoke(id: id) else {
                    Stderr.line("winnow serve token revoke: no active token \"\(id)\"")
                    throw ExitCode(ExitStatus.badInput)
                }
                Stderr.line("revoked \(id)")
            }
        }

        struct List: ParsableCommand {
            static let configuration = CommandConfiguration(abstract: "List tokens: id, name, scopes, created, revoked.")
            @OptionGroup var data: DataOption
            func run() throws {
                print("id\tname\tscopes\tcreated\trevoked")
                for r in try data.tokens().records() {
                    print("\(r.id)\t\(r.name)\t\(r.scopes.map(\.rawValue).joined(separator: ","))\t\(r.created)\t\(r.revoked ?? "")")
                }
            }
        }
    }

    struct User: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The desk's users: add, disable, list. Only a bcrypt hash of each password is stored.",
            subcommands: [Add.self, Disable.self, List.self])

        struct Add: ParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Add a user; without --password-stdin a password is made and printed once.")
            @OptionGroup var data: DataOption
            @Argument(help: "The name the user signs in with.")
            var name: String
            @Option(help: "reviewer (screens and decides), oversight (reads, audits) or administrator (both).")
            var role: String
            @Flag(name: .customLong("password-stdin"), help: "Read the password (12 to 72 bytes) from the first line of standard input.")
            var passwordStdin = false

            func validate() throws {
                guard Role(rawValue: role) != nil else {
                    throw ValidationError("--role: \"\(role)\" is not one of \(Role.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                if let problem = UserStore.nameProblem(name) { throw ValidationError(problem) }
            }

            func run() throws {
                let password = passwordStdin ? readLine(strippingNewline: true) ?? "" : nil
                do {
                    let (record, made) = try data.users().add(name: name, role: Role(rawValue: role)!, password: password)
                    if password == nil { print(made) }
                    Stderr.line("user \(record.name) (\(record.role.rawValue))" + (password == nil ? "; the password above is shown only now" : ""))
                } catch let error as UserError {
                    Stderr.line("winnow serve user add: \(error)")
                    throw ExitCode(ExitStatus.badInput)
                }
            }
        }

        struct Disable: ParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Disable a user: their session ends at their next request.")
            @OptionGroup var data: DataOption
            @Argument var name: String
            func run() throws {
                guard try data.users().disable(name: name) else {
                    Stderr.line("winnow serve user disable: no active user \"\(name)\"")
                    throw ExitCode(ExitStatus.badInput)
                }
                Stderr.line("disabled \(name)")
            }
        }

        struct List: ParsableCommand {
            static let configuration = CommandConfiguration(abstract: "List users: name, role, created, disabled.")
            @OptionGroup var data: DataOption
            func run() throws {
                print("name\trole\tcreated\tdisabled")
                for r in try data.users().records() { print("\(r.name)\t\(r.role.rawValue)\t\(r.created)\t\(r.disabled ?? "")") }
            }
        }
    }
}
