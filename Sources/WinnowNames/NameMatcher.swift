import Foundation

/// How two names compare, and why.
public struct NameMatch: Sendable, Codable, Equatable {
    public enum Verdict: String, Sendable, Codable {
        case match
        /// Shares a surname but another given name, or the other gender's form: a family member.
        case possibleRelative = "possible_relative"
        case different
    }

    public struct Part: Sendable, Codable, Equatable {
        public var a: String
        public var b: String
        public var similarity: Double
        /// How the two were compared when not letter by letter: a variant table entry, the
        /// vowels Arabic script leaves unwritten, the consonants of a Chinese transcription.
        public var via: String?

        public init(a: String, b: String, similarity: Double, via: String? = nil) {
            self.a = a
            self.b = b
            self.similarity = similarity
            self.via = via
        }
    }

    public var score: Double
    public var verdict: Verdict
    public var isMatch: Bool { verdict == .match }
    /// The spelling scheme under which the names came closest.
    public var scheme: String
    public var parts: [Part]
    public var notes: [String]

    public var explanation: String {
        let aligned = parts.map { "\($0.a) ~ \($0.b) (\(String(format: "%.2f", $0.similarity))\($0.via.map { ", " + $0 } ?? ""))" }.joined(separator: ", ")
        return "\(verdict.rawValue) at \(String(format: "%.2f", score)) as \(scheme): \(aligned)" + (notes.isEmpty ? "" : "; " + notes.joined(separator: "; "))
    }
}

/// Compares person names across scripts and romanisations.
public struct NameMatcher: Sendable {
    public var threshold: Double

    /// Every aligned part must reach this for a match; a shared surname with a part below it is a
    /// possible relative.
    public static let partFloor = 0.80

    public init(threshold: Double = 0.85) { self.threshold = threshold }

    static let surnameEndings = ["ov", "ova", "ev", "eva", "in", "ina", "yn", "yna", "sky", "skiy", "ski", "ska", "skaya", "skii",
                                 "enko", "uk", "yuk", "chuk", "yan", "ian", "dze", "shvili", "uly", "off", "ow", "owa", "ovs", "ovich"]

    /// Whether a part looks like a surname (by its ending).
    static func looksLikeSurname(_ part: String) -> Bool {
        part.count > 3 && surnameEndings.contains { part.hasSuffix($0) } && !isPatronymic(part)
    }

    static func isPatronymic(_ part: String) -> Bool {
        part.count > 5 && patronymicEndings.contains { part.hasSuffix($0) }
    }

    /// Surname forms of the two genders (Temirkhanov / Temirkhanova, -skiy / -skaya).
    static func genderPair(_ a: String, _ b: String) -> Bool {
        let (short, long) = a.count <= b.count ? (a, b) : (b, a)
        for (m, f) in [("ov", "ova"), ("ev", "eva"), ("in", "ina"), ("iy", "aya"), ("ii", "aia"), ("ski", "ska"), ("sky", "skaya"), ("yn", "yna")]
        where short.hasSuffix(m) && long.hasSuffix(f) {
            if short.dropLast(m.count) == long.dropLast(f.count) { return true }
        }
        return false
    }

    struct Alignment {
        var score: Double
        var parts: [NameMatch.Part]
        var gendered: Bool
        var unmatched: [String]
        /// The shorter name is the longer one without its first part(s): in a nasab chain
        /// (Mohamed Ahmed Ali Soltan), the father's or grandfather's name.
        var ancestorForm: Bool
    }

    /// How two parts compare, and by which route when not letter by letter.
    static func partSimilarity(_ x: Reading, _ i: Int, _ y: Reading, _ j: Int) -> (Double, String?) {
        let gx = x.groups[i], gy = y.groups[j]
        if gx >= 0 && gy >= 0 {
            if gx == gy {
                return x.keys[i] == y.keys[j] ? (1, nil) : (0.97, "variant table: both \(NameVariants.groups[Int(gx)].name)")
            }
            let plain = x.keys[i].similarity(to: y.keys[j])
            return (min(plain, 0.6), "variant table: \(NameVariants.groups[Int(gx)].name) and \(NameVariants.groups[Int(gy)].name) are different names")
        }
        if (x.chinese || y.chinese) && x.syllables[i] > 0 && x.syllables[i] == y.syllables[j] && x.keys[i] != y.keys[j] {
            return (min(0.7, x.keys[i].similarity(to: y.keys[j])), "another Pinyin syllable: another Chinese name")
        }
        switch (x.kind, y.kind) {
        case (.full, .full):
            let plain = x.keys[i].similarity(to: y.keys[j])
            if plain < partFloor, let stripped = articleJoined(x.parts[i], y.parts[j]), stripped > plain {
                return (stripped, "article al- joined to the name")
            }
            return (plain, nil)
        case (.abjad, .full): return (x.keys[i].abjadSimilarity(to: y.keys[j]), "short vowels unwritten in Arabic script")
        case (.full, .abjad): return (y.keys[j].abjadSimilarity(to: x.keys[i]), "short vowels unwritten in Arabic script")
        case (.transcription, .full), (.full, .transcription), (.transcription, .abjad), (.abjad, .transcription):
            return (x.keys[i].consonantSimilarity(to: y.keys[j]), "consonants of a Chinese transcription")
        default: return (x.keys[i].similarity(to: y.keys[j]), nil)
        }
    }

