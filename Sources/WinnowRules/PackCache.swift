import Crypto
public import Foundation
import WinnowModel

/// A compiled cache of what a rule pack's YAML gives once it has been read and checked, so that a
/// cold `winnow screen` does not parse 400 KB of profiles each time (issue 12: most of a cold start
/// was Yams composing the profiles).
///
/// An entry is keyed by the SHA-256 of the files it was made from, the cache format and the identity
/// of the running executable (path, size, modification time): a changed file or a rebuilt Winnow
/// never reads an old entry. Entries are written atomically; one that cannot be read or decoded is
/// a miss, and the YAML is read and checked as if there were no cache. The cache never holds what
/// the YAML does not: a pack with problems is never cached, so its errors are reported every time.
public struct PackCache: Sendable {
    public var folder: URL
    /// What the key adds besides the content: the format and the executable's identity.
    var salt: String

    /// Bumped whenever what is cached changes shape or meaning.
    static let formatVersion = 1

    public init(folder: URL, salt: String = PackCache.executableIdentity()) {
        self.folder = folder
        self.salt = salt
    }

    /// The default cache: `$WINNOW_CACHE_DIR`, else `$XDG_CACHE_HOME/winnow`, else `~/.cache/winnow`;
    /// none when `WINNOW_CACHE_DIR` is `off`.
    public static func standard(environment: [String: String] = ProcessInfo.processInfo.environment) -> PackCache? {
        if let dir = environment["WINNOW_CACHE_DIR"], !dir.isEmpty {
            return dir == "off" ? nil : PackCache(folder: URL(fileURLWithPath: dir))
        }
        if let xdg = environment["XDG_CACHE_HOME"], xdg.hasPrefix("/") {
            return PackCache(folder: URL(fileURLWithPath: xdg).appendingPathComponent("winnow"))
        }
        guard let home = environment["HOME"], home.hasPrefix("/") else { return nil }
        return PackCache(folder: URL(fileURLWithPath: home).appendingPathComponent(".cache/winnow"))
    }

    /// Path, size and modification time of the running executable.
    public static func executableIdentity() -> String {
        let path = Bundle.main.executablePath ?? CommandLine.arguments.first ?? "?"
        let attributes = (try? FileManager.default.attributesOfItem(atPath: path)) ?? [:]
        let size = (attributes[.size] as? NSNumber)?.int64Value ?? -1
        let modified = (attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? -1
        return "\(path)|\(size)|\(modified)"
    }

    /// The file of part `part` of the entry of `kind` made from `content`.
    func partPath(kind: String, content: String, part: Int) -> String {
        var hasher = SHA256()
        hasher.update(data: Data("\(Self.formatVersion)|\(kind)|\(content)|\(salt)".utf8))
        let key = hasher.finalize().prefix(16).map { String(format: "%02x", $0) }.joined()
        return folder.appendingPathComponent("\(kind)-\(key)-\(part).json").path
    }

    /// An entry written in `parts` files, decoded on every core at once (JSON decoding is most of
    /// what a cached load costs); nil unless every part reads and decodes.
    func read<T: Decodable & Sendable>(parts count: Int, _ type: T.Type, kind: String, content: String) -> [T]? {
        let parts = ConcurrentMap.run(Array(0..<count)) { i -> T? in
            guard let data = FileManager.default.contents(atPath: partPath(kind: kind, content: content, part: i)) else { return nil }
            return try? JSONDecoder().decode(T.self, from: data)
        }
        let decoded = parts.compactMap { $0 }
        return decoded.count == count ? decoded : nil
    }

    /// Writes the parts of an entry; the first part last, so that a reader that finds it finds all.
    func write<T: Encodable>(parts: [T], kind: String, content: String) {
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for (i, part) in parts.enumerated().reversed() {
            guard let data = try? JSONEncoder().encode(part) else { return }
            let path = partPath(kind: kind, content: content, part: i)
            guard (try? data.write(to: URL(fileURLWithPath: path), options: .atomic)) != nil else { return }
        }
        prune(kind: kind)
    }

    /// Entries of one kind kept: every rebuilt executable and every edit of a pack makes a new one.
    static let entriesKept = 8

    /// Removes all but the `entriesKept` most recently written entries of `kind`.
    func prune(kind: String) {
        let fm = FileManager.default
        guard let names = try? fm.contentsOfDirectory(atPath: folder.path) else { return }
        var newest: [String: Date] = [:]
        var files: [String: [String]] = [:]
        for name in names where name.hasPrefix(kind + "-") && name.hasSuffix(".json") {
            let key = String(name.dropFirst(kind.count + 1).prefix(32))
            let path = folder.appendingPathComponent(name).path
            let modified = (try? fm.attributesOfItem(atPath: path)[.modificationDate] as? Date) ?? .distantPast
            newest[key] = max(newest[key] ?? .distantPast, modified)
            files[key, default: []].append(path)
        }
        for key in newest.keys.sorted(by: { newest[$0]! > newest[$1]! }).dropFirst(Self.entriesKept) {
            for path in files[key] ?? [] { try? fm.removeItem(atPath: path) }
        }
    }

}
