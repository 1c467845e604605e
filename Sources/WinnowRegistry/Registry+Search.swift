import Foundation
import GRDB
public import WinnowNames

/// A registry person found by name, with how the name matched.
public struct PersonHit: Sendable, Codable, Equatable {
    public var id: String
    public var names: [String]
    public var birthDate: String?
    public var nationalities: [String]
    /// The best match among the person's names.
    public var match: NameMatch
    public var matchedName: String
}

extension Registry {
    /// Persons whose names match `name`, best first. Candidates come from the search keys (each
    /// name part's consonant skeleton with confusable letters merged), then the matcher scores them.
    public func search(_ name: String, birthDate: String? = nil, nationalities: [String] = [], limit: Int = 10,
                       includeNonMatches: Bool = false) throws -> [PersonHit] {
        let keys = Array(NameMatcher.searchKeys(name))
        guard !keys.isEmpty else { return [] }
        return try writer.read { db in
            let placeholders = Array(repeating: "?", count: keys.count).joined(separator: ",")
            // Start from the rare keys (together at most `budget` postings, and always the rarest),
            // then rank those persons by how many of all the query's keys they carry.
            let stats = try Row.fetchAll(db, sql: "SELECT key, count FROM keyStat WHERE key IN (\(placeholders)) ORDER BY count",
                                         arguments: StatementArguments(keys))
            guard !stats.isEmpty else { return [] }
            let budget = 1500
            var seeds: [String] = []
            var postings = 0
            for row in stats {
                let count: Int = row["count"]
                if !seeds.isEmpty && postings + count > budget { break }
                seeds.append(row["key"])
                postings += count
            }
            // Driven by the seed persons: each one's keys are counted through the personId index.
            let candidates = try String.fetchAll(db, sql: """
                SELECT s.personId FROM (SELECT DISTINCT personId FROM nameKey WHERE key IN (\(seeds.map { _ in "?" }.joined(separator: ",")))) s
                ORDER BY (SELECT COUNT(*) FROM nameKey n WHERE n.personId = s.personId AND n.key IN (\(placeholders))) DESC, s.personId
                LIMIT 60
                """, arguments: StatementArguments(seeds + keys))
            var hits: [PersonHit] = []
            let query = NameMatcher.prepare(name)
            for id in candidates {
                guard let person = try PersonRecord.fetchOne(db, key: id) else { continue }
                let names = try String.fetchAll(db, sql: "SELECT name FROM personName WHERE personId = ? ORDER BY rowid", arguments: [id])
                let nats = person.nationalities.split(separator: " ").map(String.init)
                var best: (NameMatch, String)?
                for n in names {
                    let m = matcher.compare(query, NameMatcher.prepare(n), birthA: birthDate, birthB: person.birthDate, nationalitiesA: nationalities, nationalitiesB: nats)
                    if best == nil || m.score > best!.0.score { best = (m, n) }
                }
                guard let (match, matchedName) = best, includeNonMatches || match.verdict != .different else { continue }
                hits.append(PersonHit(id: id, names: names, birthDate: person.birthDate, nationalities: nats, match: match, matchedName: matchedName))
            }
            return Array(hits.sorted { $0.match.score != $1.match.score ? $0.match.score > $1.match.score : $0.id < $1.id }.prefix(limit))
        }
    }
}