    /// Alqahtani against Qahtani or al-Qahtani: the similarity without the article, when one part
    /// carries it joined and the other does not (asked only when the plain comparison fails).
    static func articleJoined(_ a: String, _ b: String) -> Double? {
        func strip(_ s: String) -> String? {
            s.count >= 6 && (s.hasPrefix("al") || s.hasPrefix("el")) ? String(s.dropFirst(2)) : nil
        }
        let (sa, sb) = (strip(a), strip(b))
        guard (sa == nil) != (sb == nil) else { return nil }
        return NameKey(sa ?? a).similarity(to: NameKey(sb ?? b)) * 0.97
    }

    /// The best assignment of the shorter name's parts to the longer name's parts.
    static func align(_ x: Reading, _ y: Reading) -> Alignment? {
        guard !x.parts.isEmpty, !y.parts.isEmpty else { return nil }
        let swapped = x.parts.count > y.parts.count
        let (s, l) = swapped ? (y, x) : (x, y)
        let sCount = min(s.parts.count, 5), lCount = min(l.parts.count, 6)
        var sim = [Double](repeating: 0, count: sCount * lCount)
        var via = [String?](repeating: nil, count: sCount * lCount)
        for i in 0..<sCount {
            for j in 0..<lCount {
                let (v, note) = swapped ? partSimilarity(l, j, s, i) : partSimilarity(s, i, l, j)
                sim[i * lCount + j] = v
                via[i * lCount + j] = note
            }
        }
        let patronymicS = s.patronymic, patronymicL = l.patronymic
        // The gender forms of one surname are looked for only where the parts are alike at all.
        let genderedPair = (0..<sCount * lCount).map { sim[$0] > 0.6 && genderPair(s.parts[$0 / lCount], l.parts[$0 % lCount]) }
        var bestScore = -Double.infinity
        var bestChoice: [Int] = []
        var choice = [Int](repeating: 0, count: sCount)
        // Depth-first over assignments, the used parts of the longer name as a bit mask.
        // A patronymic aligns only with a patronymic, unless no assignment is left (Darwich ends like one).
        var patronymicsApart = true
        func search(_ i: Int, _ used: Int, _ total: Double) {
            if i == sCount {
                var penalty = 0.0
                let lo = choice.min()!, hi = choice.max()!
                for j in 0..<lCount where used & (1 << j) == 0 && !patronymicL[j] {
                    // A middle name one form leaves out (nasab chains) costs less than a part at either end;
                    // a first name left out most: without it, the name is a father's.
                    penalty += j > lo && j < hi ? 0.03 : (j < lo && sCount > 1) ? 0.2 : 0.08
                }
                let score = total / Double(sCount) - penalty
                if score > bestScore { bestScore = score; bestChoice = choice }
                return
            }
            for j in 0..<lCount where used & (1 << j) == 0 {
                // A patronymic only aligns with a patronymic.
                if patronymicsApart && patronymicS[i] != patronymicL[j] && sCount > 1 { continue }
                choice[i] = j
                let v = genderedPair[i * lCount + j] ? min(sim[i * lCount + j], 0.6) : sim[i * lCount + j]
                search(i + 1, used | (1 << j), total + v)
            }
        }
        search(0, 0, 0)
        if bestChoice.isEmpty {
            patronymicsApart = false
            search(0, 0, 0)
        }
        guard !bestChoice.isEmpty else { return nil }
        var parts: [NameMatch.Part] = []
        var gendered = false
        for (a, b) in bestChoice.enumerated() {
            var v = sim[a * lCount + b]
            if genderedPair[a * lCount + b] { gendered = true; v = min(v, 0.6) }
            let (pa, pb) = swapped ? (l.parts[b], s.parts[a]) : (s.parts[a], l.parts[b])
            parts.append(.init(a: pa, b: pb, similarity: (v * 100).rounded() / 100, via: via[a * lCount + b]))
        }
        let unmatched = (0..<lCount).filter { !bestChoice.contains($0) }.map { l.parts[$0] }
        let offset = bestChoice[0]
        let ancestor = sCount >= 2 && offset >= 1 && bestChoice == Array(offset..<(offset + sCount)) && offset + sCount == lCount
            && !patronymicL[0]
        return Alignment(score: bestScore, parts: parts, gendered: gendered, unmatched: unmatched, ancestorForm: ancestor)
    }

