#!/usr/bin/env python3
"""Writes the request format's two schemas from one description, so that they cannot drift:
  Sources/WinnowIntake/Schemas/request.schema.json  (JSON Schema 2020-12)
  Sources/WinnowIntake/Schemas/request.xsd          (XML Schema 1.0, read by libxml2)
Edit the description below, run `python3 scripts/generate-schemas.py`, commit both outputs.
The test suite checks that the vocabularies equal the Swift enums and that every sample reads the
same from XML and from JSON."""
import json, os, re, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from request_format import NS
OUT = os.path.join(os.path.dirname(__file__), "..", "Sources", "WinnowIntake", "Schemas")

from request_format import LIST_ITEMS  # shared with the corpus generator

VOCAB = {
    "instrument": ["mla", "eio", "extradition", "eaw", "interpol_red_notice", "interpol_diffusion"],
    "channel": ["diplomatic", "central_authority", "interpol", "direct"],
    "authorityKind": ["court", "prosecutor", "police", "ministry", "other"],
    "offenceCategory": ["money_laundering", "embezzlement", "fraud", "tax", "corruption", "extremism",
                        "terrorism", "incitement", "public_order", "defamation", "drugs", "violence",
                        "homicide", "international_crime", "sexual_offence", "cyber", "organised_crime", "trafficking", "theft", "other",
                        # format 2.0
                        "rebellion_sedition_treason", "hooliganism", "sanctions_export_control"],
    "personRole": ["subject", "relative", "witness", "lawyer", "holder", "other"],
    "occupation": ["lawyer", "journalist", "doctor", "human_rights_defender", "activist",
                   "opposition_politician", "politician", "businessperson", "public_official", "other",
                   # format 2.0
                   "writer", "academic", "athlete", "former_official", "security_staff", "religious_figure",
                   "opposition_associate", "dissident_relative"],
    "relation": ["sibling", "parent", "child", "spouse", "partner", "relative", "associate"],
    "partyRole": ["complainant", "injured_party", "civil_party"],
    "partyKind": ["state_body", "state_owned_enterprise", "state_controlled_enterprise", "private_company",
                  "individual", "unknown"],
    "measureType": ["arrest", "provisional_arrest", "surrender", "search_premises", "seizure_devices",
                    "seizure_documents", "bank_records", "communications_data", "interception", "testimony",
                    "service_of_documents", "asset_freeze", "presence_of_foreign_officials", "identification",
                    "locate_trace", "other"],
    "premises": ["home", "office", "law_firm", "newsroom", "medical_practice", "vehicle", "other"],
    "itemKind": ["devices", "legal_files", "client_data", "communications", "bank_records", "business_records",
                 "personal_documents", "journalistic_material", "medical_records", "cloud_accounts", "other"],
    "safeguard": ["judicial_warrant", "later_judicial_review", "independent_observer", "bar_representative",
                  "privilege_filtering", "limited_search_terms", "presence_of_person"],
    "decisionKind": ["arrest_warrant", "detention_order", "indictment", "judgment", "none"],
    "assuranceKind": ["death_penalty", "torture", "fair_trial", "prison_conditions", "speciality", "retrial"],
    "linkedOutcome": ["refused", "executed", "partly_executed", "pending", "withdrawn", "deleted", "unknown"],
    # format 2.0
    "persecutionAction": ["detained", "charged", "convicted", "deported", "travel_ban", "interrogated", "disappeared",
                          "dismissed", "other"],
    "outcomeKind": ["acquittal", "pardon", "amnesty", "sentence_served", "discontinued", "conviction"],
    "thirdPartyDecisionKind": ["refusal", "release", "interpol_deletion", "rule39", "un_opinion", "court_finding", "other"],
    "activityKind": ["election", "report", "protest", "campaign", "publication", "testimony", "other"],
    "protectionKind": ["refugee", "subsidiary", "asylum", "humanitarian", "other"],
    "knownFrom": ["subject_statement", "eu_records", "schengen_records", "unhcr", "granting_state", "court", "other"],
    "coAccusedOutcome": ["protected", "extradition_refused", "acquitted", "released", "convicted", "at_large", "unknown"],
    "citizenshipChange": ["revoked", "acquired"],
    "arrestBasis": ["red_notice", "diffusion", "bilateral_request", "other"],
    "addressee": ["requested_state", "all_member_states"],
}
# The versions of the format this build reads; 2.0 adds the fields marked "format 2.0"
# (RequestChecker refuses them in a 1.0 file).
FORMAT_VERSIONS = ["1.0", "2.0"]

