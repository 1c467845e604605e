import Foundation
import Synchronization

/// Request counts, errors and a latency histogram, written in the Prometheus text format
/// (version 0.0.4). Kept in-process: one server, one set of figures.
public final class ServerMetrics: Sendable {
    /// Upper bounds of the latency buckets, in seconds.
    static let buckets: [Double] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]

    struct Series: Hashable { var route: String; var method: String; var status: Int }
    struct Figures {
        var requests: [Series: Int] = [:]
        var latency: [String: (counts: [Int], sum: Double, count: Int)] = [:]
        var screenings: [String: Int] = [:]
        var rejected = 0
    }
    private let figures = Mutex(Figures())

    public init() {}

    func record(route: String, method: String, status: Int, seconds: Double) {
        figures.withLock { f in
            f.requests[Series(route: route, method: method, status: status), default: 0] += 1
            var h = f.latency[route] ?? (Array(repeating: 0, count: Self.buckets.count), 0, 0)
            for (i, bound) in Self.buckets.enumerated() where seconds <= bound { h.counts[i] += 1 }
            h.sum += seconds
            h.count += 1
            f.latency[route] = h
        }
    }

    func screened(band: String) { figures.withLock { $0.screenings[band, default: 0] += 1 } }
    func rejectedBusy() { figures.withLock { $0.rejected += 1 } }

    /// The figures in the Prometheus text exposition format, with the screenings running now (the
    /// screening cap's own count).
    public func text(screeningsInFlight: Int) -> String {
        let f = figures.withLock { $0 }
        func label(_ s: String) -> String {
            s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"").replacingOccurrences(of: "\n", with: "\\n")
        }
        var out = "# HELP winnow_http_requests_total HTTP requests answered, by route, method and status.\n# TYPE winnow_http_requests_total counter\n"
        for (s, n) in f.requests.sorted(by: { ($0.key.route, $0.key.method, $0.key.status) < ($1.key.route, $1.key.method, $1.key.status) }) {
            out += "winnow_http_requests_total{route=\"\(label(s.route))\",method=\"\(s.method)\",status=\"\(s.status)\"} \(n)\n"
        }
        out += "# HELP winnow_http_errors_total HTTP requests answered with a 4xx or 5xx status, by status.\n# TYPE winnow_http_errors_total counter\n"
        var errors: [Int: Int] = [:]
        for (s, n) in f.requests where s.status >= 400 { errors[s.status, default: 0] += n }
        for (status, n) in errors.sorted(by: { $0.key < $1.key }) { out += "winnow_http_errors_total{status=\"\(status)\"} \(n)\n" }
        out += "# HELP winnow_http_request_duration_seconds Time to answer a request, by route.\n# TYPE winnow_http_request_duration_seconds histogram\n"
        for (route, h) in f.latency.sorted(by: { $0.key < $1.key }) {
            for (i, bound) in Self.buckets.enumerated() {
                out += "winnow_http_request_duration_seconds_bucket{route=\"\(label(route))\",le=\"\(bound)\"} \(h.counts[i])\n"
            }
            out += "winnow_http_request_duration_seconds_bucket{route=\"\(label(route))\",le=\"+Inf\"} \(h.count)\n"
            out += "winnow_http_request_duration_seconds_sum{route=\"\(label(route))\"} \(h.sum)\n"
            out += "winnow_http_request_duration_seconds_count{route=\"\(label(route))\"} \(h.count)\n"
        }
        out += "# HELP winnow_screenings_total Requests screened, by band.\n# TYPE winnow_screenings_total counter\n"
        for (band, n) in f.screenings.sorted(by: { $0.key < $1.key }) { out += "winnow_screenings_total{band=\"\(band)\"} \(n)\n" }
        out += "# HELP winnow_screenings_rejected_total Screenings refused with 503 because the server was at its limit.\n# TYPE winnow_screenings_rejected_total counter\n"
        out += "winnow_screenings_rejected_total \(f.rejected)\n"
        out += "# HELP winnow_screenings_in_flight Screenings running now.\n# TYPE winnow_screenings_in_flight gauge\n"
        out += "winnow_screenings_in_flight \(screeningsInFlight)\n"
        return out
    }
}