    /// A name read once, to compare with many others.
    public struct Prepared: Sendable {
        let readings: [Reading]
        public let text: String
    }

    public static func prepare(_ name: String) -> Prepared { Prepared(readings: readings(of: name), text: name) }

    /// Compares two names, with birth dates and nationalities when known.
    public func compare(_ a: String, _ b: String, birthA: String? = nil, birthB: String? = nil,
                        nationalitiesA: [String] = [], nationalitiesB: [String] = []) -> NameMatch {
        compare(Self.prepare(a), Self.prepare(b), birthA: birthA, birthB: birthB, nationalitiesA: nationalitiesA, nationalitiesB: nationalitiesB)
    }

    /// Points a different birth date takes off a name's score; points a shared nationality adds.
    public static let birthDatePenalty = 0.3
    public static let nationalityBonus = 0.02

    /// Whether two people with these birth dates can never be a match, whatever their names: both
    /// dates known and different cost more than a perfect name can spare above the threshold.
    /// (They can still be relatives, so this is for callers that look for matches only.)
    public func cannotMatch(birthA: String?, birthB: String?) -> Bool {
        guard let birthA, let birthB, birthA != birthB else { return false }
        return differentBirthDatesRuleOut
    }

    /// Whether two known, different birth dates rule a match out under this threshold.
    public var differentBirthDatesRuleOut: Bool { 1 + Self.nationalityBonus - Self.birthDatePenalty < threshold }

    /// Compares two prepared names.
    public func compare(_ a: Prepared, _ b: Prepared, birthA: String? = nil, birthB: String? = nil,
                        nationalitiesA: [String] = [], nationalitiesB: [String] = []) -> NameMatch {
        var best: (Alignment, String)?
        for x in a.readings {
            for y in b.readings {
                guard let alignment = Self.align(x, y) else { continue }
                let scheme = x.scheme == "as written" || x.scheme == y.scheme ? y.scheme : y.scheme == "as written" ? x.scheme : "\(x.scheme) / \(y.scheme)"
                if best == nil || alignment.score > best!.0.score { best = (alignment, scheme) }
            }
        }
        guard let (alignment, scheme) = best else {
            return NameMatch(score: 0, verdict: .different, scheme: "none", parts: [], notes: ["a name has no letters"])
        }
        var score = alignment.score
        var notes: [String] = []
        if !alignment.unmatched.isEmpty { notes.append("unaligned parts: \(alignment.unmatched.joined(separator: " "))") }
        if let birthA, let birthB {
            if birthA == birthB { score += 0.05; notes.append("same birth date") } else { score -= Self.birthDatePenalty; notes.append("different birth dates (\(birthA) / \(birthB))") }
        }
        if !nationalitiesA.isEmpty && !nationalitiesB.isEmpty {
            if Set(nationalitiesA).isDisjoint(with: nationalitiesB) { score -= 0.05; notes.append("no nationality in common") }
            else { score += Self.nationalityBonus }
        }
        score = min(1, max(0, score))
        let minPart = alignment.parts.map(\.similarity).min() ?? 0
        let verdict: NameMatch.Verdict
        if score >= threshold && minPart >= Self.partFloor && !alignment.gendered {
            verdict = .match
        } else if alignment.ancestorForm && minPart >= Self.partFloor {
            verdict = .possibleRelative
            notes.append("one name is the other without its first name: in a chain of father's names, a father or grandfather")
        } else if alignment.gendered || (alignment.parts.count >= 2 && minPart < Self.partFloor && sharesSurname(alignment.parts)) {
            verdict = .possibleRelative
            notes.append(alignment.gendered ? "the other gender's form of the surname" : "same surname, another given name")
        } else {
            verdict = .different
        }
        return NameMatch(score: (score * 1000).rounded() / 1000, verdict: verdict, scheme: scheme, parts: alignment.parts, notes: notes)
    }