def ref(name): return {"$ref": "#/$defs/" + name}
def arr(item, min_items=0, unique=False):
    a = {"type": "array", "items": item}
    if min_items: a["minItems"] = min_items
    if unique: a["uniqueItems"] = True
    return a
def obj(description, props, required=()):
    o = {"type": "object", "description": description, "properties": props, "additionalProperties": False}
    if required: o["required"] = list(required)
    return o

DEFS = {
    "text": {"type": "string", "minLength": 1, "maxLength": 4000, "description": "Non-empty text."},
    "longText": {"type": "string", "minLength": 1, "maxLength": 100000, "description": "Free text."},
    "identifier": {"type": "string", "pattern": "^[A-Za-z0-9][A-Za-z0-9_.:/-]{0,99}$",
                   "description": "A local identifier (letters, digits, _ . : / -)."},
    "countryCode": {"type": "string", "pattern": "^[A-Z]{2}$", "description": "ISO 3166-1 alpha-2 code."},
    "scriptCode": {"type": "string", "pattern": "^[A-Z][a-z]{3}$", "description": "ISO 15924 script code."},
    "date": {"type": "string", "format": "date", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$",
             "description": "Calendar date YYYY-MM-DD."},
    "months": {"type": "integer", "minimum": 0, "maximum": 1200, "description": "A number of months."},
    "currencyCode": {"type": "string", "pattern": "^[A-Z]{3}$", "description": "ISO 4217 currency code."},
    "wholeAmount": {"type": "integer", "minimum": 0, "maximum": 1000000000000000,
                    "description": "A whole number of currency units, from 0 to 10^15."},
    "approxDate": {"type": "string", "pattern": "^[0-9]{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?)?$",
                   "description": "A calendar date YYYY-MM-DD, or in format 2.0 a month YYYY-MM or a year YYYY when only that is known."},
    "period": obj("A time span; either end may be unknown.", {"from": ref("approxDate"), "to": ref("approxDate")}),
    "transmission": obj("How the request arrived.", {
        "channel": ref("channel"), "via": arr(ref("countryCode"))}, ["channel"]),
    "authority": obj("The authority that issued the request.", {
        "name": ref("text"), "kind": ref("authorityKind"), "state": ref("countryCode")}, ["name", "kind"]),
    "caseReference": obj("A foreign case number the request relies on.", {
        "number": ref("text"), "authority": ref("text"), "state": ref("countryCode"),
        "concerns": arr(ref("identifier"))}, ["number", "state"]),
    "offence": obj("An offence as the requesting state describes it.", {
        "id": ref("identifier"), "label": ref("text"), "category": ref("offenceCategory"),
        "provision": ref("text"), "period": ref("period"), "place": ref("text"), "placeState": ref("countryCode"),
        "maxPenaltyMonths": ref("months"), "remainingSentenceMonths": ref("months"),
        "harm": ref("money")}, ["id", "label", "category"]),
    "money": obj("An amount in a currency, in whole units, as the request states it (never converted).", {
        "amount": ref("wholeAmount"), "currency": ref("currencyCode")}, ["amount", "currency"]),
    "name": obj("A name in any script.", {"text": ref("text"), "script": ref("scriptCode")}, ["text"]),
    "residence": obj("Where a person lives.", {
        "state": ref("countryCode"), "place": ref("text"), "since": ref("approxDate")}, ["state"]),
    "person": obj("A person named in the request.", {
        "id": ref("identifier"), "role": ref("personRole"), "names": arr(ref("name"), 1),
        "birthDate": ref("date"), "nationalities": arr(ref("countryCode"), unique=True),
        "occupation": ref("occupation"), "occupations": arr(ref("occupation"), unique=True),
        "citizenshipChanges": arr(ref("citizenship")),
        "profession": ref("text"), "residence": ref("residence"),
        "relatedTo": ref("identifier"), "relation": ref("relation")}, ["id", "role", "names"]),
    "party": obj("A complainant, injured party or civil party.", {
        "id": ref("identifier"), "role": ref("partyRole"), "name": ref("text"), "kind": ref("partyKind"),
        "state": ref("countryCode")}, ["id", "role", "name", "kind"]),
    "measure": obj("A measure the requesting state asks for.", {
        "id": ref("identifier"), "type": ref("measureType"), "premises": ref("premises"),
        "targets": arr(ref("identifier")), "items": arr(ref("text")), "itemKinds": arr(ref("itemKind"), unique=True),
        "period": ref("period"), "safeguards": arr(ref("safeguard"), unique=True), "description": ref("longText")},
        ["id", "type"]),
    "decision": obj("The decision the request rests on.", {
        "kind": ref("decisionKind"), "date": ref("approxDate"), "authority": ref("text"), "reference": ref("text"),
        "inAbsentia": {"type": "boolean"}, "retrialGuaranteed": {"type": "boolean"}}, ["kind"]),
    "assurance": obj("An assurance given by the requesting state.", {
        "kind": ref("assuranceKind"), "text": ref("longText"), "givenBy": ref("text")}, ["kind"]),
    "linkedRequest": obj("An earlier request the request refers to.", {
        "reference": ref("text"), "state": ref("countryCode"), "instrument": ref("instrument"), "date": ref("approxDate"),
        "outcome": ref("linkedOutcome"), "grounds": ref("longText")}, ["reference", "state", "outcome"]),
    # format 2.0
    "persecutedRelative": obj("A relative of the subject whom the requesting state detained, charged, deported or barred.", {
        "relation": ref("relation"), "person": ref("identifier"), "name": ref("text"), "action": ref("persecutionAction"),
        "date": ref("approxDate"), "byState": ref("countryCode"), "description": ref("longText")}, ["relation", "action"]),
    "earlierOutcome": obj("How an earlier prosecution of the subject for the same or a related case ended.", {
        "kind": ref("outcomeKind"), "date": ref("approxDate"), "authority": ref("text"), "caseReference": ref("text"),
        "sameCase": {"type": "boolean"}, "reopened": {"type": "boolean"}, "reopenedDate": ref("approxDate")}, ["kind"]),
    "thirdPartyDecision": obj("A decision about the subject by another state or an international body.", {
        "kind": ref("thirdPartyDecisionKind"), "body": ref("text"), "state": ref("countryCode"), "date": ref("approxDate"),
        "reference": ref("text"), "grounds": ref("longText")}, ["kind", "body"]),
    "protectionElsewhere": obj("A protection another state granted the subject, and how the requested state knows of it.", {
        "state": ref("countryCode"), "kind": ref("protectionKind"), "against": ref("countryCode"), "date": ref("approxDate"),
        "knownFrom": ref("knownFrom"), "reference": ref("text")}, ["state", "kind", "knownFrom"]),
    "coAccused": obj("A co-accused or principal the request names, and what became of them.", {
        "person": ref("identifier"), "name": ref("text"), "outcome": ref("coAccusedOutcome"), "state": ref("countryCode"),
        "description": ref("longText")}, ["outcome"]),
    "citizenship": obj("A change of the person's citizenship.", {
        "state": ref("countryCode"), "change": ref("citizenshipChange"), "date": ref("approxDate")}, ["state", "change"]),
    "provisionalArrest": obj("A provisional arrest before the formal request (the first stage of a two-stage extradition).", {
        "date": ref("approxDate"), "basis": ref("arrestBasis"), "noticeReference": ref("text"), "released": {"type": "boolean"},
        "releasedDate": ref("approxDate")}, ["date", "basis"]),
    "publicActivity": obj("Something the subject did in public: an election run, a report, a protest, a campaign.", {
        "kind": ref("activityKind"), "date": ref("approxDate"), "description": ref("longText")}, ["kind", "date"]),
}
for name, values in VOCAB.items():
    DEFS[name] = {"type": "string", "enum": values}
