// winnow-bench: measures what the tests never time. Run with
//   swift run -c release winnow-bench [--persons N] [--queries N] [--screens N] [--keep DIR [--reuse]]
// It generates a fictional registry of N persons, imports it, and reports import time, search
// latency (p50/p95), screening latency with the registry, and name-matching quality against plain
// Jaro-Winkler on Tests/Fixtures/name-pairs.tsv.
import Foundation
import Winnow
import WinnowNames
import WinnowRegistry

func argument(_ name: String, _ fallback: Int) -> Int {
    guard let i = CommandLine.arguments.firstIndex(of: name), i + 1 < CommandLine.arguments.count,
          let v = Int(CommandLine.arguments[i + 1]) else { return fallback }
    return v
}

let personCount = argument("--persons", 1_000_000)
let queryCount = argument("--queries", 1000)
let screenCount = argument("--screens", 100)
let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

func percentile(_ values: [Double], _ p: Double) -> Double {
    let sorted = values.sorted()
    return sorted[min(sorted.count - 1, Int(Double(sorted.count - 1) * p))]
}
func ms(_ seconds: Double) -> String { String(format: "%.2f ms", seconds * 1000) }
func time<T>(_ body: () throws -> T) rethrows -> (T, Double) {
    let start = DispatchTime.now().uptimeNanoseconds
    let value = try body()
    return (value, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
}

// MARK: name-matching quality

let pairs = (try String(contentsOf: root.appendingPathComponent("Tests/Fixtures/name-pairs.tsv"), encoding: .utf8))
    .split(separator: "\n").dropFirst().map { $0.split(separator: "\t").map(String.init) }
func quality(_ decide: ([String]) -> Bool) -> (Double, Double, Double) {
    var tp = 0.0, fp = 0.0, fn = 0.0
    for p in pairs {
        let said = decide(p), truth = p[2] == "match"
        if said && truth { tp += 1 } else if said { fp += 1 } else if truth { fn += 1 }
    }
    let precision = tp / max(1, tp + fp), recall = tp / max(1, tp + fn)
    return (precision, recall, 2 * precision * recall / max(0.0001, precision + recall))
}
let matcher = NameMatcher()
let (ours, oursTime) = time { quality { matcher.compare($0[0], $0[1]).isMatch } }
var bestJW = (0.0, 0.0, 0.0, 0.0)
for t in stride(from: 0.70, through: 0.98, by: 0.01) {
    let q = quality { jaroWinkler($0[0], $0[1]) >= t }
    if q.2 > bestJW.2 { bestJW = (q.0, q.1, q.2, t) }
}
print("name matching on \(pairs.count) labelled pairs")
print(String(format: "  winnow matcher       precision %.3f  recall %.3f  F1 %.3f  (%.1f µs per pair)", ours.0, ours.1, ours.2, oursTime / Double(pairs.count) * 1e6))
print(String(format: "  plain Jaro-Winkler   precision %.3f  recall %.3f  F1 %.3f  (best threshold %.2f)", bestJW.0, bestJW.1, bestJW.2, bestJW.3))

// MARK: per script family, on pairs the matcher was not tuned on

// Tests/Fixtures/name-families.tsv (scripts/make-name-families.py, its own tables): the "heldout"
// rows are never looked at when the matcher changes; only they are reported here.
let families = (try String(contentsOf: root.appendingPathComponent("Tests/Fixtures/name-families.tsv"), encoding: .utf8))
    .split(separator: "\n").dropFirst().map { $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init) }
let heldOut = families.filter { $0[5] == "heldout" }
print("name matching per family on \(heldOut.count) held-out pairs (of \(families.count))")
var byFamily: [String: (tp: Int, fp: Int, fn: Int, n: Int)] = [:]
for row in heldOut {
    let said = matcher.compare(row[1], row[2]).isMatch, truth = row[3] == "match"
    var c = byFamily[row[0]] ?? (0, 0, 0, 0)
    c.n += 1
    if said && truth { c.tp += 1 } else if said { c.fp += 1 } else if truth { c.fn += 1 }
    byFamily[row[0]] = c
}
for family in ["arabic", "persian", "turkic", "chinese", "uyghur", "cyrillic"] {
    guard let c = byFamily[family] else { continue }
    let p = Double(c.tp) / Double(max(1, c.tp + c.fp)), r = Double(c.tp) / Double(max(1, c.tp + c.fn))
    print("  " + family.padding(toLength: 9, withPad: " ", startingAt: 0)
          + String(format: " %4d pairs  precision %.3f  recall %.3f  F1 %.3f  (%d false matches, %d misses)",
                   c.n, p, r, 2 * p * r / max(0.0001, p + r), c.fp, c.fn))
}

