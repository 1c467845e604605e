import Foundation

/// One way of reading a name: its scheme and its parts in Latin letters, with each part's key and
/// variant-table group.
struct Reading: Sendable {
    enum Kind: Sendable {
        /// Every sound written (Latin, Cyrillic, Uyghur, Pinyin).
        case full
        /// Arabic or Persian script: short vowels are not written.
        case abjad
        /// A Chinese transcription of a non-Chinese name: vowels added after every consonant.
        case transcription
    }

    var scheme: String
    var parts: [String]
    var keys: [NameKey]
    /// Index into `NameVariants.groups`, or -1.
    var groups: [Int16]
    var kind: Kind
    /// A Chinese name (from Han characters, Wade-Giles or joined Pinyin syllables): one syllable
    /// more or less alike is another name (Wang Wei, Wang Hui).
    var chinese = false

    /// Per part, computed once: whether it is a patronymic, and how many Pinyin syllables it cuts
    /// into (0 when it is not Pinyin; only for names that can meet a Chinese reading).
    var patronymic: [Bool]
    var syllables: [Int]

    init(scheme: String, parts: [String], keys: [NameKey]? = nil, groups: [Int16]? = nil, kind: Kind = .full, chinese: Bool = false,
         latin: Bool = false) {
        self.chinese = chinese
        self.scheme = scheme
        self.parts = parts
        self.keys = keys ?? parts.map(NameKey.init)
        self.groups = groups ?? parts.map { NameVariants.group(of: $0) ?? -1 }
        self.kind = kind
        self.patronymic = parts.map(NameMatcher.isPatronymic)
        // Only a name written in Latin or read from Han characters can meet a Chinese reading.
        self.syllables = kind == .full && (chinese || latin) ? parts.map { Chinese.syllabify($0)?.count ?? 0 } : parts.map { _ in 0 }
    }
}

extension NameMatcher {
    static let patronymicEndings = ["ovich", "evich", "ovych", "evych", "ovna", "evna", "ichna", "ivna", "ich", "uly", "ulu",
                                    "kyzy", "kizi", "qizi", "oglu", "ogly", "ogli", "vich", "vna"]
    static let particles: Set<String> = ["van", "von", "de", "der", "den", "la", "le", "di", "da", "del", "bin", "ibn", "al", "el",
                                         "bint", "ould", "binti"]
    /// The Arabic article and "son of"/"daughter of" words of Turkic names, when written apart.
    static let hyphenParticles: Set<String> = ["al", "el", "ad", "as", "ash", "ar", "at", "az", "an", "ud", "ed", "ul", "ut", "us", "ad"]
    static let filialWords: Set<String> = ["oglu", "ogly", "ogli", "kyzy", "kizi", "qizi", "gizi", "uly", "uulu", "ugli"]
    /// "Abd" and its spellings with the article: joined to the name that follows.
    static let abdPrefixes = ["abdoul", "abdul", "abdel", "abdal", "abdol", "abdur", "abdus", "abdun", "abdu", "abd"]

    /// A name's parts, folded: split on spaces and punctuation; the Arabic article and "son of"
    /// words dropped; hyphenated Chinese syllables joined (Jin-ping); "Abd" joined to what follows.
    static func parts(of text: String, romanised: Bool = false) -> [String] {
        var out: [String] = []
        let words = separateWords(text)
        for (w, word) in words.enumerated() {
            let pieces = word.split(separator: "-").map(String.init)
            if Chinese.isSyllableRun(pieces) {
                out.append(NameKey.fold(pieces.joined()))
                continue
            }
            for (k, piece) in pieces.enumerated() {
                let folded = NameKey.fold(piece)
                // A particle comes before the name it introduces: one at the end is a name (Tang Xiao Bin, Wang Da).
                if folded.isEmpty || (particles.contains(folded) && !(w == words.count - 1 && k == pieces.count - 1)) { continue }
                if k == 0 && pieces.count > 1 && hyphenParticles.contains(folded) { continue }
                if filialWords.contains(folded) && w > 0 { continue }
                // "ben" is a particle inside a name (Ben Ali is a surname written apart; Ben alone, a given name).
                if folded == "ben" && w > 0 && w < words.count - 1 { continue }
                out.append(folded)
            }
        }
        return joinAbd(out)
    }

