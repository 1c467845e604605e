#!/usr/bin/env python3
"""Writes Tests/Fixtures/name-families.tsv: labelled person-name pairs per script family (arabic,
persian, turkic, chinese, uyghur, cyrillic) for measuring the name matcher on pairs it was not
tuned on.

Independence: every spelling here comes from this script's own tables and rules, written from the
conventions of each style (ALA-LC without diacritics, English press, French, Egyptian, Persian
press, Turkish/Azerbaijani/Uzbek native Latin and its ASCII, English and Russian forms, Hanyu
Pinyin and Wade-Giles from a character table, Chinese transcriptions of Uyghur names by syllable,
Library of Congress and Spanish romanisation of Cyrillic). Names start from a phonemic form, not
from a spelling the matcher uses. None of Winnow's code or tables is read.

Columns: family, name_a, name_b, label (match | different), kind, split. The split is fixed by
row number: "tune" rows (3 in 10) may be looked at when changing the matcher; "heldout" rows
never are, and docs/benchmarks.md reports precision, recall and F1 on them. Fixed seed."""
import random
import sys

random.seed(20261201)
rows = []


def add(family, a, b, label, kind):
    if a != b:
        rows.append((family, a, b, label, kind))


def pick(xs):
    return random.choice(xs)


def cap(s):
    return " ".join(w[:1].upper() + w[1:] for w in s.split(" "))

# ---------------------------------------------------------------------------------------------
# Arabic. Phonemic notation: consonants b t 4(th) j H(ḥ) x(kh) d 6(dh) r z s C(sh) S(ṣ) D(ḍ)
# T(ṭ) Z(ẓ) 3(ʿayn) G(gh) f q k l m n h w y '(hamza); short vowels a i u; long A I U; @ ta marbuta.

AR_GIVEN_M = ["muHammad", "aHmad", "maHmUd", "HAmid", "Hasan", "Husayn", "3alI", "3umar", "3u4mAn", "yUsuf", "ibrAhIm",
              "ismA3Il", "xAlid", "muSTafA", "sa3Id", "karIm", "nASir", "jamAl", "HakIm", "rACid", "SalAH", "SAliH",
              "manSUr", "yAsIn", "bilAl", "idrIs", "yUnus", "TAriq", "walId", "3imAd", "anwar", "3abbAs", "ayman",
              "samIr", "hiCAm", "3Adil", "faySal", "kamAl", "munIr", "nabIl", "rA'id", "marwAn", "3Adil", "jalAl", "sulaymAn"]
AR_GIVEN_F = ["fATima@", "3A'iCa@", "zaynab", "maryam", "xadIja@", "amIna@", "laylA", "nUr", "salmA", "hudA", "rIm",
              "yAsmIn", "sumayya@", "ranA", "du3A'", "hind", "lubnA", "samIra@", "nAdiya@", "HanAn"]
AR_FAMILY = ["manSUr", "sulTAn", "HijAzI", "maSrI", "3abbAs", "al-3urayyibI", "al-ZawAhirI", "al-bar4UtI", "al-sIsI",
             "al-qa66AfI", "mubArak", "al-xaTIb", "HaddAd", "najjAr", "SabbAG", "darwIC", "3aTiyya@", "nAfi3", "sAlim",
             "al-Hasan", "al-HUtI", "xalIl", "3IsA", "yaHyA", "al-Sayyid", "3AmirI", "al-ruCaydI", "al-Ahmad", "jabr",
             "al-najdI", "qAsim", "HamdAn", "al-Sabbar", "ramaDAn", "zaydAn", "3uwayS", "al-tamImI", "al-qaHTAnI"]
AR_LOOKALIKE = [("Hasan", "Husayn"), ("aHmad", "HAmid"), ("muHammad", "maHmUd"), ("3umar", "3u4mAn"), ("karIm", "kamAl"),
                ("nASir", "munIr"), ("samIr", "munIr"), ("walId", "xAlid"), ("nabIl", "bilAl"), ("sa3Id", "rACid")]

AR_SCRIPT = {"b": "ب", "t": "ت", "4": "ث", "j": "ج", "H": "ح", "x": "خ", "d": "د", "6": "ذ", "r": "ر", "z": "ز", "s": "س",
             "C": "ش", "S": "ص", "D": "ض", "T": "ط", "Z": "ظ", "3": "ع", "G": "غ", "f": "ف", "q": "ق", "k": "ك", "l": "ل",
             "m": "م", "n": "ن", "h": "ه", "w": "و", "y": "ي", "A": "ا", "I": "ي", "U": "و", "@": "ة", "'": "ء"}
SUN = set("t4d6rzsCSDTZln")
# Final long a written with alif maqsura.
AR_MAQSURA = {"hudA", "laylA", "salmA", "yaHyA", "muSTafA", "3IsA", "lubnA", "mUsA"}


def split_article(p):
    return (True, p[3:]) if p.startswith("al-") else (False, p)


def arabic_script(p):
    art, w = split_article(p)
    out = []
    for i, ch in enumerate(w):
        if ch in "aiu":
            if i == 0:
                out.append({"a": "أ", "i": "إ", "u": "أ"}[ch])
            continue
        if i > 0 and ch == w[i - 1] and ch not in "AIU":
            continue  # shadda not written
        if ch == "'" and i > 0 and w[i - 1] in "AIU":
            out.append("ئ" if w[i - 1] == "A" and i + 1 < len(w) else "ء")
            continue
        if ch == "A" and i == 0:
            out.append("آ")
            continue
        if ch == "A" and i == len(w) - 1 and w in AR_MAQSURA:
            out.append("ى")
            continue
        out.append(AR_SCRIPT[ch])
    return ("ال" if art else "") + "".join(out)


