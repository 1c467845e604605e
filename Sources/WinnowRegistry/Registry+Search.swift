import Foundation
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
    ///
    /// The search starts from the query's rarest keys, together at most `seedBudget` postings (and
    /// always the rarest). When even the rarest is carried by more persons than that ("Dana" plus a
    /// surname no one in the registry carries), it starts instead from all the keys of two parts at
    /// once and of one-part names (`NameMatcher.combinedQueryKeys`): a person who shares only one
    /// part of a name of two parts or more cannot match it, so ranking all of them only costs time
    /// (and, past the 60 ranked, finds a match only by chance).
    /// `includeNonMatches` (near misses, for a reviewer's look) keeps the single keys.
    /// `matchesOnly` returns matches alone (no possible relatives), for callers that want the person
    /// herself: then persons whose known birth date differs from `birthDate` are not ranked at all
    /// when the matcher says such a pair can never match.
    public func search(_ name: String, birthDate: String? = nil, nationalities: [String] = [], limit: Int = 10,
                       includeNonMatches: Bool = false, matchesOnly: Bool = false) throws -> [PersonHit] {
        // The query is read once: for its keys and for every comparison.
        let query = NameMatcher.prepare(name)
        let keys = Array(NameMatcher.searchKeys(query))
        guard !keys.isEmpty else { return [] }
        return try store.read { db in
            var seeds = try Self.seeds(keys, budget: seedBudget, in: db)
            if seeds.exceeded && !includeNonMatches {
                let combined = Array(NameMatcher.combinedQueryKeys(query))
                // All of them: each stands for two parts at once, so together they are carried by
                // few persons, even for the most common full names.
                if !combined.isEmpty { seeds = try Self.seeds(combined, budget: Int.max, in: db) }
            }
            guard !seeds.keys.isEmpty else { return [] }
            let birthFilter = matchesOnly && !includeNonMatches && birthDate != nil && matcher.differentBirthDatesRuleOut
            // Driven by the seed persons: each one's keys are counted through the personId index.
            let candidates = try db.strings("""
                SELECT s.personId FROM (SELECT DISTINCT personId FROM nameKey WHERE key IN (\(placeholders(seeds.keys.count)))) s
                \(birthFilter ? "JOIN person p ON p.id = s.personId WHERE p.birthDate IS NULL OR p.birthDate = ?" : "")
                ORDER BY (SELECT COUNT(*) FROM nameKey n WHERE n.personId = s.personId AND n.key IN (\(placeholders(keys.count)))) DESC, s.personId
                LIMIT 60
                """, (seeds.keys + (birthFilter ? [birthDate!] : []) + keys).map(SQLValue.text))
            guard !candidates.isEmpty else { return [] }
            // The candidates' records and names in one read, in the order of the ranking.
            var people: [String: (birthDate: String?, nationalities: [String], names: [String])] = [:]
            let rows = try db.rows("""
                SELECT p.id, p.birthDate, p.nationalities, n.name FROM person p JOIN personName n ON n.personId = p.id
                WHERE p.id IN (\(placeholders(candidates.count))) ORDER BY n.rowid
                """, candidates.map(SQLValue.text))
            for row in rows {
                let id = try row.text("id")
                if people[id] == nil {
                    let nats = row.string("nationalities") ?? ""
                    people[id] = (row.string("birthDate"), nats.split(separator: " ").map(String.init), [])
                }
                people[id]!.names.append(try row.text("name"))
            }
            var hits: [PersonHit] = []
            for id in candidates {
                guard let person = people[id] else { continue }
                var best: (NameMatch, String)?
                for n in person.names {
                    let m = matcher.compare(query, NameMatcher.prepare(n), birthA: birthDate, birthB: person.birthDate,
                                            nationalitiesA: nationalities, nationalitiesB: person.nationalities)
                    if best == nil || m.score > best!.0.score { best = (m, n) }
                }
                guard let (match, matchedName) = best else { continue }
                guard includeNonMatches || (matchesOnly ? match.isMatch : match.verdict != .different) else { continue }
                hits.append(PersonHit(id: id, names: person.names, birthDate: person.birthDate, nationalities: person.nationalities,
                                      match: match, matchedName: matchedName))
            }
            return Array(hits.sorted { $0.match.score != $1.match.score ? $0.match.score > $1.match.score : $0.id < $1.id }.prefix(limit))
        }
    }

    /// The rarest of `keys` that any person carries, together at most `budget` postings (and always
    /// the rarest one); `exceeded` when the rarest alone is over the budget.
    static func seeds(_ keys: [String], budget: Int, in db: any SQLSession) throws -> (keys: [String], exceeded: Bool) {
        // Ties in count are broken by the key, so that both stores start from the same keys.
        let stats = try db.rows("SELECT key, count FROM keyStat WHERE key IN (\(placeholders(keys.count))) AND count > 0 ORDER BY count, key",
                                keys.map(SQLValue.text))
        var seeds: [String] = []
        var postings = 0
        for row in stats {
            let count = row.int("count")
            if !seeds.isEmpty && postings + count > budget { break }
            seeds.append(try row.text("key"))
            postings += count
        }
        return (seeds, postings > budget)
    }
}
