import Foundation
import Hummingbird
import Logging

/// Times and counts every answer, logs it (method, path, status, milliseconds), and gives the
/// router's own errors (no such route, wrong method) as problem documents like every other error.
struct Observe: RouterMiddleware {
    typealias Context = WinnowContext
    let metrics: ServerMetrics
    let activity: Activity

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        activity.enter()
        defer { activity.leave() }
        var response: Response
        do {
            response = try await next(request, context)
        } catch let error as any HTTPResponseError where error.status == .notFound && !Routes.methods(for: request.uri.path).isEmpty {
            let allowed = Routes.methods(for: request.uri.path)
            response = Problem(type: Problem.type("method-not-allowed"), title: "Method not allowed", status: 405,
                               detail: "\(request.uri.path) answers \(allowed.joined(separator: ", ")), not \(request.method.rawValue)")
                .response(instance: request.uri.path)
            response.headers[.allow] = allowed.joined(separator: ", ")
        } catch let error as any HTTPResponseError {
            let detail = (error as? HTTPError)?.body ?? "\(request.method) \(request.uri.path): \(error.status.reasonPhrase)"
            response = Problem(type: Problem.type(error.status == .notFound ? "not-found" : "http"), title: error.status.reasonPhrase,
                               status: error.status.code, detail: detail)
                .response(instance: request.uri.path)
        } catch {
            context.logger.error("unexpected error", metadata: ["error": "\(error)"])
            response = Problem.internalError("see the server log").response(instance: request.uri.path)
        }
        let elapsed = ContinuousClock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let route = context.endpointPath ?? "unmatched"
        metrics.record(route: route, method: request.method.rawValue, status: response.status.code, seconds: seconds)
        context.logger.info("answered", metadata: [
            "method": "\(request.method.rawValue)", "path": "\(request.uri.path)", "route": "\(route)",
            "status": "\(response.status.code)", "ms": "\(Int(seconds * 1000))",
        ])
        return response
    }
}

/// The OpenAPI 3.1 description of the API, shipped in the module's resources.
enum OpenAPI {
    static let document: Data = {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "json"),
              let data = try? Data(contentsOf: url) else { return Data("{}".utf8) }
        return data
    }()
}
