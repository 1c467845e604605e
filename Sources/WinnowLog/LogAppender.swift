public import Foundation
import Synchronization

/// A log kept open by one long-running writer (the server): the tree's frontier stays in memory, so
/// an append costs one write and O(log n) hashes instead of reading the whole log. Only one process
/// may write a log this way; `winnow log decide` and `screen --log` are for logs no server holds.
public final class LogAppender: Sendable {
    public let log: DecisionLog
    private let state: Mutex<(frontier: MerkleTree.Frontier, lastCheckpoint: Checkpoint?)>
    /// Every decision on each request, in log order, by the request's SHA-256: read once at start,
    /// then kept up to date by `append`, since this is the log's only writer.
    private let decisions: Mutex<[String: [LogEntry]]>
    private let deciding = Mutex(())
    /// The writer lock, held until the appender goes away.
    private let lock: Int32
    /// The entries file, open for appending for the appender's life.
    private let entries: Int32

    /// Opens the log in `folder`, creating it (with a new key) on first use.
    public init(folder: URL) throws {
        let log = FileManager.default.fileExists(atPath: folder.appendingPathComponent("entries.jsonl").path)
            ? try DecisionLog.open(folder) : try DecisionLog.create(at: folder)
        let lock = try log.lockWriter(holder: DecisionLog.longHolder, wait: 0)
        let (lines, torn): ([ArraySlice<UInt8>], Bool)
        do { (lines, torn) = try DecisionLog.lines(of: log.entriesFile) } catch { close(lock); throw error }
        if torn {
            close(lock)
            throw LogError("\(log.entriesFile.path) ends in an incomplete entry; run `winnow log verify` and repair it")
        }
        let frontier = MerkleTree.Frontier(lines.map { MerkleTree.leafHash($0) })
        let marker = Array(#""kind":"decision""#.utf8)
        var decisions: [String: [LogEntry]] = [:]
        for line in lines where line.firstRange(of: marker) != nil {
            if let d = DecisionLog.decode(LogEntry.self, line), d.kind == .decision { decisions[d.requestSha256, default: []].append(d) }
        }
        let last = try DecisionLog.lines(of: log.checkpointsFile).lines.last.flatMap { DecisionLog.decode(Checkpoint.self, $0) }
        let entries = Foundation.open(log.entriesFile.path, O_WRONLY | O_APPEND | O_CLOEXEC)
        guard entries >= 0 else { close(lock); throw LogError("cannot open \(log.entriesFile.path) to append") }
        self.log = log
        self.lock = lock
        self.entries = entries
        state = Mutex((frontier, last))
        self.decisions = Mutex(decisions)
    }

    /// Every decision on the request with this SHA-256, in log order.
    public func decisions(_ requestSha256: String) -> [LogEntry] { decisions.withLock { $0[requestSha256] ?? [] } }

    /// The decision that stands on the request with this SHA-256: the last one not corrected.
    public func standingDecision(_ requestSha256: String) -> LogEntry? { Self.standing(decisions(requestSha256)) }

    /// The standing decision on each decided request.
    public var standingDecisions: [String: LogEntry] { decisions.withLock { $0.compactMapValues(Self.standing) } }

    static func standing(_ list: [LogEntry]) -> LogEntry? {
        let corrected = Set(list.compactMap(\.corrects))
        return list.last { !corrected.contains($0.index) }
    }

    deinit {
        close(entries)
        close(lock)
    }

    public var size: Int { state.withLock { $0.frontier.size } }

    /// Appends an entry, numbered and chained, and returns it as stored.
    @discardableResult
    public func append(_ entry: LogEntry) throws -> LogEntry {
        // Numbered, chained and written in order under the lock; synced after it, so that
        // concurrent screenings share the disk's flushes instead of queueing behind each one.
        let stored = try state.withLock { s in
            var stored = entry
            stored.index = s.frontier.size
            stored.previousRoot = s.frontier.root.hex
            let bytes = Array((stored.line + "\n").utf8)
            let written = bytes.withUnsafeBytes { Foundation.write(entries, $0.baseAddress, $0.count) }
            guard written == bytes.count else { throw LogError("could not write the entry to \(log.entriesFile.path)") }
            s.frontier.append(MerkleTree.leafHash(bytes.dropLast()))
            return stored
        }
        if stored.kind == .decision { decisions.withLock { $0[stored.requestSha256, default: []].append(stored) } }
        guard fsync(entries) == 0 else { throw LogError("could not sync \(log.entriesFile.path)") }
        return stored
    }

    /// Reads the log's entries, lets `make` check them and build an entry, and appends it, one such
    /// call at a time: a check that reads the decisions already made (a recorded decision is final)
    /// still holds when its entry is written. Screenings (`append`) do not wait for it.
    @discardableResult
    public func appendChecked(_ make: ([LogEntry]) throws -> LogEntry) throws -> LogEntry {
        try deciding.withLock { _ in try append(make(try log.entries())) }
    }

    /// The latest signed checkpoint, signing a new one when entries were added since.
    public func checkpoint(time: String) throws -> Checkpoint {
        try state.withLock { s in
            if let last = s.lastCheckpoint, last.treeSize == s.frontier.size { return last }
            let c = try log.sign(treeSize: s.frontier.size, rootHash: s.frontier.root.hex, time: time)
            s.lastCheckpoint = c
            return c
        }
    }
}