DEFS["formatVersion"] = {"type": "string", "enum": FORMAT_VERSIONS, "description": "A version of the request format."}

ROOT_PROPS = {
    "formatVersion": ref("formatVersion"),
    "id": ref("identifier"), "instrument": ref("instrument"), "legalBasis": ref("text"),
    "receivedDate": ref("date"), "requestingState": ref("countryCode"), "requestedState": ref("countryCode"),
    "transmission": ref("transmission"), "issuingAuthority": ref("authority"), "reference": ref("text"),
    "caseReferences": arr(ref("caseReference")), "offences": arr(ref("offence")),
    "summaryOfFacts": ref("longText"), "persons": arr(ref("person")), "parties": arr(ref("party")),
    "measures": arr(ref("measure")), "decision": ref("decision"), "assurances": arr(ref("assurance")),
    "linkedRequests": arr(ref("linkedRequest")), "consent": {"type": "boolean"},
    "relativesPersecuted": arr(ref("persecutedRelative")), "earlierOutcomes": arr(ref("earlierOutcome")),
    "thirdPartyDecisions": arr(ref("thirdPartyDecision")), "publicActivities": arr(ref("publicActivity")),
    "protectionsElsewhere": arr(ref("protectionElsewhere")), "coAccused": arr(ref("coAccused")),
    "provisionalArrest": ref("provisionalArrest"), "addressedTo": ref("addressee"),
    "otherDecisions": arr(ref("decision")),
}
ROOT_REQUIRED = ["formatVersion", "id", "instrument", "receivedDate", "requestingState", "requestedState",
                 "transmission", "issuingAuthority"]

