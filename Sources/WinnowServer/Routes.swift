import Foundation
import Hummingbird
import Logging
import Winnow
import WinnowIntake
import WinnowLog
import HTTPTypes
import WinnowModel
import WinnowRegistry

/// The HTTP API, `/v1`. Every answer is JSON (reports also as HTML, text or SARIF); every error is
/// a problem document (RFC 9457); every route but health, readiness and the API description needs a
/// token with the route's scope.
struct Routes: Sendable {
    let state: ServerState

    /// Every route, as registered below and as openapi.json lists them (a test holds the three
    /// together): a request for a known path with another method gets 405 with `Allow`, not 404.
    static let table: [(method: String, path: String)] = [
        ("GET", "/health"), ("GET", "/ready"), ("GET", "/openapi.json"), ("GET", "/metrics"),
        ("POST", "/v1/screen"), ("POST", "/v1/validate"), ("POST", "/v1/batch"), ("GET", "/v1/rules"), ("GET", "/v1/rules/{id}"),
        ("GET", "/v1/profiles/{state}"), ("GET", "/v1/registry/search"), ("GET", "/v1/registry/persons/{id}"), ("POST", "/v1/registry/import"),
        ("GET", "/v1/log/checkpoint"), ("GET", "/v1/log/key"), ("GET", "/v1/log/entries"), ("GET", "/v1/log/entries/{index}"), ("GET", "/v1/log/consistency"), ("GET", "/v1/log/receipts/{index}"), ("POST", "/v1/decisions"),
    ]

    /// The methods the table allows for a concrete path (`/v1/rules/x` matches `/v1/rules/{id}`).
    static func methods(for path: String) -> [String] {
        let parts = path.split(separator: "/", omittingEmptySubsequences: false)
        return table.filter { route in
            let template = route.path.split(separator: "/", omittingEmptySubsequences: false)
            return template.count == parts.count && zip(template, parts).allSatisfy { t, p in t == p || (t.hasPrefix("{") && !p.isEmpty) }
        }.map(\.method)
    }

