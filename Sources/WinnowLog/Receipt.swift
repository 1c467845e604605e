public import Crypto
import Foundation

/// What a report carries to be checked without the log: its screening's entry as stored, the
/// entry's inclusion proof (RFC 9162 audit path) and the signed checkpoint that proof leads to.
/// Anyone with the log's public key can check, offline, that the log recorded this report, byte
/// for byte, and that the log's key signed a tree that holds it (Certificate Transparency's proof
/// of inclusion, for a report).
public struct Receipt: Codable, Sendable, Equatable {
    public var index: Int
    /// The entry's line, exactly as stored (the leaf).
    public var entry: String
    public var proof: [String]
    public var checkpoint: Checkpoint

    public init(index: Int, entry: String, proof: [String], checkpoint: Checkpoint) {
        self.index = index
        self.entry = entry
        self.proof = proof
        self.checkpoint = checkpoint
    }

    /// The decoded entry, or nil when the line is not one.
    public var decodedEntry: LogEntry? { try? JSONDecoder().decode(LogEntry.self, from: Data(entry.utf8)) }

    /// Why the receipt does not prove that `report` was issued and logged under `key`, or nil when it does.
    public func problem(report: [UInt8], key: Curve25519.Signing.PublicKey) -> String? {
        guard checkpoint.isSigned(by: key) else { return "the checkpoint is not signed by the trusted key" }
        guard let e = decodedEntry else { return "the entry is not a log entry" }
        guard e.index == index else { return "the entry says it is entry \(e.index), not \(index)" }
        guard e.kind == .screening, let sha = e.reportSha256 else { return "entry \(index) is not a screening" }
        guard sha == report.sha256 else { return "the report's SHA-256 is \(report.sha256); entry \(index) recorded \(sha): the report is not the one issued" }
        let path = proof.compactMap { [UInt8](hex: $0) }
        guard let root = [UInt8](hex: checkpoint.rootHash), index < checkpoint.treeSize, path.count == proof.count,
              MerkleTree.verifyInclusion(index: index, size: checkpoint.treeSize, leafHash: MerkleTree.leafHash(Array(entry.utf8)),
                                         proof: path, root: root) else {
            return "the proof does not lead from entry \(index) to the checkpoint's root: the entry or the proof was altered"
        }
        return nil
    }
}

extension LogAppender {
    /// A receipt for screening entry `index`, against the latest checkpoint (signed now if entries
    /// were added since the last one).
    public func receipt(index: Int, time: String) throws -> Receipt {
        let checkpoint = try checkpoint(time: time)
        guard index >= 0, index < checkpoint.treeSize else { throw LogError("no entry \(index) in a tree of \(checkpoint.treeSize)") }
        let (entry, _, proof) = try log.inclusionProof(index: index, size: checkpoint.treeSize)
        return Receipt(index: index, entry: entry, proof: proof, checkpoint: checkpoint)
    }
}
