import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import WinnowLog

/// `winnow log verify URL`: a copy of a server's log (its entries as stored, its latest signed
/// checkpoint and its public key) in a folder, to be verified there exactly as a local log is.
///
/// The client is plain HTTP/1.1 on SwiftNIO, which the binary carries for the server anyway.
/// There is no TLS: point it at the server's own address (as on the ministry's network, behind
/// the TLS proxy), or copy `DATA/log` and verify the folder.
enum LogFetch {
    struct FetchError: Error, CustomStringConvertible { let description: String }

    static func isURL(_ text: String) -> Bool { text.hasPrefix("http://") || text.hasPrefix("https://") }

    /// Copies the log of the server at `base` into `folder`; returns how many entries were copied.
    static func copy(from base: String, token: String?, into folder: URL) async throws -> Int {
        guard base.hasPrefix("http://") else {
            throw FetchError(description: "\(base): only http:// addresses are read (no TLS here): use the server's own address, or copy DATA/log and verify the folder")
        }
        let root = base.hasSuffix("/") ? String(base.dropLast()) : base
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        // The checkpoint first: it covers a prefix of the entries that follow, however many are added meanwhile.
        var checkpoint = try await get(root + "/v1/log/checkpoint", token: token)
        checkpoint.append(0x0A)
        try checkpoint.write(to: folder.appendingPathComponent("checkpoints.jsonl"))
        try await get(root + "/v1/log/key", token: nil).write(to: folder.appendingPathComponent("log.pub"))
        var entries = Data(), count = 0
        while true {
            let page = try await get(root + "/v1/log/entries?from=\(count)&count=10000", token: token)
            let lines = page.split(separator: 0x0A).count
            if lines == 0 { break }
            entries.append(page)
            count += lines
        }
        try entries.write(to: folder.appendingPathComponent("entries.jsonl"))
        return count
    }

    /// The body of a GET that answered 200 within `seconds`; anything else is an error naming the
    /// address and what the server said.
    static func get(_ address: String, token: String?, seconds: Int64 = 60, maxBytes: Int = 256 << 20) async throws -> Data {
        guard let url = URL(string: address), url.scheme == "http", let host = url.host else {
            throw FetchError(description: "\(address) is not an http:// address")
        }
        let port = url.port ?? 80
        let target = (url.path.isEmpty ? "/" : url.path) + (url.query.map { "?\($0)" } ?? "")
        let (status, body) = try await withThrowingTaskGroup(of: (Int, [UInt8])?.self) { group in
            group.addTask {
                let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                    .connectTimeout(.seconds(10))
                    .connect(host: host, port: port) { channel in
                        channel.eventLoop.makeCompletedFuture {
                            try channel.pipeline.syncOperations.addHTTPClientHandlers()
                            return try NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>(wrappingChannelSynchronously: channel)
                        }
                    }
                return try await channel.executeThenClose { inbound, outbound in
                    var head = HTTPRequestHead(version: .http1_1, method: .GET, uri: target)
                    head.headers.add(name: "Host", value: url.port == nil ? host : "\(host):\(port)")
                    head.headers.add(name: "Connection", value: "close")
                    if let token { head.headers.add(name: "Authorization", value: "Bearer \(token)") }
                    try await outbound.write(.head(head))
                    try await outbound.write(.end(nil))
                    var status = 0, body: [UInt8] = []
                    for try await part in inbound {
                        switch part {
                        case .head(let h): status = Int(h.status.code)
                        case .body(let b):
                            body += b.readableBytesView
                            guard body.count <= maxBytes else { throw FetchError(description: "\(address): more than \(maxBytes) bytes") }
                        case .end: return (status, body)
                        }
                    }
                    throw FetchError(description: "\(address): the connection closed before the answer ended")
                }
            }
            group.addTask {
                try await Task.sleep(for: .seconds(seconds))
                return nil
            }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let answer = first else {
                throw FetchError(description: "\(address): no answer within \(seconds) s")
            }
            return answer
        }
        guard status == 200 else {
            let detail = (try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any])?["detail"] as? String
            throw FetchError(description: "\(address): HTTP \(status)" + (detail.map { ": \($0)" } ?? "") + (status == 401 ? " (give --token or WINNOW_TOKEN)" : ""))
        }
        return Data(body)
    }
}
