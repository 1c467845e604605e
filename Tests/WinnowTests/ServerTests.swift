import Foundation
import WinnowLog
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Testing
import Crypto
@testable import WinnowServer
import WinnowModel
import WinnowRules
import WinnowRegistry

/// Issue 16: `winnow serve`. Each test starts its own server on a fresh data folder, through
/// Hummingbird's router test client (no socket) or a real socket on loopback (`.live`).
@Suite("winnow serve")
struct ServerTests {
    /// A server on a fresh data folder, the demo registry imported, with a token of each kind.
    struct Fixture: Sendable {
        let dir: TempDir
        let state: ServerState
        let screen: String, reader: String, writer: String, admin: String

        init(configure: (inout ServerConfiguration) -> Void = { _ in }) throws {
            dir = try TempDir()
            var configuration = ServerConfiguration(dataFolder: dir.url.appendingPathComponent("data"))
            configuration.port = 0
            configure(&configuration)
            state = try ServerState(configuration: configuration, pack: shippedPack)
            _ = try state.registry.importFile(Paths.samples.appendingPathComponent("registry/demo.json").path)
            screen = try state.tokens.create(name: "case system", scopes: [.screen]).token
            reader = try state.tokens.create(name: "reviewer", scopes: [.screen, .registryRead]).token
            writer = try state.tokens.create(name: "registry office", scopes: [.registryWrite]).token
            admin = try state.tokens.create(name: "operator", scopes: [.admin]).token
        }

        var app: some ApplicationProtocol {
            var logger = Logger(label: "winnow-test")
            logger.logLevel = .error
            return WinnowServer.application(state, logger: logger)
        }
    }