schema = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": NS,
    "title": "Winnow request, format 1.0",
    "description": "A request for legal cooperation (MLA, EIO, extradition, EAW, INTERPOL notice or diffusion). "
                   "Mirrors request.xsd; see docs/request-format.md.",
    "type": "object", "properties": ROOT_PROPS, "required": ROOT_REQUIRED, "additionalProperties": False,
    "$defs": DEFS,
}

# ---- XSD ----
def xsd_simple_name(name): return name[0].upper() + name[1:] + "Type"

def xsd_type_of(s):
    """Returns the type attribute for a property schema that is not an array."""
    if "$ref" in s: return "w:" + xsd_simple_name(s["$ref"].split("/")[-1])
    if s.get("type") == "boolean": return "xs:boolean"
    if s.get("const"): return None
    raise ValueError(s)

def xsd_element(name, s, required, indent):
    pad = " " * indent
    occurs = "" if required else ' minOccurs="0"'
    if s.get("type") == "array":
        item = LIST_ITEMS[name]
        min_items = s.get("minItems", 0)
        return (f'{pad}<xs:element name="{name}"{occurs}>\n'
                f'{pad}  <xs:complexType>\n{pad}    <xs:sequence>\n'
                f'{pad}      <xs:element name="{item}" type="{xsd_type_of(s["items"])}" minOccurs="{min_items}" maxOccurs="unbounded"/>\n'
                f'{pad}    </xs:sequence>\n{pad}  </xs:complexType>\n{pad}</xs:element>\n')
    if s.get("const"):
        return (f'{pad}<xs:element name="{name}"{occurs}>\n{pad}  <xs:simpleType>\n'
                f'{pad}    <xs:restriction base="xs:string"><xs:enumeration value="{s["const"]}"/></xs:restriction>\n'
                f'{pad}  </xs:simpleType>\n{pad}</xs:element>\n')
    return f'{pad}<xs:element name="{name}" type="{xsd_type_of(s)}"{occurs}/>\n'

def xsd_complex(props, required, indent):
    pad = " " * indent
    body = "".join(xsd_element(k, v, k in required, indent + 4) for k, v in props.items())
    return f"{pad}<xs:complexType>\n{pad}  <xs:all>\n{body}{pad}  </xs:all>\n{pad}</xs:complexType>\n"

def xsd_pattern(p):
    assert p.startswith("^") and p.endswith("$"), p   # XSD patterns are anchored already
    return p[1:-1]

out = ['<?xml version="1.0" encoding="UTF-8"?>\n',
       '<!-- Generated by scripts/generate-schemas.py from the same description as request.schema.json; do not edit. -->\n',
       f'<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:w="{NS}" targetNamespace="{NS}" elementFormDefault="qualified">\n',
       '  <xs:element name="request">\n']
