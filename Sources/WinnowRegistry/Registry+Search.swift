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
        let keys = Array(NameMatcher.blockingKeys(name))
        guard !keys.isEmpty else { return [] }
        return try writer.read { db in
            let placeholders = Array(repeating: "?", count: keys.count).joined(separator: ",")
            let need = min(2, keys.count)
            var candidates = try String.fetchAll(db, sql: """
                SELECT personId FROM nameKey WHERE key IN (\(placeholders))
                GROUP BY personId HAVING COUNT(*) >= ? ORDER BY COUNT(*) DESC LIMIT 100
                """, arguments: StatementArguments(keys + [need]))
            if candidates.isEmpty && need > 1 {
                candidates = try String.fetchAll(db, sql: """
                    SELECT personId FROM nameKey WHERE key IN (\(placeholders)) GROUP BY personId ORDER BY COUNT(*) DESC LIMIT 100
                    """, arguments: StatementArguments(keys))
            }
            var hits: [PersonHit] = []
            for id in candidates {
                guard let person = try PersonRecord.fetchOne(db, key: id) else { continue }
                let names = try String.fetchAll(db, sql: "SELECT name FROM personName WHERE personId = ? ORDER BY rowid", arguments: [id])
                let nats = person.nationalities.split(separator: " ").map(String.init)
                var best: (NameMatch, String)?
                for n in names {
                    let m = matcher.compare(name, n, birthA: birthDate, birthB: person.birthDate, nationalitiesA: nationalities, nationalitiesB: nats)
                    if best == nil || m.score > best!.0.score { best = (m, n) }
                }
                guard let (match, matchedName) = best, includeNonMatches || match.verdict != .different else { continue }
                hits.append(PersonHit(id: id, names: names, birthDate: person.birthDate, nationalities: nats, match: match, matchedName: matchedName))
            }
            return Array(hits.sorted { $0.match.score != $1.match.score ? $0.match.score > $1.match.score : $0.id < $1.id }.prefix(limit))
        }
    }
}