    func router() -> Router<WinnowContext> {
        let router = Router(context: WinnowContext.self)
        router.add(middleware: Observe(metrics: state.metrics, activity: state.activity))
        router.get("/health") { _, _ in json(["status": "ok"]) }
        router.get("/ready") { request, _ in
            await answer(request, open: true) { _ in
                guard !state.activity.draining else { throw Problem.notReady("the server is stopping") }
                guard state.registry.answers() else { throw Problem.notReady("the registry does not answer") }
                return json(["status": "ready", "rules": "\(state.pack.name) \(state.pack.release)", "rulesSha256": state.pack.sha256])
            }
        }
        router.get("/openapi.json") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: OpenAPI.document)))
        }
        router.get("/metrics") { request, _ in
            await answer(request, scope: .admin) { _ in
                Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                         body: .init(byteBuffer: ByteBuffer(string: state.metrics.text(screeningsInFlight: state.screening.running))))
            }
        }

        let v1 = router.group("v1")
        v1.post("screen") { request, context in
            await answer(request, scope: .screen) { token in try await screen(request, token: token) }
        }
        v1.post("validate") { request, context in
            await answer(request, scope: .screen) { _ in try await validate(request, context: context) }
        }
        v1.post("batch") { request, context in
            await answer(request, scope: .screen) { token in try await batch(request, token: token) }
        }
        v1.get("rules") { request, _ in
            await answer(request, scope: nil) { _ in try encoded(state.pack.rules.map(RuleSummary.init)) }
        }
        v1.get("rules/{id}") { request, context in
            await answer(request, scope: nil) { _ in
                let id = context.parameters.get("id") ?? ""
                guard let rule = state.pack.rule(id: id) else { throw Problem.notFound("no rule \"\(id)\" in \(state.pack.name) \(state.pack.release)") }
                return try encoded(RuleSummary(rule))
            }
        }
        v1.get("profiles/{state}") { request, context in
            await answer(request, scope: nil) { _ in
                let code = context.parameters.get("state") ?? ""
                let asOf = try day(request, "asOf")
                guard let view = state.pack.profiles?.view(code, asOf: asOf) else { throw Problem.notFound("no profile for \"\(code)\"") }
                return try encoded(view)
            }
        }
        v1.get("registry/search") { request, _ in
            await answer(request, scope: .registryRead) { token in
                guard let name = request.uri.queryParameters["name"].map(String.init), !name.trimmingCharacters(in: .whitespaces).isEmpty else {
                    throw Problem.badParameter("name", "give the name to search for (?name=...)")
                }
                let birth = request.uri.queryParameters["birthDate"].map(String.init)
                if let birth, Day(birth) == nil { throw Problem.badParameter("birthDate", "\"\(birth)\" is not a date (YYYY-MM-DD)") }
                let limit = try integer(request, "limit", default: 10, in: 1...100)
                let hits = try state.registry.search(name, birthDate: birth, limit: limit)
                try state.access.append(.init(time: Day.nowTimestamp, token: token!.id, action: "search", target: name, results: hits.count))
                return try encoded(hits)
            }
        }
        v1.get("registry/persons/{id}") { request, context in
            await answer(request, scope: .registryRead) { token in
                let id = context.parameters.get("id") ?? ""
                let record = try state.registry.person(id: id)
                try state.access.append(.init(time: Day.nowTimestamp, token: token!.id, action: "person", target: id, results: record == nil ? 0 : 1))
                guard let record else { throw Problem.notFound("no person \"\(id)\" in the registry") }
                return try encoded(record)
            }
        }
        v1.post("registry/import") { request, _ in
            await answer(request, scope: .registryWrite) { token in try await importRecords(request, token: token!) }
        }
        // The log of screenings: a signed checkpoint, an entry with its inclusion proof, a
        // consistency proof between two sizes (RFC 9162). Any token: they hold hashes and verdicts.
        v1.get("log/checkpoint") { request, _ in
            await answer(request, scope: nil) { _ in try encoded(try state.log.checkpoint(time: Day.nowTimestamp)) }
        }
        // The log's public key, as `DATA/log/log.pub` holds it. Open: it is public by design, though
        // a verifier should trust a copy published elsewhere.
        v1.get("log/key") { request, _ in
            await answer(request, open: true) { _ in
                let key = try state.log.log.storage.publicKey().rawRepresentation.base64EncodedString() + "\n"
                return Response(status: .ok, headers: [.contentType: "text/plain; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: key)))
            }
        }
        // Entries as stored, one per line, for a verifier's copy of the log (`winnow log verify URL`).
        v1.get("log/entries") { request, _ in
            await answer(request, scope: nil) { _ in
                let from = try integer(request, "from", default: 0, in: 0...Int(Int32.max))
                let count = try integer(request, "count", default: 1000, in: 1...10_000)
                let lines = try state.log.log.storedEntries(from: from, count: count)
                return Response(status: .ok, headers: [.contentType: "application/x-ndjson"],
                                body: .init(byteBuffer: ByteBuffer(string: lines.map { $0 + "\n" }.joined())))
            }
        }
        v1.get("log/entries/{index}") { request, context in
            await answer(request, scope: nil) { _ in
                guard let index = Int(context.parameters.get("index") ?? ""), index >= 0 else {
                    throw Problem.badParameter("index", "an entry's index is a whole number from 0")
                }
                // Read once: on a shared log it is a query, and the log may grow meanwhile.
                let logSize = try state.log.size()
                let size = try integer(request, "size", default: logSize, in: 1...Int(Int32.max))
                guard index < size, size <= logSize else {
                    throw Problem.notFound("no entry \(index) in a tree of \(size); the log has \(logSize)")
                }
                let (entry, root, proof) = try state.log.log.inclusionProof(index: index, size: size)
                return try encoded(LogProof(index: index, treeSize: size, entry: entry, rootHash: root, proof: proof))
            }
        }
        // A report's receipt: its entry, the inclusion proof and the signed checkpoint, checked
        // offline with the public key alone (`winnow report verify FILE --receipt R --key log.pub`).
        v1.get("log/receipts/{index}") { request, context in
            await answer(request, scope: nil) { _ in
                guard let index = Int(context.parameters.get("index") ?? ""), index >= 0 else {
                    throw Problem.badParameter("index", "an entry's index is a whole number from 0")
                }
                let logSize = try state.log.size()
                guard index < logSize else { throw Problem.notFound("no entry \(index); the log has \(logSize)") }
                return try encoded(try state.log.receipt(index: index, time: Day.nowTimestamp))
            }
        }
        v1.post("decisions") { request, _ in
            await answer(request, scope: .decide) { token in try await decide(request, token: token!) }
        }
        v1.get("log/consistency") { request, _ in
            await answer(request, scope: nil) { _ in
                let logSize = try state.log.size()
                let size = try integer(request, "size", default: logSize, in: 0...Int(Int32.max))
                let from = try integer(request, "from", default: 0, in: 0...Int(Int32.max))
                guard from <= size, size <= logSize else {
                    throw Problem.notFound("no consistency proof from \(from) to \(size); the log has \(logSize)")
                }
                return try encoded(LogConsistency(oldSize: from, newSize: size, proof: try state.log.log.consistencyProof(old: from, new: size)))
            }
        }
        Desk(state: state).add(to: router)
        return router
    }

    // MARK: - Screening

    /// `POST /v1/screen?asOf=&format=&name=`: one request (XML or JSON) in the body; the report.
    func screen(_ request: Request, token: TokenRecord?) async throws -> Response {
        let asOf = try day(request, "asOf")
        let format = try reportFormat(request)
        let name = request.uri.queryParameters["name"].map(String.init) ?? "request"
        let bytes = try await body(request)
        let report = try limited { () throws(Problem) -> Report in
            do { return try screener(asOf: asOf).screen(bytes: bytes, name: name) } catch { throw problem(error, name: name) }
        }
        state.metrics.screened(band: report.band.rawValue)
        // As bytes: the log hashes them and the response sends them, with no String in between.
        let rendered = format.bytes(report, pack: state.pack)
        let entry = try await logScreening(report, name: name, request: bytes, rendered: rendered, format: format, by: Self.who(token), role: "api",
                                           queue: try queued(request))
        return Response(status: .ok, headers: [.contentType: format.contentType, .winnowLogEntry: String(entry.index)],
                        body: .init(byteBuffer: ByteBuffer(bytes: rendered)))
    }

    /// `?queue=true`: the request goes into the desk's queue, for a reviewer to decide there.
    func queued(_ request: Request) throws -> Bool {
        switch request.uri.queryParameters["queue"].map(String.init) {
        case nil, "false": return false
        case "true": return true
        case let other?: throw Problem.badParameter("queue", "\"\(other)\" is not true or false")
        }
    }

    /// Who screened through the API, as the log and the desk name them.
    static func who(_ token: TokenRecord?) -> String { token.map { "token \($0.name) (\($0.id))" } ?? "the API" }

    /// Every screening, from the API or the desk, is an entry of the log: the request's, the
    /// report's and the pack's hashes, the registry snapshot, band and score, and who screened
    /// (`by`, `role`). With `queue`, it is also a case in the desk's queue, so that a request a
    /// case-management system sends is there for a reviewer to decide. (Not by default for the
    /// API: keeping the report twice costs a quarter of the throughput, measured with wrk.)
    func logScreening(_ report: Report, name: String, request bytes: [UInt8], rendered: [UInt8],
                      format: BatchRunner.ReportFormat, by who: String, role: String, queue: Bool) async throws -> LogEntry {
        var entry = LogEntry.screening(report, request: name, bytes: bytes, rendered: rendered)
        entry.stored = try await state.requests.keep(bytes, sha256: entry.requestSha256)
        entry.reviewer = who
        entry.role = role
        let logged = try await state.log.appendDurably(entry)
        guard queue else { return logged }
        let issued = String(decoding: rendered, as: UTF8.self)
        try state.desk.keep(DeskCase(entry: logged.index, report: report, file: name, requestSha256: logged.requestSha256, by: who, issuedAs: format.rawValue),
                            reportJSON: format == .json ? issued : JSONReport.render(report), issued: issued)
        return logged
    }

    struct DecisionBody: Decodable {
        /// The screening decided on: its entry in the log.
        var screening: Int
        var decision: String
        var grounds: [String]?
        var rationale: String?
        /// The decision entry this one corrects.
        var corrects: Int?
    }

    /// `POST /v1/decisions`: a decision on a screening the log holds, recorded as a new entry; the
    /// reviewer is the token's holder. A recorded decision is final; a correction names the one it corrects.
    func decide(_ request: Request, token: TokenRecord) async throws -> Response {
        let data = Data(buffer: try await bodyBuffer(request))
        let body: DecisionBody
        do { body = try JSONDecoder().decode(DecisionBody.self, from: data) } catch {
            throw Problem(type: Problem.type("bad-decision"), title: "The decision is not valid", status: 400,
                          detail: "the body must be {\"screening\": N, \"decision\": ..., \"grounds\": [...], \"rationale\": ...}: \(Self.describe(error))")
        }
        let stored = try DecisionRecorder(log: state.log).record(
            screening: body.screening, decision: body.decision, grounds: body.grounds ?? [], rationale: body.rationale ?? "",
            corrects: body.corrects, assessments: nil, reviewer: token.name, role: "token \(token.id)")
        return Response(status: .created, headers: [.contentType: "application/json", .winnowLogEntry: String(stored.index)],
                        body: .init(byteBuffer: ByteBuffer(string: stored.line)))
    }

    struct LogProof: Encodable {
        var index: Int
        var treeSize: Int
        var entry: String
        var rootHash: String
        var proof: [String]
    }

    struct LogConsistency: Encodable {
        var oldSize: Int
        var newSize: Int
        var proof: [String]
    }

    /// `POST /v1/validate`: whether a request checks, with every problem when it does not.
    func validate(_ request: Request, context: WinnowContext) async throws -> Response {
        let asOf = try day(request, "asOf")
        let name = request.uri.queryParameters["name"].map(String.init) ?? "request"
        let bytes = try await body(request)
        let checked: Winnow.Request
        do { checked = try intake(asOf: asOf).load(bytes: bytes, name: name) } catch { throw problem(error, name: name) }
        return try encoded(Validated(valid: true, name: name, id: checked.id, formatVersion: checked.formatVersion,
                                     instrument: checked.instrument.rawValue, requestingState: checked.requestingState,
                                     requestedState: checked.requestedState, receivedDate: checked.receivedDate.description))
    }

    struct Validated: Encodable {
        var valid: Bool
        var name: String
        var id: String
        var formatVersion: String
        var instrument: String
        var requestingState: String
        var requestedState: String
        var receivedDate: String
    }

    struct BatchBody: Decodable {
        struct Item: Decodable { var name: String; var content: String }
        var requests: [Item]
    }

    /// `POST /v1/batch?asOf=`: `{"requests": [{"name": ..., "content": ...}]}`; the answers in the
    /// same order, each a report or the problem of that request (one bad request never fails the rest).
    func batch(_ request: Request, token: TokenRecord?) async throws -> Response {
        let asOf = try day(request, "asOf")
        let data = Data(buffer: try await bodyBuffer(request))
        let items: [BatchBody.Item]
        do { items = try JSONDecoder().decode(BatchBody.self, from: data).requests } catch {
            throw Problem(type: Problem.type("bad-batch"), title: "The batch is not valid", status: 400,
                          detail: "the body must be {\"requests\": [{\"name\": ..., \"content\": ...}]}: \(Self.describe(error))")
        }
        guard items.count <= state.configuration.maxBatchItems else {
            throw Problem(type: Problem.type("bad-batch"), title: "The batch is not valid", status: 400,
                          detail: "\(items.count) requests; at most \(state.configuration.maxBatchItems) in one batch")
        }
        let screener = screener(asOf: asOf)
        let queue = try queued(request)
        let answers = try await limited { () async -> [String] in
            var answers: [String] = []
            for item in items {
                answers.append(await answer(item, screener: screener, token: token, queue: queue))
            }
            return answers
        }
        return Response(status: .ok, headers: [.contentType: "application/json"],
                        body: .init(byteBuffer: ByteBuffer(string: "{\"results\":[" + answers.joined(separator: ",") + "]}\n")))
    }

    /// One request of a batch: its report, or its problem.
    private func answer(_ item: BatchBody.Item, screener: Screener, token: TokenRecord?, queue: Bool) async -> String {
        do {
            let bytes = Array(item.content.utf8)
            let report = try screener.screen(bytes: bytes, name: item.name)
            state.metrics.screened(band: report.band.rawValue)
            let rendered = JSONReport.bytes(report)
            let entry = try await logScreening(report, name: item.name, request: bytes, rendered: rendered, format: .json, by: Self.who(token), role: "api",
                                               queue: queue)
            return "{\"name\":\(jsonStringLiteral(item.name)),\"status\":\"screened\",\"logEntry\":\(entry.index),\"report\":\(String(decoding: rendered, as: UTF8.self))}"
        } catch {
            let p = problem(error, name: item.name)
            let text = (try? apiEncoder.encode(p)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
            return "{\"name\":\(jsonStringLiteral(item.name)),\"status\":\"invalid\",\"problem\":\(text)}"
        }
    }

    // MARK: - Registry import

    /// `POST /v1/registry/import?format=json|csv|jsonl`: all or nothing, as `winnow registry import`.
    func importRecords(_ request: Request, token: TokenRecord) async throws -> Response {
        let format = request.uri.queryParameters["format"].map(String.init) ?? "json"
        guard ["json", "csv", "jsonl"].contains(format) else { throw Problem.badParameter("format", "must be json, csv or jsonl (FollowTheMoney)") }
        let data = Data(buffer: try await bodyBuffer(request))
        // Written inside the data folder only, under a name the server chooses, and removed after.
        let folder = state.configuration.dataFolder.appendingPathComponent("imports")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let file = folder.appendingPathComponent("\(UUID().uuidString).\(format)")
        try data.write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        do {
            let summary = try state.registry.importFile(file.path)
            try state.access.append(.init(time: Day.nowTimestamp, token: token.id, action: "import", target: format, results: summary.persons))
            return json(["imported": summary.description])
        } catch let error as ImportError {
            let items = error.problems.map { Problem.Item(file: "body", line: $0.line, pointer: $0.pointer, message: $0.message) }
            throw Problem(type: Problem.type("invalid-import"), title: "The import does not check; nothing was imported", status: 422,
                          detail: "\(items.count) problem\(items.count == 1 ? "" : "s"); the registry is as it was", errors: items)
        }
    }

    // MARK: - Helpers

    /// Runs a handler: checks the bearer token and its scope (`scope: nil` is any valid token; `open`
    /// needs none), and turns every error into a problem document: nothing thrown ever becomes a
    /// bare 500.
    func answer(_ request: Request, scope: Scope? = nil, open: Bool = false,
                _ handler: (TokenRecord?) async throws -> Response) async -> Response {
        let path = request.uri.path
        var token: TokenRecord?
        if !open {
            let header = request.headers[.authorization] ?? ""
            guard header.hasPrefix("Bearer "), let record = state.tokens.check(String(header.dropFirst("Bearer ".count))) else {
                var response = Problem(type: Problem.type("unauthorized"), title: "A valid token is needed", status: 401,
                                       detail: header.isEmpty ? "send Authorization: Bearer TOKEN (winnow serve token create)" : "the token is not known or was revoked")
                    .response(instance: path)
                response.headers[.wwwAuthenticate] = "Bearer realm=\"winnow\""
                return response
            }
            if let scope, !record.allows(scope) {
                return Problem(type: Problem.type("forbidden"), title: "The token's scopes do not allow this", status: 403,
                               detail: "token \(record.id) has \(record.scopes.map(\.rawValue).joined(separator: ", ")); this needs \(scope.rawValue)")
                    .response(instance: path)
            }
            token = record
        }
        do {
            return try await handler(token)
        } catch {
            return problem(error, name: path).response(instance: path)
        }
    }

    func intake(asOf: Day) -> Intake {
        var limits = Intake.Limits()
        limits.maxBytes = state.configuration.maxBodyBytes
        return Intake(limits: limits, today: asOf)
    }

    func screener(asOf: Day) -> Screener {
        Screener(pack: state.pack, asOf: asOf, intake: intake(asOf: asOf), registry: state.registry)
    }

    /// Runs a screening within the cap, or refuses it with 503 and Retry-After.
    func limited<T>(_ work: () throws -> T) throws -> T {
        try enterScreening()
        defer { state.screening.leave() }
        return try work()
    }

    /// `limited` for work that waits (a batch logs each report before the next).
    func limited<T>(_ work: () async throws -> T) async throws -> T {
        try enterScreening()
        defer { state.screening.leave() }
        return try await work()
    }

    private func enterScreening() throws {
        guard state.screening.tryEnter() else {
            state.metrics.rejectedBusy()
            throw Problem(type: Problem.type("busy"), title: "Too many screenings at once", status: 503,
                          detail: "\(state.screening.limit) screenings are running; try again shortly", retryAfter: 1)
        }
    }

    func problem(_ error: any Error, name: String) -> Problem {
        if let error = error as? IntakeError {
            if case .internal(let message) = error {
                return .internalError(message)
            }
            return .invalidRequest(error, name: name)
        }
        if let error = error as? Problem { return error }
        return .internalError("\(error)")
    }

    /// The body, at most `limit` bytes (default: the command line's 8 MiB), arriving whole within
    /// `bodyReadSeconds`.
    func bodyBuffer(_ request: Request, limit: Int? = nil) async throws -> ByteBuffer {
        let limit = limit ?? state.configuration.maxBodyBytes
        let seconds = state.configuration.bodyReadSeconds
        do {
            // The body, or a timer, whichever ends first; the loser is cancelled.
            return try await withThrowingTaskGroup(of: ByteBuffer?.self) { group in
                group.addTask {
                    var request = request
                    return try await request.collectBody(upTo: limit)
                }
                group.addTask {
                    try await Task.sleep(for: .seconds(seconds))
                    return nil
                }
                defer { group.cancelAll() }
                // When the timer wins, the body's reader is cancelled with the group, and Hummingbird
                // closes the connection after the answer (ServerTests.slowBody checks that it does).
                guard let first = try await group.next(), let body = first else { throw Problem.bodyTimeout(seconds) }
                return body
            }
        } catch let error as any HTTPResponseError where error.status == .contentTooLarge {
            throw Problem(type: Problem.type("too-large"), title: "The body is too large", status: 413,
                          detail: "at most \(limit) bytes, as on the command line (--max-bytes)")
        }
    }

    func body(_ request: Request) async throws -> [UInt8] {
        let buffer = try await bodyBuffer(request)
        guard buffer.readableBytes > 0 else {
            throw Problem(type: Problem.type("empty-body"), title: "No request in the body", status: 400, detail: "send the request (XML or JSON) as the body")
        }
        return Array(buffer.readableBytesView)
    }

    func reportFormat(_ request: Request) throws -> BatchRunner.ReportFormat {
        let raw = request.uri.queryParameters["format"].map(String.init) ?? "json"
        guard let format = BatchRunner.ReportFormat(rawValue: raw) else {
            throw Problem.badParameter("format", "\"\(raw)\" is not one of json, html, text, sarif")
        }
        return format
    }

    static func describe(_ error: any Error) -> String {
        switch error {
        case DecodingError.keyNotFound(let key, let c): return "missing \(pointer(c.codingPath + [key]))"
        case DecodingError.typeMismatch(_, let c), DecodingError.valueNotFound(_, let c): return "wrong type at \(pointer(c.codingPath))"
        case DecodingError.dataCorrupted(let c): return c.codingPath.isEmpty ? "not JSON" : "bad value at \(pointer(c.codingPath))"
        default: return "not JSON"
        }
    }

    static func pointer(_ path: [any CodingKey]) -> String {
        "/" + path.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: "/")
    }
}