root = xsd_complex(ROOT_PROPS, ROOT_REQUIRED, 4)
out.append(root.replace("<xs:complexType>", "<xs:complexType>", 1))
out.append('  </xs:element>\n')
for name, s in DEFS.items():
    tname = xsd_simple_name(name)
    if s.get("type") == "object":
        body = xsd_complex(s["properties"], s.get("required", []), 2)
        out.append(body.replace("<xs:complexType>", f'<xs:complexType name="{tname}">', 1))
        continue
    base = {"string": "xs:string", "integer": "xs:integer"}[s["type"]]
    facets = []
    if "enum" in s: facets += [f'<xs:enumeration value="{v}"/>' for v in s["enum"]]
    if "minLength" in s: facets.append(f'<xs:minLength value="{s["minLength"]}"/>')
    if "maxLength" in s: facets.append(f'<xs:maxLength value="{s["maxLength"]}"/>')
    if "pattern" in s: facets.append(f'<xs:pattern value="{xsd_pattern(s["pattern"])}"/>')
    if "minimum" in s: facets.append(f'<xs:minInclusive value="{s["minimum"]}"/>')
    if "maximum" in s: facets.append(f'<xs:maxInclusive value="{s["maximum"]}"/>')
    if s.get("format") == "date": base = "xs:date"
    if base == "xs:string" and "minLength" not in s and "enum" not in s and "pattern" not in s:
        facets.append('<xs:minLength value="1"/>')
    out.append(f'  <xs:simpleType name="{tname}">\n    <xs:restriction base="{base}">\n'
               + "".join(f"      {f}\n" for f in facets) + "    </xs:restriction>\n  </xs:simpleType>\n")
out.append("</xs:schema>\n")

os.makedirs(OUT, exist_ok=True)
with open(os.path.join(OUT, "request.schema.json"), "w") as f:
    json.dump(schema, f, indent=2, ensure_ascii=False)
    f.write("\n")
with open(os.path.join(OUT, "request.xsd"), "w") as f:
    f.write("".join(out))
print("wrote request.schema.json and request.xsd")