def latin_ar(p, style):
    """One Latin spelling of a phonemic Arabic name in a style."""
    art, w = split_article(p)
    # Sun letters assimilate the article in careful styles: al-sIsI -> as-Sisi.
    article = ""
    if art:
        article = {"alalc": "al-", "press": pick(["al-", "al-", "el-", ""]), "french": pick(["el-", "al-", ""]),
                   "egyptian": pick(["el-", "el ", ""]), "passport": pick(["al", "al ", "el "])}[style]
        if style in ("alalc",) and w[0] in SUN and random.random() < 0.3:
            article = "a" + {"C": "sh", "4": "th", "6": "dh"}.get(w[0], w[0].lower()) + "-"
    out = []
    for i, ch in enumerate(w):
        last = i == len(w) - 1
        double = i > 0 and ch == w[i - 1]
        if double and style in ("passport", "press") and random.random() < 0.3:
            continue
        if ch == "a":
            # Colloquial e for a in a final closed syllable only (Ahmed, Mohamed), never at the start.
            closed = len(w) - i == 2 and w[-1] not in "aiuAIU@'3"
            out.append({"alalc": "a", "press": pick(["a", "e"]) if closed else "a", "french": pick(["a", "e"]) if closed else "a",
                        "egyptian": "e" if closed else "a", "passport": "a"}[style])
        elif ch == "i":
            out.append({"alalc": "i", "press": pick(["i", "e"]), "french": pick(["i", "e"]), "egyptian": "e", "passport": "i"}[style])
        elif ch == "u":
            out.append({"alalc": "u", "press": pick(["u", "o"]), "french": pick(["ou", "o"]), "egyptian": "o", "passport": pick(["u", "o"])}[style])
        elif ch == "A":
            out.append("a")
        elif ch == "I":
            out.append({"press": pick(["i", "ee", "i"]), "french": "i", "alalc": "i", "egyptian": "i", "passport": pick(["i", "ee"])}[style])
        elif ch == "U":
            out.append({"press": pick(["ou", "oo", "u"]), "french": "ou", "alalc": "u", "egyptian": "o", "passport": pick(["ou", "u"])}[style])
        elif ch == "@":
            # The vowel before ta marbuta is written already: only the h is a choice (Fatima, Fatimah).
            out.append({"press": pick(["", "h"]), "french": "", "alalc": "h", "egyptian": "", "passport": pick(["", "h"])}[style])
        elif ch in "3'":
            out.append("'" if style == "alalc" and random.random() < 0.5 else "")
        elif ch == "y" and i > 0 and w[i - 1] == "a":
            out.append({"press": pick(["y", "i"]), "french": "i", "alalc": "y", "egyptian": "i", "passport": "i"}[style])
        elif ch == "w" and i > 0 and w[i - 1] == "a":
            out.append({"press": pick(["w", "u"]), "french": "ou", "alalc": "w", "egyptian": "o", "passport": "w"}[style])
        else:
            table = {"4": {"egyptian": pick(["s", "t"]), "french": "th"}.get(style, "th"),
                     "6": {"egyptian": pick(["z", "d"])}.get(style, pick(["dh", "d"]) if style == "press" else "dh"),
                     "x": "kh", "G": "gh", "H": "h", "S": "s", "D": "d", "T": "t", "Z": "z",
                     "C": "ch" if style == "french" else "sh",
                     "j": {"egyptian": "g", "french": "dj"}.get(style, "j"),
                     "q": {"french": "k", "egyptian": pick(["q", "k"])}.get(style, "q"),
                     "w": "ou" if style == "french" and i == 0 else "w"}
            out.append(table.get(ch, ch))
    text = "".join(out)
    return article + text


def ar_name(parts, style):
    return cap(" ".join(latin_ar(p, style) for p in parts)).replace("Al-", "al-").replace("El-", "el-")


AR_STYLES = ["alalc", "press", "french", "egyptian", "passport"]


def arabic():
    for _ in range(260):
        fem = random.random() < 0.35
        g = pick(AR_GIVEN_F if fem else AR_GIVEN_M)
        f = pick(AR_FAMILY)
        kind = pick(["script-vs-latin", "script-vs-latin", "latin-vs-latin", "latin-vs-latin", "nasab", "script-nasab"])
        s1, s2 = random.sample(AR_STYLES, 2)
        if kind == "script-vs-latin":
            add("arabic", " ".join(arabic_script(p) for p in (g, f)), ar_name([g, f], s2), "match", f"{kind}:{s2}")
        elif kind == "latin-vs-latin":
            add("arabic", ar_name([g, f], s1), ar_name([g, f], s2), "match", f"{kind}:{s1}-{s2}")
        elif kind == "nasab":
            father = pick(AR_GIVEN_M)
            add("arabic", ar_name([g, father, f], s1), ar_name([g, f], s2), "match", f"{kind}:{s1}-{s2}")
        else:
            father = pick(AR_GIVEN_M)
            add("arabic", " ".join(arabic_script(p) for p in (g, father, f)), ar_name([g, f], s2), "match", f"{kind}:{s2}")
    for _ in range(240):
        fem = random.random() < 0.35
        pool = AR_GIVEN_F if fem else AR_GIVEN_M
        g, f = pick(pool), pick(AR_FAMILY)
        kind = pick(["relative", "lookalike", "same-given", "father-in-son", "unrelated", "relative-script"])
        s1, s2 = random.sample(AR_STYLES, 2)
        if kind == "relative":
            g2 = pick([x for x in pool if x != g])
            add("arabic", ar_name([g, f], s1), ar_name([g2, f], s2), "different", kind)
        elif kind == "relative-script":
            g2 = pick([x for x in pool if x != g])
            add("arabic", " ".join(arabic_script(p) for p in (g, f)), ar_name([g2, f], s2), "different", kind)
        elif kind == "lookalike":
            x, y = pick(AR_LOOKALIKE)
            add("arabic", ar_name([x, f], s1), ar_name([y, f], s2), "different", kind)
        elif kind == "same-given":
            f2 = pick([x for x in AR_FAMILY if x != f and x[-3:] != f[-3:]])
            add("arabic", ar_name([g, f], s1), ar_name([g, f2], s2), "different", kind)
        elif kind == "father-in-son":
            father, grand = pick(AR_GIVEN_M), pick(AR_GIVEN_M)
            son = pick([x for x in AR_GIVEN_M if x != father])
            add("arabic", ar_name([father, grand, f], s1), ar_name([son, father, grand, f], s2), "different", kind)
        else:
            g2, f2 = pick(pool), pick(AR_FAMILY)
            if g2 != g and f2 != f:
                add("arabic", ar_name([g, f], s1), ar_name([g2, f2], s2), "different", kind)

