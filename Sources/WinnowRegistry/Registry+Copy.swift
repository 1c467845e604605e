import Crypto
import Foundation

/// What `Registry.copy(into:)` moved, and the check that both sides hold the same.
public struct CopySummary: Sendable, Equatable {
    /// Rows per table, read back from the target.
    public var counts: [String: Int]
    /// SHA-256 over every row of every table, in a canonical order, on the target (equal to the source's).
    public var digest: String
    public var description: String {
        Registry.copiedTables.map { "\(counts[$0.table] ?? 0) \($0.table)" }.joined(separator: ", ") + "; content SHA-256 \(digest)"
    }
}

/// `registry copy` found the two registries different after the copy, or the target not empty.
public struct CopyError: Error, Sendable, CustomStringConvertible {
    public var description: String
}

extension Registry {
    /// Every table a registry's content lives in, with its columns, in the order that satisfies the
    /// references between them. The counts kept by triggers follow from these; the migrations table
    /// is each store's own.
    static let copiedTables: [(table: String, columns: [String])] = [
        (PersonRecord.table, PersonRecord.columns),
        (PersonNameRecord.table, PersonNameRecord.columns),
        (NameKeyRecord.table, NameKeyRecord.columns),
        ("keyStat", ["key", "count"]),
        (RelationRecord.table, RelationRecord.columns),
        (OrganisationRecord.table, OrganisationRecord.columns),
        (ProtectionRecord.table, ProtectionRecord.columns),
        (DomesticCaseRecord.table, DomesticCaseRecord.columns),
        (CasePartyRecord.table, CasePartyRecord.columns),
        (PriorRequestRecord.table, PriorRequestRecord.columns),
        (PriorRequestCaseRecord.table, PriorRequestCaseRecord.columns),
        (InterpolActionRecord.table, InterpolActionRecord.columns),
        (PersonEventRecord.table, PersonEventRecord.columns),
    ]

    /// Tables whose rows have no key of their own: read in the order they were written (a person's
    /// primary name first), so that the copy keeps that order.
    static let writtenOrder: Set<String> = [PersonNameRecord.table, CasePartyRecord.table, PriorRequestCaseRecord.table]

    /// Copies every record into `target`, which must be empty, in one transaction (all or nothing),
    /// then checks that both hold the same rows: the same counts and the same content digest.
    public func copy(into target: Registry, progress: (@Sendable (String) -> Void)? = nil) throws -> CopySummary {
        guard try target.isEmpty() else {
            throw CopyError(description: "\(target.location) is not empty: copy into a new registry (nothing was written)")
        }
        // (Two registries in memory are two: only a file or a database can be named twice.)
        guard target.location != location || location == "in memory" else { throw CopyError(description: "\(location): the source and the target are the same registry") }
        // One read of the source for everything copied and for its digest: a consistent snapshot
        // even while others write to it.
        let source = try store.read { s -> (counts: [String: Int], digest: String) in
            do {
                try target.store.write { out in
                    for (table, columns) in Self.copiedTables {
                        let rows = try s.rows("SELECT \(columns.joined(separator: ", ")) FROM \(table)" + (Self.writtenOrder.contains(table) ? " ORDER BY rowid" : ""))
                        progress?("\(table): \(rows.count) rows")
                        var start = 0
                        while start < rows.count {
                            let end = min(rows.count, start + 20_000)
                            try out.insert(into: table, columns: columns, rows: rows[start..<end].map(\.values))
                            start = end
                        }
                    }
                }
            } catch let failure as StoreFailure {
                throw CopyError(description: "\(target.location): the copy was refused, nothing was written: \(failure.message)")
            }
            return try Self.digest(in: s)
        }
        target.store.settle()
        let copied = try target.contentDigest()
        guard copied == source else {
            let differing = Self.copiedTables.map(\.table).filter { copied.counts[$0] != source.counts[$0] }
            throw CopyError(description: "the copy in \(target.location) differs from \(location)"
                            + (differing.isEmpty ? " in content (digest \(copied.digest) against \(source.digest))" : " in the counts of \(differing.joined(separator: ", "))"))
        }
        return CopySummary(counts: copied.counts, digest: copied.digest)
    }

    /// Rows per table and a SHA-256 over all of them: each row's values, separated by unit
    /// separators, rows sorted byte by byte within a table, so that two stores holding the same
    /// records give the same digest whatever order they keep them in.
    public func contentDigest() throws -> (counts: [String: Int], digest: String) {
        try store.read { s in try Self.digest(in: s) }
    }

    static func digest(in s: any SQLSession) throws -> (counts: [String: Int], digest: String) {
        var hash = SHA256()
        var counts: [String: Int] = [:]
        for (table, columns) in Self.copiedTables {
            let lines = try s.rows("SELECT \(columns.joined(separator: ", ")) FROM \(table)").map { row in
                row.values.map { $0.string.map { "=" + $0 } ?? "-" }.joined(separator: "\u{1F}")
            }.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
            counts[table] = lines.count
            hash.update(data: Data("\(table)\u{1D}".utf8))
            for line in lines { hash.update(data: Data((line + "\u{1E}").utf8)) }
        }
        return (counts, hash.finalize().map { String(format: "%02x", $0) }.joined())
    }
}
