import Foundation

/// Names in Arabic script (Arabic, Persian, Urdu letters, Uyghur) read into Latin letters. Arabic
/// and Persian write no short vowels, so their readings are consonants and long vowels only, and
/// are compared with `NameKey.abjadSimilarity`; Uyghur writes every vowel.
enum ArabicScript {
    enum Scheme: String, CaseIterable, Sendable {
        case english = "Arabic script, English and ALA-LC without diacritics"
        case french = "Arabic script, French"
        case egyptian = "Arabic script, Egyptian (g for jim)"
        case persian = "Persian"
        case uyghur = "Uyghur Latin (ULY)"

        /// Whether short vowels are missing from what this scheme reads.
        var vowelsUnwritten: Bool { self != .uyghur }
    }

    static func isArabicScript(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x0600...0x06FF, 0x0750...0x077F, 0x08A0...0x08FF, 0xFB50...0xFDFF, 0xFE70...0xFEFF: return true
        default: return false
        }
    }

    static func contains(_ text: String) -> Bool { text.unicodeScalars.contains(where: isArabicScript) }

    /// Letters only Uyghur's alphabet uses: a name with one of them is read as Uyghur.
    /// Also a word that begins with the hamza seat ئ, or ى before the end of a word: Uyghur writes
    /// every vowel, and an initial vowel on that seat; Arabic does neither.
    static func isUyghur(_ text: String) -> Bool {
        if text.unicodeScalars.contains(where: { ["ې", "ۇ", "ۆ", "ۈ", "ڭ", "ۋ", "ە"].contains(Character($0)) }) { return true }
        for word in clean(text).split(whereSeparator: { $0.isWhitespace || $0 == "-" }) {
            if word.first == "ئ" { return true }
            if word.dropLast().contains("ى") { return true }
        }
        return false
    }

    /// Presentation forms folded to letters; vowel marks, the tatweel and joiners removed.
    static func clean(_ text: String) -> String {
        String(String.UnicodeScalarView(text.precomposedStringWithCompatibilityMapping.unicodeScalars.filter { s in
            !((0x064B...0x065F).contains(s.value) || s.value == 0x0670 || s.value == 0x0640 || (0x200D...0x200F).contains(s.value))
        }))
    }

    /// The form variant tables are keyed on: `clean`, then the letters written interchangeably
    /// unified (alif with or without hamza, alif maqsura and ya, Persian and Arabic ya and kaf,
    /// ta marbuta and ha, hamza seats).
    static func normalise(_ text: String) -> String {
        var out = ""
        for ch in clean(text) {
            switch ch {
            case "أ", "إ", "آ", "ٱ": out.append("ا")
            case "ى", "ی", "ئ": out.append("ي")
            case "ک": out.append("ك")
            case "ة", "ۀ", "ہ", "ە": out.append("ه")
            case "ؤ": out.append("و")
            case "ء", "\u{200C}": continue
            default: out.append(ch)
            }
        }
        return out
    }

    /// Words that are not part of the name proper: "son of", "daughter of", "family of".
    static let particles: Set<String> = ["بن", "ابن", "بنت", "ولد", "ال", "آل"]

    /// The name's parts in Arabic script: particles dropped, the article taken off a family name
    /// (al-Araibi), and "Abd" joined to the name that follows it (Abd al-Rahman, one name).
    static func tokens(of name: String) -> [String] {
        var out: [String] = []
        var pendingAbd = false
        for raw in clean(name).split(whereSeparator: { $0.isWhitespace || $0 == "-" || $0 == "،" || $0 == "," || $0 == "." }) {
            var token = String(raw)
            if particles.contains(normalise(token)) { continue }
            if normalise(token) == "عبد" { pendingAbd = true; continue }
            if pendingAbd {
                pendingAbd = false
                out.append("عبد" + token)
                continue
            }
            if token.count > 4 && token.hasPrefix("ال") && normalise(token) != "الله" { token.removeFirst(2) }
            out.append(contentsOf: splitCompound(token))
        }
        if pendingAbd { out.append("عبد") }
        return out
    }

    /// Two given names written as one word (محمدرضا, Mohammad-Reza), when both halves are in the
    /// variant tables; otherwise the token as it is.
    static func splitCompound(_ token: String) -> [String] {
        NameVariants.splitCompound(token, minimum: 5, shortest: 2, key: normalise)
    }

    /// A token in Latin letters under a scheme, in lower case.
    static func romanise(_ token: String, _ scheme: Scheme) -> String { segments(token, scheme).joined() }

    /// The token's letters in Latin, one string per Arabic letter: a key is built from these so that
    /// two letters never read as one digraph (ز and ه are z and h, not the zh of ژ).
    static func segments(_ token: String, _ scheme: Scheme) -> [String] {
        var letters = Array(token)
        // "Abd al-...": the article after Abd is not read (Abdelrahman, Abd al-Rahman, Abdul Rahman come together).
        if letters.count > 5 && String(letters.prefix(5)) == "عبدال" && String(letters) != "عبدالله" { letters.removeSubrange(3..<5) }
        var out: [String] = []
        for (i, ch) in letters.enumerated() where ch != "\u{200C}" {
            let initial = i == 0 || letters[i - 1] == "\u{200C}"
            let previous: Character? = i == 0 ? nil : letters[i - 1]
            let afterVowelLetter = previous.map { "اوىيیۇۆۈېەى".contains($0) } ?? false
            // A zero-width non-joiner ends a word part: the letter before it is final (خامنه‌ای).
            let last = i == letters.count - 1 || letters[i + 1] == "\u{200C}"
            let latin = letter(ch, scheme, initial: initial && i == 0, afterVowelLetter: afterVowelLetter, last: last)
            if !latin.isEmpty { out.append(latin) }
        }
        return out
    }

    private static func letter(_ ch: Character, _ scheme: Scheme, initial: Bool, afterVowelLetter: Bool, last: Bool) -> String {
        if scheme == .uyghur {
            switch ch {
            case "ا": return "a"
            case "ە": return "e"
            case "ه" where last: return "e"
            case "ې": return "e"
            case "ى": return "i"
            case "و", "ۆ": return "o"
            case "ۇ", "ۈ": return "u"
            case "ۋ": return "w"
            case "ي": return "y"
            case "ئ", "ء": return ""
            case "خ": return "kh"
            case "ڭ": return "ng"
            case "ھ", "ه": return "h"
            default: break
            }
        }
        switch ch {
        case "ا", "ٱ": return "a"
        case "أ": return initial ? "a" : ""
        case "إ": return "i"
        case "آ": return "a"
        // Ayn is written as the vowel next to it, or not at all (Muammar, Saad, Ali).
        case "ع": return "a"
        case "ء", "ؤ", "ئ": return ""
        case "ب": return "b"
        case "پ": return "p"
        case "ت", "ط", "ٹ": return "t"
        case "ث": return scheme == .english || scheme == .french ? "th" : scheme == .egyptian ? "t" : "s"
        case "ج": return scheme == .egyptian ? "g" : scheme == .french ? "dj" : "j"
        case "چ": return scheme == .french ? "tch" : "ch"
        case "ح": return "h"
        case "خ": return "kh"
        case "د", "ڈ": return "d"
        case "ذ": return scheme == .english || scheme == .french ? "dh" : scheme == .egyptian ? "d" : "z"
        case "ر", "ڑ": return "r"
        case "ز": return "z"
        case "ژ": return scheme == .french ? "j" : "zh"
        case "س", "ص": return "s"
        case "ش": return scheme == .french ? "ch" : "sh"
        case "ض": return scheme == .persian ? "z" : "d"
        case "ظ": return "z"
        case "غ": return "gh"
        case "ف": return "f"
        case "ق": return scheme == .persian ? "gh" : scheme == .french ? "k" : "q"
        case "ك", "ک": return "k"
        case "گ": return "g"
        case "ڭ": return "ng"
        case "ل": return "l"
        case "م": return "m"
        case "ن", "ں": return "n"
        case "ه", "ھ", "ہ": return scheme == .persian && last && !initial ? "eh" : "h"
        case "ة", "ۀ": return scheme == .persian ? "eh" : "a"
        case "و":
            if initial { return scheme == .persian ? "v" : scheme == .french ? "ou" : "w" }
            if afterVowelLetter { return "w" }
            return scheme == .french ? "ou" : "u"
        case "ي", "ی", "ى":
            if ch == "ى" && last && scheme != .persian { return "a" }
            if initial || afterVowelLetter { return "y" }
            return "i"
        case "ے": return "e"
        default: return ""
        }
    }

    /// The schemes a name is read under: Uyghur alone for a Uyghur name, the others otherwise
    /// (Persian letters or not, an Arabic-script name may be written the Persian way).
    static func schemes(for name: String) -> [Scheme] {
        isUyghur(name) ? [.uyghur] : [.english, .french, .egyptian, .persian]
    }
}