# ---- docs/request-format.md ----
DOC = {
 "request.formatVersion": "`1.0` or `2.0`. Fields marked (2.0) need `2.0`; `winnow convert --upgrade` turns a 1.0 file into 2.0.",
 "request.relativesPersecuted": "(2.0) Relatives the requesting state detained, charged, convicted, deported or barred from travel, whether or not the request names them.",
 "request.earlierOutcomes": "(2.0) How earlier prosecutions of the subject in the same or a related case ended: an acquittal, pardon, amnesty or served sentence, and whether the case was reopened.",
 "request.thirdPartyDecisions": "(2.0) Decisions about the subject by other states and international bodies: a refusal or release, an INTERPOL deletion, an ECtHR interim measure (Rule 39), an opinion of a UN body, a court's finding.",
 "request.publicActivities": "(2.0) What the subject did in public, with its date, so that the timing of the case can be tested.",
 "thirdPartyDecision.kind": "refusal, release, interpol_deletion (CCF or General Secretariat), rule39 (ECtHR interim measure), un_opinion (Working Group on Arbitrary Detention, Special Rapporteurs), court_finding, other.",
 "thirdPartyDecision.body": "Who decided (a state's court or ministry, the CCF, the ECtHR, a UN body).", "thirdPartyDecision.state": "The state, for a state's decision.",
 "thirdPartyDecision.date": "When.", "thirdPartyDecision.reference": "Its reference.", "thirdPartyDecision.grounds": "Its grounds, in its words.",
 "publicActivity.kind": "election, report, protest, campaign, publication, testimony, other.", "publicActivity.date": "When.",
 "publicActivity.description": "What it was.",
 "request.protectionsElsewhere": "(2.0) Protection other states granted the subject, and how the requested state knows of it (the subject's statement, EU or Schengen records, UNHCR, the granting state).",
 "request.coAccused": "(2.0) Co-accused or principals the request names (\"the criminal group of X\"), and what became of them.",
 "person.citizenshipChanges": "(2.0) Citizenship revoked by a state, or acquired (naturalisation in the protecting state: protection goes on as citizenship).",
 "protectionElsewhere.state": "The state that granted it.", "protectionElsewhere.kind": "refugee, subsidiary, asylum, humanitarian, other.",
 "protectionElsewhere.against": "The state it protects against (the requesting state when absent).", "protectionElsewhere.date": "When it was granted.",
 "protectionElsewhere.knownFrom": "How the requested state knows of it.", "protectionElsewhere.reference": "Its reference.",
 "coAccused.person": "The co-accused's person id, when named among persons.", "coAccused.name": "The name, otherwise.",
 "coAccused.outcome": "What became of them: protected abroad, extradition refused, acquitted, released, convicted, at large.",
 "coAccused.state": "The state where that happened.", "coAccused.description": "What is known.",
 "citizenship.state": "The state.", "citizenship.change": "revoked or acquired.", "citizenship.date": "When.",
 "request.provisionalArrest": "(2.0) The provisional arrest that came before this formal request: its date and basis (a Red Notice, a diffusion, a bilateral request).",
 "request.addressedTo": "(2.0) For INTERPOL notices and diffusions: addressed to the requested state alone, or to all member states through the General Secretariat.",
 "provisionalArrest.date": "When the person was arrested.", "provisionalArrest.basis": "red_notice, diffusion, bilateral_request, other.",
 "provisionalArrest.noticeReference": "The notice or diffusion it rested on.", "provisionalArrest.released": "Whether the person was released pending the formal request.",
 "provisionalArrest.releasedDate": "When.",
 "request.otherDecisions": "(2.0) Other warrants, judgments and indictments in the case, besides the decision the request rests on.",
 "decision.retrialGuaranteed": "(2.0) For a judgment in absentia: whether the law of the requesting state guarantees a retrial in the person's presence.",
 "person.occupations": "(2.0) Every occupation and role that applies (a lawyer and a human rights defender); replaces `occupation`.",
 "persecutedRelative.relation": "How the relative is related to the subject.", "persecutedRelative.person": "The relative's person id, when the request names them.",
 "persecutedRelative.name": "The relative's name, when the request does not.", "persecutedRelative.action": "What was done to the relative.",
 "persecutedRelative.date": "When.", "persecutedRelative.byState": "Which state did it (the requesting state when absent).",
 "persecutedRelative.description": "What is known, with its source.",
 "earlierOutcome.kind": "acquittal, pardon, amnesty, sentence served, discontinued, or conviction.", "earlierOutcome.date": "When the outcome became final.",
 "earlierOutcome.authority": "Which court or authority.", "earlierOutcome.caseReference": "The case it ended.",
 "earlierOutcome.sameCase": "Whether it is the case the request rests on (false: a related case).",
 "earlierOutcome.reopened": "Whether that case has been reopened.", "earlierOutcome.reopenedDate": "When it was reopened.",
 "request.id": "The receiving authority's own register number for the request.",
 "request.instrument": "Which instrument the request is made under.",
 "request.legalBasis": "Treaty, convention or law invoked (1959 Convention Art 14; EIO Art 5(1)(a)).",
 "request.receivedDate": "Date the requested state received it. Future dates are refused.",
 "request.requestingState": "State that asks (ISO 3166-1 alpha-2).",
 "request.requestedState": "State that is asked; must differ from the requesting state.",
 "request.transmission": "How the request arrived, and any state it came through.",
 "request.issuingAuthority": "Who issued it (EAW Art 8(1)(b); EIO Art 5(1)(a); 1959 Convention Art 14(1)(a)).",
 "request.reference": "The issuing authority's own reference.",
 "request.caseReferences": "Foreign case numbers the request relies on; shared numbers link requests and relatives' cases.",
 "request.offences": "Offences with their legal description (EAW Art 8(1)(d)-(f); 1957 Convention Art 12(2)(b); RPD Art 83).",
 "request.summaryOfFacts": "The facts as told: time, place, participation (EAW Art 8(1)(e); 1959 Convention Art 14(2); RPD Art 83(2)(b)(i)).",
 "request.persons": "Everyone named: subject, relatives, witnesses, lawyers, holders of material.",
 "request.parties": "Complainants, injured parties and civil parties, with who they are.",
 "request.measures": "What the requesting state asks for (EIO Art 5(1)(c)).",
 "request.decision": "The warrant or judgment the request rests on (EAW Art 8(1)(c); 1957 Convention Art 12(2)(a)).",
 "request.assurances": "Assurances given (death penalty, torture, fair trial, retrial, speciality).",
 "request.linkedRequests": "Earlier requests the request mentions, with their outcome.",
 "request.consent": "Whether the person concerned consents; absent means not stated.",
 "transmission.channel": "diplomatic, central authority, INTERPOL or direct (judicial authority to judicial authority).",
 "transmission.via": "States the request passed through, in order.",
 "authority.name": "Name as the document gives it.", "authority.kind": "court, prosecutor, police, ministry or other.",
 "authority.state": "The authority's state, when it is not the requesting state.",
 "caseReference.number": "The case number as written.", "caseReference.authority": "Authority that keeps the case.",
 "caseReference.state": "State of that case.", "caseReference.concerns": "Ids of persons in this request whom the case concerns.",
 "offence.id": "Local id (o1, o2...).", "offence.label": "The offence in the request's words.",
 "offence.category": "Category used by the rules.", "offence.provision": "Legal provision (article, code).",
 "offence.period": "When the acts took place.", "offence.place": "Where.", "offence.placeState": "State where the acts took place.",
 "offence.maxPenaltyMonths": "Maximum penalty of the provision, in months.",
 "offence.remainingSentenceMonths": "For enforcement of a sentence: months still to serve.",
 "offence.harm": "(2.0) The value of the harm alleged (loss, damage, sums laundered or evaded).",
 "money.amount": "Whole units of the currency, as the request states them.", "money.currency": "ISO 4217 code (EUR, USD, KZT...).",
 "name.text": "The name exactly as written, in any script.", "name.script": "ISO 15924 code of the script (Latn, Cyrl, Arab...).",
 "residence.state": "State of residence.", "residence.place": "Town or region.", "residence.since": "Since when.",
 "person.id": "Local id (p1, p2...), used by measures, cases and relations.", "person.role": "subject, relative, witness, lawyer, holder of material, other.",
 "person.names": "All spellings given, original script first.", "person.birthDate": "Date of birth.",
 "person.nationalities": "Nationalities (ISO 3166-1 alpha-2).", "person.occupation": "Occupation category used by the rules.",
 "person.profession": "Profession in the request's words.", "person.residence": "Where the person lives.",
 "person.relatedTo": "For relatives and associates: the person id they relate to.", "person.relation": "How they are related.",
 "party.id": "Local id.", "party.role": "complainant, injured party or civil party.", "party.name": "Name.",
 "party.kind": "state body, state-owned or state-controlled enterprise, private company, individual, unknown.",
 "party.state": "State of the party.",
 "measure.id": "Local id.", "measure.type": "The measure sought.", "measure.premises": "For searches: home, office, law firm, newsroom...",
 "measure.targets": "Ids of the persons the measure is aimed at.", "measure.items": "What is sought, in the request's words.",
 "measure.itemKinds": "Kinds of material sought; legal files, client data, journalistic material and medical records are privileged.",
 "measure.period": "Time range of the records sought.", "measure.safeguards": "Safeguards the request provides (warrant, Bar representative, privilege filtering...).",
 "measure.description": "Anything else the request says about the measure.",
 "decision.kind": "arrest warrant, detention order, indictment, judgment, or none.", "decision.date": "Date of the decision.",
 "decision.authority": "Who decided.", "decision.reference": "Its reference.", "decision.inAbsentia": "Whether it was given in the person's absence.",
 "assurance.kind": "What is assured.", "assurance.text": "The assurance's words.", "assurance.givenBy": "Who gave it.",
 "linkedRequest.reference": "Reference of the earlier request.", "linkedRequest.state": "Its requesting state.",
 "linkedRequest.instrument": "Its instrument.", "linkedRequest.date": "Its date.", "linkedRequest.outcome": "What became of it.",
 "linkedRequest.grounds": "The grounds of that outcome.",
 "period.from": "First day.", "period.to": "Last day.",
}