# ---------------------------------------------------------------------------------------------
# Persian. Phonemic: as Arabic plus p ch(c) zh(J) g v, short vowels a e o, long A I U, final -e(h).

FA_GIVEN = ["mohammad", "CalI", "rezA", "hoseyn", "fAteme", "zahrA", "maryam", "narges", "nasrIn", "mahsA", "sArA",
            "parvIn", "javAd", "mahdI", "hamId", "ebrAhIm", "hasan", "amIr", "majId", "saCId", "farhAd", "CIrIn", "nedA",
            "leylA", "royA", "bahman", "kAveh", "dAryUC", "golnAz", "mInA", "arCang", "pejmAn", "behrUz", "sIAvaC"]
FA_FAMILY = ["mohammadI", "hoseynI", "sotUde", "amInI", "karImI", "rezACI", "mUsavI", "jalAlI", "tehrAnI", "esfahAnI",
             "rafsanjAnI", "xAmeneCI", "ahmadInejAd", "CajarIAn", "mohAjerAnI", "sAdeqI", "karrUbI", "ebAdI", "qorbAnI",
             "hAcemI", "rahImI", "nAderI", "kazemI", "zamAnI", "bahrAmI", "jafarI", "akbarI", "nUrI", "tavakkolI", "zand"]
FA_SCRIPT = {"b": "ب", "p": "پ", "t": "ت", "j": "ج", "c": "چ", "h": "ه", "x": "خ", "d": "د", "r": "ر", "z": "ز", "J": "ژ",
             "s": "س", "C": "ش", "f": "ف", "q": "ق", "k": "ک", "g": "گ", "l": "ل", "m": "م", "n": "ن", "v": "و", "y": "ی",
             "A": "ا", "I": "ی", "U": "و"}
# Letters with two Persian spellings: the table writes the commoner one for these names.
FA_SPECIAL = {"mohammad": "محمد", "CalI": "علی", "rezA": "رضا", "hoseyn": "حسین", "fAteme": "فاطمه", "zahrA": "زهرا",
              "hamId": "حمید", "saCId": "سعید", "mahdI": "مهدی", "hasan": "حسن", "ebrAhIm": "ابراهیم", "amIr": "امیر",
              "majId": "مجید", "javAd": "جواد", "ahmadInejAd": "احمدی‌نژاد", "sAdeqI": "صادقی", "ebAdI": "عبادی",
              "rahImI": "رحیمی", "kazemI": "کاظمی", "jafarI": "جعفری", "tavakkolI": "توکلی", "hoseynI": "حسینی",
              "mohammadI": "محمدی", "xAmeneCI": "خامنه‌ای", "rezACI": "رضایی", "sotUde": "ستوده", "mahsA": "مهسا",
              "hAcemI": "هاشمی", "CIrIn": "شیرین", "dAryUC": "داریوش", "arCang": "ارژنگ".replace("ژ", "ش"), "sIAvaC": "سیاوش"}


def persian_script(p):
    if p in FA_SPECIAL:
        return FA_SPECIAL[p]
    out = []
    for i, ch in enumerate(p):
        if ch in "aeo":
            if i == 0:
                out.append("ا")
            elif ch == "e" and i == len(p) - 1:
                out.append("ه")
            continue
        if i > 0 and ch == p[i - 1]:
            continue
        if ch == "A" and i == 0:
            out.append("آ")
            continue
        out.append(FA_SCRIPT.get(ch, ""))
    return "".join(out)


def latin_fa(p, style):
    # C in FA_GIVEN/FA_FAMILY is sh except where the Arabic ayn/hamza is meant (CalI, saCId, rezACI, xAmeneCI).
    ayn = {"CalI": "alI", "saCId": "sa'Id", "rezACI": "rezA'I", "xAmeneCI": "xAmene'I"}
    w = ayn.get(p, p)
    out = []
    for i, ch in enumerate(w):
        last = i == len(w) - 1
        if ch == "e":
            before_y = i + 1 < len(w) and w[i + 1] == "y"
            out.append({"press": "eh" if last and random.random() < 0.6 else "e", "alalc": "ih" if last else "a" if before_y else "i",
                        "french": "eh" if last else "e", "german": "eh" if last else "e"}[style])
        elif ch == "o":
            out.append({"press": "o", "alalc": "u", "french": "o", "german": "o"}[style])
        elif ch == "U":
            out.append({"press": pick(["ou", "u", "oo"]), "alalc": "u", "french": "ou", "german": "u"}[style])
        elif ch == "I":
            out.append({"press": pick(["i", "ee"]) if not last else "i", "alalc": "i", "french": "i", "german": "i"}[style])
        elif ch == "A":
            out.append("a")
        elif ch == "'":
            out.append("")
        elif ch == "C":
            out.append({"french": "ch", "german": "sch"}.get(style, "sh"))
        elif ch == "c":
            out.append({"french": "tch", "german": "tsch"}.get(style, "ch"))
        elif ch == "J":
            out.append({"french": "j", "german": "sh"}.get(style, "zh"))
        elif ch == "j":
            out.append({"french": "dj", "german": "dsch"}.get(style, "j"))
        elif ch == "x":
            out.append({"german": "ch"}.get(style, "kh"))
        elif ch == "q":
            out.append({"alalc": "q"}.get(style, "gh"))
        elif ch == "v":
            out.append({"german": "w"}.get(style, "v"))
        elif ch == "y":
            out.append({"german": "j"}.get(style, "y"))
        else:
            out.append(ch)
    return "".join(out)


FA_STYLES = ["press", "alalc", "french", "german"]


def fa_name(parts, style):
    return cap(" ".join(latin_fa(p, style) for p in parts))


