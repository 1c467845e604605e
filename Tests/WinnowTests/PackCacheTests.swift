import Foundation
import Testing
@testable import Winnow
@testable import WinnowRules
import WinnowModel

/// Issue 12: a cold start reads the checked pack from a cache instead of parsing its YAML. The cache
/// must never change what a report says, and never outlive the files it was made from.
@Suite("rule pack cache")
struct PackCacheTests {
    /// A copy of the shipped pack that a test may edit.
    func copyOfRules(in dir: TempDir) throws -> URL {
        let copy = dir.url.appendingPathComponent("Rules")
        try FileManager.default.copyItem(at: Paths.rules, to: copy)
        return copy
    }

    func files(_ cache: PackCache) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: cache.folder.path)) ?? []).sorted()
    }

    @Test("a pack read from the cache is the pack read from its files, and screens every sample to the same report")
    func sameReports() throws {
        let dir = try TempDir()
        let rules = try copyOfRules(in: dir)
        let cache = PackCache(folder: dir.url.appendingPathComponent("cache"), salt: "test")
        let fromFiles = try RulePack.load(from: rules)
        let first = try RulePack.load(from: rules, cache: cache)
        #expect(files(cache).count == 1 + RulePack.Cached.profileShards, "\(files(cache))")
        let cached = try RulePack.load(from: rules, cache: cache)
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        func rulesJSON(_ p: RulePack) throws -> Data { try encoder.encode(p.rules) }
        #expect(try rulesJSON(cached) == rulesJSON(fromFiles))
        #expect(try rulesJSON(first) == rulesJSON(fromFiles))
        #expect(cached.profiles?.profiles == fromFiles.profiles?.profiles)
        #expect(cached.profiles?.sources == fromFiles.profiles?.sources)
        #expect(cached.sources == fromFiles.sources && cached.sourceScopes == fromFiles.sourceScopes)
        #expect(cached.sha256 == fromFiles.sha256 && cached.patternFamilies == fromFiles.patternFamilies)
        let (x, y) = (cached.scoring, fromFiles.scoring)
        #expect(x.thresholds == y.thresholds && x.max == y.max && x.baseScore == y.baseScore && x.pointsToDouble == y.pointsToDouble)
        #expect(x.familyDecay == y.familyDecay && x.contextCap == y.contextCap && x.contextAmplify == y.contextAmplify)
        #expect(try encoder.encode(x.floorsRelaxedWhen) == encoder.encode(y.floorsRelaxedWhen))

        let day = Day("2026-11-29")!
        let at = Date(timeIntervalSince1970: 0)
        for sample in Paths.sampleRequests {
            let a = try Screener(pack: fromFiles, asOf: day).screen(path: Paths.sample(sample), generatedAt: at)
            let b = try Screener(pack: cached, asOf: day).screen(path: Paths.sample(sample), generatedAt: at)
            #expect(try encoder.encode(a) == encoder.encode(b), "\(sample)")
        }
    }

    @Test("an edited file, another folder or another executable never reads an old entry")
    func keyedByContent() throws {
        let dir = try TempDir()
        let rules = try copyOfRules(in: dir)
        let cache = PackCache(folder: dir.url.appendingPathComponent("cache"), salt: "build 1")
        _ = try RulePack.load(from: rules, cache: cache)
        let profile = rules.appendingPathComponent("profiles/KZ.yaml")
        let text = try String(contentsOf: profile, encoding: .utf8)
        try text.replacingOccurrences(of: "name: \"Kazakhstan\"", with: "name: \"Kazakhstan (edited)\"").write(to: profile, atomically: true, encoding: .utf8)
        #expect(try RulePack.load(from: rules, cache: cache).profiles?.profiles["KZ"]?.name == "Kazakhstan (edited)")

        let other = dir.url.appendingPathComponent("Other")
        try FileManager.default.copyItem(at: rules, to: other)
        let moved = try RulePack.load(from: other, cache: cache)
        #expect(moved.profiles?.profiles["KZ"]?.file.hasPrefix(other.path) == true, "files are named where they are now")
        let before = files(cache).count
        _ = try RulePack.load(from: rules, cache: PackCache(folder: cache.folder, salt: "build 2"))
        #expect(files(cache).count == before + 1 + RulePack.Cached.profileShards, "a rebuilt Winnow writes its own entry")
    }

    @Test("a damaged or missing part is a miss; a pack with problems is never cached; an unwritable cache costs only speed")
    func failures() throws {
        let dir = try TempDir()
        let rules = try copyOfRules(in: dir)
        let cache = PackCache(folder: dir.url.appendingPathComponent("cache"), salt: "test")
        let expected = try RulePack.load(from: rules, cache: cache).rules.count
        for name in files(cache) {
            try Data("{ not json".utf8).write(to: cache.folder.appendingPathComponent(name))
        }
        #expect(try RulePack.load(from: rules, cache: cache).rules.count == expected)
        try FileManager.default.removeItem(at: cache.folder.appendingPathComponent(files(cache)[1]))
        #expect(try RulePack.load(from: rules, cache: cache).rules.count == expected)

        let rule = rules.appendingPathComponent("p01-refugees.yaml")
        try (String(contentsOf: rule, encoding: .utf8) + "\n  - this is not a rule\n").write(to: rule, atomically: true, encoding: .utf8)
        let filesBefore = files(cache)
        for _ in 0..<2 {
            #expect(throws: RulePackError.self) { try RulePack.load(from: rules, cache: cache) }
        }
        #expect(files(cache) == filesBefore)

        let blocked = PackCache(folder: URL(fileURLWithPath: try dir.write("a-file", "")).appendingPathComponent("cache"), salt: "test")
        #expect(try RulePack.load(from: Paths.rules, cache: blocked).rules.count == expected)
    }

    @Test("old entries are pruned: at most a few packs or builds are kept")
    func pruned() throws {
        let dir = try TempDir()
        let folder = dir.url.appendingPathComponent("cache")
        for n in 0..<(PackCache.entriesKept + 3) {
            let cache = PackCache(folder: folder, salt: "build \(n)")
            cache.write(parts: ["a", "b"], kind: "pack", content: "x")
            // Dated one second apart, oldest first, so that which are newest does not depend on the clock.
            for i in 0..<2 {
                try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSince1970: Double(1_000 + n))],
                                                      ofItemAtPath: cache.partPath(kind: "pack", content: "x", part: i))
            }
        }
        #expect(files(PackCache(folder: folder)).count == PackCache.entriesKept * 2)
        #expect(PackCache(folder: folder, salt: "build \(PackCache.entriesKept + 2)").read(parts: 2, String.self, kind: "pack", content: "x") == ["a", "b"])
    }

    @Test("WINNOW_CACHE_DIR chooses the folder or turns the cache off; XDG_CACHE_HOME and HOME are the defaults")
    func location() {
        #expect(PackCache.standard(environment: ["WINNOW_CACHE_DIR": "off", "HOME": "/home/r"]) == nil)
        #expect(PackCache.standard(environment: ["WINNOW_CACHE_DIR": "/c", "HOME": "/home/r"])?.folder.path == "/c")
        #expect(PackCache.standard(environment: ["XDG_CACHE_HOME": "/x", "HOME": "/home/r"])?.folder.path == "/x/winnow")
        #expect(PackCache.standard(environment: ["HOME": "/home/r"])?.folder.path == "/home/r/.cache/winnow")
        #expect(PackCache.standard(environment: [:]) == nil)
    }
}
