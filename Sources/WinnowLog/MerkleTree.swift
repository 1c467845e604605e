import Foundation
import Crypto

/// The Merkle tree hash of RFC 9162 (Certificate Transparency 2.0, §2.1), with its inclusion and
/// consistency proofs and their verification. A leaf's hash is SHA-256(0x00 || data), an interior
/// node's SHA-256(0x01 || left || right); the tree over n leaves splits at the largest power of
/// two below n. Hashes are 32-byte arrays.
public enum MerkleTree {
    public typealias Hash = [UInt8]

    public static func leafHash(_ data: some Sequence<UInt8>) -> Hash {
        var h = SHA256()
        h.update(data: [0])
        h.update(data: Array(data))
        return Array(h.finalize())
    }

    public static func nodeHash(_ left: Hash, _ right: Hash) -> Hash {
        var h = SHA256()
        h.update(data: [1])
        h.update(data: left)
        h.update(data: right)
        return Array(h.finalize())
    }

    /// The root of the tree over these leaf hashes; SHA-256 of nothing for no leaves.
    public static func root(_ leaves: ArraySlice<Hash>) -> Hash {
        switch leaves.count {
        case 0: return Array(SHA256.hash(data: [UInt8]()))
        case 1: return leaves.first!
        default:
            let k = split(leaves.count)
            return nodeHash(root(leaves.prefix(k)), root(leaves.dropFirst(k)))
        }
    }

    public static func root(_ leaves: [Hash]) -> Hash { root(leaves[...]) }

    /// The largest power of two smaller than n (n > 1).
    static func split(_ n: Int) -> Int {
        var k = 1
        while k << 1 < n { k <<= 1 }
        return k
    }

    /// The audit path of leaf `index` in the tree over `leaves` (RFC 9162 §2.1.3.1).
    public static func inclusionProof(index: Int, leaves: ArraySlice<Hash>) -> [Hash] {
        precondition(index >= 0 && index < leaves.count)
        guard leaves.count > 1 else { return [] }
        let k = split(leaves.count)
        if index < k { return inclusionProof(index: index, leaves: leaves.prefix(k)) + [root(leaves.dropFirst(k))] }
        return inclusionProof(index: index - k, leaves: leaves.dropFirst(k)) + [root(leaves.prefix(k))]
    }

    /// The proof that the tree of the first `old` leaves is a prefix of the tree over all of
    /// `leaves` (RFC 9162 §2.1.4.1).
    public static func consistencyProof(old: Int, leaves: ArraySlice<Hash>) -> [Hash] {
        precondition(old >= 0 && old <= leaves.count)
        guard old > 0, old < leaves.count else { return [] }
        return subproof(old, leaves, complete: true)
    }

    private static func subproof(_ m: Int, _ leaves: ArraySlice<Hash>, complete: Bool) -> [Hash] {
        let n = leaves.count
        if m == n { return complete ? [] : [root(leaves)] }
        let k = split(n)
        if m <= k { return subproof(m, leaves.prefix(k), complete: complete) + [root(leaves.dropFirst(k))] }
        return subproof(m - k, leaves.dropFirst(k), complete: false) + [root(leaves.prefix(k))]
    }

    /// Whether `proof` shows the leaf with this hash at `index` in a tree of `size` with `root`
    /// (RFC 9162 §2.1.3.2).
    public static func verifyInclusion(index: Int, size: Int, leafHash: Hash, proof: [Hash], root: Hash) -> Bool {
        guard index >= 0, index < size else { return false }
        var fn = index, sn = size - 1
        var r = leafHash
        for p in proof {
            if sn == 0 { return false }
            if fn & 1 == 1 || fn == sn {
                r = nodeHash(p, r)
                if fn & 1 == 0 { while fn & 1 == 0 && fn != 0 { fn >>= 1; sn >>= 1 } }
            } else {
                r = nodeHash(r, p)
            }
            fn >>= 1
            sn >>= 1
        }
        return sn == 0 && r == root
    }

    /// Whether `proof` shows the tree of `oldSize` with `oldRoot` to be a prefix of the tree of
    /// `newSize` with `newRoot` (RFC 9162 §2.1.4.2).
    public static func verifyConsistency(oldSize: Int, newSize: Int, oldRoot: Hash, newRoot: Hash, proof: [Hash]) -> Bool {
        guard oldSize >= 0, oldSize <= newSize else { return false }
        if oldSize == newSize { return proof.isEmpty && oldRoot == newRoot }
        if oldSize == 0 { return proof.isEmpty }
        var path = proof
        if oldSize & (oldSize - 1) == 0 { path.insert(oldRoot, at: 0) }
        guard let first = path.first else { return false }
        var fn = oldSize - 1, sn = newSize - 1
        while fn & 1 == 1 { fn >>= 1; sn >>= 1 }
        var fr = first, sr = first
        for c in path.dropFirst() {
            if sn == 0 { return false }
            if fn & 1 == 1 || fn == sn {
                fr = nodeHash(c, fr)
                sr = nodeHash(c, sr)
                if fn & 1 == 0 { while fn & 1 == 0 && fn != 0 { fn >>= 1; sn >>= 1 } }
            } else {
                sr = nodeHash(sr, c)
            }
            fn >>= 1
            sn >>= 1
        }
        return fr == oldRoot && sr == newRoot && sn == 0
    }

    /// The roots of every prefix of the tree as leaves are appended, each in O(log n): the
    /// perfect subtrees of the prefix, largest first, folded from the right.
    public struct Frontier: Sendable {
        private var subtrees: [(size: Int, hash: Hash)] = []
        public private(set) var size = 0

        public init() {}

        /// The frontier of a tree over these leaves.
        public init(_ leaves: some Sequence<Hash>) {
            for leaf in leaves { append(leaf) }
        }

        public mutating func append(_ leaf: Hash) {
            var node = (size: 1, hash: leaf)
            while let last = subtrees.last, last.size == node.size {
                subtrees.removeLast()
                node = (last.size * 2, nodeHash(last.hash, node.hash))
            }
            subtrees.append(node)
            size += 1
        }

        /// The frontier as text, the size and hash of each complete subtree ("4:ab12…,1:cd34…",
        /// empty for an empty tree): what a shared log's head keeps, so that an append reads one
        /// row instead of the whole log.
        public var serialized: String { subtrees.map { "\($0.size):\($0.hash.hex)" }.joined(separator: ",") }

        /// A frontier from `serialized`; nil unless each subtree is a power of two in size, larger
        /// than the next, with a 32-byte hash.
        public init?(serialized text: String) {
            for part in text.split(separator: ",") {
                let pieces = part.split(separator: ":")
                guard pieces.count == 2, let n = Int(pieces[0]), n > 0, n & (n - 1) == 0,
                      let hash = [UInt8](hex: String(pieces[1])), hash.count == 32,
                      subtrees.last.map({ $0.size > n }) ?? true else { return nil }
                subtrees.append((n, hash))
                size += n
            }
        }

        public var root: Hash {
            guard var r = subtrees.last?.hash else { return MerkleTree.root([Hash]()) }
            for s in subtrees.dropLast().reversed() { r = nodeHash(s.hash, r) }
            return r
        }
    }
}

extension Array where Element == UInt8 {
    /// Lower-case hexadecimal.
    public var hex: String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(count * 2)
        for b in self {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    public init?(hex: String) {
        guard hex.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            guard let b = UInt8(hex[index..<next], radix: 16) else { return nil }
            bytes.append(b)
            index = next
        }
        self = bytes
    }
}