    /// Whether the strongly matching part is the surname: a part with a surname ending, or else the
    /// last part. Same given name, different surname: different people, not relatives.
    func sharesSurname(_ parts: [NameMatch.Part]) -> Bool {
        let surnameLike = parts.filter { Self.looksLikeSurname($0.a) || Self.looksLikeSurname($0.b) }
        let candidates = surnameLike.isEmpty ? Array(parts.suffix(1)) : surnameLike
        return candidates.contains { $0.similarity >= 0.9 }
    }

    /// The ISO 15924 code of the script a name is written in, for the scripts the matcher reads.
    public static func script(of name: String) -> String? {
        if Chinese.contains(name) { return "Hani" }
        if ArabicScript.contains(name) { return "Arab" }
        if Romanisation.isCyrillic(name) { return "Cyrl" }
        if Romanisation.needsRomanising(name) { return nil }
        return name.unicodeScalars.contains { $0.properties.isAlphabetic } ? "Latn" : nil
    }

    /// Search keys of a name: the coarse skeletons (for recall across spellings) and, prefixed with
    /// "=", each part's exact folded key (so that the same spelling ranks first).
    public static func searchKeys(_ name: String) -> Set<String> { searchKeys(readings(of: name)) }

    /// The same for a name already read (a registry search reads the query once for its keys and
    /// for the comparisons).
    public static func searchKeys(_ name: Prepared) -> Set<String> { searchKeys(name.readings) }

    static func searchKeys(_ all: [Reading]) -> Set<String> {
        var out = blockingKeys(all)
        for reading in all {
            for (index, key) in reading.keys.enumerated() where !(reading.parts.count >= 3 && reading.patronymic[index]) && key.symbols.count >= 2 {
                out.insert("=" + key.description)
            }
        }
        return out
    }

    /// Every key a registry stores for a name: the search keys, and the combined keys that let a
    /// search whose every single key is common start from few persons (`combinedKeys`).
    public static func indexKeys(_ name: String) -> Set<String> {
        let all = readings(of: name)
        return searchKeys(all).union(combinedKeys(all))
    }

    /// The query's side of `combinedKeys`: its pair keys, and `1` keys for each of its parts (to
    /// find one-part names among the persons). Empty for a name of one part.
    public static func combinedQueryKeys(_ name: String) -> Set<String> { combinedQueryKeys(prepare(name)) }

    public static func combinedQueryKeys(_ name: Prepared) -> Set<String> {
        var out = Set<String>()
        let all = name.readings
        let patronymics = patronymicPositions(all)
        for reading in all {
            let parts = coarsePartKeys(reading, patronymics: patronymics)
            guard parts.count >= 2 else { continue }
            out.formUnion(pairs(parts))
            for part in parts { for key in part { out.insert("1" + key) } }
        }
        return out
    }

    /// Keys that stand for two parts at once, for a search in which even the rarest single key is
    /// carried by many persons ("Dana" in a registry of a million Kazakh names):
    /// - `+A|B`: the coarse keys (`coarsePartKeys`) of two parts of one reading, in sorted order;
    /// - `1A`: the coarse key of a name's only part.
    /// Two names of two parts or more can match only if two of their parts are alike (the matcher
    /// aligns every part of the shorter name), and then they share a `+` key; a one-part name can
    /// match a longer one through its only part, which the `1` key finds.
    static func combinedKeys(_ readings: [Reading]) -> Set<String> {
        var out = Set<String>()
        let patronymics = patronymicPositions(readings)
        for reading in readings {
            let parts = coarsePartKeys(reading, patronymics: patronymics)
            if parts.count == 1 { for key in parts[0] { out.insert("1" + key) } }
            out.formUnion(pairs(parts))
        }
        return out
    }

    static func pairs(_ parts: [[String]]) -> Set<String> {
        var out = Set<String>()
        for i in parts.indices {
            for j in parts.indices where j > i {
                for a in parts[i] { for b in parts[j] { out.insert(a < b ? "+\(a)|\(b)" : "+\(b)|\(a)") } }
            }
        }
        return out
    }

    /// Where a name of three parts or more has a patronymic under any of its readings: the
    /// Cyrillic reading of Ерлановна does not end in -ovna, its romanised reading does, and a part
    /// left out under one reading is left out under all (else "Dana" and "Erlanovna" make a pair
    /// that hundreds of Danas named Eralin share).
    static func patronymicPositions(_ readings: [Reading]) -> Set<Int> {
        Set(readings.filter { $0.parts.count >= 3 }.flatMap { r in r.patronymic.indices.filter { r.patronymic[$0] } })
    }

