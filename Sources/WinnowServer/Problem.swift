import Foundation
import Hummingbird
import WinnowModel
import WinnowIntake

/// An error answer in the form of RFC 9457 (`application/problem+json`): what kind of problem, a
/// one-line title, what went wrong in this request, and, for a request that does not check, every
/// problem with its line and pointer, as the command line prints them.
struct Problem: Error, Encodable, Sendable {
    struct Item: Encodable, Sendable {
        var file: String?
        var line: Int?
        var pointer: String?
        var message: String
    }

    var type: String
    var title: String
    var status: Int
    var detail: String
    var instance: String?
    var errors: [Item]?
    var retryAfter: Int?
    /// Close the connection after this answer (the rest of a body that came too slowly is not read).
    var closeConnection = false

    enum CodingKeys: String, CodingKey { case type, title, status, detail, instance, errors }

    /// Problem types are documented in docs/server.md under these names.
    static func type(_ name: String) -> String { "https://winnow.invalid/problems/\(name)" }

    static func invalidRequest(_ error: IntakeError, name: String) -> Problem {
        let items = error.diagnostics.map { Item(file: $0.file, line: $0.line, pointer: $0.path, message: $0.message) }
        let first = items.first.map { d in [d.line.map { "line \($0)" }, d.pointer, d.message].compactMap { $0 }.joined(separator: ", ") } ?? ""
        return Problem(type: type("invalid-request"), title: "The request does not check", status: 422,
                       detail: "\(name): \(items.count) problem\(items.count == 1 ? "" : "s"); first: \(first)", errors: items)
    }

    static func badParameter(_ name: String, _ message: String) -> Problem {
        Problem(type: type("bad-parameter"), title: "A parameter is not valid", status: 400, detail: "\(name): \(message)")
    }

    /// `/ready` says no: a load balancer should send requests elsewhere for now.
    static func notReady(_ detail: String) -> Problem {
        Problem(type: type("not-ready"), title: "Not ready", status: 503, detail: detail, retryAfter: 5)
    }

    /// Never expected: Winnow itself failed. The log says more.
    static func internalError(_ detail: String) -> Problem {
        Problem(type: type("internal"), title: "Internal error", status: 500, detail: detail)
    }

    /// The body did not arrive in time: a client that sends a byte now and then (slowloris)
    /// holds a connection, and the idle timeout alone never fires for it.
    static func bodyTimeout(_ seconds: Double) -> Problem {
        Problem(type: type("body-timeout"), title: "The body came too slowly", status: 408,
                detail: "the whole body must arrive within \(seconds.formatted()) s of the request's start", closeConnection: true)
    }

    static func notFound(_ detail: String) -> Problem {
        Problem(type: type("not-found"), title: "Not found", status: 404, detail: detail)
    }

    func response(instance path: String) -> Response {
        var problem = self
        problem.instance = path
        let data = (try? apiEncoder.encode(problem)) ?? Data("{\"status\":\(status)}".utf8)
        var headers: HTTPFields = [.contentType: "application/problem+json"]
        if let retryAfter { headers[.retryAfter] = String(retryAfter) }
        if closeConnection { headers[.connection] = "close" }
        return Response(status: .init(code: status), headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