def persian():
    for _ in range(200):
        g, f = pick(FA_GIVEN), pick(FA_FAMILY)
        kind = pick(["script-vs-latin", "script-vs-latin", "latin-vs-latin"])
        s1, s2 = random.sample(FA_STYLES, 2)
        if kind == "script-vs-latin":
            add("persian", f"{persian_script(g)} {persian_script(f)}", fa_name([g, f], s2), "match", f"{kind}:{s2}")
        else:
            add("persian", fa_name([g, f], s1), fa_name([g, f], s2), "match", f"{kind}:{s1}-{s2}")
    for _ in range(180):
        g, f = pick(FA_GIVEN), pick(FA_FAMILY)
        kind = pick(["relative", "same-given", "unrelated", "relative-script"])
        s1, s2 = random.sample(FA_STYLES, 2)
        if kind == "relative":
            add("persian", fa_name([g, f], s1), fa_name([pick([x for x in FA_GIVEN if x != g]), f], s2), "different", kind)
        elif kind == "relative-script":
            add("persian", f"{persian_script(g)} {persian_script(f)}", fa_name([pick([x for x in FA_GIVEN if x != g]), f], s2), "different", kind)
        elif kind == "same-given":
            add("persian", fa_name([g, f], s1), fa_name([g, pick([x for x in FA_FAMILY if x != f and x[-3:] != f[-3:]])], s2), "different", kind)
        else:
            g2, f2 = pick(FA_GIVEN), pick(FA_FAMILY)
            if g2 != g and f2 != f:
                add("persian", fa_name([g, f], s1), fa_name([g2, f2], s2), "different", kind)

# ---------------------------------------------------------------------------------------------
# Turkic: native Latin spellings and their ASCII, English and Russian forms.

TR_GIVEN = ["Mehmet", "Ahmet", "Mustafa", "Hüseyin", "Hasan", "İbrahim", "Ömer", "Yusuf", "Murat", "Emre", "Burak", "Can", "Cem",
            "Selahattin", "Recep", "Kemal", "Cemal", "Şahin", "Çağlar", "Gökhan", "Özgür", "Ayşe", "Fatma", "Zeynep", "Emine",
            "Hatice", "Elif", "Gülşen", "Şule", "Özlem", "Çiğdem", "Erdem", "Tuğba", "Barış"]
TR_FAMILY = ["Yılmaz", "Kaya", "Demir", "Şahin", "Çelik", "Yıldız", "Yıldırım", "Öztürk", "Aydın", "Özdemir", "Arslan", "Doğan",
             "Kılıç", "Aslan", "Çetin", "Kara", "Koç", "Kurt", "Özkan", "Şimşek", "Erdoğan", "Demirtaş", "Dündar", "Kavala",
             "Gül", "Akgündüz", "Altıntaş", "Bozkurt", "Güneş", "Uçar"]
AZ_GIVEN = ["İlham", "Heydər", "Xədicə", "Rəsul", "Tofiq", "Emin", "Elçin", "Əli", "Vüqar", "Mehman", "Ləman", "Günel",
            "Aynur", "Səbinə", "Anar", "Rauf", "Nərgiz", "Ülviyyə", "Fərid", "Cəmil"]
AZ_FAMILY = ["Əliyev", "Məmmədov", "Hüseynov", "Quliyev", "Həsənov", "İsmayılov", "Abbasov", "Rəhimov", "Cəfərov", "Nəsibov",
             "Qasımov", "Bağırov", "Səfərov", "Kərimov", "Orucov", "Vəliyev"]
AZ_FEMALE = {"Xədicə", "Ləman", "Günel", "Aynur", "Səbinə", "Nərgiz", "Ülviyyə"}
UZ_GIVEN = ["G‘ayrat", "Dilmurod", "O‘tkir", "Bobomurod", "Nodira", "Gulnora", "Shahnoza", "Jahongir", "Xurshid", "Sanjar",
            "Umida", "Otabek", "Ulug‘bek", "Zafar", "Dilshod", "Mohira", "Sardor", "Farrux"]
UZ_FAMILY = ["Mirzayev", "Saidov", "Abdullayev", "Karimov", "Yo‘ldoshev", "To‘xtayev", "Xo‘jayev", "Qodirov", "Rahimov",
             "Ergashev", "Tursunov", "Nazarov", "Sobirov", "Usmonov", "Jo‘rayev", "Raximov"]
UZ_FEMALE = {"Nodira", "Gulnora", "Shahnoza", "Umida", "Mohira"}
TR_LOOKALIKE = [("Mehmet", "Ahmet"), ("Hasan", "Hüseyin"), ("Can", "Cem"), ("Emin", "Emine"), ("Murat", "Mustafa"), ("Kemal", "Cemal"),
                ("Elçin", "Emin"), ("Anar", "Anvar"), ("Zafar", "Sardor")]


def turkic_ascii(s, lang):
    table = {"ş": "s", "Ş": "S", "ç": "c", "Ç": "C", "ğ": "g", "ı": "i", "İ": "I", "ö": "o", "Ö": "O", "ü": "u", "Ü": "U",
             "ə": "e" if lang == "az" else "a", "Ə": "E" if lang == "az" else "A", "‘": ""}
    return "".join(table.get(c, c) for c in s)


def turkic_english(s, lang):
    out, low = [], s
    i = 0
    while i < len(low):
        c = low[i]
        nxt = low[i + 1] if i + 1 < len(low) else ""
        if nxt == "‘":
            out.append({"o": "o", "O": "O", "g": "gh", "G": "Gh"}[c])
            i += 2
            continue
        m = {"ş": "sh", "Ş": "Sh", "ç": "ch", "Ç": "Ch", "ı": "i", "İ": "I", "ö": "o", "Ö": "O", "ü": "u", "Ü": "U", "ə": "a", "Ə": "A"}
        if c in m:
            out.append(m[c])
        elif c in "cC":
            out.append("j" if c == "c" else "J")
        elif c == "ğ":
            out.append("gh" if lang == "az" else "")
        elif c in "xX":
            out.append("kh" if c == "x" else "Kh")
        elif c in "qQ" and lang == "az":
            out.append("g" if c == "q" else "G")
        else:
            out.append(c)
        i += 1
    return "".join(out)


