public import Foundation
import Synchronization
import WinnowModel

/// The server's log. Two kinds:
///
/// - a folder that this server alone writes (`init(folder:)`): it holds the writer lock for its
///   life, and keeps the tree's frontier and every decision in memory, so an append costs one write
///   and O(log n) hashes instead of reading the whole log; `winnow log decide` and `screen --log`
///   are refused while it runs;
/// - a log that several servers share (`init(shared:)`, a database): every append takes the
///   storage's writer lock and reads the log's head there, and decisions are read from the store,
///   since other servers append too.
public final class LogAppender: Sendable {
    public let log: DecisionLog
    let exclusive: ExclusiveLog?

    /// Opens the log in `folder`, creating it (with a new key) on first use, for this server alone.
    public init(folder: URL) throws {
        let files = FileLogStorage(directory: folder)
        if !files.exists { try files.create() }
        exclusive = try ExclusiveLog(files)
        log = DecisionLog(storage: files)
    }

    /// A log that other processes write at once.
    public init(shared log: DecisionLog) {
        self.log = log
        exclusive = nil
    }

    /// Whether other servers write this log too.
    public var isShared: Bool { exclusive == nil }

    /// Every decision on the request with this SHA-256, in log order.
    public func decisions(_ requestSha256: String) throws -> [LogEntry] {
        if let exclusive { return exclusive.decisions.withLock { $0[requestSha256] ?? [] } }
        return try log.decisions(requestSha256: requestSha256)
    }

    /// The decision that stands on the request with this SHA-256: the last one not corrected.
    public func standingDecision(_ requestSha256: String) throws -> LogEntry? { LogEntry.standing(in: try decisions(requestSha256)) }

    /// The standing decision on each decided request.
    public func standingDecisions() throws -> [String: LogEntry] {
        if let exclusive { return exclusive.decisions.withLock { $0.compactMapValues(LogEntry.standing) } }
        return Dictionary(grouping: try log.decisions(requestSha256: nil), by: \.requestSha256).compactMapValues(LogEntry.standing)
    }

    /// How many entries the log holds.
    public func size() throws -> Int {
        if let exclusive { return exclusive.state.withLock { $0.frontier.size } }
        return try log.storage.size()
    }

    /// Appends an entry, numbered and chained, and returns it as stored, on disk.
    @discardableResult
    public func append(_ entry: LogEntry) throws -> LogEntry {
        guard let exclusive else { return try log.append(entry) }
        let stored = try exclusive.write(entry)
        try exclusive.sync(through: stored.index)
        return stored
    }

    /// `append` for a server's request handlers: it returns once the entry is on disk too, but the
    /// wait for the disk happens on a thread of the log's own, so the few threads that run Swift's
    /// tasks go on screening meanwhile, and entries written while one flush runs share the next.
    @discardableResult
    public func appendDurably(_ entry: LogEntry) async throws -> LogEntry {
        guard let exclusive else { return try log.append(entry) }
        let stored = try exclusive.write(entry)
        try await exclusive.durable(through: stored.index)
        return stored
    }

    /// Lets `make` check the log as it stands (`LogTip`: an entry by position, the decisions on a
    /// request) and build an entry, and appends it, one such call at a time: a check that reads
    /// the decisions already made (a recorded decision is final) still holds when its entry is
    /// written. Screenings (`append`) do not wait for it. This server's own log answers the check
    /// from memory, apart from the one entry it reads by position.
    @discardableResult
    public func appendChecked(_ make: (LogTip) throws -> LogEntry) throws -> LogEntry {
        guard let exclusive else { return try log.append(checked: make) }
        return try exclusive.deciding.withLock { _ in
            let tip = LogTip(frontier: exclusive.state.withLock { $0.frontier },
                             entry: { [log] i in try log.storage.entryLines(from: i, count: 1).first.flatMap { DecisionLog.decode(LogEntry.self, $0) } },
                             decisions: { sha in exclusive.decisions.withLock { $0[sha] ?? [] } })
            let stored = try exclusive.write(make(tip))
            try exclusive.sync(through: stored.index)
            return stored
        }
    }

    /// The latest signed checkpoint, signing a new one when entries were added since.
    public func checkpoint(time: String) throws -> Checkpoint {
        guard let exclusive else { return try log.latestCheckpoint(time: time) }
        return try exclusive.state.withLock { s in
            if let last = s.lastCheckpoint, last.treeSize == s.frontier.size { return last }
            let key = try exclusive.files.signingKey()
            let c = try exclusive.files.checkpointLocked(frontier: s.frontier) { size, root, _ in
                try DecisionLog.sign(size: size, root: root, time: time, key: key)
            }
            s.lastCheckpoint = c
            return c
        }
    }
}