    /// The text split on white space, commas and full stops. ASCII text (most names once
    /// romanised) is split byte by byte, without reading it as characters.
    static func separateWords(_ text: String) -> [Substring] {
        guard text.utf8.allSatisfy({ $0 < 0x80 }) else { return text.split { $0.isWhitespace || $0 == "," || $0 == "." } }
        // What Character.isWhitespace calls white space in ASCII: tab to carriage return, and space.
        return text.utf8.split { (0x09...0x0D).contains($0) || $0 == 0x20 || $0 == 0x2C || $0 == 0x2E }.map { Substring($0) }
    }

    /// Abd al-Rahman, Abdul Rahman, Abdelrahman, Abdurrahman: one part, "abd" and the name.
    static func joinAbd(_ parts: [String]) -> [String] {
        var out: [String] = []
        var i = 0
        while i < parts.count {
            let p = parts[i]
            if abdPrefixes.contains(p), i + 1 < parts.count {
                out.append("abd" + parts[i + 1])
                i += 2
                continue
            }
            if p.hasPrefix("abd"), NameVariants.group(of: p) == nil, let prefix = abdPrefixes.first(where: { p.hasPrefix($0) && p.count - $0.count >= 3 }) {
                out.append("abd" + p.dropFirst(prefix.count))
            } else {
                out.append(contentsOf: splitCompound(p))
            }
            i += 1
        }
        return out
    }

    /// Two given names written as one (Mohammadreza, Alireza), when both halves are in the variant tables.
    static func splitCompound(_ part: String) -> [String] {
        // Most parts start like no form at all: that check is cheaper than trying every cut.
        guard NameVariants.startsLikeAForm(part) else { return [part] }
        return NameVariants.splitCompound(part, minimum: 6, shortest: 3)
    }

    /// Readings of a name: every scheme its script is written in, and the name as written.
    static func readings(of name: String) -> [Reading] {
        var out: [Reading] = []
        var seen = Set<[String]>()
        func add(_ r: Reading) {
            guard !r.parts.isEmpty, seen.insert(r.parts).inserted else { return }
            out.append(r)
        }
        if Chinese.contains(name) {
            let (parts, transcription) = Chinese.read(name)
            add(Reading(scheme: transcription ? "Chinese transcription (Pinyin)" : "Hanyu Pinyin (ICU Han-Latin)", parts: parts,
                        kind: transcription ? .transcription : .full, chinese: !transcription))
            return out
        }
        if ArabicScript.contains(name) {
            let tokens = ArabicScript.tokens(of: name)
            let groups = tokens.map { NameVariants.group(of: ArabicScript.normalise($0)) ?? -1 }
            for scheme in ArabicScript.schemes(for: name) {
                if scheme == .uyghur {
                    // Uyghur writes every vowel: its reading is compared as Latin, with Abd compounds joined.
                    let parts = joinAbd(tokens.map { NameKey.fold(ArabicScript.romanise($0, scheme)) }.filter { !$0.isEmpty })
                    add(Reading(scheme: scheme.rawValue, parts: parts))
                    continue
                }
                let segments = tokens.map { ArabicScript.segments($0, scheme).map(NameKey.fold) }
                let keep = segments.indices.filter { !segments[$0].joined().isEmpty }
                add(Reading(scheme: scheme.rawValue, parts: keep.map { segments[$0].joined() },
                            keys: keep.map { NameKey(segments: segments[$0]) }, groups: keep.map { groups[$0] }, kind: .abjad))
            }
            return out
        }
        if Romanisation.isCyrillic(name) {
            for scheme in Romanisation.tables { add(Reading(scheme: scheme.rawValue, parts: parts(of: scheme.romanise(name)))) }
            return out
        }
        if Romanisation.needsRomanising(name) {
            add(Reading(scheme: Romanisation.icu.rawValue, parts: parts(of: Romanisation.icu.romanise(name))))
            return out
        }
        let written = parts(of: name)
        add(Reading(scheme: "as written", parts: written, latin: true))
        for (scheme, text) in Turkic.readings(of: name) {
            // A name that is Pinyin throughout (Xi Jinping) has no Turkic reading of its x.
            if scheme == Turkic.xAsKh && written.allSatisfy({ Chinese.syllabify($0) != nil }) { continue }
            add(Reading(scheme: scheme, parts: parts(of: text), latin: true))
        }
        if let converted = wadeGiles(name) { add(Reading(scheme: "Wade-Giles to Pinyin", parts: converted, chinese: true)) }
        // Xi Jin Ping: three Pinyin syllables are a surname and a given name, in either order.
        let raw = name.split(whereSeparator: \.isWhitespace).map { NameKey.fold(String($0)) }
        if raw.count == 3 && raw.allSatisfy(Chinese.isPinyin) {
            add(Reading(scheme: "Pinyin, given name joined", parts: [raw[0], raw[1] + raw[2]], chinese: true))
            add(Reading(scheme: "Pinyin, given name joined", parts: [raw[0] + raw[1], raw[2]], chinese: true))
        }
        return out
    }