RU = {"a": "а", "b": "б", "c": "дж", "ç": "ч", "d": "д", "e": "е", "ə": "а", "f": "ф", "g": "г", "ğ": "г", "h": "х", "x": "х",
      "ı": "ы", "i": "и", "j": "ж", "k": "к", "q": "г", "l": "л", "m": "м", "n": "н", "o": "о", "ö": "ё", "p": "п", "r": "р",
      "s": "с", "ş": "ш", "t": "т", "u": "у", "ü": "ю", "v": "в", "y": "й", "z": "з"}


def russian(s, lang):
    w = s.lower().replace("i̇", "i")
    if lang == "uz":
        w = w.replace("o‘", "ў").replace("g‘", "ғ").replace("sh", "ш").replace("ch", "ч")
    out = []
    for i, c in enumerate(w):
        prev = w[i - 1] if i else ""
        if c == "y" and i + 1 < len(w) and w[i + 1] in "aeu":
            continue
        if prev == "y" and c in "aeu" and i > 0:
            out.append({"a": "я", "e": "е", "u": "ю"}[c])
            continue
        if c == "e" and i == 0:
            out.append("э")
            continue
        if c == "ə":
            out.append("а" if i == 0 or random.random() < 0.5 else "е")
            continue
        if lang == "az" and c == "h":
            out.append("г" if i == 0 and random.random() < 0.6 else "х")
            continue
        if lang == "uz" and c == "q":
            out.append("к")
            continue
        out.append(RU.get(c, c))
    text = "".join(out)
    return text[:1].upper() + text[1:]


def feminine(family, lang):
    return family + "a" if family.endswith(("ov", "ev", "yev")) else family


def turkic():
    pools = [("tr", TR_GIVEN, TR_FAMILY, {"Ayşe", "Fatma", "Zeynep", "Emine", "Hatice", "Elif", "Gülşen", "Şule", "Özlem", "Çiğdem", "Tuğba"}),
             ("az", AZ_GIVEN, AZ_FAMILY, AZ_FEMALE), ("uz", UZ_GIVEN, UZ_FAMILY, UZ_FEMALE)]
    for _ in range(240):
        lang, given, family, female = pick(pools)
        g = pick(given)
        f = pick(family)
        if g in female:
            f = feminine(f, lang)
        native = f"{g} {f}"
        forms = {"ascii": f"{turkic_ascii(g, lang)} {turkic_ascii(f, lang)}", "english": f"{turkic_english(g, lang)} {turkic_english(f, lang)}"}
        if lang != "tr":
            forms["russian"] = f"{russian(g, lang)} {russian(f, lang)}"
        kind = pick(list(forms) + ["surname-first"])
        if kind == "surname-first":
            add("turkic", f"{f.upper()} {g}", forms["english"], "match", f"{kind}:{lang}")
        else:
            add("turkic", native, forms[kind], "match", f"native-vs-{kind}:{lang}")
    for _ in range(200):
        lang, given, family, female = pick(pools)
        g, f = pick(given), pick(family)
        kind = pick(["relative", "lookalike", "same-given", "gender-form", "unrelated"])
        to = pick([turkic_ascii, turkic_english])
        if kind == "relative":
            g2 = pick([x for x in given if x != g and (x in female) == (g in female)])
            a, b = f"{g} {feminine(f, lang) if g in female else f}", f"{to(g2, lang)} {to(feminine(f, lang) if g2 in female else f, lang)}"
        elif kind == "lookalike":
            x, y = pick(TR_LOOKALIKE)
            a, b = f"{x} {f}", f"{to(y, lang)} {to(f, lang)}"
        elif kind == "same-given":
            f2 = pick([x for x in family if x != f and x[:3] != f[:3]])
            a, b = f"{g} {f}", f"{to(g, lang)} {to(f2, lang)}"
        elif kind == "gender-form":
            if lang == "tr":
                continue
            fem = [x for x in given if x in female]
            male = [x for x in given if x not in female]
            a, b = f"{pick(fem)} {feminine(f, lang)}", f"{to(pick(male), lang)} {to(f, lang)}"
        else:
            g2, f2 = pick(given), pick(family)
            if g2 == g or f2[:3] == f[:3]:
                continue
            a, b = f"{g} {f}", f"{to(g2, lang)} {to(f2, lang)}"
        add("turkic", a, b, "different", f"{kind}:{lang}")

# ---------------------------------------------------------------------------------------------
# Chinese: characters with their Pinyin and Wade-Giles, from this script's own table.

ZH_SURNAMES = {"王": ("wang", "wang"), "李": ("li", "li"), "张": ("zhang", "chang"), "刘": ("liu", "liu"), "陈": ("chen", "ch'en"),
               "杨": ("yang", "yang"), "黄": ("huang", "huang"), "赵": ("zhao", "chao"), "吴": ("wu", "wu"), "周": ("zhou", "chou"),
               "徐": ("xu", "hsü"), "孙": ("sun", "sun"), "马": ("ma", "ma"), "朱": ("zhu", "chu"), "胡": ("hu", "hu"),
               "郭": ("guo", "kuo"), "何": ("he", "ho"), "林": ("lin", "lin"), "高": ("gao", "kao"), "罗": ("luo", "lo"),
               "郑": ("zheng", "cheng"), "梁": ("liang", "liang"), "谢": ("xie", "hsieh"), "宋": ("song", "sung"),
               "唐": ("tang", "t'ang"), "邓": ("deng", "teng"), "冯": ("feng", "feng"), "韩": ("han", "han"), "曹": ("cao", "ts'ao")}