/// A folder log held by one server for its life: the writer lock, the entries file open for
/// appending, the tree's frontier and every decision in memory.
final class ExclusiveLog: Sendable {
    let files: FileLogStorage
    let state: Mutex<(frontier: MerkleTree.Frontier, lastCheckpoint: Checkpoint?)>
    /// Every decision on each request, in log order, by the request's SHA-256: read once at start,
    /// then kept up to date by `append`, since this is the log's only writer.
    let decisions: Mutex<[String: [LogEntry]]>
    let deciding = Mutex(())
    private let lock: Int32
    private let entries: Int32
    /// `fsync`, unless a test puts a failing disk in its place.
    private let flush: @Sendable (Int32) -> Int32

    init(_ files: FileLogStorage, flush: @escaping @Sendable (Int32) -> Int32 = { fsync($0) }) throws {
        let lock = try files.lockWriter(holder: FileLogStorage.longHolder, wait: 0)
        let read: StoredLines
        do { read = try files.entryLines() } catch { close(lock); throw error }
        if read.torn {
            close(lock)
            throw LogError("\(files.entriesFile.path) ends in an incomplete entry; run `winnow log verify` and repair it")
        }
        let frontier = MerkleTree.Frontier(read.lines.map { MerkleTree.leafHash($0) })
        let decisions = Dictionary(grouping: DecisionLog.entries(in: read.lines, kind: .decision, requestSha256: nil), by: \.requestSha256)
        let last = try files.checkpointLines().lines.last.flatMap { DecisionLog.decode(Checkpoint.self, $0) }
        let entries = Foundation.open(files.entriesFile.path, O_WRONLY | O_APPEND | O_CLOEXEC)
        guard entries >= 0 else { close(lock); throw LogError("cannot open \(files.entriesFile.path) to append") }
        self.files = files
        self.flush = flush
        self.lock = lock
        self.entries = entries
        state = Mutex((frontier, last))
        self.decisions = Mutex(decisions)
    }

    deinit {
        close(entries)
        close(lock)
    }

    /// Entries known to be on disk (a count: the first `synced` entries), the flushes made, and
    /// the failure that stopped the log, if a flush failed. Held only for a moment: appends read
    /// it while a flush runs.
    private let flushed = Mutex<(synced: Int, failure: String?, count: Int)>((0, nil, 0))
    /// Held while a flush runs, so that flushes never overlap.
    private let flushing = Mutex(())
    /// Where `durable` waits for a flush: one at a time, in order.
    private let flusher = DispatchQueue(label: "winnow.log.flush")

    /// Numbers, chains and writes an entry, in order under the lock; it is on disk once
    /// `sync(through:)` or `durable(through:)` has returned for its index.
    func write(_ entry: LogEntry) throws -> LogEntry {
        // Asked before the state's lock is taken, never while holding it.
        if let failure = flushed.withLock({ $0.failure }) { throw LogError(failure) }
        return try state.withLock { s in
            var stored = entry
            stored.index = s.frontier.size
            stored.previousRoot = s.frontier.root.hex
            let bytes = Array((stored.line + "\n").utf8)
            let written = bytes.withUnsafeBytes { Foundation.write(entries, $0.baseAddress, $0.count) }
            guard written == bytes.count else { throw LogError("could not write the entry to \(files.entriesFile.path)") }
            s.frontier.append(MerkleTree.leafHash(bytes.dropLast()))
            if stored.kind == .decision { decisions.withLock { $0[stored.requestSha256, default: []].append(stored) } }
            return stored
        }
    }

    /// Returns once entry `index` is on disk. One flush covers every entry written before it began,
    /// so an append that finds its entry covered by a flush another made returns without one. A
    /// failed flush stops the log: what it held may be lost without the file saying so (Linux
    /// clears the error once reported), and entries chained onto it could not be trusted.
    func sync(through index: Int) throws {
        try flushing.withLock { _ in
            let (synced, failure) = flushed.withLock { ($0.synced, $0.failure) }
            if let failure { throw LogError(failure) }
            guard synced <= index else { return }
            let target = state.withLock { $0.frontier.size }
            guard flush(entries) == 0 else {
                let failure = "could not sync \(files.entriesFile.path) (\(String(cString: strerror(errno)))): the log takes no more entries; check the disk, run `winnow log verify`, and restart"
                flushed.withLock { $0.failure = failure }
                throw LogError(failure)
            }
            flushed.withLock { f in
                f.synced = target
                f.count += 1
            }
        }
    }

    /// How many flushes this log made, and how many entries they covered (for the tests).
    var flushes: (count: Int, synced: Int) { flushed.withLock { ($0.count, $0.synced) } }

    /// `sync(through:)` on the log's own thread, awaited.
    func durable(through index: Int) async throws {
        if flushed.withLock({ $0.failure == nil && $0.synced > index }) { return }
        try await flusher.run { try self.sync(through: index) }
    }
}
