import Foundation
import Testing
import WinnowNames
@testable import WinnowRegistry

/// A search whose every single key is common starts from keys of two name parts at once
/// (`NameMatcher.combinedQueryKeys`). These tests hold that path to the same matches as the
/// exhaustive one: `seedBudget = 0` sends every search down it.
@Suite("Registry search: keys of two name parts when every single key is common")
struct RegistrySearchTests {
    /// FollowTheMoney lines, one person per (id, name, birth date).
    static func registry(_ people: [(id: String, name: String, birth: String?)], on store: TestStore) throws -> Registry {
        let dir = try TempDir()
        let lines = try people.map { p -> String in
            var properties: [String: [String]] = ["name": [p.name]]
            if let birth = p.birth { properties["birthDate"] = [birth] }
            let data = try JSONSerialization.data(withJSONObject: ["id": p.id, "schema": "Person", "properties": properties], options: [.sortedKeys])
            return String(decoding: data, as: UTF8.self)
        }
        let registry = try store.empty()
        _ = try registry.importFile(try dir.write("people.jsonl", lines.joined(separator: "\n") + "\n"))
        return registry
    }

    static func matches(_ registry: Registry, _ name: String, budget: Int, birth: String? = nil) throws -> [String] {
        var r = registry
        r.seedBudget = budget
        return try r.search(name, birthDate: birth, limit: 10).filter(\.match.isMatch).map(\.id).sorted()
    }

    @Test("every known variant pair of the name-family table is found through the two-part keys as through the single keys", arguments: TestStore.available)
    func variantTable(_ store: TestStore) throws {
        let rows = NameFamilyTests.rows.filter { $0.expect == "match" }
        #expect(rows.count > 50)
        let registry = try Self.registry(rows.enumerated().map { ("v\($0)", $1.b, nil) }, on: store)
        var compared = 0
        for (i, row) in rows.enumerated() {
            let exhaustive = try Self.matches(registry, row.a, budget: Int.max)
            let combined = try Self.matches(registry, row.a, budget: 0)
            #expect(combined == exhaustive, "\(row.family): \(row.a) / \(row.b)")
            if exhaustive.contains("v\(i)") { compared += 1 }
        }
        // The exhaustive path finds (nearly) all of them: the comparison is not between two empty lists.
        #expect(compared >= rows.count * 9 / 10)
    }

    @Test("a common given name with a surname no one carries: no candidate, and the one-part name is still found", arguments: TestStore.available)
    func commonGivenName(_ store: TestStore) throws {
        var people: [(id: String, name: String, birth: String?)] = []
        let surnames = ["Горембетов", "Храпалбекович", "Ткачашенко", "Сулейменов", "Жаксылыков", "Касымов", "Абенов", "Жумабаев"]
        for (i, surname) in surnames.enumerated() {
            people.append(("d\(i)", "Дана \(surname)а", "1980-01-0\(i + 1)"))
            people.append(("n\(i)", "Нурлан \(surname)", "1975-02-0\(i + 1)"))
        }
        people.append(("target", "Дана Ерлановна Темирханова", "1984-03-02"))
        people.append(("mono", "Dana", nil))
        let registry = try Self.registry(people, on: store)
        // Unbounded, the single keys rank everyone; at 3 the surname's key is rare enough to start
        // from (and the one-part name is not reached), while for "Beisenova", which no one carries,
        // only "Dana" is left and it is over the budget; at 0 every single key is.
        for budget in [Int.max, 3, 0] {
            let expected: Set<String> = budget == 3 ? ["target"] : ["mono", "target"]
            let latin = try Self.matches(registry, "Dana Temirkhanova", budget: budget)
            #expect(Set(latin) == expected, "budget \(budget)")
            let cyrillic = try Self.matches(registry, "Дана Темирханова", budget: budget, birth: "1984-03-02")
            #expect(Set(cyrillic) == expected, "budget \(budget)")
            let absent = try Self.matches(registry, "Dana Beisenova", budget: budget)
            #expect(absent == ["mono"], "budget \(budget)")
            let common = try Self.matches(registry, "Nurlan Kasymov", budget: budget)
            #expect(common == ["n5"], "budget \(budget)")
        }
    }

    @Test("a patronymic is left out of the two-part keys under every reading, Cyrillic included")
    func patronymics() {
        let query = NameMatcher.combinedQueryKeys("Дана Ерлановна Темирханова")
        #expect(query.contains("+dn|tmrHn"))
        #expect(!query.contains { $0.contains("rln") }, "\(query.sorted())")
        #expect(NameMatcher.indexKeys("Дана Ерлановна Темирханова").isSuperset(of: ["+dn|tmrHn"]))
        // In a name of two parts, -ovna may be a surname: it stays.
        #expect(NameMatcher.combinedQueryKeys("Dana Erlanovna").contains { $0.contains("rln") })
    }

    @Test("matches only: no possible relatives, and no one whose known birth date differs", arguments: TestStore.available)
    func matchesOnly(_ store: TestStore) throws {
        let registry = try Self.registry([
            ("her", "Дана Темирханова", "1984-03-02"),
            ("namesake", "Дана Темирханова", "1990-07-11"),
            ("undated", "Dana Temirkhanova", nil),
            ("brother", "Нурлан Темирханов", "1981-05-05"),
        ], on: store)
        let all = try registry.search("Dana Temirkhanova", birthDate: "1984-03-02").map(\.id)
        #expect(Set(all).isSuperset(of: ["her", "undated", "brother"]))
        let matches = try registry.search("Dana Temirkhanova", birthDate: "1984-03-02", matchesOnly: true)
        #expect(matches.map(\.id) == ["her", "undated"])
        #expect(matches.allSatisfy { $0.match.isMatch })
        let undated = try registry.search("Dana Temirkhanova", matchesOnly: true).map(\.id).sorted()
        #expect(undated == ["her", "namesake", "undated"])
    }

    @Test("generated Cyrillic names under another romanisation: the two-part path finds each person, and only what the single keys find", arguments: TestStore.available)
    func romanisations(_ store: TestStore) throws {
        let given = ["Дана", "Нурлан", "Арман", "Алия", "Марат", "Жанна"]
        let stems = ["Тем", "Жар", "Нур", "Сулей", "Касы", "Бек"]
        let endings = ["ов", "енко", "баев", "ханов", "улы"]
        var people: [(id: String, name: String, birth: String?)] = []
        for (g, first) in given.enumerated() {
            for (s, stem) in stems.enumerated() {
                for (e, ending) in endings.enumerated() { people.append(("g\(g)s\(s)e\(e)", "\(first) \(stem)ир\(ending)", nil)) }
            }
        }
        let registry = try Self.registry(people, on: store)
        for (i, person) in people.enumerated() where i % 7 == 0 {
            let query = Romanisation.allCases[i % Romanisation.allCases.count].romanise(person.name)
            let exhaustive = try Self.matches(registry, query, budget: Int.max)
            #expect(exhaustive.contains(person.id), "\(query)")
            let combined = try Self.matches(registry, query, budget: 0)
            // The single keys also rank look-alikes (Bekirkhanov for Temirkhanov) that the matcher
            // accepts; the two-part keys find the person and nothing the single keys would not.
            #expect(combined.contains(person.id), "\(query)")
            #expect(Set(combined).isSubset(of: exhaustive), "\(query)")
        }
    }
}