ZH_GIVEN = {"伟": ("wei", "wei"), "芳": ("fang", "fang"), "娜": ("na", "na"), "敏": ("min", "min"), "静": ("jing", "ching"),
            "丽": ("li", "li"), "强": ("qiang", "ch'iang"), "磊": ("lei", "lei"), "军": ("jun", "chün"), "洋": ("yang", "yang"),
            "勇": ("yong", "yung"), "艳": ("yan", "yen"), "杰": ("jie", "chieh"), "涛": ("tao", "t'ao"), "明": ("ming", "ming"),
            "超": ("chao", "ch'ao"), "秀": ("xiu", "hsiu"), "霞": ("xia", "hsia"), "平": ("ping", "p'ing"), "刚": ("gang", "kang"),
            "华": ("hua", "hua"), "辉": ("hui", "hui"), "文": ("wen", "wen"), "建": ("jian", "chien"), "国": ("guo", "kuo"),
            "志": ("zhi", "chih"), "晓": ("xiao", "hsiao"), "波": ("bo", "po"), "海": ("hai", "hai"), "东": ("dong", "tung"),
            "红": ("hong", "hung"), "春": ("chun", "ch'un"), "玲": ("ling", "ling"), "英": ("ying", "ying"), "斌": ("bin", "pin"),
            "庆": ("qing", "ch'ing"), "德": ("de", "te"), "新": ("xin", "hsin"), "峰": ("feng", "feng"), "鹏": ("peng", "p'eng"),
            "宇": ("yu", "yü"), "浩": ("hao", "hao"), "凯": ("kai", "k'ai"), "永": ("yong", "yung"), "慧": ("hui", "hui")}
ZH_LOOKALIKE = [("伟", "辉"), ("明", "敏"), ("静", "庆"), ("华", "红"), ("平", "鹏"), ("杰", "建"), ("涛", "浩"), ("玲", "英")]


def zh_person():
    s = pick(list(ZH_SURNAMES))
    given = "".join(random.sample(list(ZH_GIVEN), pick([1, 2, 2, 2])))
    return s, given


def zh_latin(s, given, style):
    sp = ZH_SURNAMES[s][0]
    gp = [ZH_GIVEN[c][0] for c in given]
    if style == "pinyin":
        return f"{cap(sp)} {cap(''.join(gp))}"
    if style == "given-first":
        return f"{cap(''.join(gp))} {cap(sp)}"
    if style == "upper-surname":
        return f"{sp.upper()} {cap(''.join(gp))}"
    if style == "split":
        return f"{cap(sp)} {' '.join(cap(x) for x in gp)}"
    if style == "hyphen":
        return f"{cap(sp)} {cap('-'.join(gp))}"
    sw = ZH_SURNAMES[s][1]
    gw = [ZH_GIVEN[c][1] for c in given]
    return f"{cap(sw)} {cap('-'.join(gw))}"


ZH_STYLES = ["pinyin", "given-first", "upper-surname", "split", "hyphen", "wade-giles"]


def chinese():
    for _ in range(220):
        s, given = zh_person()
        kind = pick(["han-vs-latin", "han-vs-latin", "latin-vs-latin"])
        s1, s2 = random.sample(ZH_STYLES, 2)
        if kind == "han-vs-latin":
            add("chinese", s + given, zh_latin(s, given, s2), "match", f"{kind}:{s2}")
        else:
            add("chinese", zh_latin(s, given, s1), zh_latin(s, given, s2), "match", f"{kind}:{s1}-{s2}")
    for _ in range(200):
        s, given = zh_person()
        kind = pick(["relative", "lookalike", "same-given", "unrelated"])
        s2 = pick(ZH_STYLES)
        if kind == "relative":
            g2 = "".join(random.sample(list(ZH_GIVEN), len(given)))
            if set(g2) & set(given):
                continue
            a, b = s + given, zh_latin(s, g2, s2)
        elif kind == "lookalike":
            x, y = pick(ZH_LOOKALIKE)
            a, b = s + x, zh_latin(s, y, s2)
        elif kind == "same-given":
            other = pick([x for x in ZH_SURNAMES if x != s and ZH_SURNAMES[x][0] != ZH_SURNAMES[s][0]])
            a, b = s + given, zh_latin(other, given, s2)
        else:
            other, g2 = zh_person()
            if other == s or set(g2) & set(given):
                continue
            a, b = s + given, zh_latin(other, g2, s2)
        add("chinese", a, b, "different", f"{kind}:{s2}")

# ---------------------------------------------------------------------------------------------
# Uyghur: names in Uyghur Latin (ULY); the Arabic-script spelling by letter; the Chinese
# transcription by syllable (epenthetic vowels after final consonants) with common transcription
# characters.

UG_GIVEN = ["Ilham", "Rahile", "Abdurehim", "Memet", "Tursun", "Gulnar", "Aynur", "Nurmemet", "Ablet", "Erkin", "Qurban",
            "Mehmut", "Zulfiye", "Adil", "Ekber", "Perhat", "Alim", "Kamil", "Dilnur", "Rozi", "Nurgul", "Patigul"]
UG_FAMILY = ["Tohti", "Dawut", "Ablimit", "Eziz", "Hoshur", "Kerim", "Yasin", "Tursun", "Niyaz", "Qasim", "Osman", "Rozi",
             "Sabit", "Mamut", "Yusup", "Imin", "Abdulla", "Hesen", "Ismayil", "Toxti"]
UG_AR = {"a": "ا", "e": "ە", "b": "ب", "p": "پ", "t": "ت", "j": "ج", "ch": "چ", "x": "خ", "d": "د", "r": "ر", "z": "ز",
         "zh": "ژ", "s": "س", "sh": "ش", "gh": "غ", "f": "ف", "q": "ق", "k": "ك", "g": "گ", "ng": "ڭ", "l": "ل", "m": "م",
         "n": "ن", "h": "ھ", "o": "و", "u": "ۇ", "ö": "ۆ", "ü": "ۈ", "w": "ۋ", "é": "ې", "i": "ى", "y": "ي"}
UG_VOWELS = set("aeiouöüé")


def ug_letters(w):
    w = w.lower()
    out, i = [], 0
    while i < len(w):
        if w[i:i + 2] in ("ch", "zh", "sh", "gh", "ng"):
            out.append(w[i:i + 2])
            i += 2
        else:
            out.append(w[i])
            i += 1
    return out


