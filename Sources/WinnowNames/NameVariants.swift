/// Spellings of one given name across languages and romanisations, where no letter-by-letter rule
/// brings them together (Muhammad / Mohamed / Mehmet / Magomed; Hussein / Hüseyin / Gusein). Two
/// parts in one group are the same name; two parts in two different groups are different names
/// however alike their letters (Hassan / Hussein, Ahmed / Hamed). Latin forms are folded (lower
/// case, no accents); Arabic-script forms are normalised by `ArabicScript.normalise`.
///
/// Sources for the forms: the Library of Congress ALA-LC Arabic and Persian tables, common passport
/// and press spellings, Turkish, Azerbaijani, Central Asian and Russian forms of the same names.
enum NameVariants {
    struct Group: Sendable {
        /// How the group is named in a match's explanation.
        let name: String
        let forms: [String]
    }

    static let groups: [Group] = [
        Group(name: "Muhammad", forms: ["muhammad", "mohammad", "mohammed", "mohamed", "mohamad", "muhammed", "muhamed", "mohamud",
                                        "mahomed", "mohd", "muhamad", "muhammet", "mehmet", "mehmed", "magomed", "magomet", "mukhammad",
                                        "mukhammed", "muhammadu", "mamadou", "mohammod", "mouhamed", "mohamet", "محمد"]),
        Group(name: "Ahmad", forms: ["ahmad", "ahmed", "ahmet", "akhmad", "akhmed", "achmed", "ahmadu", "akhmat", "احمد"]),
        Group(name: "Mahmud", forms: ["mahmud", "mahmoud", "mahmood", "makhmud", "mahmut", "mahmudu", "محمود"]),
        Group(name: "Hamid", forms: ["hamid", "hamed", "hamit", "khamid", "hameed", "حامد", "حميد"]),
        Group(name: "Hamad", forms: ["hamad", "khamad", "حمد"]),
        Group(name: "Hassan", forms: ["hassan", "hasan", "hasson", "khasan", "hassane", "hassen", "حسن"]),
        Group(name: "Hussein", forms: ["hussein", "husein", "hussain", "husain", "husayn", "hossein", "hosein", "hoseyn", "huseyin",
                                       "guseyn", "gusein", "hussien", "housseine", "hussayn", "حسين"]),
        Group(name: "Ali", forms: ["ali", "aly", "alee", "علي"]),
        Group(name: "Umar", forms: ["umar", "omar", "omer", "oemer", "umer", "omar", "oumar", "عمر"]),
        Group(name: "Uthman", forms: ["uthman", "othman", "osman", "usman", "usmon", "otman", "outhmane", "عثمان"]),
        Group(name: "Yusuf", forms: ["yusuf", "yousef", "youssef", "yousif", "yusef", "yosef", "jusuf", "yusup", "yussuf", "youcef",
                                     "youssouf", "yousuf", "yusif", "iusuf", "usuf", "يوسف"]),
        Group(name: "Ibrahim", forms: ["ibrahim", "ebrahim", "ibragim", "brahim", "ibroxim", "ibrokhim", "ibrahima", "ibraheem", "ابراهيم"]),
        Group(name: "Ismail", forms: ["ismail", "ismael", "ismayil", "ismoil", "esmail", "ismayl", "اسماعيل"]),
        Group(name: "Khalid", forms: ["khalid", "khaled", "halid", "halit", "khaleed", "khalit", "خالد"]),
        Group(name: "Mustafa", forms: ["mustafa", "moustafa", "mostafa", "mustapha", "mostapha", "moustapha", "mustafo", "مصطفي"]),
        Group(name: "Abdullah", forms: ["abdullah", "abdallah", "abdulla", "abdula", "abdollah", "abdoulah", "abdlah", "abdla", "abdolah",
                                        "abdallahi", "abdulloh", "عبدالله"]),
        Group(name: "Said", forms: ["said", "saeed", "saied", "saeid", "saiid", "saed", "سعيد"]),
        Group(name: "Karim", forms: ["karim", "kareem", "kerim", "كريم"]),
        Group(name: "Nasir", forms: ["nasser", "nasir", "naser", "nassir", "nacer", "ناصر"]),
        Group(name: "Jamal", forms: ["jamal", "gamal", "djamal", "cemal", "jemal", "dzhamal", "jamol", "djamel", "jamel", "جمال"]),
        Group(name: "Hakim", forms: ["hakim", "hakeem", "hakem", "khakim", "حكيم"]),
        Group(name: "Rashid", forms: ["rashid", "rasheed", "rachid", "reshid", "rashed", "rached", "rashit", "راشد", "رشيد"]),
        Group(name: "Salah", forms: ["salah", "salaheddine", "صلاح"]),
        Group(name: "Salih", forms: ["saleh", "salih", "salekh", "solih", "صالح"]),
        Group(name: "Sultan", forms: ["sultan", "soltan", "sultaan", "سلطان"]),
        Group(name: "Mansur", forms: ["mansur", "mansour", "mansoor", "منصور"]),
        Group(name: "Nur", forms: ["nur", "nour", "noor", "نور"]),
        Group(name: "Fatima", forms: ["fatima", "fatimah", "fatma", "fatemeh", "fatemah", "fotima", "fatimat", "fatema", "فاطمه"]),
        Group(name: "Aisha", forms: ["aisha", "aysha", "aicha", "ayesha", "aishah", "ayse", "ayshe", "aysha", "oysha", "عايشه"]),
        Group(name: "Zaynab", forms: ["zainab", "zaynab", "zeynab", "zeinab", "zeineb", "zaineb", "zeynep", "zaynap", "زينب"]),
        Group(name: "Maryam", forms: ["maryam", "mariam", "meryem", "maryem", "mariyam", "مريم"]),
        Group(name: "Khadija", forms: ["khadija", "khadijah", "hatice", "khadidja", "xadija", "kadija", "khadidzha", "خديجه"]),
        Group(name: "Amina", forms: ["amina", "aminah", "emine", "amineh", "aminat", "امنه", "امينه"]),
        Group(name: "Layla", forms: ["layla", "leila", "laila", "leyla", "lejla", "ليلي", "ليلا"]),
        Group(name: "Mahdi", forms: ["mahdi", "mehdi", "mekhdi", "مهدي"]),
        Group(name: "Reza", forms: ["reza", "riza", "rida", "ridha", "رضا"]),
        Group(name: "Jafar", forms: ["jafar", "jaafar", "jaffar", "cafer", "dzhafar", "djafar", "جعفر"]),
        Group(name: "Ayman", forms: ["ayman", "aiman", "eyman", "ayman", "ايمن"]),
        Group(name: "Tariq", forms: ["tariq", "tarek", "tarik", "tareq", "tarik", "طارق"]),
        Group(name: "Walid", forms: ["walid", "waleed", "velid", "oualid", "وليد"]),
        Group(name: "Imad", forms: ["imad", "emad", "imed", "عماد"]),
        Group(name: "Anwar", forms: ["anwar", "anvar", "enver", "anouar", "انور"]),
        Group(name: "Abbas", forms: ["abbas", "abas", "عباس"]),
        Group(name: "Yasin", forms: ["yasin", "yassin", "yaseen", "yassine", "iasin", "ياسين"]),
        Group(name: "Ramadan", forms: ["ramadan", "ramazan", "ramadhan", "ramzan", "رمضان"]),
        Group(name: "Bilal", forms: ["bilal", "belal", "بلال"]),
        Group(name: "Hamza", forms: ["hamza", "hamzah", "hamzat", "حمزه"]),
        Group(name: "Idris", forms: ["idris", "idriss", "edris", "ادريس"]),
        Group(name: "Yunus", forms: ["yunus", "younes", "younis", "yunis", "iunus", "يونس"]),
        Group(name: "Musa", forms: ["musa", "moussa", "mousa", "moosa", "موسي"]),
        Group(name: "Isa", forms: ["isa", "issa", "eesa", "عيسي"]),
        Group(name: "Amin", forms: ["amin", "emin", "ameen", "امين"]),
        Group(name: "Anar", forms: ["anar"]),
        Group(name: "Rustam", forms: ["rustam", "rostam", "rustem", "رستم"]),
    ]

