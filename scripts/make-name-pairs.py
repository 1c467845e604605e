#!/usr/bin/env python3
"""Writes Tests/Fixtures/name-pairs.tsv: a labelled set of person-name pairs (fictional
combinations of common names) for the name-matching test and benchmark. Romanisations are
produced by this script's own tables, independent of Winnow's. Columns:
name_a, name_b, label (match | different), kind (how the pair was made). Fixed seed."""
import random
random.seed(20261129)

COMMON = dict(zip("абвгдзиклмнопрстуфыэ", "abvgdziklmnoprstufye"))
COMMON.update({"ь": "", "ъ": "", "і": "i", "ә": "a", "ө": "o", "ү": "u", "ұ": "u", "қ": "k", "ғ": "g", "ң": "n", "һ": "h"})
SCHEMES = {
    "bgn": {"е": "e", "ё": "e", "ж": "zh", "й": "y", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ю": "yu", "я": "ya"},
    "icao": {"е": "e", "ё": "e", "ж": "zh", "й": "i", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ю": "iu", "я": "ia"},
    "french": {"е": "e", "ё": "io", "ж": "j", "й": "i", "х": "kh", "ц": "ts", "ч": "tch", "ш": "ch", "щ": "chtch", "ю": "iou", "я": "ia", "у": "ou"},
    "german": {"е": "e", "ё": "jo", "ж": "sch", "й": "j", "х": "ch", "ц": "z", "ч": "tsch", "ш": "sch", "щ": "schtsch", "ю": "ju", "я": "ja", "в": "w", "з": "s"},
    "polish": {"е": "e", "ё": "io", "ж": "ż", "й": "j", "х": "ch", "ц": "c", "ч": "cz", "ш": "sz", "щ": "szcz", "ю": "ju", "я": "ja", "в": "w"},
}
VOWELS = set("аеёиоуыэюяәөүұі")

def romanise(text, scheme):
    out, prev = [], None
    for ch in text:
        low = ch.lower()
        t = SCHEMES[scheme]
        if low == "е" and scheme == "bgn" and (prev is None or not prev.isalpha() or prev.lower() in VOWELS):
            r = "ye"
        elif low == "е" and scheme in ("german", "polish") and (prev is None or not prev.isalpha()):
            r = "je"
        else:
            r = t.get(low, COMMON.get(low, low))
        if ch.isupper() and r:
            r = r[0].upper() + r[1:]
        out.append(r)
        prev = ch
    return "".join(out)

GIVEN_M = "Александр Дмитрий Сергей Андрей Алексей Нурлан Арман Ерлан Асхат Марат Тимур Ержан Данияр Искандер Руслан Вадим Юрий Евгений Игорь Олег Мухтар Бахыт".split()
GIVEN_F = "Анна Мария Елена Ольга Дана Айгерим Жанна Алия Гульнара Юлия Екатерина Наталья Ирина Светлана Асель Ботагоз".split()
SURNAMES = ("Иванов Петров Смирнов Кузнецов Соколов Попов Лебедев Козлов Новиков Морозов Жаксыбеков Темирханов Нурбеков "
            "Ахметов Сулейменов Касымов Абенов Жумабаев Ерімбетов Храпунов Яковлев Щербаков Чернов Юсупов Хасанов "
            "Шевченко Ковальчук Бондаренко Мельник Ткаченко Жардемали Ержанов Журавлёв Зайцев Цой").split()
FATHERS = "Ерлан Сергей Нурлан Марат Александр Андрей Бахыт Тимур".split()

def female(s):
    return s + "а" if s.endswith(("ов", "ев", "ёв", "ин")) else s

def patronymic(father, fem):
    base = father[:-1] + "е" if father.endswith("й") else father
    return base + ("вна" if fem and base.endswith("е") else "овна" if fem else "вич" if base.endswith("е") else "ович")

def person():
    fem = random.random() < 0.45
    g = random.choice(GIVEN_F if fem else GIVEN_M)
    s = random.choice(SURNAMES)
    return g, female(s) if fem else s, fem

rows = []
names = list(SCHEMES)
# Positives: the same person written differently.
for i in range(190):
    g, s, fem = person()
    kind = random.choice(["cyr-vs-latin", "latin-vs-latin", "swap-order", "patronymic", "cyr-vs-latin"])
    a_s, b_s = random.sample(names, 2)
    if kind == "cyr-vs-latin":
        a, b = f"{g} {s}", romanise(f"{g} {s}", b_s)
    elif kind == "latin-vs-latin":
        a, b = romanise(f"{g} {s}", a_s), romanise(f"{g} {s}", b_s)
    elif kind == "swap-order":
        a, b = f"{s} {g}", romanise(f"{g} {s}", b_s)
    else:
        p = patronymic(random.choice(FATHERS), fem)
        a, b = f"{s} {g} {p}", romanise(f"{g} {s}", b_s)
    rows.append((a, b, "match", f"{kind}:{b_s}"))
# Hard negatives: relatives, gender forms, similar but different names.
SIMILAR = [("Петров", "Петренко"), ("Иванов", "Иваненко"), ("Кузнецов", "Кузьмин"), ("Соколов", "Соколовский"),
           ("Нурбеков", "Нурланов"), ("Смирнов", "Смирнитский"), ("Козлов", "Козловский"), ("Морозов", "Морозко"),
           ("Касымов", "Касенов"), ("Абенов", "Абдулов"), ("Жумабаев", "Жумагулов"), ("Попов", "Поповкин"),
           ("Лебедев", "Лебедко"), ("Новиков", "Новицкий"), ("Темирханов", "Темирбеков"), ("Сулейменов", "Султанов")]
for i in range(175):
    g, s, fem = person()
    kind = random.choice(["relative", "gender-form", "similar-surname", "same-given", "unrelated", "relative"])
    b_s = random.choice(names)
    if kind == "relative":
        g2 = random.choice([x for x in (GIVEN_F if fem else GIVEN_M) if x != g])
        a, b = f"{g} {s}", romanise(f"{g2} {s}", b_s)
    elif kind == "gender-form":
        base = random.choice([x for x in SURNAMES if x.endswith(("ов", "ев"))])
        a, b = f"{random.choice(GIVEN_F)} {female(base)}", romanise(f"{random.choice(GIVEN_M)} {base}", b_s)
    elif kind == "similar-surname":
        x, y = random.choice(SIMILAR)
        a, b = f"{g} {female(x) if fem else x}", romanise(f"{g} {female(y) if fem and y.endswith(('ов','ин')) else y}", b_s)
    elif kind == "same-given":
        s2 = random.choice([x for x in SURNAMES if x != s and x[:2] != s[:2]])
        a, b = f"{g} {s}", romanise(f"{g} {female(s2) if fem else s2}", b_s)
    else:
        g2, s2, _ = person()
        if s2[:3] == s[:3]:
            continue
        a, b = f"{g} {s}", romanise(f"{g2} {s2}", b_s)
    rows.append((a, b, "different", f"{kind}:{b_s}"))

seen, unique = set(), []
for r in rows:
    if (r[0], r[1]) not in seen:
        seen.add((r[0], r[1])); unique.append(r)
with open("Tests/Fixtures/name-pairs.tsv", "w", encoding="utf-8") as f:
    f.write("name_a\tname_b\tlabel\tkind\n")
    for r in unique:
        f.write("\t".join(r) + "\n")
print(len(unique), "pairs:", sum(r[2] == "match" for r in unique), "match,", sum(r[2] == "different" for r in unique), "different")