    /// Per part of one reading (patronymics left out as in `blockingKeys`), the keys that go into
    /// combined keys: the variant group, and a coarser skeleton than the blocking one, because a
    /// pair needs both parts alike: without w/v/f (Arabic script writes و as a vowel: Marwan, مروان;
    /// Zawahiri, الظواهري) and kept from a single consonant (Nada, Sisi).
    static func coarsePartKeys(_ reading: Reading, patronymics: Set<Int>) -> [[String]] {
        reading.keys.indices.compactMap { index in
            guard !(reading.parts.count >= 3 && patronymics.contains(index)) else { return nil }
            var keys: [String] = []
            if reading.groups[index] >= 0 { keys.append("~" + NameVariants.groups[Int(reading.groups[index])].name) }
            var coarse: [UInt8] = []
            for c in consonants(reading.keys[index]) where c != UInt8(ascii: "V") && c != UInt8(ascii: "Z") && coarse.last != c { coarse.append(c) }
            if !coarse.isEmpty { keys.append(String(decoding: coarse, as: UTF8.self)) }
            return keys.isEmpty ? nil : keys
        }
    }

    /// Coarse keys for indexed search: each part's consonant skeleton with confusable letters merged,
    /// under every reading. Two spellings of one name share at least one.
    public static func blockingKeys(_ name: String) -> Set<String> { blockingKeys(readings(of: name)) }

    static func blockingKeys(_ readings: [Reading]) -> Set<String> {
        var out = Set<String>()
        for reading in readings {
            // A part is left out as a patronymic only in names of three parts or more: "-uly" is also a surname.
            for (index, key) in reading.keys.enumerated() where !(reading.parts.count >= 3 && reading.patronymic[index]) {
                // Variants of one name (Mehmet, Muhammad, محمد) share the table's key.
                if reading.groups[index] >= 0 { out.insert("~" + NameVariants.groups[Int(reading.groups[index])].name) }
                let skeleton = consonants(key)
                if skeleton.count >= 2 { out.insert(String(decoding: skeleton, as: UTF8.self)) }
            }
        }
        return out
    }

    /// A part's consonant skeleton with confusable letters merged and repeats written once.
    static func consonants(_ key: NameKey) -> [UInt8] {
        var skeleton: [UInt8] = []
        for c in key.symbols {
            let mapped: UInt8?
            switch c {
            case UInt8(ascii: "Z"), UInt8(ascii: "J"), UInt8(ascii: "z"): mapped = UInt8(ascii: "Z")
            case UInt8(ascii: "H"), UInt8(ascii: "Q"), UInt8(ascii: "S"): mapped = UInt8(ascii: "H")
            case UInt8(ascii: "C"), UInt8(ascii: "s"): mapped = UInt8(ascii: "S")
            case UInt8(ascii: "G"), UInt8(ascii: "k"): mapped = UInt8(ascii: "K")
            case UInt8(ascii: "v"), UInt8(ascii: "f"): mapped = UInt8(ascii: "V")
            case UInt8(ascii: "a"), UInt8(ascii: "e"), UInt8(ascii: "i"), UInt8(ascii: "o"), UInt8(ascii: "u"), UInt8(ascii: "E"): mapped = nil
            default: mapped = c
            }
            if let m = mapped, skeleton.last != m { skeleton.append(m) }
        }
        return skeleton
    }
}

/// Plain Jaro-Winkler on the lower-cased strings: the baseline the benchmark compares against.
public func jaroWinkler(_ s1: String, _ s2: String) -> Double {
    let a = Array(s1.lowercased()), b = Array(s2.lowercased())
    if a.isEmpty && b.isEmpty { return 1 }
    if a.isEmpty || b.isEmpty { return 0 }
    let window = max(0, max(a.count, b.count) / 2 - 1)
    var aMatched = [Bool](repeating: false, count: a.count), bMatched = [Bool](repeating: false, count: b.count)
    var matches = 0
    for i in a.indices {
        let lo = max(0, i - window), hi = min(b.count - 1, i + window)
        guard lo <= hi else { continue }
        for j in lo...hi where !bMatched[j] && a[i] == b[j] {
            aMatched[i] = true; bMatched[j] = true; matches += 1
            break
        }
    }
    if matches == 0 { return 0 }
    var transpositions = 0, k = 0
    for i in a.indices where aMatched[i] {
        while !bMatched[k] { k += 1 }
        if a[i] != b[k] { transpositions += 1 }
        k += 1
    }
    let m = Double(matches)
    let jaro = (m / Double(a.count) + m / Double(b.count) + (m - Double(transpositions) / 2) / m) / 3
    var prefix = 0
    while prefix < min(4, a.count, b.count) && a[prefix] == b[prefix] { prefix += 1 }
    return jaro + Double(prefix) * 0.1 * (1 - jaro)
}
