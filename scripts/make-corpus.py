#!/usr/bin/env python3
"""Writes N realistic fictional requests for benchmarks: variations of the sample requests
(every instrument), with new ids, fictional names, new case numbers, and more or fewer offences,
persons and measures. Half XML, half JSON, unless --xml-only (xmllint reads only XML).
  python3 scripts/make-corpus.py N OUTDIR [--xml-only] [--seed S]"""
import copy, glob, json, os, random, sys
import xml.etree.ElementTree as ET
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from request_format import from_xml, to_json, to_xml

args = [a for a in sys.argv[1:] if not a.startswith("--")]
count, out = int(args[0]), args[1]
xml_only = "--xml-only" in sys.argv
seed = int(sys.argv[sys.argv.index("--seed") + 1]) if "--seed" in sys.argv else 1129
random.seed(seed)
root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "SampleRequests")

templates = []
for path in sorted(glob.glob(os.path.join(root, "*.json"))):
    if os.path.basename(path) != "expected.json":
        templates.append(json.load(open(path, encoding="utf-8")))
for path in sorted(glob.glob(os.path.join(root, "*.xml"))):
    templates.append(from_xml(ET.parse(path).getroot()))

CYR_GIVEN = "Алия Дана Жанна Марат Нурлан Арман Ерлан Тимур Ирина Ольга Сергей Андрей Кирилл Аляксей Ганна".split()
CYR_FAMILY = "Абенов Касымов Жумабаев Сулейменов Иванов Петров Кравчук Шевченко Орлов Зайцев Ковальчук Мельник".split()
LAT_GIVEN = "Anna Lukas Marie Jan Sofia Pieter Ines Marco Claire Tomasz Elif Hakan Ana Jonas".split()
LAT_FAMILY = "Janssens Peeters Novak Kowalski Rossi Dubois Muller Yilmaz Garcia Berg Horvat Lindqvist".split()

SYLLABLES_CYR = "ка ба ну ра те ми ха ле до си ма жа ры бе ко ту".split()
SYLLABLES_LAT = "van der ber ko ma li no sa te ri lo ba ne go ru".split()

def fictional_name(person):
    # Surnames built from syllables, so that a large corpus does not repeat one person thousands of times.
    cyrillic = any(n.get("script") == "Cyrl" for n in person.get("names", []))
    if cyrillic:
        family = random.choice(CYR_FAMILY)[:3] + "".join(random.choice(SYLLABLES_CYR) for _ in range(2)) + random.choice(["ов", "ев", "енко", "ук"])
        return [{"text": "%s %s" % (random.choice(CYR_GIVEN), family.capitalize()), "script": "Cyrl"}]
    family = random.choice(LAT_FAMILY) + "".join(random.choice(SYLLABLES_LAT) for _ in range(2))
    return [{"text": "%s %s" % (random.choice(LAT_GIVEN), family), "script": "Latn"}]

os.makedirs(out, exist_ok=True)
# About one request in a hundred is a second request, from another state, about a subject (and
# sometimes the case) of a recent one: the proxy pattern the batch's link pass looks for.
recent = []
linked = 0
for i in range(count):
    r = copy.deepcopy(random.choice(templates))
    r["id"] = "GEN-%07d" % i
    for p in r.get("persons", []):
        p["names"] = fictional_name(p)
        if "birthDate" in p:
            p["birthDate"] = "%04d-%02d-%02d" % (random.randint(1950, 2000), random.randint(1, 12), random.randint(1, 28))
    for c in r.get("caseReferences", []):
        c["number"] = "%d-%04d-%06d" % (random.randint(10, 99), random.randint(1000, 9999), random.randint(0, 999999))
    subject = next((p for p in r.get("persons", []) if p.get("role") == "subject"), None)
    if subject and recent and random.random() < 0.01:
        earlier = random.choice(recent)
        if earlier["state"] != r.get("requestingState"):
            subject["names"] = copy.deepcopy(earlier["names"])
            if earlier["birthDate"]:
                subject["birthDate"] = earlier["birthDate"]
            if earlier["case"] and r.get("caseReferences") and random.random() < 0.5:
                r["caseReferences"][0]["number"] = earlier["case"]
            linked += 1
    elif subject:
        recent.append({"state": r.get("requestingState"), "names": subject["names"], "birthDate": subject.get("birthDate"),
                       "case": (r.get("caseReferences") or [{}])[0].get("number")})
        recent = recent[-50:]
    # Sizes vary: more offences, witnesses and measures on some requests.
    offences = r.get("offences", [])
    for k in range(random.choice([0, 0, 1, 3])):
        if offences:
            extra = copy.deepcopy(random.choice(offences)); extra["id"] = "ox%d" % k; offences.append(extra)
    for k in range(random.choice([0, 0, 1, 4])):
        r.setdefault("persons", []).append({"id": "w%d" % k, "role": "witness", "names": fictional_name({"names": []})})
    measures = r.get("measures", [])
    for k in range(random.choice([0, 1, 2])):
        if measures:
            extra = copy.deepcopy(random.choice(measures)); extra["id"] = "mx%d" % k; measures.append(extra)
    as_xml = xml_only or i % 2 == 0
    name = os.path.join(out, "%s.%s" % (r["id"], "xml" if as_xml else "json"))
    with open(name, "w", encoding="utf-8") as f:
        f.write(to_xml(r) if as_xml else to_json(r))
print("wrote %d requests to %s (%d about a subject of an earlier one, from another state)" % (count, out, linked))