def doc_type(s):
    if s.get("type") == "array":
        return "list of " + doc_type(s["items"])
    if "$ref" in s:
        n = s["$ref"].split("/")[-1]
        d = DEFS[n]
        if "enum" in d: return "`" + n + "`"
        if d.get("type") == "object": return "[" + n + "](#" + n.lower() + ")"
        return n
    if s.get("const"): return "`\"%s\"`" % s["const"]
    return s.get("type", "?")

def doc_table(defname, props, required):
    rows = ["| field (JSON key = XML element) | type | required | meaning |", "|---|---|---|---|"]
    for k, v in props.items():
        xml = " (XML: `<%s>` of `<%s>`)" % (k, LIST_ITEMS[k]) if k in LIST_ITEMS else ""
        rows.append("| `%s`%s | %s | %s | %s |" % (k, xml, doc_type(v), "yes" if k in required else "", DOC.get(defname + "." + k, "")))
    return "\n".join(rows)

md = ["# The request format (versions 1.0 and 2.0)", "",
      "<!-- Generated by scripts/generate-schemas.py; do not edit by hand. -->", "",
      "A request reaches Winnow as XML or as JSON; the two forms mirror each other exactly. A JSON object is an XML",
      "element with one child element per key; a JSON array is an XML wrapper element holding one item element per",
      "entry (`persons` holds `person` elements); every leaf is an element with text. The XML form lives in the",
      "namespace `" + NS + "`. `winnow convert FILE --to xml|json` turns one form into the other.", "",
      "The schemas are `Sources/WinnowIntake/Schemas/request.xsd` (read by libxml2) and",
      "`Sources/WinnowIntake/Schemas/request.schema.json` (JSON Schema 2020-12, read by Winnow's strict validator,",
      "which refuses any keyword it does not implement). Both are generated from one description in",
      "`scripts/generate-schemas.py`, with this page. Unknown keys and elements are errors.", "",
      "Beyond the schemas, `winnow validate` checks: country codes exist (ISO 3166-1), script codes exist (ISO 15924),",
      "the requested state is not the requesting state, periods do not end before they start, no date lies in the",
      "future (as of `--as-of`), ids are unique, measures, cases and relations refer to persons in the request,",
      "relatives say whom they relate to, a search names its premises, a decision is not dated after receipt, and",
      "extradition, EAW and INTERPOL requests name a subject.", "",
      "Version 2.0 adds the fields marked (2.0): several occupations, persecuted relatives, earlier outcomes,",
      "decisions of third states and international bodies, the subject's public activity, protections granted",
      "elsewhere, co-accused, changes of citizenship, a provisional arrest before the formal request, the addressee",
      "of an INTERPOL notice or diffusion, other decisions in the case and whether a retrial is guaranteed, the",
      "offence categories rebellion_sedition_treason, hooliganism and sanctions_export_control, the value of the",
      "harm alleged, and dates known only to the month or the",
      "year (`approxDate`) where a request often has no more.",
      "A 1.0 file that uses one of them is an error that names it, as is `occupation` in a 2.0 file (it has",
      "`occupations`). `winnow convert FILE --to json --upgrade` writes a 1.0 file as 2.0.", "",
      "Every value keeps its origin: the canonical JSON Pointer (the same for both forms), the XPath for XML, and",
      "the line. Reports quote evidence with it.", "",
      "## request (the root)", "", doc_table("request", ROOT_PROPS, ROOT_REQUIRED), ""]
