import Foundation

/// Chinese names: Han characters read as Hanyu Pinyin through ICU's Han-Latin (tones dropped),
/// surname first and the given name's syllables joined; older Wade-Giles spellings converted to
/// Pinyin; and Chinese transcriptions of non-Chinese names (Uyghur, Kazakh, Tibetan), whose parts
/// a middle dot separates.
enum Chinese {
    static func isHan(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xF900...0xFAFF, 0x20000...0x2EBEF: return true
        default: return false
        }
    }

    static func contains(_ text: String) -> Bool { text.unicodeScalars.contains(where: isHan) }

    /// The dots that separate the parts of a transcribed foreign name.
    static let dots: Set<Character> = ["·", "・", "•", "‧", "･", "∙"]

    /// Two-character surnames (simplified and traditional): the rest of a name is the given name.
    static let compoundSurnames: Set<String> = [
        "欧阳", "歐陽", "司马", "司馬", "诸葛", "諸葛", "上官", "东方", "東方", "夏侯", "皇甫", "尉迟", "尉遲", "公孙", "公孫",
        "慕容", "长孙", "長孫", "宇文", "司徒", "令狐", "独孤", "獨孤", "南宫", "南宮", "西门", "西門", "端木", "轩辕", "軒轅",
        "澹台", "呼延", "赫连", "赫連", "闻人", "聞人", "钟离", "鍾離", "宗政", "濮阳", "濮陽", "太史", "申屠", "公羊",
    ]

    /// Pinyin syllables of Han text, lower case without tones.
    static func syllables(_ han: String) -> [String] {
        let latin = han.applyingTransform(StringTransform("Han-Latin; Latin-ASCII"), reverse: false) ?? ""
        return latin.lowercased().split { !$0.isLetter }.map(String.init)
    }

    /// A name in Han characters as Latin parts: (parts, whether it transcribes a non-Chinese name).
    static func read(_ name: String) -> (parts: [String], transcription: Bool) {
        let text = name.trimmingCharacters(in: .whitespaces)
        if text.contains(where: { dots.contains($0) }) {
            let segments = text.split { dots.contains($0) || $0.isWhitespace }
            // Pinyin x and q are the sounds sh and ch of the name transcribed (Tashpolat: ta xi fu la ti).
            let sounds = { (syllable: String) -> String in
                syllable.hasPrefix("x") ? "sh" + syllable.dropFirst() : syllable.hasPrefix("q") ? "ch" + syllable.dropFirst() : syllable
            }
            return (segments.map { syllables(String($0)).map(sounds).joined() }.filter { !$0.isEmpty }, true)
        }
        let words = text.split(whereSeparator: \.isWhitespace).map(String.init)
        if words.count > 1 {
            return (words.map { syllables($0).joined() }.filter { !$0.isEmpty }, false)
        }
        // One run of characters: the surname is the first character, or two for a compound surname.
        let chars = Array(text)
        let surnameLength = chars.count > 2 && compoundSurnames.contains(String(chars.prefix(2))) ? 2 : 1
        let surname = syllables(String(chars.prefix(surnameLength))).joined()
        let given = syllables(String(chars.dropFirst(surnameLength))).joined()
        return ([surname, given].filter { !$0.isEmpty }, false)
    }

    // MARK: Pinyin and Wade-Giles syllables in Latin names

    static let initials = ["zh", "ch", "sh", "b", "p", "m", "f", "d", "t", "n", "l", "g", "k", "h", "j", "q", "x", "r", "z", "c", "s", "y", "w", ""]
    static let finals: Set<String> = [
        "a", "o", "e", "i", "u", "v", "ai", "ei", "ao", "ou", "an", "en", "ang", "eng", "ong", "er", "ia", "ie", "iao", "iu", "ian",
        "in", "iang", "ing", "iong", "ua", "uo", "uai", "ui", "uan", "un", "uang", "ue", "ve", "ueng",
    ]

    /// Every syllable (a loose set: each initial with each final), packed five bits a letter.
    static let syllableCodes: Set<UInt64> = {
        var out = Set<UInt64>()
        for initial in initials {
            for final in finals {
                // Without an initial, syllables in i, u and v are written with y and w (yi, wu).
                if initial.isEmpty && ["i", "u", "v"].contains(String(final.prefix(1))) { continue }
                if let code = code(Array((initial + final).utf8)[...]) { out.insert(code) }
            }
        }
        return out
    }()

    static func code(_ letters: ArraySlice<UInt8>) -> UInt64? {
        guard !letters.isEmpty, letters.count <= 6 else { return nil }
        var code: UInt64 = 0
        for c in letters {
            guard c >= 0x61 && c <= 0x7A else { return nil }
            code = code << 5 | UInt64(c - 0x60)
        }
        return code
    }

    /// Whether a lower-case piece is one Pinyin syllable (a loose check: initial and final).
    static func isPinyin(_ piece: String) -> Bool {
        guard let c = code(Array(piece.utf8)[...]) else { return false }
        return syllableCodes.contains(c)
    }

    /// A Wade-Giles syllable in Pinyin, or nil when it is none. Aspiration (an apostrophe after the
    /// initial) decides between the two series: ch'/ch, k'/k, t'/t, p'/p, ts'/ts.
    static func pinyin(fromWadeGiles raw: String) -> String? {
        var s = ""
        for ch in raw.lowercased() {
            switch ch {
            case "’", "‘", "ʻ": s.append("'")
            case "ü": s.append("v")
            default: s.append(ch)
            }
        }
        let table: [(String, String)] = [
            ("ch'", "ch"), ("ts'", "c"), ("tz'", "c"), ("hs", "x"), ("ch", "zh"), ("ts", "z"), ("tz", "z"), ("sh", "sh"),
            ("k'", "k"), ("t'", "t"), ("p'", "p"), ("k", "g"), ("t", "d"), ("p", "b"), ("j", "r"), ("ss", "s"), ("sz", "s"),
        ]
        var initial = "", rest = s
        for (wg, py) in table where s.hasPrefix(wg) {
            initial = py
            rest = String(s.dropFirst(wg.count))
            break
        }
        if initial.isEmpty, let first = s.first, "mfnlhsyw".contains(first) {
            initial = String(first)
            rest = String(s.dropFirst())
        }
        rest = rest.replacingOccurrences(of: "'", with: "")
        // ch and ch' before i or v are the palatal j and q.
        if (rest.hasPrefix("i") && rest != "ih") || rest.hasPrefix("v") {
            if initial == "zh" { initial = "j" } else if initial == "ch" { initial = "q" }
        }
        // After the palatals and y, Pinyin writes ü as u (chün: jun, hsü: xu).
        if ["j", "q", "x", "y"].contains(initial) && rest.hasPrefix("v") { rest = "u" + rest.dropFirst() }
        let finals: [(String, String)] = [("iung", "iong"), ("ung", "ong"), ("ieh", "ie"), ("ien", "ian"), ("ih", "i"), ("veh", "ve"),
                                          ("ueh", "ue"), ("erh", "er"), ("u", "u"), ("o", "o")]
        for (wg, py) in finals where rest == wg { rest = py; break }
        // ssu, szu, tzu, tz'u: the apical vowel written u is Pinyin i.
        if rest == "u" && ["s", "z", "c"].contains(initial) && (s.hasPrefix("ss") || s.hasPrefix("sz") || s.hasPrefix("tz")) { rest = "i" }
        // ko, k'o, ho: Wade-Giles o after velars is Pinyin e.
        if rest == "o" && ["g", "k", "h"].contains(initial) { rest = "e" }
        let out = initial + rest
        return isPinyin(out) ? out : nil
    }

    /// A lower-case word cut into Pinyin syllables (xiaoping: xiao ping), or nil when it is none.
    static func syllabify(_ word: String) -> [String]? {
        let letters = Array(word.utf8)
        guard !letters.isEmpty, letters.count <= 18 else { return nil }
        // reach[i]: the length of a syllable that starts at i and leads to the end (longest first), or 0.
        var reach = [Int](repeating: 0, count: letters.count + 1)
        for start in stride(from: letters.count - 1, through: 0, by: -1) {
            for length in stride(from: min(6, letters.count - start), through: 1, by: -1) {
                let end = start + length
                guard end == letters.count || reach[end] > 0 else { continue }
                if let c = code(letters[start..<end]), syllableCodes.contains(c) { reach[start] = length; break }
            }
        }
        guard reach[0] > 0 else { return nil }
        var out: [String] = []
        var i = 0
        while i < letters.count {
            out.append(String(decoding: letters[i..<(i + reach[i])], as: UTF8.self))
            i += reach[i]
        }
        return out
    }

    /// Whether every piece of a hyphenated word is a Chinese syllable (Jin-ping, Tse-tung).
    static func isSyllableRun(_ pieces: [String]) -> Bool {
        pieces.count >= 2 && pieces.allSatisfy { isPinyin($0.lowercased()) || pinyin(fromWadeGiles: $0) != nil }
    }
}