// Pairs per second on one core: every labelled pair, names prepared once (as search and the batch
// do), compared again and again for about two seconds.
let prepared = (pairs.map { ($0[0], $0[1]) } + families.map { ($0[1], $0[2]) }).map { (NameMatcher.prepare($0.0), NameMatcher.prepare($0.1)) }
var compared = 0
var checksum = 0.0
let (_, compareTime) = time {
    let start = DispatchTime.now().uptimeNanoseconds
    while DispatchTime.now().uptimeNanoseconds - start < 2_000_000_000 {
        for (a, b) in prepared { checksum += matcher.compare(a, b).score }
        compared += prepared.count
    }
}
let (_, prepareTime) = time { for p in families { _ = NameMatcher.prepare(p[1]); _ = NameMatcher.prepare(p[2]) } }
print(String(format: "  speed: %.0f pairs/s on one core with both names prepared (as search and batch compare them); reading a name %.1f µs (checksum %.0f)",
             Double(compared) / compareTime, prepareTime / Double(families.count * 2) * 1e6, checksum))

// MARK: a generated registry

struct Seeded: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 { state = state &* 6364136223846793005 &+ 1442695040888963407; return state >> 1 ^ state << 7 }
}
var gen = Seeded(state: 20261129)
let given = "Александр Дмитрий Сергей Андрей Алексей Нурлан Арман Ерлан Асхат Марат Тимур Ержан Данияр Искандер Руслан Вадим Юрий Евгений Игорь Олег Мухтар Бахыт Анна Мария Елена Ольга Дана Айгерим Жанна Алия Гульнара Юлия Екатерина Наталья Ирина Светлана Асель Ботагоз Максим Кирилл Артём Роман Павел Денис Николай Владимир Михаил Айдос Санжар Ильяс Тамара Зарина Лейла Камила Диана Вера".split(separator: " ").map(String.init)
let stems = "Тем Жар Ерім Храп Нур Жаксы Сулей Касы Абе Жума Ахме Бек Кар Сар Тол Бай Ал Ер Иван Петр Смир Кузн Сокол Поп Лебед Козл Новик Мороз Яковл Щерб Черн Юсуп Хасан Шевч Коваль Бонд Мельн Ткач Зайц Орл Вол Медв Гус Жук Рыж Бел Сер Кра Лоз Гор".split(separator: " ").map(String.init)
let middles = ["", "ан", "ир", "ал", "ем", "ун", "ыб", "ет", "ур", "ис", "ов", "ай", "ен", "аш", "ил"]
let endings = ["ов", "ев", "ин", "енко", "ук", "бекович", "ханов", "бетов", "улы", "ский", "баев", "алиев", "кызы", "ани", "ко"]
@MainActor func surname() -> String {
    stems[Int(gen.next() % UInt64(stems.count))] + middles[Int(gen.next() % UInt64(middles.count))] + endings[Int(gen.next() % UInt64(endings.count))]
}
// `--keep DIR` leaves the generated registry in DIR (DIR/registry.sqlite), to profile a screen with
// it afterwards (`winnow screen ... --registry DIR/registry.sqlite`).
let keep = CommandLine.arguments.firstIndex(of: "--keep").flatMap { $0 + 1 < CommandLine.arguments.count ? CommandLine.arguments[$0 + 1] : nil }
let dir = keep.map { URL(fileURLWithPath: $0) } ?? FileManager.default.temporaryDirectory.appendingPathComponent("winnow-bench-\(UUID().uuidString)")
try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
defer { if keep == nil { try? FileManager.default.removeItem(at: dir) } }
let ftm = dir.appendingPathComponent("persons.jsonl")
// `--reuse` (with `--keep DIR`) measures on the registry an earlier run left in DIR, made with the
// same `--persons`: the names are generated again for the sample, the import is skipped.
// `--registry ADDRESS` measures on that registry instead of DIR/registry.sqlite: a postgres://
// address (an empty database or schema, or with `--reuse` one an earlier run filled).
let registryAddress = CommandLine.arguments.firstIndex(of: "--registry").flatMap { $0 + 1 < CommandLine.arguments.count ? CommandLine.arguments[$0 + 1] : nil }
let registryPath = registryAddress ?? dir.appendingPathComponent("registry.sqlite").path
let reuse = CommandLine.arguments.contains("--reuse")
    && (registryAddress != nil || (keep != nil && FileManager.default.fileExists(atPath: registryPath)))