def uyghur_script(w):
    letters = ug_letters(w)
    return ("ئ" if letters[0] in UG_VOWELS else "") + "".join(UG_AR.get(c, "") for c in letters)


ZH_TRANSCRIBE = {"a": "阿", "ai": "艾", "ba": "巴", "bu": "卜", "bai": "拜", "da": "达", "du": "杜", "di": "地", "duo": "多",
                 "er": "尔", "gu": "古", "ge": "格", "ha": "哈", "he": "合", "hai": "海", "ji": "吉", "ke": "克", "ku": "库",
                 "la": "拉", "li": "力", "lu": "鲁", "mai": "买", "man": "曼", "mu": "木", "mi": "米", "ma": "玛", "ni": "尼",
                 "nu": "努", "na": "娜", "pa": "帕", "pu": "普", "re": "热", "ri": "日", "ru": "如", "sa": "萨", "si": "斯",
                 "su": "苏", "sha": "沙", "shi": "西", "ti": "提", "tu": "吐", "ta": "塔", "te": "特", "wa": "瓦", "wu": "吾",
                 "xi": "西", "ya": "亚", "yi": "依", "yu": "玉", "za": "扎", "zi": "孜", "ze": "则", "bi": "比", "ka": "卡",
                 "ye": "耶", "ke2": "克", "qi": "其", "fu": "甫", "hu": "胡", "xun": "逊", "sun": "孙", "nur": "努尔",
                 "han": "汗", "lan": "兰", "jiang": "江", "ban": "班", "ren": "仁", "men": "门", "ming": "明", "ken": "肯",
                 "ying": "英", "tian": "田", "qin": "钦", "xin": "新", "min": "敏", "ding": "丁", "yin": "音", "an": "安",
                 "en": "恩", "in": "因", "lian": "连", "yun": "云", "zhu": "朱", "zu": "祖", "mo": "莫", "ni2": "尼",
                 "ao": "奥", "wai": "外", "kai": "凯", "bo": "波", "to": "托", "ha2": "哈", "gul": "古丽", "fa": "法",
                 "sai": "赛", "dai": "代", "lai": "莱", "tai": "太", "nai": "乃", "jia": "加", "he2": "赫", "da2": "达",
                 "ti2": "提", "pei": "佩", "hei": "黑", "bei": "贝", "mei": "梅", "lei": "雷", "xia": "夏", "wei": "维", "yue": "月"}
UG_CONS = {"b": "b", "p": "p", "t": "t", "j": "j", "ch": "q", "x": "h", "d": "d", "r": "r", "z": "z", "zh": "r", "s": "s",
           "sh": "x", "gh": "g", "f": "f", "q": "k", "k": "k", "g": "g", "ng": "ng", "l": "l", "m": "m", "n": "n", "h": "h",
           "w": "w", "y": "y"}
UG_V = {"a": "a", "e": "ai", "i": "i", "o": "o", "u": "u", "ö": "u", "ü": "u", "é": "ei"}
EPENTHETIC = {"b": "bu", "p": "pu", "t": "ti", "d": "di", "k": "ke", "q": "ke", "g": "ge", "gh": "ge", "h": "he", "x": "he",
              "l": "li", "r": "er", "s": "si", "sh": "shi", "z": "zi", "j": "ji", "ch": "qi", "m": "mu", "f": "fu", "y": "yi", "w": "wu"}


def transcribe(w):
    """Pinyin syllables of a Chinese transcription of a Uyghur word, or None."""
    letters = ug_letters(w)
    syllables, i = [], 0
    while i < len(letters):
        c = letters[i]
        if c in UG_VOWELS:
            syllables.append({"a": "a", "e": "ai", "i": "yi", "o": "ao", "u": "wu", "ö": "wu", "ü": "yu", "é": "ai"}[c])
            i += 1
            continue
        nxt = letters[i + 1] if i + 1 < len(letters) else None
        if nxt in UG_VOWELS:
            ini = UG_CONS[c]
            v = UG_V[nxt]
            if ini in ("j", "q", "x", "y") and v in ("u",):
                v = "u"
            syl = ini + ("e" if v == "ai" and ini in ("r", "t", "k", "h", "z", "d") else v)
            # A following n or ng closes the syllable (Rahman: ra he man).
            after = letters[i + 2] if i + 2 < len(letters) else None
            after2 = letters[i + 3] if i + 3 < len(letters) else None
            if after in ("n", "ng") and after2 not in UG_VOWELS:
                syl += after
                i += 1
            syllables.append(syl)
            i += 2
        else:
            syllables.append(EPENTHETIC.get(c, c + "e"))
            i += 1
    return syllables


def han_transcription(w):
    chars = []
    for s in transcribe(w):
        if s not in ZH_TRANSCRIBE:
            return None
        chars.append(ZH_TRANSCRIBE[s])
    return "".join(chars)


def uyghur():
    made = 0
    tries = 0
    while made < 160 and tries < 5000:
        tries += 1
        g, f = pick(UG_GIVEN), pick(UG_FAMILY)
        kind = pick(["latin-vs-chinese", "latin-vs-chinese", "latin-vs-arabic", "chinese-vs-arabic"])
        hg, hf = han_transcription(g), han_transcription(f)
        if kind == "latin-vs-arabic":
            add("uyghur", f"{g} {f}", f"{uyghur_script(g)} {uyghur_script(f)}", "match", kind)
        elif hg and hf:
            if kind == "latin-vs-chinese":
                add("uyghur", f"{g} {f}", f"{hg}·{hf}", "match", kind)
            else:
                add("uyghur", f"{hg}·{hf}", f"{uyghur_script(g)} {uyghur_script(f)}", "match", kind)
        else:
            continue
        made += 1
    made = tries = 0
    while made < 140 and tries < 5000:
        tries += 1
        g, f = pick(UG_GIVEN), pick(UG_FAMILY)
        kind = pick(["relative", "same-given", "unrelated"])
        g2 = pick([x for x in UG_GIVEN if x != g]) if kind != "same-given" else g
        f2 = pick([x for x in UG_FAMILY if x != f]) if kind != "relative" else f
        hg2, hf2 = han_transcription(g2), han_transcription(f2)
        if not (hg2 and hf2) or g2.lower() == f2.lower():
            continue
        add("uyghur", f"{g} {f}", f"{hg2}·{hf2}", "different", kind)
        made += 1