for name, s in DEFS.items():
    if s.get("type") == "object":
        md += ["## " + name, "", s["description"], "", doc_table(name, s["properties"], s.get("required", [])), ""]
md += ["## Vocabularies", ""]
for name, values in VOCAB.items():
    md.append("- `%s`: %s" % (name, ", ".join("`%s`" % v for v in values)))
md += ["", "## Simple types", "",
       "- `countryCode`: ISO 3166-1 alpha-2, two capital letters, checked against the ISO list.",
       "- `date`: `YYYY-MM-DD`, a real calendar day.",
       "- `approxDate`: a `date`, or (format 2.0) `YYYY-MM` or `YYYY` when only the month or year is known. Rules that compare",
       "  such a date with a threshold give no answer, a data gap, when the month or year straddles it.",
       "- `identifier`: letters, digits and `_ . : / -`, up to 100 characters.",
       "- `text`: 1 to 4,000 characters; `longText`: up to 100,000.",
       "- `months`: a whole number from 0 to 1,200.",
       "- `currencyCode`: ISO 4217, three capital letters; `wholeAmount`: a whole number from 0 to 10^15.", ""]
os.makedirs(os.path.join(os.path.dirname(__file__), "..", "docs"), exist_ok=True)
with open(os.path.join(os.path.dirname(__file__), "..", "docs", "request-format.md"), "w") as f:
    f.write("\n".join(md))
print("wrote docs/request-format.md")