if !reuse { _ = FileManager.default.createFile(atPath: ftm.path, contents: nil) }
let out = try FileHandle(forWritingTo: reuse ? URL(fileURLWithPath: "/dev/null") : ftm)
var sample: [(cyrillic: String, birth: String)] = []
var buffer = ""
for i in 0..<personCount {
    let name = "\(given[Int(gen.next() % UInt64(given.count))]) \(surname())"
    let birth = String(format: "%04d-%02d-%02d", 1940 + Int(gen.next() % 65), 1 + Int(gen.next() % 12), 1 + Int(gen.next() % 28))
    let latin = Romanisation.allCases[Int(gen.next() % 5)].romanise(name)
    buffer += #"{"id": "G\#(i)", "schema": "Person", "properties": {"name": ["\#(name)"], "alias": ["\#(latin)"], "birthDate": ["\#(birth)"], "nationality": ["kz"]}}"# + "\n"
    if i % 997 == 0 && sample.count < queryCount { sample.append((name, birth)) }
    if buffer.utf8.count > 1 << 20 { out.write(Data(buffer.utf8)); buffer = "" }
}
out.write(Data(buffer.utf8))
try out.close()

let (registry, openSeconds) = try time { try Registry.open(path: registryPath) }
let fileSize = { (try? FileManager.default.attributesOfItem(atPath: registryPath)[.size] as? Int) ?? 0 }
// A PostgreSQL registry's size is the server's to tell (`pg_total_relation_size`); not printed.
let sizeNote = { registryAddress == nil ? String(format: ", database %.0f MB", Double(fileSize()) / 1e6) : "" }
print("")
print("registry of \(personCount) generated persons (FollowTheMoney JSON lines, names in Cyrillic with a Latin alias), on \(registry.backend)")
if reuse {
    // Opening runs any migration the kept registry lacks (a re-index of its names, for one).
    print(String(format: "  reused %@: opened in %.1f s", registry.location, openSeconds) + sizeNote())
} else {
    let (_, importSeconds) = try time { try registry.importFile(ftm.path) }
    print(String(format: "  import                %.1f s  (%.0f persons/s)", importSeconds, Double(personCount) / importSeconds) + sizeNote())
}

// Queries: each sampled person under another romanisation than the one stored, half with birth date.
var latencies: [Double] = []
var found = 0
for (i, s) in sample.enumerated() {
    let query = Romanisation.allCases[(i + 2) % 5].romanise(s.cyrillic)
    let (hits, seconds) = try time { try registry.search(query, birthDate: i % 2 == 0 ? s.birth : nil, limit: 5) }
    latencies.append(seconds)
    if hits.contains(where: { $0.match.isMatch }) { found += 1 } else if CommandLine.arguments.contains("--show-misses") {
        let all = try registry.search(query, birthDate: i % 2 == 0 ? s.birth : nil, limit: 3, includeNonMatches: true)
        print("  miss: \(s.cyrillic) as \(query): \(all.map { "\($0.id) \($0.match.explanation)" })")
    }
}
print("  search (\(sample.count) queries)  p50 \(ms(percentile(latencies, 0.5)))  p95 \(ms(percentile(latencies, 0.95)))  max \(ms(latencies.max() ?? 0)); found \(found) of \(sample.count)")

// Screening with the registry.
let pack = try RulePack.load(from: root.appendingPathComponent("Rules"))
let screener = Screener(pack: pack, asOf: Day("2026-11-29")!, registry: registry)
let requestPath = root.appendingPathComponent("SampleRequests/mla-kz-refugee-lawyer-search.json").path
var screenTimes: [Double] = []
for _ in 0..<screenCount {
    let (_, s) = try time { try screener.screen(path: requestPath) }
    screenTimes.append(s)
}
print("  screen with registry (\(screenCount)x)  p50 \(ms(percentile(screenTimes, 0.5)))  p95 \(ms(percentile(screenTimes, 0.95)))")