    static func bearer(_ token: String) -> HTTPFields { [.authorization: "Bearer \(token)"] }
    static func sample(_ name: String) throws -> ByteBuffer { ByteBuffer(bytes: try Data(contentsOf: Paths.samples.appendingPathComponent(name))) }
    static func object(_ body: ByteBuffer) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(buffer: body)) as? [String: Any])
    }

    /// The documented answers of every operation: status codes by path and method.
    static let documented: [String: [String: Set<Int>]] = {
        let url = Paths.root.appendingPathComponent("Sources/WinnowServer/openapi.json")
        let doc = (try? JSONSerialization.jsonObject(with: Data(contentsOf: url))) as? [String: Any] ?? [:]
        var out: [String: [String: Set<Int>]] = [:]
        for (path, item) in doc["paths"] as? [String: [String: Any]] ?? [:] {
            for (method, op) in item {
                let responses = (op as? [String: Any])?["responses"] as? [String: Any] ?? [:]
                out[path, default: [:]][method.uppercased()] = Set(responses.keys.compactMap(Int.init))
            }
        }
        return out
    }()

    /// Checks an answer against the document: its status is one the operation lists, and an error is
    /// a problem document with that status.
    static func conforms(_ response: TestResponse, _ path: String, _ method: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
        let statuses = try #require(documented[path]?[method], "\(method) \(path) is not in openapi.json", sourceLocation: sourceLocation)
        #expect(statuses.contains(response.status.code), "\(method) \(path) answered \(response.status.code), not documented", sourceLocation: sourceLocation)
        #expect(response.status.code < 500 || response.status.code == 503, "\(method) \(path): \(String(buffer: response.body))", sourceLocation: sourceLocation)
        if response.status.code >= 400 {
            #expect(response.headers[.contentType] == "application/problem+json", sourceLocation: sourceLocation)
            let problem = try object(response.body)
            #expect(problem["status"] as? Int == response.status.code && problem["title"] is String && problem["detail"] is String,
                    sourceLocation: sourceLocation)
        }
    }

    @Test("the route table is the OpenAPI document's; another method on a known path is 405 with Allow")
    func routeTable() async throws {
        let table = Set(Routes.table.map { "\($0.method) \($0.path)" })
        let documented = Set(Self.documented.flatMap { path, methods in methods.keys.map { "\($0) \(path)" } })
        #expect(table == documented)
        let f = try Fixture()
        try await f.app.test(.router) { client in
            let r = try await client.execute(uri: "/v1/rules/x", method: .delete, headers: Self.bearer(f.admin))
            #expect(r.status == .methodNotAllowed && r.headers[.allow] == "GET")
            #expect(r.headers[.contentType] == "application/problem+json")
        }
    }

    @Test("a stopping server reports not ready, with Retry-After, and still answers health")
    func notReadyWhileStopping() async throws {
        let f = try Fixture()
        #expect(f.state.activity.beginDraining())
        #expect(!f.state.activity.beginDraining(), "a second signal does not start a second stop")
        try await f.app.test(.router) { client in
            let ready = try await client.execute(uri: "/ready", method: .get)
            #expect(ready.status == .serviceUnavailable && ready.headers[.retryAfter] == "5")
            try Self.conforms(ready, "/ready", "GET")
            #expect(try await client.execute(uri: "/health", method: .get).status == .ok)
        }
    }

    @Test("health, readiness and the API description answer without a token; every other route needs one")
    func openRoutes() async throws {
        let f = try Fixture()
        try await f.app.test(.router) { client in
            for path in ["/health", "/ready", "/openapi.json"] {
                let r = try await client.execute(uri: path, method: .get)
                #expect(r.status == .ok, "\(path)")
                try Self.conforms(r, path, "GET")
            }
            let served = try Self.object(try await client.execute(uri: "/openapi.json", method: .get).body)
            #expect(served["openapi"] as? String == "3.1.0")
            for (path, uri) in [("/v1/rules", "/v1/rules"), ("/v1/rules/{id}", "/v1/rules/political-offence-label"), ("/v1/profiles/{state}", "/v1/profiles/KZ"),
                                ("/v1/registry/search", "/v1/registry/search?name=Dana"), ("/v1/registry/persons/{id}", "/v1/registry/persons/P-0001"), ("/metrics", "/metrics")] {
                let r = try await client.execute(uri: uri, method: .get)
                #expect(r.status == .unauthorized, "\(uri)")
                #expect(r.headers[.wwwAuthenticate]?.hasPrefix("Bearer") == true)
                try Self.conforms(r, path, "GET")
            }
            let wrong = try await client.execute(uri: "/v1/rules", method: .get, headers: Self.bearer("wnw_not-a-token"))
            #expect(wrong.status == .unauthorized)
        }
    }

    @Test("every screening is an entry of the server's log, with a signed checkpoint and an inclusion proof that verify; decisions join it by token")
    func screeningsAreLogged() async throws {
        let f = try Fixture()
        try await f.app.test(.router) { client in
            var reports: [String] = []
            for (i, sample) in ["eaw-pl-theft.json", "mla-kz-refugee-lawyer-search.json"].enumerated() {
                let r = try await client.execute(uri: "/v1/screen?name=\(sample)", method: .post, headers: Self.bearer(f.screen), body: try Self.sample(sample))
                #expect(r.status == .ok)
                #expect(r.headers[HTTPField.Name("Winnow-Log-Entry")!] == String(i))
                reports.append(String(buffer: r.body))
            }
            let c = try await client.execute(uri: "/v1/log/checkpoint", method: .get, headers: Self.bearer(f.screen))
            try Self.conforms(c, "/v1/log/checkpoint", "GET")
            let checkpoint = try JSONDecoder().decode(WinnowLog.Checkpoint.self, from: Data(buffer: c.body))
            #expect(checkpoint.treeSize == 2)
            // Asking again without new entries gives the same checkpoint, not a new signature.
            let again = try await client.execute(uri: "/v1/log/checkpoint", method: .get, headers: Self.bearer(f.screen))
            #expect(try JSONDecoder().decode(WinnowLog.Checkpoint.self, from: Data(buffer: again.body)) == checkpoint)

            let p = try await client.execute(uri: "/v1/log/entries/1", method: .get, headers: Self.bearer(f.screen))
            try Self.conforms(p, "/v1/log/entries/{index}", "GET")
            let proof = try Self.object(p.body)
            let entryLine = try #require(proof["entry"] as? String)
            let entry = try JSONDecoder().decode(LogEntry.self, from: Data(entryLine.utf8))
            #expect(entry.kind == .screening && entry.band == "critical")
            #expect(entry.reportSha256 == Array(reports[1].utf8).sha256, "the entry holds the hash of the report as served")
            let path = try #require(proof["proof"] as? [String]).map { [UInt8](hex: $0)! }
            #expect(MerkleTree.verifyInclusion(index: 1, size: 2, leafHash: MerkleTree.leafHash(Array(entryLine.utf8)), proof: path,
                                               root: [UInt8](hex: checkpoint.rootHash)!))
            let consistency = try await client.execute(uri: "/v1/log/consistency?from=1&size=2", method: .get, headers: Self.bearer(f.screen))
            try Self.conforms(consistency, "/v1/log/consistency", "GET")
            // A decision on the second screening, by the holder of a decide token; then its correction.
            let reviewer = try f.state.tokens.create(name: "A. Reviewer", scopes: [.decide]).token
            func decide(_ body: String, _ token: String) async throws -> TestResponse {
                try await client.execute(uri: "/v1/decisions", method: .post, headers: Self.bearer(token), body: ByteBuffer(string: body))
            }
            #expect(try await decide(#"{"screening": 1, "decision": "refuse"}"#, f.screen).status == .forbidden)
            let d = try await decide(#"{"screening": 1, "decision": "execute", "grounds": ["ECHR-8"], "rationale": "assurances"}"#, reviewer)
            try Self.conforms(d, "/v1/decisions", "POST")
            #expect(d.status == .created && d.headers[HTTPField.Name("Winnow-Log-Entry")!] == "2")
            let decided = try JSONDecoder().decode(LogEntry.self, from: Data(buffer: d.body))
            #expect(decided.kind == .decision && decided.reviewer == "A. Reviewer" && decided.requestSha256 == entry.requestSha256)
            #expect(try await decide(#"{"screening": 1, "decision": "refuse", "corrects": 2, "rationale": "a recognised refugee"}"#, reviewer).status == .created)
            #expect(try await decide(#"{"screening": 1, "decision": "refuse", "corrects": 0}"#, reviewer).status == .unprocessableContent)
            #expect(try await decide(#"{"screening": 2, "decision": "refuse"}"#, reviewer).status == .notFound, "entry 2 is a decision, not a screening")
            #expect(try await decide(#"{"screening": 1, "decision": "approve"}"#, reviewer).status == .badRequest)
            #expect(try await client.execute(uri: "/v1/log/entries/7", method: .get, headers: Self.bearer(f.screen)).status == .notFound)
            #expect(try await client.execute(uri: "/v1/log/entries/x", method: .get, headers: Self.bearer(f.screen)).status == .badRequest)
        }
        // The command line verifies the server's log offline.
        let verified = try runWinnow(["log", "verify", f.state.configuration.dataFolder.appendingPathComponent("log").path])
        #expect(verified.status == 0 && verified.stdout.contains("4 entries, 1 signed checkpoints"), "\(verified.stdout)\(verified.stderr)")
        // From upload to audit: the server kept each request it screened, so oversight audits the
        // standing decision (the correction) straight from the log.
        let kept = try FileManager.default.contentsOfDirectory(atPath: f.state.configuration.dataFolder.appendingPathComponent("requests").path)
        #expect(kept.filter { !$0.hasPrefix(".") }.count == 2)
        let out = f.dir.url.appendingPathComponent("audit").path
        let audited = try runWinnow(["audit", "--log", f.state.configuration.dataFolder.appendingPathComponent("log").path, "--out", out,
                                     "--registry", f.state.configuration.registryFile])
        #expect(audited.status == 0 && audited.stdout.hasPrefix("1 decisions audited"), "\(audited.stdout)\(audited.stderr)")
        let rows = try String(contentsOf: URL(fileURLWithPath: out + "/rows.jsonl"), encoding: .utf8)
        #expect(rows.contains("\"decision\":\"refused\"") && rows.contains("A. Reviewer"), "\(rows)")
    }

    @Test("POST /v1/screen gives the command line's JSON report, byte for byte apart from the time")
    func screenMatchesCommandLine() async throws {
        let f = try Fixture()
        let sample = "mla-kz-refugee-lawyer-search.json"
        let cli = try runWinnow(["screen", "SampleRequests/\(sample)", "--format", "json", "--as-of", "2026-11-29",
                                 "--registry", f.state.configuration.registryFile])
        #expect(cli.status == 0, "\(cli.stderr)")
        try await f.app.test(.router) { client in
            let r = try await client.execute(uri: "/v1/screen?asOf=2026-11-29&name=SampleRequests/\(sample)", method: .post,
                                             headers: Self.bearer(f.screen), body: try Self.sample(sample))
            try Self.conforms(r, "/v1/screen", "POST")
            #expect(r.headers[.contentType] == "application/json")
            func withoutTime(_ s: String) -> String { s.split(separator: "\n").filter { !$0.contains("\"generatedAt\"") }.joined(separator: "\n") }
            #expect(withoutTime(String(buffer: r.body)) == withoutTime(cli.stdout))
            #expect(String(buffer: r.body).contains("\"band\" : \"critical\"") || String(buffer: r.body).contains("\"band\":\"critical\""))
            for format in ["html", "text", "sarif"] {
                let other = try await client.execute(uri: "/v1/screen?format=\(format)", method: .post, headers: Self.bearer(f.screen), body: try Self.sample(sample))
                #expect(other.status == .ok, "\(format)")
            }
        }
    }

    @Test("bad input is a problem document with the line and pointer of every problem, never a 5xx")
    func badInput() async throws {
        let f = try Fixture { $0.maxBodyBytes = 64 * 1024 }
        try await f.app.test(.router) { client in
            let missing = try await client.execute(uri: "/v1/screen", method: .post, headers: Self.bearer(f.screen),
                                                   body: ByteBuffer(string: "{\n  \"formatVersion\": \"2.0\",\n  \"id\": 7\n}"))
            #expect(missing.status.code == 422)
            try Self.conforms(missing, "/v1/screen", "POST")
            let errors = try #require(try Self.object(missing.body)["errors"] as? [[String: Any]])
            #expect(errors.count >= 5 && errors.allSatisfy { $0["line"] is Int && $0["message"] is String })
            #expect(errors.contains { $0["pointer"] as? String == "/id" && $0["line"] as? Int == 3 }, "\(errors)")

            let xxe = """
                <?xml version="1.0"?>
                <!DOCTYPE request [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]>
                <request formatVersion="1.0"><id>&xxe;</id></request>
                """
            let hostile = try await client.execute(uri: "/v1/validate", method: .post, headers: Self.bearer(f.screen), body: ByteBuffer(string: xxe))
            #expect(hostile.status.code == 422)
            #expect(!String(buffer: hostile.body).contains("root:"), "no file content leaks")
            try Self.conforms(hostile, "/v1/validate", "POST")

            let big = try await client.execute(uri: "/v1/screen", method: .post, headers: Self.bearer(f.screen),
                                               body: ByteBuffer(repeating: UInt8(ascii: " "), count: 65 * 1024))
            #expect(big.status == .contentTooLarge)
            try Self.conforms(big, "/v1/screen", "POST")

            for (uri, parameter) in [("/v1/screen?asOf=2999-01-01", "asOf"), ("/v1/screen?asOf=yesterday", "asOf"), ("/v1/screen?format=pdf", "format")] {
                let r = try await client.execute(uri: uri, method: .post, headers: Self.bearer(f.screen), body: try Self.sample("eaw-pl-theft.json"))
                #expect(r.status == .badRequest, "\(uri)")
                #expect(String(buffer: r.body).contains(parameter))
                try Self.conforms(r, "/v1/screen", "POST")
            }
            let empty = try await client.execute(uri: "/v1/screen", method: .post, headers: Self.bearer(f.screen))
            #expect(empty.status == .badRequest)
            let valid = try await client.execute(uri: "/v1/validate?name=theft.json", method: .post, headers: Self.bearer(f.screen), body: try Self.sample("eaw-pl-theft.json"))
            let instrument = try Self.object(valid.body)["instrument"] as? String
            #expect(valid.status == .ok && instrument == "eaw")
            try Self.conforms(valid, "/v1/validate", "POST")

            let nowhere = try await client.execute(uri: "/v2/screen", method: .post, headers: Self.bearer(f.screen))
            #expect(nowhere.status == .notFound && nowhere.headers[.contentType] == "application/problem+json")
        }
    }

    @Test("a batch answers in order, a bad request among good ones gets its own problem")
    func batch() async throws {
        let f = try Fixture()
        let good = String(decoding: try Data(contentsOf: Paths.samples.appendingPathComponent("eaw-pl-theft.json")), as: UTF8.self)
        let body = try JSONSerialization.data(withJSONObject: ["requests": [["name": "a.json", "content": good], ["name": "bad.json", "content": "{"], ["name": "c.json", "content": good]]])
        try await f.app.test(.router) { client in
            let r = try await client.execute(uri: "/v1/batch", method: .post, headers: Self.bearer(f.screen),
                                             body: ByteBuffer(bytes: body))
            try Self.conforms(r, "/v1/batch", "POST")
            let results = try #require(try Self.object(r.body)["results"] as? [[String: Any]])
            #expect(results.map { $0["name"] as? String } == ["a.json", "bad.json", "c.json"])
            #expect(results.map { $0["status"] as? String } == ["screened", "invalid", "screened"])
            #expect(((results[1]["problem"] as? [String: Any])?["status"] as? Int) == 422)
            #expect(((results[0]["report"] as? [String: Any])?["band"] as? String) != nil)
            let notBatch = try await client.execute(uri: "/v1/batch", method: .post, headers: Self.bearer(f.screen), body: ByteBuffer(string: "{\"requests\": 3}"))
            #expect(notBatch.status == .badRequest && String(buffer: notBatch.body).contains("/requests"))
            try Self.conforms(notBatch, "/v1/batch", "POST")
        }
    }

    @Test("a revocation or a disabling that finds nothing to change leaves the file as it was")
    func unchangedNotWritten() throws {
        let dir = try TempDir()
        let tokens = TokenStore(folder: dir.url), users = UserStore(folder: dir.url, cost: 4)
        _ = try tokens.create(name: "case system", scopes: [.screen])
        _ = try users.add(name: "reviewer-1", role: .reviewer)
        for file in ["tokens.json", "users.json"] {
            let path = dir.url.appendingPathComponent(file).path
            let before = try FileManager.default.attributesOfItem(atPath: path)[.modificationDate] as? Date
            let bytes = FileManager.default.contents(atPath: path)
            #expect(try file == "tokens.json" ? !tokens.revoke(id: "t9-none") : !users.disable(name: "nobody"))
            #expect(try FileManager.default.attributesOfItem(atPath: path)[.modificationDate] as? Date == before, "\(file) was rewritten")
            #expect(FileManager.default.contents(atPath: path) == bytes)
        }
    }

    @Test("two servers on one shared store: tokens and users made through either or the command line work on both, a revocation stops both, one access log",
          arguments: TestStore.available)
    func sharedStore(_ store: TestStore) async throws {
        let dir = try TempDir()
        let shared = store.address(in: dir)
        _ = try Registry.open(path: shared)   // made ready before the servers, as a deployment would
        // One server keeps its records in its registry's own database, the other beside a registry of its own.
        let a = try Fixture { $0.registryPath = shared; $0.sharedStorePath = shared; $0.passwordCost = 4 }
        // The first server created the shared decision log and its signing key; the second gets a copy of the key.
        let b = try Fixture { $0.sharedStorePath = shared; $0.logKeyPath = a.state.configuration.logKeyFile.path; $0.passwordCost = 4 }
        #expect(try a.state.tokens.records() == b.state.tokens.records())
        #expect(try a.state.tokens.records().count == 8)
        for f in [a, b] {
            for file in ["tokens.json", "users.json", "access.log"] {
                #expect(!FileManager.default.fileExists(atPath: f.state.configuration.dataFolder.appendingPathComponent(file).path), "\(file)")
            }
        }
        // Writers of one set take turns: 10 tokens made at once through both servers, none lost.
        let made = try await withThrowingTaskGroup(of: String.self) { group in
            for i in 0..<10 {
                group.addTask { try (i % 2 == 0 ? a : b).state.tokens.create(name: "burst \(i)", scopes: [.screen]).record.id }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        let records = try a.state.tokens.records()
        #expect(records.count == 18 && Set(records.map(\.id)).count == 18)
        #expect(Set(made).isSubset(of: Set(records.map(\.id))))

        let cli = try runWinnow(["serve", "token", "create", "--data", dir.url.appendingPathComponent("cli").path,
                                 "--shared-store", shared, "--name", "from the shell", "--scope", "registry:read"])
        #expect(cli.status == 0, "\(cli.stderr)")
        let cliToken = cli.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        try await a.app.test(.router) { clientA in
            try await b.app.test(.router) { clientB in
                #expect(try await clientB.execute(uri: "/v1/registry/persons/P-0001", method: .get, headers: Self.bearer(a.reader)).status == .ok)
                #expect(try await clientA.execute(uri: "/v1/registry/persons/P-0001", method: .get, headers: Self.bearer(cliToken)).status == .ok)
                let readerID = try #require(try b.state.tokens.records().first { $0.sha256 == TokenStore.digest(a.reader) }?.id)
                #expect(try b.state.tokens.revoke(id: readerID))
                #expect(try await clientA.execute(uri: "/v1/registry/persons/P-0001", method: .get, headers: Self.bearer(a.reader)).status == .unauthorized)
                #expect(try await clientB.execute(uri: "/v1/registry/persons/P-0001", method: .get, headers: Self.bearer(a.reader)).status == .unauthorized)
            }
        }
        // Both servers' reads are in one log, read from either.
        let reads = try a.state.access.entries().filter { $0.action == "person" }
        #expect(reads.count == 2 && reads.map(\.target) == ["P-0001", "P-0001"])
        #expect(try b.state.access.entries(target: "P-0001") == reads)

        _ = try b.state.users.add(name: "reviewer-1", role: .reviewer, password: "a password of the test")
        #expect(a.state.users.check(name: "reviewer-1", password: "a password of the test")?.role == .reviewer)
        #expect(throws: UserError.self) { try a.state.users.add(name: "reviewer-1", role: .oversight) }
        #expect(try a.state.users.disable(name: "reviewer-1"))
        #expect(b.state.users.check(name: "reviewer-1", password: "a password of the test") == nil)
        let listed = try runWinnow(["serve", "user", "list", "--shared-store", shared])
        #expect(listed.status == 0 && listed.stdout.contains("reviewer-1\treviewer\t"), "\(listed.stdout)\(listed.stderr)")
    }

    @Test("two servers on one shared store write one decision log and share one desk: screenings through both numbered once, one first decision, one signing key, audited from the store",
          arguments: TestStore.available)
    func sharedDecisionLog(_ store: TestStore) async throws {
        let dir = try TempDir()
        let shared = store.address(in: dir)
        _ = try Registry.open(path: shared)
        let a = try Fixture { $0.registryPath = shared; $0.sharedStorePath = shared; $0.passwordCost = 4 }
        let key = a.state.configuration.logKeyFile
        #expect(FileManager.default.fileExists(atPath: key.path), "the first server made the log's key")
        let b = try Fixture { $0.sharedStorePath = shared; $0.logKeyPath = key.path; $0.passwordCost = 4 }
        #expect(a.state.log.isShared && b.state.log.isShared)
        // A server without the key, or with a key of its own, would sign checkpoints nobody can verify: refused at start.
        #expect(throws: LogError.self) { try Fixture { $0.sharedStorePath = shared; $0.passwordCost = 4 } }
        let foreign = dir.url.appendingPathComponent("foreign.key")
        try FileLogStorage.writeKey(Curve25519.Signing.PrivateKey(), to: foreign)
        #expect(throws: LogError.self) { try Fixture { $0.sharedStorePath = shared; $0.logKeyPath = foreign.path; $0.passwordCost = 4 } }

        let decider = try a.state.tokens.create(name: "A. Reviewer", scopes: [.screen, .decide]).token
        let logEntry = HTTPField.Name("Winnow-Log-Entry")!
        try await a.app.test(.live) { clientA in
            try await b.app.test(.live) { clientB in
                // Eight screenings at once, alternating servers: every entry number once.
                let numbers = try await withThrowingTaskGroup(of: Int.self) { group in
                    for i in 0..<8 {
                        group.addTask {
                            let r = try await (i % 2 == 0 ? clientA : clientB).execute(
                                uri: "/v1/screen?name=s\(i)&queue=true", method: .post, headers: Self.bearer(decider),
                                body: try Self.sample(i < 4 ? "eaw-pl-theft.json" : "mla-kz-refugee-lawyer-search.json"))
                            return Int(r.headers[logEntry] ?? "") ?? -1
                        }
                    }
                    return try await group.reduce(into: [Int]()) { $0.append($1) }
                }
                #expect(numbers.sorted() == Array(0..<8), "\(numbers)")
                // Six reviewers decide the same request at once through both servers, each on one of its screenings.
                let theft = try a.state.log.log.entries().filter { $0.request == "s0" || $0.request == "s1" || $0.request == "s2" || $0.request == "s3" }.map(\.index)
                #expect(theft.count == 4)
                let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                    for i in 0..<6 {
                        group.addTask {
                            let body = #"{"screening": \#(theft[i % 4]), "decision": "execute", "rationale": "attempt \#(i)"}"#
                            return Int(try await (i % 2 == 0 ? clientA : clientB).execute(
                                uri: "/v1/decisions", method: .post, headers: Self.bearer(decider), body: ByteBuffer(string: body)).status.code)
                        }
                    }
                    return try await group.reduce(into: [Int]()) { $0.append($1) }
                }
                #expect(statuses.filter { $0 == 201 }.count == 1 && statuses.filter { $0 == 409 }.count == 5, "\(statuses.sorted())")
                // A checkpoint signed by one server is the other's, and both publish the same key.
                let c = try await clientA.execute(uri: "/v1/log/checkpoint", method: .get, headers: Self.bearer(decider))
                let checkpoint = try JSONDecoder().decode(WinnowLog.Checkpoint.self, from: Data(buffer: c.body))
                #expect(checkpoint.treeSize == 9)
                let again = try await clientB.execute(uri: "/v1/log/checkpoint", method: .get, headers: Self.bearer(decider))
                #expect(try JSONDecoder().decode(WinnowLog.Checkpoint.self, from: Data(buffer: again.body)) == checkpoint)
                let keyA = try await clientA.execute(uri: "/v1/log/key", method: .get)
                let keyB = try await clientB.execute(uri: "/v1/log/key", method: .get)
                #expect(String(buffer: keyA.body) == String(buffer: keyB.body))
                #expect(checkpoint.isSigned(by: try #require(DecisionLog.publicKey(base64: String(buffer: keyB.body)))))
                let receipt = try await clientB.execute(uri: "/v1/log/receipts/5", method: .get, headers: Self.bearer(decider))
                #expect(receipt.status == .ok)
                // A reviewer signed in through one server is signed in on the other (no sticky sessions needed), until signing out.
                _ = try a.state.users.add(name: "rita", role: .reviewer, password: "a password of the test")
                let browserA = DeskTests.Browser(clientA)
                #expect(try await browserA.signIn("rita", "a password of the test").status == .seeOther)
                let browserB = DeskTests.Browser(clientB)
                browserB.cookies = browserA.cookies
                let queue = try await browserB.go("/desk/queue")
                #expect(queue.status == .ok && String(buffer: queue.body).contains("href=\"/desk/cases/7\""))
                #expect(try await browserB.go("/desk/sign-out", method: .post, form: [("csrf", browserB.csrf)]).status == .seeOther)
                #expect(try await browserA.go("/desk/queue").status == .seeOther, "signed out on both")
                // Failed sign-ins are counted in the store: five wrong guesses through one server lock the name on the other.
                _ = try a.state.users.add(name: "ada", role: .administrator, password: "another password of the test")
                let guesser = DeskTests.Browser(clientA)
                for i in 0..<5 { #expect(try await guesser.signIn("ada", "guess number \(i) here").status == .unauthorized) }
                #expect(try await DeskTests.Browser(clientB).signIn("ada", "another password of the test").status == .tooManyRequests)
            }
        }
        #expect(try a.state.log.size() == 9 && b.state.log.size() == 9)
        #expect(try a.state.log.standingDecisions() == b.state.log.standingDecisions())
        // The desk's queue is one: a case queued through either server is on both, with its report as issued.
        let cases = try b.state.desk.all()
        #expect(try cases.map(\.entry).sorted() == Array(0..<8) && a.state.desk.all().count == 8)
        let logged = try a.state.log.log.entries()
        for c in cases {
            let issued = try a.state.desk.issued(c)
            #expect([UInt8](try #require(issued)).sha256 == logged[c.entry].reportSha256, "case \(c.entry)")
            #expect(try b.state.desk.report(c.entry)?.score == c.score)
        }
        for f in [a, b] {
            let data = f.state.configuration.dataFolder
            #expect(!FileManager.default.fileExists(atPath: data.appendingPathComponent("desk").path))
            #expect(!FileManager.default.fileExists(atPath: data.appendingPathComponent("log/entries.jsonl").path))
            #expect((try? FileManager.default.contentsOfDirectory(atPath: data.appendingPathComponent("requests").path))?.isEmpty ?? true,
                    "the requests are kept in the store")
        }
        let verified = try runWinnow(["log", "verify", shared])
        #expect(verified.status == 0 && verified.stdout.contains("9 entries, 1 signed checkpoints"), "\(verified.stdout)\(verified.stderr)")
        // Oversight audits the standing decision from the store, on a machine that holds neither server's files.
        let out = dir.url.appendingPathComponent("audit").path
        let audited = try runWinnow(["audit", "--log", shared, "--out", out, "--registry", shared])
        #expect(audited.status == 0 && audited.stdout.hasPrefix("1 decisions audited"), "\(audited.stdout)\(audited.stderr)")
    }

    @Test("on a shared PostgreSQL registry: ready, a screening reads its records, search and a person's record answer as on SQLite",
          .enabled(if: postgresTestAddress != nil, postgresSkipReason))
    func postgresRegistry() async throws {
        let address = TestStore.postgres.address(in: nil)
        _ = try Registry.open(path: address)   // the database is made ready before the server, as a deployment would
        let f = try Fixture { $0.registryPath = address }
        let sqlite = try Fixture()
        #expect(f.state.registry.backend == "postgresql")
        try await f.app.test(.router) { client in
            let ready = try await client.execute(uri: "/ready", method: .get)
            #expect(ready.status == .ok)
            let screened = try await client.execute(uri: "/v1/screen?asOf=2026-11-29", method: .post, headers: Self.bearer(f.screen),
                                                    body: try Self.sample("mla-kz-refugee-lawyer-search.json"))
            #expect(screened.status == .ok)
            let report = try Self.object(screened.body)
            let rules = (report["findings"] as? [[String: Any]] ?? []).compactMap { $0["rule"] as? String }
            #expect(rules.contains("refugee-protected-against-requesting-state"))
            let found = try await client.execute(uri: "/v1/registry/search?name=Dana%20Temirkhanova", method: .get, headers: Self.bearer(f.reader))
            let person = try await client.execute(uri: "/v1/registry/persons/P-0001", method: .get, headers: Self.bearer(f.reader))
            try await sqlite.app.test(.router) { other in
                let sqliteFound = try await other.execute(uri: "/v1/registry/search?name=Dana%20Temirkhanova", method: .get, headers: Self.bearer(sqlite.reader))
                #expect(String(buffer: found.body) == String(buffer: sqliteFound.body))
                let sqlitePerson = try await other.execute(uri: "/v1/registry/persons/P-0001", method: .get, headers: Self.bearer(sqlite.reader))
                #expect(String(buffer: person.body) == String(buffer: sqlitePerson.body))
            }
        }
    }

    @Test("scopes: screen cannot read the registry, a reader cannot import, only admin sees metrics; a revoked token stops at once")
    func scopes() async throws {
        let f = try Fixture()
        try await f.app.test(.router) { client in
            let denied = try await client.execute(uri: "/v1/registry/search?name=Dana", method: .get, headers: Self.bearer(f.screen))
            #expect(denied.status == .forbidden)
            try Self.conforms(denied, "/v1/registry/search", "GET")
            let found = try await client.execute(uri: "/v1/registry/search?name=Dana%20Temirkhanova", method: .get, headers: Self.bearer(f.reader))
            try Self.conforms(found, "/v1/registry/search", "GET")
            let hits = try #require(try JSONSerialization.jsonObject(with: Data(buffer: found.body)) as? [[String: Any]])
            #expect(hits.first?["id"] as? String == "P-0001")
            let person = try await client.execute(uri: "/v1/registry/persons/P-0001", method: .get, headers: Self.bearer(f.reader))
            #expect(person.status == .ok)
            try Self.conforms(person, "/v1/registry/persons/{id}", "GET")
            let nobody = try await client.execute(uri: "/v1/registry/persons/P-9999", method: .get, headers: Self.bearer(f.reader))
            #expect(nobody.status == .notFound)
            try Self.conforms(nobody, "/v1/registry/persons/{id}", "GET")
            let noName = try await client.execute(uri: "/v1/registry/search?name=%20", method: .get, headers: Self.bearer(f.reader))
            #expect(noName.status == .badRequest)

            let importDenied = try await client.execute(uri: "/v1/registry/import", method: .post, headers: Self.bearer(f.reader), body: ByteBuffer(string: "{}"))
            #expect(importDenied.status == .forbidden)
            let metricsDenied = try await client.execute(uri: "/metrics", method: .get, headers: Self.bearer(f.reader))
            #expect(metricsDenied.status == .forbidden)
            let metrics = try await client.execute(uri: "/metrics", method: .get, headers: Self.bearer(f.admin))
            try Self.conforms(metrics, "/metrics", "GET")
            let text = String(buffer: metrics.body)
            #expect(text.contains("winnow_http_requests_total{route=\"/v1/registry/search\",method=\"GET\",status=\"403\"} 1"), "\(text)")
            #expect(text.contains("winnow_http_request_duration_seconds_bucket{route=\"/v1/registry/persons/{id}\",le=\"+Inf\"} 2"))
            #expect(text.contains("winnow_http_errors_total{status=\"404\"} 1"))

            // Every read of a person's record is logged with the token and the time.
            let log = try f.state.access.entries()
            let readerID = try #require(try f.state.tokens.records().first { $0.name == "reviewer" }?.id)
            #expect(log.map(\.action) == ["search", "person", "person"])
            #expect(log.allSatisfy { $0.token == readerID && !$0.time.isEmpty })
            #expect(log[1].target == "P-0001" && log[2].results == 0)

            #expect(try f.state.tokens.revoke(id: readerID))
            let revoked = try await client.execute(uri: "/v1/registry/persons/P-0001", method: .get, headers: Self.bearer(f.reader))
            #expect(revoked.status == .unauthorized)
        }
        // At rest only the hashes: no token appears in the file.
        let file = try String(contentsOfFile: f.state.tokens.location, encoding: .utf8)
        for token in [f.screen, f.reader, f.writer, f.admin] { #expect(!file.contains(token)) }
    }

    @Test("registry import: all or nothing, errors with their line, then searchable")
    func registryImport() async throws {
        let f = try Fixture()
        let good = #"{"winnowRegistry": "1.0", "persons": [{"id": "P-7001", "names": [{"text": "Zhaniya Testova", "script": "Latn"}], "birthDate": "1990-01-02", "nationalities": ["KZ"]}]}"#
        let bad = "{\"winnowRegistry\": \"1.0\",\n \"persons\": [{\"id\": \"P-7002\", \"names\": []}]}"
        try await f.app.test(.router) { client in
            let rejected = try await client.execute(uri: "/v1/registry/import", method: .post, headers: Self.bearer(f.writer), body: ByteBuffer(string: bad))
            #expect(rejected.status.code == 422, "\(String(buffer: rejected.body))")
            try Self.conforms(rejected, "/v1/registry/import", "POST")
            let imported = try await client.execute(uri: "/v1/registry/import", method: .post, headers: Self.bearer(f.writer), body: ByteBuffer(string: good))
            #expect(imported.status == .ok, "\(String(buffer: imported.body))")
            try Self.conforms(imported, "/v1/registry/import", "POST")
            let found = try await client.execute(uri: "/v1/registry/search?name=Zhaniya%20Testova", method: .get, headers: Self.bearer(f.reader))
            #expect(String(buffer: found.body).contains("P-7001"))
            let none = try await client.execute(uri: "/v1/registry/search?name=P-7002", method: .get, headers: Self.bearer(f.reader))
            #expect(!String(buffer: none.body).contains("P-7002"))
        }
        let leftovers = (try? FileManager.default.contentsOfDirectory(atPath: f.state.configuration.dataFolder.appendingPathComponent("imports").path)) ?? []
        #expect(leftovers.isEmpty, "uploaded files are removed: \(leftovers)")
    }

    @Test("at the screening cap a request gets 503 with Retry-After; below it, it is screened")
    func cap() async throws {
        let f = try Fixture { $0.maxConcurrentScreens = 1 }
        try await f.app.test(.router) { client in
            #expect(f.state.screening.tryEnter())
            let busy = try await client.execute(uri: "/v1/screen", method: .post, headers: Self.bearer(f.screen), body: try Self.sample("eaw-pl-theft.json"))
            #expect(busy.status == .serviceUnavailable && busy.headers[.retryAfter] == "1")
            try Self.conforms(busy, "/v1/screen", "POST")
            f.state.screening.leave()
            let ok = try await client.execute(uri: "/v1/screen", method: .post, headers: Self.bearer(f.screen), body: try Self.sample("eaw-pl-theft.json"))
            #expect(ok.status == .ok)
            let metrics = String(buffer: try await client.execute(uri: "/metrics", method: .get, headers: Self.bearer(f.admin)).body)
            #expect(metrics.contains("winnow_screenings_rejected_total 1"))
        }
    }

    @Test("over a real socket on loopback: concurrent screenings all answered, the same report each time")
    func live() async throws {
        let f = try Fixture { $0.maxConcurrentScreens = 16 }
        try await f.app.test(.live) { client in
            let bodies = try await withThrowingTaskGroup(of: (Int, String).self) { group in
                for _ in 0..<12 {
                    group.addTask {
                        let r = try await client.execute(uri: "/v1/screen?asOf=2026-11-29", method: .post, headers: Self.bearer(f.screen),
                                                         body: try Self.sample("extradition-ua-proxy-same-subject.xml"))
                        return (r.status.code, String(buffer: r.body).split(separator: "\n").filter { !$0.contains("generatedAt") }.joined())
                    }
                }
                var out: [(Int, String)] = []
                for try await answer in group { out.append(answer) }
                return out
            }
            #expect(bodies.count == 12 && bodies.allSatisfy { $0.0 == 200 })
            #expect(Set(bodies.map(\.1)).count == 1)
            let rule = try await client.execute(uri: "/v1/rules/political-offence-label", method: .get, headers: Self.bearer(f.screen))
            try Self.conforms(rule, "/v1/rules/{id}", "GET")
            let profile = try await client.execute(uri: "/v1/profiles/KZ?asOf=2020-01-01", method: .get, headers: Self.bearer(f.screen))
            try Self.conforms(profile, "/v1/profiles/{state}", "GET")
            #expect(try Self.object(profile.body)["asOf"] as? String == "2020-01-01")
            let unknown = try await client.execute(uri: "/v1/profiles/XX", method: .get, headers: Self.bearer(f.screen))
            #expect(unknown.status == .notFound)
        }
    }

    @Test("over a real socket: a body that trickles in is cut off with 408 and the connection closed")
    func slowBody() async throws {
        // The idle timeout is far off: only the server's own close ends the exchange.
        let f = try Fixture { $0.bodyReadSeconds = 0.5; $0.idleTimeoutSeconds = 600 }
        try await f.app.test(.live) { client in
            let port = try #require(client.port)
            // Headers that promise 1,000 bytes, then 10 of them, then silence (within the idle timeout).
            let answer = try await RawSocket.exchangeOnOwnThread(port: port, send: "POST /v1/screen HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer \(f.screen)\r\n"
                                                                 + "Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"formatV")
            #expect(answer.text.hasPrefix("HTTP/1.1 408"), "\(answer.text.prefix(200))")
            #expect(answer.text.lowercased().contains("connection: close"))
            #expect(answer.text.contains("body-timeout"))
            #expect(answer.closedByServer, "the connection stayed open after the 408")
            // The server is still there for others.
            let health = try await client.execute(uri: "/health", method: .get)
            #expect(health.status == .ok)
        }
    }

    @Test("`winnow serve token` creates, lists and revokes tokens in the data folder")
    func tokenCommands() throws {
        let dir = try TempDir()
        let data = dir.url.appendingPathComponent("d").path
        let created = try runWinnow(["serve", "token", "create", "--data", data, "--name", "case system", "--scope", "screen"])
        #expect(created.status == 0, "\(created.stderr)")
        let token = created.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(token.hasPrefix("wnw_") && token.count > 40)
        let store = TokenStore(folder: URL(fileURLWithPath: data))
        let record = try #require(store.check(token))
        #expect(record.scopes == [.screen])
        let badScope = try runWinnow(["serve", "token", "create", "--data", data, "--name", "x", "--scope", "everything"])
        #expect(badScope.status == 2)
        let list = try runWinnow(["serve", "token", "list", "--data", data])
        #expect(list.stdout.contains(record.id) && !list.stdout.contains(token))
        #expect(try runWinnow(["serve", "token", "revoke", "--data", data, record.id]).status == 0)
        #expect(store.check(token) == nil)
        #expect(try runWinnow(["serve", "token", "revoke", "--data", data, record.id]).status == 2)
    }
}

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The real `winnow serve` process: started by one command on an empty folder, stopped by SIGTERM
/// while a request is in flight, which is still answered in full.
@Suite("winnow serve process")
struct ServerProcessTests {
    func get(_ url: URL, token: String? = nil) async throws -> (Int, String) {
        var request = URLRequest(url: url)
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        let (data, response) = try await URLSession.shared.data(for: request)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: data, as: UTF8.self))
    }

    @Test("SIGTERM during a batch: the batch is answered, then the server exits 0")
    func gracefulShutdown() async throws {
        let dir = try TempDir()
        let data = dir.url.appendingPathComponent("data")
        let token = try TokenStore(folder: data).create(name: "test", scopes: [.admin]).token
        let server = Process()
        server.executableURL = Paths.winnow
        server.currentDirectoryURL = Paths.root
        // Port 0: the system picks a free one, and the server's log line says which.
        server.arguments = ["serve", "--data", data.path, "--port", "0", "--log-level", "info"]
        // Without --registry, WINNOW_REGISTRY names the registry, as for every other command.
        let registry = dir.url.appendingPathComponent("shared.sqlite").path
        #expect(try runWinnow(["registry", "import", demoRegistryPath, "--registry", registry]).status == 0)
        server.environment = ProcessInfo.processInfo.environment.merging(["WINNOW_REGISTRY": registry]) { _, new in new }
        let log = Pipe()
        server.standardOutput = log
        server.standardError = log
        try server.run()
        defer { if server.isRunning { server.terminate() } }
        var seen = ""
        var port: Int?
        while port == nil {
            let chunk = log.fileHandleForReading.availableData
            guard !chunk.isEmpty else { break }
            seen += String(decoding: chunk, as: UTF8.self)
            if let range = seen.range(of: "listening on 127.0.0.1:") {
                port = Int(seen[range.upperBound...].prefix { $0.isNumber })
            }
        }
        let base = try #require(port.map { URL(string: "http://127.0.0.1:\($0)")! }, "the server did not say where it listens: \(seen)")
        #expect(seen.contains("registry=\(registry)"), "\(seen)")
        // Keep the pipe drained, so that the server never blocks on its log.
        let drain = log.fileHandleForReading
        Thread.detachNewThread { while !drain.availableData.isEmpty {} }
        #expect(try await get(base.appendingPathComponent("health")).0 == 200)
        try await shutdown(server, base: base, token: token)
    }

    func shutdown(_ server: Process, base: URL, token: String) async throws {
        let sample = String(decoding: try Data(contentsOf: Paths.samples.appendingPathComponent("mla-kz-refugee-lawyer-search.json")), as: UTF8.self)
        let items = (0..<80).map { ["name": "r\($0).json", "content": sample] }
        var request = URLRequest(url: base.appendingPathComponent("v1/batch"))
        request.httpMethod = "POST"
        request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
        request.httpBody = try JSONSerialization.data(withJSONObject: ["requests": items])
        let batch = Task { () throws -> (Int, Data) in
            let (data, response) = try await URLSession.shared.data(for: request)
            return ((response as? HTTPURLResponse)?.statusCode ?? 0, data)
        }
        // Wait until the batch is being screened (the server's own gauge), then ask it to stop.
        var inFlight = false
        for _ in 0..<2_000 where !inFlight {
            let (_, metrics) = try await get(base.appendingPathComponent("metrics"), token: token)
            inFlight = metrics.contains("winnow_screenings_in_flight 1")
        }
        #expect(inFlight, "the batch never showed as in flight")
        kill(server.processIdentifier, SIGTERM)
        let (status, body) = try await batch.value
        #expect(status == 200)
        let results = (try JSONSerialization.jsonObject(with: body) as? [String: Any])?["results"] as? [[String: Any]]
        #expect(results?.count == 80 && results?.allSatisfy { $0["status"] as? String == "screened" } == true)
        server.waitUntilExit()
        #expect(server.terminationReason == .exit && server.terminationStatus == 0)
    }
}

/// A blocking TCP exchange on loopback: send bytes, read until the server closes (or a read waits 60 s).
enum RawSocket {
    struct Failure: Error { let what: String }

    /// `exchange` on a thread of its own: its blocking reads must not hold one of the few threads
    /// that run Swift tasks, the in-process server's among them.
    static func exchangeOnOwnThread(port: Int, send text: String) async throws -> (text: String, closedByServer: Bool) {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try exchange(port: port, send: text) }) }.start()
        }
    }

    /// What came back, and whether the server closed the connection (rather than the 60 s guard
    /// on each read running out).
    static func exchange(port: Int, send text: String) throws -> (text: String, closedByServer: Bool) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure(what: "socket") }
        defer { close(fd) }
        var timeout = timeval(tv_sec: 60, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw Failure(what: "connect") }
        let bytes = Array(text.utf8)
        guard write(fd, bytes, bytes.count) == bytes.count else { throw Failure(what: "write") }
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        var closed = false
        while true {
            let n = read(fd, &buffer, buffer.count)
            if n == 0 { closed = true; break }
            if n < 0 { break }
            received += buffer[0..<n]
        }
        return (String(decoding: received, as: UTF8.self), closed)
    }
}
