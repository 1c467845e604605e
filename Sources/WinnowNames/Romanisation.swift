import Foundation

/// Ways of writing Cyrillic names in Latin letters. Each reproduces the spellings that reach a
/// requested state: passports (ICAO), English-language records (BGN/PCGN), French, German and
/// Polish documents, Kazakh letters, and ICU's general transform for any script.
public enum Romanisation: String, Sendable, CaseIterable, Codable {
    case bgnPcgn = "BGN/PCGN"
    case icao = "ICAO 9303"
    case french = "French"
    case german = "German"
    case polish = "Polish"
    case icu = "ICU Any-Latin"

    /// Letter tables. Shared letters first, then each scheme's own.
    private static let common: [Character: String] = [
        "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "з": "z", "и": "i", "к": "k", "л": "l", "м": "m",
        "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "ы": "y", "ь": "",
        "ъ": "", "э": "e", "е": "e", "ё": "e", "й": "y", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh",
        "щ": "shch", "ж": "zh", "ю": "yu", "я": "ya",
        // Kazakh, Ukrainian and Belarusian letters
        "ә": "a", "ғ": "gh", "қ": "q", "ң": "ng", "ө": "o", "ұ": "u", "ү": "u", "һ": "h", "і": "i",
        "ї": "yi", "є": "ye", "ґ": "g", "ў": "w",
    ]

    private var own: [Character: String] {
        switch self {
        case .bgnPcgn: return ["е": "ye", "ё": "yë", "қ": "k", "ғ": "g"]
        case .icao: return ["й": "i", "ю": "iu", "я": "ia", "ъ": "ie", "қ": "k", "ғ": "g", "ң": "n", "є": "ie", "ї": "i"]
        case .french: return ["ж": "j", "х": "kh", "ч": "tch", "ш": "ch", "щ": "chtch", "у": "ou", "ю": "iou", "я": "ia",
                              "й": "i", "ё": "io", "ұ": "ou", "ү": "u", "қ": "k", "ғ": "g"]
        case .german: return ["ж": "sch", "х": "ch", "ч": "tsch", "ш": "sch", "щ": "schtsch", "ц": "z", "ю": "ju", "я": "ja",
                              "й": "j", "в": "w", "з": "s", "ё": "jo", "е": "e", "қ": "k", "ғ": "g"]
        case .polish: return ["ж": "ż", "х": "ch", "ч": "cz", "ш": "sz", "щ": "szcz", "ц": "c", "ю": "ju", "я": "ja",
                              "й": "j", "в": "w", "ё": "io", "қ": "k", "ғ": "g", "ь": ""]
        case .icu: return [:]
        }
    }

    /// The schemes with letter tables (ICU aside): what Cyrillic names are read through.
    public static let tables: [Romanisation] = [.bgnPcgn, .icao, .french, .german, .polish]

    private static let vowels: Set<Character> = ["а", "е", "ё", "и", "о", "у", "ы", "э", "ю", "я", "ә", "ө", "ұ", "ү", "і", "ь", "ъ"]

    /// The name in this scheme (lower case). Non-Cyrillic text is returned as it is, except by ICU.
    public func romanise(_ text: String) -> String {
        if self == .icu {
            return text.applyingTransform(StringTransform("Any-Latin; Latin-ASCII"), reverse: false)?.lowercased() ?? text.lowercased()
        }
        let lower = text.lowercased()
        // Every scalar its own character (no combining marks): read scalar by scalar from a table
        // indexed by code point. A search reads each candidate's name in five schemes, and this
        // was a third of the time it took (a dictionary built at each call, characters hashed).
        return lower.unicodeScalars.allSatisfy(Self.standsAlone) ? romaniseScalars(lower) : romaniseCharacters(lower)
    }

