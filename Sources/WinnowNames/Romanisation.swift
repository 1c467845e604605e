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
        let table = own
        var out = ""
        var previous: Character?
        for ch in text.lowercased() {
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
