import Foundation
import Synchronization

/// A phonetic key of one name part: Latin letters folded so that the spellings of one Cyrillic
/// letter across schemes come together (zh/j/ż, kh/ch/h, ts/c/z, ye/e, w/v, doubled letters), with
/// the remaining confusions priced by `NameKey.cost`. Built in one pass over bytes: this is the hot
/// path of every search.
public struct NameKey: Sendable, Hashable, CustomStringConvertible {
    /// Lower-case ASCII letters, and upper-case letters for folded sounds:
    /// S = ш/щ, Q = ч, Z = ж, H = х, G = г/ғ, C = ц, J = й or French/English j, E = е after a glide.
    public let symbols: [UInt8]

    public var description: String { String(decoding: symbols, as: UTF8.self) }

    /// Latin letters with diacritics -> their base letters, built once from Foundation's folding.
    private static let foldTable: [Unicode.Scalar: String] = {
        var table: [Unicode.Scalar: String] = [:]
        for v in 0x00C0...0x024F {
            guard let scalar = Unicode.Scalar(v) else { continue }
            let folded = String(Character(scalar)).folding(options: [.diacriticInsensitive, .caseInsensitive], locale: Locale(identifier: "en_US_POSIX"))
            let ascii = folded.unicodeScalars.filter { $0.isASCII && $0.properties.isAlphabetic }.map { Character($0).lowercased() }.joined()
            if !ascii.isEmpty { table[scalar] = ascii }
        }
        for (k, v) in ["ß": "ss", "ł": "l", "Ł": "l", "ı": "i", "ø": "o", "Ø": "o", "æ": "ae", "Æ": "ae", "œ": "oe", "Œ": "oe", "ə": "a", "Ə": "a", "đ": "d", "Đ": "d"] {
            table[k.unicodeScalars.first!] = v
        }
        return table
    }()

    /// Lower case, accents removed, only ASCII letters kept.
    public static func fold(_ text: String) -> String {
        String(decoding: foldBytes(text), as: UTF8.self)
    }