    /// Group index of each form, built once.
    static let index: [String: Int16] = {
        var out: [String: Int16] = [:]
        for (i, g) in groups.enumerated() {
            for form in g.forms {
                let key = form.unicodeScalars.first.map { ArabicScript.isArabicScript($0) } == true ? ArabicScript.normalise(form) : form
                out[key] = Int16(i)
            }
        }
        return out
    }()

    /// The first three letters of every Latin form: a part that starts otherwise holds no form.
    static let prefixes: Set<String> = Set(index.keys.filter { $0.count >= 3 }.map { String($0.prefix(3)) })

    static func startsLikeAForm(_ part: String) -> Bool { prefixes.contains(String(part.prefix(3))) }

    /// Two given names written as one word (Mohammadreza, محمدرضا): the two halves when both are in
    /// the table (looked up through `key`), each at least `shortest` letters; otherwise the word.
    static func splitCompound(_ word: String, minimum: Int, shortest: Int, key: (String) -> String = { $0 }) -> [String] {
        let letters = Array(word)
        guard letters.count >= minimum, group(of: key(word)) == nil else { return [word] }
        for cut in stride(from: shortest, through: letters.count - shortest, by: 1) {
            let head = String(letters[..<cut]), tail = String(letters[cut...])
            if group(of: key(head)) != nil && group(of: key(tail)) != nil { return [head, tail] }
        }
        return [word]
    }

    /// The group of a folded Latin part or a normalised Arabic-script part, if it has one.
    static func group(of part: String) -> Int16? { index[part] }
}