    /// Character by character: for text with combining marks, where a letter and its marks are one
    /// character (and a letter with a mark is not the plain letter).
    func romaniseCharacters(_ lower: String) -> String {
        let table = own
        var out = ""
        var previous: Character?
        for ch in lower {
            // BGN/PCGN: е is "ye" only at the start of a word and after vowels, ъ and ь.
            if self == .bgnPcgn, ch == "е", let p = previous, p.isLetter, !Romanisation.vowels.contains(p) {
                out += "e"
            } else if self == .german, ch == "е", previous == nil || previous?.isLetter == false || Romanisation.vowels.contains(previous!) {
                out += "je"
            } else if let mapped = table[ch] ?? Romanisation.common[ch] {
                out += mapped
            } else {
                out.append(ch)
            }
            previous = ch
        }
        return out
    }

    /// A scalar that is a character by itself in these names: below the combining marks, or a
    /// Cyrillic letter (not one of the block's combining signs, U+0483...U+0489).
    static func standsAlone(_ u: Unicode.Scalar) -> Bool {
        (u.value < 0x0300 && u.value != 0x0D) || (0x0400...0x0482).contains(u.value) || (0x048A...0x04FF).contains(u.value)
    }

    /// What `romanise` does character by character, on text whose every scalar stands alone: the
    /// same rules, with the letters looked up by code point.
    func romaniseScalars(_ lower: String) -> String {
        let table = Self.scalarTables[Self.tables.firstIndex(of: self)!]
        var out: [UInt8] = []
        out.reserveCapacity(lower.utf8.count + 8)
        var previous: Unicode.Scalar?
        for u in lower.unicodeScalars {
            let cyrillic = (0x0400...0x04FF).contains(u.value)
            if u.value == 0x0435, self == .bgnPcgn, let p = previous, p.properties.isAlphabetic, !Self.isVowel(p) {
                out.append(UInt8(ascii: "e"))
            } else if u.value == 0x0435, self == .german, previous == nil || !previous!.properties.isAlphabetic || Self.isVowel(previous!) {
                out += [UInt8(ascii: "j"), UInt8(ascii: "e")]
            } else if cyrillic, let mapped = table[Int(u.value - 0x0400)] {
                out += mapped
            } else {
                UTF8.encode(u) { out.append($0) }
            }
            previous = u
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func isVowel(_ u: Unicode.Scalar) -> Bool {
        (0x0400...0x04FF).contains(u.value) && vowelTable[Int(u.value - 0x0400)]
    }

    /// Each table scheme's letters (its own over the shared ones) by code point from U+0400.
    private static let scalarTables: [[[UInt8]?]] = tables.map { scheme in
        var table = [[UInt8]?](repeating: nil, count: 0x100)
        for (ch, latin) in common.merging(scheme.own, uniquingKeysWith: { _, own in own }) {
            let scalars = Array(ch.unicodeScalars)
            precondition(scalars.count == 1 && (0x0400...0x04FF).contains(scalars[0].value), "a letter table key is one Cyrillic code point")
            table[Int(scalars[0].value - 0x0400)] = Array(latin.utf8)
        }
        return table
    }

    private static let vowelTable: [Bool] = {
        var table = [Bool](repeating: false, count: 0x100)
        for v in vowels { table[Int(v.unicodeScalars.first!.value - 0x0400)] = true }
        return table
    }()

    /// Whether the text holds letters these tables romanise (Cyrillic and its Kazakh letters).
    public static func isCyrillic(_ text: String) -> Bool {
        text.unicodeScalars.contains { (0x0400...0x04FF).contains($0.value) }
    }

    /// Whether the text is in a script other than Latin (anything ICU should romanise).
    public static func needsRomanising(_ text: String) -> Bool {
        // Latin Extended Additional and the IPA letters and modifier letters Latin alphabets use
        // (Azerbaijani ə, the Uzbek ʻ) are Latin.
        text.unicodeScalars.contains { $0.properties.isAlphabetic && $0.value > 0x02FF && !(0x1E00...0x1EFF).contains($0.value) }
    }
}