    /// A Latin name read as Wade-Giles and written in Pinyin (Mao Tse-tung: mao zedong), when every
    /// syllable is Wade-Giles and one of them differs from Pinyin.
    static func wadeGiles(_ name: String) -> [String]? {
        // Only ASCII letters, apostrophes and hyphens, in pieces no longer than a syllable.
        var run = 0
        for u in name.utf8 {
            switch u {
            case 0x41...0x5A, 0x61...0x7A: run += 1; if run > 7 { return nil }
            case 0x20, 0x2D, 0x2C: run = 0
            case 0x27, 0xE2, 0x80, 0x98, 0x99, 0xCA, 0xBB: continue   // ' and the bytes of ‘ ’ ʻ
            case 0xC3, 0xBC: continue   // ü
            default: return nil
            }
        }
        let words = name.split { $0.isWhitespace || $0 == "," }
        guard words.count >= 2, words.count <= 4 else { return nil }
        var parts: [String] = []
        var changed = false
        for word in words {
            var joined = ""
            for piece in word.split(separator: "-") {
                guard let py = Chinese.pinyin(fromWadeGiles: String(piece)) else { return nil }
                if py != NameKey.fold(String(piece)) { changed = true }
                joined += py
            }
            parts.append(joined)
        }
        return changed ? parts : nil
    }
}

/// Turkic languages in Latin letters: the letters read as sounds (ş = sh, ç = ch, c = j; in
/// Azerbaijani also ə, x = kh, q = g; in Uzbek o‘ and g‘), beside the letters stripped of their marks.
enum Turkic {
    static let xAsKh = "x read as kh (Uzbek, Azerbaijani, Uyghur Latin)"

    static func readings(of name: String) -> [(String, String)] {
        // Most names have none of the letters these readings are for.
        guard name.unicodeScalars.contains(where: { ["ş", "Ş", "ç", "Ç", "ğ", "ı", "ə", "Ə", "x", "X", "ʻ", "‘", "’", "'", "`", "ʼ"].contains($0) })
        else { return [] }
        var out: [(String, String)] = []
        let lower = name.lowercased()
        let apostrophes: Set<Character> = ["ʻ", "‘", "’", "'", "`", "ʼ"]
        let chars = Array(lower)
        let uzbek = chars.indices.dropFirst().contains { apostrophes.contains(chars[$0]) && (chars[$0 - 1] == "o" || chars[$0 - 1] == "g") }
        if lower.contains("ə") {
            out.append(("Azerbaijani letters", map(lower, ["ə": "a", "x": "kh", "q": "g", "c": "j", "ç": "ch", "ş": "sh", "ğ": "gh", "ı": "i"])))
            // Without its letters, ə is written e as often as a (Həsənov: Hasanov, Hesenov).
            out.append(("Azerbaijani letters, ə as e", map(lower, ["ə": "e", "x": "kh", "q": "g", "c": "j", "ç": "ch", "ş": "sh", "ğ": "gh", "ı": "i"])))
        } else if lower.contains(where: { "şçğı".contains($0) }) {
            out.append(("Turkish letters", map(lower, ["ş": "sh", "ç": "ch", "c": "j", "ğ": "", "ı": "i"])))
        }
        if !uzbek && !lower.contains("ə") && lower.contains("x") {
            // x is kh in Uzbek, Azerbaijani and Uyghur Latin (Farrux, Toxti).
            out.append((xAsKh, map(lower, ["x": "kh"])))
        }
        if uzbek {
            var text = ""
            var previous: Character?
            for ch in lower {
                if apostrophes.contains(ch) && previous == "g" { text += "h" }
                else if !apostrophes.contains(ch) { text += ch == "x" ? "kh" : String(ch) }
                previous = ch
            }
            out.append(("Uzbek Latin", text))
        }
        return out
    }

    private static func map(_ text: String, _ table: [Character: String]) -> String {
        var out = ""
        for ch in text { out += table[ch] ?? String(ch) }
        return out
    }
}