# ---------------------------------------------------------------------------------------------
# Cyrillic: Russian, Kazakh and Ukrainian names through the Library of Congress table (without
# diacritics) and Spanish and Italian press practice, names other than those of name-pairs.tsv.

CY_GIVEN_M = ["Борис", "Владимир", "Михаил", "Николай", "Павел", "Григорий", "Константин", "Леонид", "Фёдор", "Жандос",
              "Серик", "Кайрат", "Бауыржан", "Тарас", "Богдан", "Остап", "Виктор", "Геннадий", "Роман", "Станислав"]
CY_GIVEN_F = ["Татьяна", "Людмила", "Галина", "Валентина", "Ксения", "Зарина", "Динара", "Оксана", "Надежда", "Вера",
              "Жанар", "Лариса", "Евгения", "Юлиана"]
CY_FAMILY = ["Васильев", "Фёдоров", "Михайлов", "Никитин", "Захаров", "Зуев", "Щукин", "Жуков", "Хабибуллин", "Чайковский",
             "Шевчук", "Гончаренко", "Байжанов", "Тасмагамбетов", "Қожахметов", "Есенов", "Цыганков", "Юдин", "Ярошенко"]
LOC = {"а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z", "и": "i", "й": "i", "к": "k",
       "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts",
       "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "iu", "я": "ia", "қ": "k", "ұ": "u",
       "ү": "u", "ә": "a", "ө": "o", "і": "i", "ғ": "g", "ң": "n"}
SPANISH = dict(LOC, **{"ж": "y", "х": "j", "й": "i", "ю": "yu", "я": "ya", "ч": "ch", "ш": "sh", "щ": "sch", "ц": "ts",
                       "ё": "io", "е": "e", "ы": "i", "г": "g", "з": "s"})
ITALIAN = dict(LOC, **{"ж": "j", "х": "ch", "ч": "c", "ш": "sc", "щ": "sc", "ц": "z", "й": "j", "ю": "ju", "я": "ja", "ы": "y",
                       "з": "z", "е": "e"})


def cyr_latin(text, table):
    out = []
    for ch in text:
        low = ch.lower()
        r = table.get(low, low)
        if table is ITALIAN and low == "ч":
            r = "ci"
        if ch != low and r:
            r = r[0].upper() + r[1:]
        out.append(r)
    return "".join(out)


def cyr_female(s):
    if s.endswith("ий"):
        return s[:-2] + "ая"
    return s + "а" if s.endswith(("ов", "ев", "ёв", "ин")) else s


def cyrillic():
    tables = {"loc": LOC, "spanish": SPANISH, "italian": ITALIAN}
    for _ in range(220):
        fem = random.random() < 0.45
        g = pick(CY_GIVEN_F if fem else CY_GIVEN_M)
        s = pick(CY_FAMILY)
        s = cyr_female(s) if fem else s
        t1, t2 = random.sample(list(tables), 2)
        kind = pick(["cyr-vs-latin", "cyr-vs-latin", "latin-vs-latin", "swap-order"])
        if kind == "cyr-vs-latin":
            add("cyrillic", f"{g} {s}", cyr_latin(f"{g} {s}", tables[t2]), "match", f"{kind}:{t2}")
        elif kind == "latin-vs-latin":
            add("cyrillic", cyr_latin(f"{g} {s}", tables[t1]), cyr_latin(f"{g} {s}", tables[t2]), "match", f"{kind}:{t1}-{t2}")
        else:
            add("cyrillic", f"{s} {g}", cyr_latin(f"{g} {s}", tables[t2]), "match", f"{kind}:{t2}")
    for _ in range(200):
        fem = random.random() < 0.45
        pool = CY_GIVEN_F if fem else CY_GIVEN_M
        g, s = pick(pool), pick(CY_FAMILY)
        t = pick(list(tables))
        kind = pick(["relative", "same-given", "unrelated", "gender-form"])
        if kind == "relative":
            a, b = f"{g} {cyr_female(s) if fem else s}", cyr_latin(f"{pick([x for x in pool if x != g])} {cyr_female(s) if fem else s}", tables[t])
        elif kind == "same-given":
            s2 = pick([x for x in CY_FAMILY if x[:2] != s[:2]])
            a, b = f"{g} {s}", cyr_latin(f"{g} {s2}", tables[t])
        elif kind == "gender-form":
            if cyr_female(s) == s:
                continue
            a, b = f"{pick(CY_GIVEN_F)} {cyr_female(s)}", cyr_latin(f"{pick(CY_GIVEN_M)} {s}", tables[t])
        else:
            g2, s2 = pick(pool), pick(CY_FAMILY)
            if g2 == g or s2[:3] == s[:3]:
                continue
            a, b = f"{g} {s}", cyr_latin(f"{g2} {s2}", tables[t])
        add("cyrillic", a, b, "different", f"{kind}:{t}")


for make in (arabic, persian, turkic, chinese, uyghur, cyrillic):
    make()

seen, unique = set(), []
for r in rows:
    if (r[1], r[2]) not in seen and (r[2], r[1]) not in seen:
        seen.add((r[1], r[2]))
        unique.append(r)
out = sys.argv[1] if len(sys.argv) > 1 else "Tests/Fixtures/name-families.tsv"
with open(out, "w", encoding="utf-8") as f:
    f.write("family\tname_a\tname_b\tlabel\tkind\tsplit\n")
    for i, r in enumerate(unique):
        f.write("\t".join(r) + "\t" + ("tune" if i % 10 < 3 else "heldout") + "\n")
counts = {}
for r in unique:
    counts.setdefault(r[0], [0, 0])[r[3] != "match"] += 1
print(len(unique), "pairs:", ", ".join(f"{k} {v[0]} match / {v[1]} different" for k, v in counts.items()))
