import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Synchronization
import WinnowLog

/// `winnow log verify URL`: a copy of a server's log (its entries as stored, its latest signed
/// checkpoint and its public key) in a folder, to be verified there exactly as a local log is.
enum LogFetch {
    struct FetchError: Error, CustomStringConvertible { let description: String }

    static func isURL(_ text: String) -> Bool { text.hasPrefix("http://") || text.hasPrefix("https://") }

    /// Copies the log of the server at `base` into `folder`; returns how many entries were copied.
    static func copy(from base: String, token: String?, into folder: URL) throws -> Int {
        let root = base.hasSuffix("/") ? String(base.dropLast()) : base
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        // The checkpoint first: it covers a prefix of the entries that follow, however many are added meanwhile.
        var checkpoint = try get(root + "/v1/log/checkpoint", token: token)
        checkpoint.append(0x0A)
        try checkpoint.write(to: folder.appendingPathComponent("checkpoints.jsonl"))
        try get(root + "/v1/log/key", token: nil).write(to: folder.appendingPathComponent("log.pub"))
        var entries = Data(), count = 0
        while true {
            let page = try get(root + "/v1/log/entries?from=\(count)&count=10000", token: token)
            let lines = page.split(separator: 0x0A).count
            if lines == 0 { break }
            entries.append(page)
            count += lines
        }
        try entries.write(to: folder.appendingPathComponent("entries.jsonl"))
        return count
    }

    /// The body of a GET that answered 200; anything else is an error naming the address and what the server said.
    static func get(_ address: String, token: String?) throws -> Data {
        guard let url = URL(string: address) else { throw FetchError(description: "\(address) is not an address") }
        var request = URLRequest(url: url, timeoutInterval: 60)
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        let result = Mutex<Result<(Data, Int), any Error>?>(nil)
        let done = DispatchSemaphore(value: 0)
        URLSession.shared.dataTask(with: request) { data, response, error in
            result.withLock { r in
                if let error { r = .failure(error) } else { r = .success((data ?? Data(), (response as? HTTPURLResponse)?.statusCode ?? 0)) }
            }
            done.signal()
        }.resume()
        done.wait()
        switch result.withLock({ $0 })! {
        case .failure(let error):
            throw FetchError(description: "\(address): \(error.localizedDescription)")
        case .success(let (data, status)):
            guard status == 200 else {
                let detail = (try? JSONSerialization.jsonObject(with: data) as? [String: Any])?["detail"] as? String
                throw FetchError(description: "\(address): HTTP \(status)" + (detail.map { ": \($0)" } ?? "") + (status == 401 ? " (give --token or WINNOW_TOKEN)" : ""))
            }
            return data
        }
    }
}
