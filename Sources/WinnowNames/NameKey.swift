import Foundation

/// A phonetic key of one name part: Latin letters folded so that the spellings of one Cyrillic
/// letter across schemes come together (zh/j/ż, kh/ch/h, ts/c/z, ye/e, yu/ju/iu, w/v, doubled
/// letters), with the remaining confusions priced by `NameKey.substitutionCost`.
public struct NameKey: Sendable, Hashable, CustomStringConvertible {
    public let symbols: [Character]

    public var description: String { String(symbols) }

    /// Lower case, accents removed, only letters kept.
    public static func fold(_ text: String) -> String {
        var s = text.lowercased()
        let special: [String: String] = ["ß": "ss", "ł": "l", "ı": "i", "ø": "o", "æ": "ae", "œ": "oe", "ə": "a", "ʼ": "", "'": "", "’": ""]
        for (k, v) in special { s = s.replacingOccurrences(of: k, with: v) }
        s = s.folding(options: [.diacriticInsensitive, .caseInsensitive], locale: Locale(identifier: "en_US_POSIX"))
        return String(s.unicodeScalars.filter { CharacterSet.lowercaseLetters.contains($0) && $0.isASCII }.map(Character.init))
    }

    /// Ordered rewrites, longest first. Upper-case letters are the folded symbols.
    static let rewrites: [(String, String)] = [
        ("schtsch", "Š"), ("chtch", "Š"), ("shch", "Š"), ("szcz", "Š"),
        ("tsch", "Č"), ("tch", "Č"), ("dzh", "Ž"), ("sch", "Š"),
        ("sz", "Š"), ("sh", "Š"), ("cz", "Č"), ("zh", "Ž"), ("kh", "H"), ("ch", "H"), ("gh", "G"),
        ("ts", "C"), ("tz", "C"),
        // я, ю, ё are not folded: "ja" is also the French ж before a (Jardemalie); J~i is cheap instead.
        ("ye", "E"), ("je", "E"), ("ie", "E"),
        ("ou", "u"), ("ph", "f"), ("ck", "k"), ("x", "ks"), ("q", "k"), ("w", "v"),
    ]

    public init(_ latin: String) {
        var s = NameKey.fold(latin)
        for (from, to) in NameKey.rewrites { s = s.replacingOccurrences(of: from, with: to) }
        var out: [Character] = []
        for ch in s {
            var c = ch
            switch ch {
            case "c": c = "C"
            case "h": c = "H"
            case "j": c = "J"
            case "y": c = "i"
            case "g": c = "G"
            default: break
            }
            // One letter twice in a row is one sound.
            if out.last == c { continue }
            out.append(c)
        }
        // Word-final -ii/-iy collapse (Vasilii, Vasiliy, Vasili).
        symbols = out
    }

    /// Folded symbol classes whose exchange is a cheap spelling difference, not another name.
    static let cheap: [Set<Character>: Double] = [
        ["Ž", "J"]: 0.2, ["Ž", "z"]: 0.35, ["Ž", "Š"]: 0.45, ["Š", "J"]: 0.5, ["J", "i"]: 0.3, ["H", "Č"]: 0.3, ["H", "Š"]: 0.4,
        ["H", "k"]: 0.5, ["C", "z"]: 0.3, ["C", "s"]: 0.5, ["C", "Č"]: 0.4, ["Š", "s"]: 0.5, ["G", "k"]: 0.5,
        ["e", "E"]: 0.15, ["e", "i"]: 0.45, ["E", "i"]: 0.4, ["a", "o"]: 0.6, ["a", "e"]: 0.6, ["u", "i"]: 0.6, ["v", "f"]: 0.5, ["s", "z"]: 0.4,
    ]

    static func substitutionCost(_ a: Character, _ b: Character) -> Double {
        if a == b { return 0 }
        return cheap[[a, b]] ?? 1
    }

    /// Inserting or deleting these is cheap: a soft sign, a й, an ending vowel.
    static func indelCost(_ c: Character, atEnd: Bool) -> Double {
        switch c {
        case "J", "i": return 0.35
        case "e", "E": return atEnd ? 0.3 : 0.7
        default: return 1
        }
    }

    /// Similarity 0...1 from a weighted edit distance.
    public func similarity(to other: NameKey) -> Double {
        let a = symbols, b = other.symbols
        if a.isEmpty || b.isEmpty { return a.isEmpty && b.isEmpty ? 1 : 0 }
        var previous = [Double](repeating: 0, count: b.count + 1)
        for j in 1...b.count { previous[j] = previous[j - 1] + NameKey.indelCost(b[j - 1], atEnd: j == b.count) }
        var current = previous
        for i in 1...a.count {
            current[0] = previous[0] + NameKey.indelCost(a[i - 1], atEnd: i == a.count)
            for j in 1...b.count {
                current[j] = min(previous[j] + NameKey.indelCost(a[i - 1], atEnd: i == a.count),
                                 current[j - 1] + NameKey.indelCost(b[j - 1], atEnd: j == b.count),
                                 previous[j - 1] + NameKey.substitutionCost(a[i - 1], b[j - 1]))
            }
            swap(&previous, &current)
        }
        return max(0, 1 - previous[b.count] / Double(max(a.count, b.count)))
    }
}