    static func foldBytes(_ text: String) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            let v = scalar.value
            if v >= 0x61 && v <= 0x7A { out.append(UInt8(v)) }
            else if v >= 0x41 && v <= 0x5A { out.append(UInt8(v + 32)) }
            else if v >= 0xC0, let mapped = foldTable[scalar] { out.append(contentsOf: mapped.utf8) }
        }
        return out
    }

    /// Rewrites tried at each position, longest first: letters -> one symbol.
    static let rewrites: [([UInt8], [UInt8])] = [
        ("schtsch", "S"), ("chtch", "S"), ("shch", "S"), ("szcz", "S"),
        ("tsch", "Q"), ("tch", "Q"), ("dzh", "Z"), ("sch", "S"),
        // dh and th (Arabic dhal and tha) are written d and t as often; dj is the French j sound.
        ("dsch", "J"), ("dh", "d"), ("th", "t"), ("dj", "J"),
        ("sz", "S"), ("sh", "S"), ("cz", "Q"), ("zh", "Z"), ("kh", "H"), ("ch", "H"), ("gh", "G"),
        ("ts", "C"), ("tz", "C"),
        // я, ю, ё are not folded: "ja" is also the French ж before a (Jardemalie); J~i is cheap instead.
        ("ye", "E"), ("je", "E"), ("ie", "E"),
        // Doubled vowels are long vowels in Gulf and English spellings (Waleed, Mansoor).
        ("ee", "i"), ("oo", "u"),
        ("ou", "u"), ("ph", "f"), ("ck", "k"), ("x", "ks"), ("q", "k"), ("w", "v"),
        ("c", "C"), ("h", "H"), ("j", "J"), ("y", "i"), ("g", "G"),
    ].map { (Array($0.0.utf8), Array($0.1.utf8)) }

    private static let rewritesByFirst: [[([UInt8], [UInt8])]] = {
        var table = [[([UInt8], [UInt8])]](repeating: [], count: 256)
        for r in rewrites { table[Int(r.0[0])].append(r) }
        return table
    }()

    public init(_ latin: String) {
        self.init(folded: NameKey.foldBytes(latin))
    }

    /// A key built from separately read letters (one string each), so that no rewrite joins two of
    /// them into one sound; a letter twice in a row is still one sound.
    init(segments: [String]) {
        var out: [UInt8] = []
        for segment in segments {
            for c in NameKey(segment).symbols where out.last != c { out.append(c) }
        }
        symbols = out
    }

    init(folded s: [UInt8]) {
        var out: [UInt8] = []
        out.reserveCapacity(s.count)
        var i = 0
        while i < s.count {
            var emitted: [UInt8] = [s[i]]
            var advance = 1
            for (from, to) in NameKey.rewritesByFirst[Int(s[i])] where i + from.count <= s.count {
                var same = true
                for k in 0..<from.count where s[i + k] != from[k] { same = false; break }
                if same { emitted = to; advance = from.count; break }
            }
            for c in emitted where out.last != c { out.append(c) }   // a letter twice in a row is one sound
            i += advance
        }
        symbols = out
    }

    /// Symbol pairs whose exchange is a cheap spelling difference, not another name.
    static let cheap: [(String, String, Double)] = [
        ("Z", "J", 0.2), ("Z", "z", 0.35), ("Z", "S", 0.45), ("S", "J", 0.5), ("J", "i", 0.3), ("H", "Q", 0.3), ("H", "S", 0.4),
        ("H", "k", 0.5), ("C", "z", 0.3), ("C", "s", 0.5), ("C", "Q", 0.4), ("S", "s", 0.5), ("G", "k", 0.5),
        ("e", "E", 0.15), ("e", "i", 0.45), ("E", "i", 0.4), ("a", "o", 0.6), ("a", "e", 0.6), ("u", "i", 0.6), ("v", "f", 0.5),
        ("s", "z", 0.4), ("o", "u", 0.45), ("G", "J", 0.4),
    ]

    /// Substitution costs for every byte pair, built once.
    static let cost: [Double] = {
        var table = [Double](repeating: 1, count: 256 * 256)
        for i in 0..<256 { table[i * 256 + i] = 0 }
        for (a, b, c) in cheap {
            let x = Int(a.utf8.first!), y = Int(b.utf8.first!)
            table[x * 256 + y] = c
            table[y * 256 + x] = c
        }
        return table
    }()

    /// Inserting or deleting these is cheap: a soft sign, a й, an ending vowel.
    @inline(__always)
    static func indelCost(_ c: UInt8, atEnd: Bool) -> Double {
        switch c {
        case UInt8(ascii: "J"), UInt8(ascii: "i"): return 0.35
        case UInt8(ascii: "e"), UInt8(ascii: "E"): return atEnd ? 0.3 : 0.7
        default: return 1
        }
    }

    /// The cost of exchanging the first sound of a name for an unrelated one.
    static let firstSoundCost = 1.0

    static func isVowel(_ c: UInt8) -> Bool {
        c == UInt8(ascii: "a") || c == UInt8(ascii: "e") || c == UInt8(ascii: "i") || c == UInt8(ascii: "o") || c == UInt8(ascii: "u") || c == UInt8(ascii: "E")
    }

    /// The most an abjad comparison gives: consonants and long vowels agree, the short vowels are a guess.
    static let abjadCap = 0.95
    /// The most a comparison of consonants alone gives.
    static let consonantCap = 0.9

    /// Similarity of this key, read from a script that writes no short vowels (Arabic, Persian),
    /// to a key that writes them all: a vowel the other key has and this one lacks costs little;
    /// a long vowel this key has must be matched; a final h on the other side (ta marbuta, -ah) is cheap.
    public func abjadSimilarity(to latin: NameKey) -> Double {
        let a = symbols, b = latin.symbols
        if a.isEmpty || b.isEmpty { return 0 }
        let d = NameKey.distance(a, b,
            deleteA: { c, _ in NameKey.isVowel(c) ? 0.5 : c == UInt8(ascii: "J") ? 0.35 : 1 },
            deleteB: { c, atEnd in NameKey.isVowel(c) ? 0.12 : c == UInt8(ascii: "J") ? 0.2 : (c == UInt8(ascii: "H") && atEnd) ? 0.3 : 1 },
            substitute: { x, y in
                // Waw read as a vowel on one side and as a consonant on the other (Marwan).
                if (x == UInt8(ascii: "u") && y == UInt8(ascii: "v")) || (x == UInt8(ascii: "v") && y == UInt8(ascii: "u")) { return 0.2 }
                return NameKey.cost[Int(x) * 256 + Int(y)]
            })
        return min(NameKey.abjadCap, max(0, 1 - d / Double(max(a.count, b.count))))
    }

    /// Similarity on consonants alone, for a Chinese transcription of a non-Chinese name, which adds a
    /// vowel after every consonant and drops h (Yilihamu Tuheti for Ilham Tohti); l stands for r.
    public func consonantSimilarity(to other: NameKey) -> Double {
        // Consonants only, a consonant twice in a row once (Abdulla: a-bu-du-li-la).
        func consonants(_ s: [UInt8]) -> [UInt8] {
            var out: [UInt8] = []
            for c in s where !NameKey.isVowel(c) && c != UInt8(ascii: "J") && out.last != c { out.append(c) }
            return out
        }
        let a = consonants(symbols), b = consonants(other.symbols)
        guard !a.isEmpty, !b.isEmpty else { return 0 }
        // One consonant each (Eziz, a-i-zi-zi) is weak evidence.
        let cap = a.count == 1 || b.count == 1 ? 0.85 : NameKey.consonantCap
        let d = NameKey.distance(a, b,
            deleteA: { c, _ in c == UInt8(ascii: "H") ? 0.7 : 1 },
            deleteB: { c, _ in c == UInt8(ascii: "H") ? 0.7 : 1 },
            substitute: { x, y in
                // Chinese writes l for r, and its unaspirated b, d, g (and f) for p, t, k.
                switch (min(x, y), max(x, y)) {
                case (UInt8(ascii: "l"), UInt8(ascii: "r")), (UInt8(ascii: "b"), UInt8(ascii: "p")), (UInt8(ascii: "f"), UInt8(ascii: "p")),
                     (UInt8(ascii: "d"), UInt8(ascii: "t")), (UInt8(ascii: "G"), UInt8(ascii: "k")): return 0.3
                default: return NameKey.cost[Int(x) * 256 + Int(y)]
                }
            })
        return min(cap, max(0, 1 - d / Double(max(a.count, b.count))))
    }

    /// Weighted edit distance with the given costs (the comparisons other than the plain one).
    static func distance(_ a: [UInt8], _ b: [UInt8], deleteA: (UInt8, Bool) -> Double, deleteB: (UInt8, Bool) -> Double,
                         substitute: (UInt8, UInt8) -> Double) -> Double {
        var previous = [Double](repeating: 0, count: b.count + 1)
        for j in stride(from: 1, through: b.count, by: 1) { previous[j] = previous[j - 1] + deleteB(b[j - 1], j == b.count) }
        var current = previous
        for i in 1...a.count {
            let delete = deleteA(a[i - 1], i == a.count)
            current[0] = previous[0] + delete
            for j in stride(from: 1, through: b.count, by: 1) {
                current[j] = min(previous[j] + delete, current[j - 1] + deleteB(b[j - 1], j == b.count), previous[j - 1] + substitute(a[i - 1], b[j - 1]))
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }

    /// Similarity 0...1 from a weighted edit distance.
    public func similarity(to other: NameKey) -> Double {
        let a = symbols, b = other.symbols
        if a.isEmpty || b.isEmpty { return a.isEmpty && b.isEmpty ? 1 : 0 }
        if a == b { return 1 }
        var previous = [Double](repeating: 0, count: b.count + 1)
        for j in 1...b.count { previous[j] = previous[j - 1] + NameKey.indelCost(b[j - 1], atEnd: j == b.count) }
        var current = previous
        for i in 1...a.count {
            let deleteA = NameKey.indelCost(a[i - 1], atEnd: i == a.count)
            current[0] = previous[0] + deleteA
            let row = Int(a[i - 1]) * 256
            for j in 1...b.count {
                var substitute = NameKey.cost[row + Int(b[j - 1])]
                // Two different first sounds are more often two names (Safarov, Jafarov) than two spellings.
                if i == 1 && j == 1 && substitute == 1 { substitute = NameKey.firstSoundCost }
                current[j] = min(previous[j] + deleteA,
                                 current[j - 1] + NameKey.indelCost(b[j - 1], atEnd: j == b.count),
                                 previous[j - 1] + substitute)
            }
            swap(&previous, &current)
        }
        return max(0, 1 - previous[b.count] / Double(max(a.count, b.count)))
    }
}