extension BatchRunner.ReportFormat {
    var contentType: String {
        switch self {
        case .json: return "application/json"
        case .html: return "text/html; charset=utf-8"
        case .text: return "text/plain; charset=utf-8"
        case .sarif: return "application/sarif+json"
        }
    }
}

/// A rule as the API lists it.
struct RuleSummary: Encodable {
    var id: String
    var version: Int
    var title: String
    var pattern: String
    var role: String
    var points: Int
    var floor: String?
    var instruments: [String]
    var cite: [String]
    var rationale: String
    var examples: Int
    var file: String
    var line: Int

    init(_ r: Rule) {
        id = r.id; version = r.version; title = r.title; pattern = r.pattern; role = r.role.rawValue; points = r.points
        floor = r.floor?.rawValue; instruments = r.instruments.map(\.rawValue); cite = r.cite; rationale = r.rationale
        examples = r.examples.count; file = URL(fileURLWithPath: r.file).lastPathComponent; line = r.line
    }
}

// MARK: - Answers

/// How every JSON answer but the report (which has its own renderer) is written: keys sorted, so
/// that answers compare byte for byte.
var apiEncoder: JSONEncoder {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    return encoder
}

func json(_ fields: [String: String]) -> Response {
    Response(status: .ok, headers: [.contentType: "application/json"],
             body: .init(byteBuffer: ByteBuffer(bytes: (try? apiEncoder.encode(fields)) ?? Data())))
}

func encoded(_ value: some Encodable) throws -> Response {
    Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: try apiEncoder.encode(value))))
}

func day(_ request: Request, _ name: String) throws -> Day {
    guard let raw = request.uri.queryParameters[Substring(name)].map(String.init) else { return Day.today }
    guard let day = Day(raw) else { throw Problem.badParameter(name, "\"\(raw)\" is not a date (YYYY-MM-DD)") }
    guard day <= Day.today else { throw Problem.badParameter(name, "\(raw) is in the future (today is \(Day.today))") }
    return day
}

func integer(_ request: Request, _ name: String, default value: Int, in range: ClosedRange<Int>) throws -> Int {
    guard let raw = request.uri.queryParameters[Substring(name)].map(String.init) else { return value }
    guard let n = Int(raw), range.contains(n) else { throw Problem.badParameter(name, "\"\(raw)\" is not a whole number in \(range.lowerBound)...\(range.upperBound)") }
    return n
}

extension HTTPField.Name {
    /// The index of a screening's entry in the server's log.
    static let winnowLogEntry = HTTPField.Name("Winnow-Log-Entry")!
}
