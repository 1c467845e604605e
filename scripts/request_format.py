"""The canonical request format's XML/JSON mirroring, shared by the generators in scripts/."""
import json
from xml.sax.saxutils import escape

NS = "urn:winnow:request:1"

# List wrappers in XML: wrapper name -> item element name (RequestFormat.listItems in Swift).
LIST_ITEMS = {
    "via": "state", "caseReferences": "caseReference", "concerns": "personRef", "offences": "offence",
    "persons": "person", "names": "name", "nationalities": "nationality", "parties": "party",
    "measures": "measure", "targets": "personRef", "items": "item", "itemKinds": "itemKind",
    "safeguards": "safeguard", "assurances": "assurance", "linkedRequests": "linkedRequest",
    "occupations": "occupation", "relativesPersecuted": "relative", "earlierOutcomes": "outcome",
    "thirdPartyDecisions": "thirdPartyDecision", "publicActivities": "activity",
    "protectionsElsewhere": "protection", "otherDecisions": "decision", "coAccused": "coAccusedPerson", "citizenshipChanges": "citizenshipChange",
}
INTEGER_KEYS = {"maxPenaltyMonths", "remainingSentenceMonths"}
BOOLEAN_KEYS = {"inAbsentia", "consent", "sameCase", "reopened", "released", "retrialGuaranteed"}


def to_xml(request):
    out = ['<?xml version="1.0" encoding="UTF-8"?>', '<request xmlns="%s">' % NS]

    def write(name, value, indent):
        pad = "  " * indent
        if isinstance(value, dict):
            out.append("%s<%s>" % (pad, name))
            for k, v in value.items():
                write(k, v, indent + 1)
            out.append("%s</%s>" % (pad, name))
        elif isinstance(value, list):
            if not value:
                out.append("%s<%s/>" % (pad, name))
                return
            out.append("%s<%s>" % (pad, name))
            for item in value:
                write(LIST_ITEMS[name], item, indent + 1)
            out.append("%s</%s>" % (pad, name))
        elif isinstance(value, bool):
            out.append("%s<%s>%s</%s>" % (pad, name, "true" if value else "false", name))
        elif value is not None:
            out.append("%s<%s>%s</%s>" % (pad, name, escape(str(value)), name))

    for k, v in request.items():
        write(k, v, 1)
    out.append("</request>")
    return "\n".join(out) + "\n"


def from_xml(element):
    """An ElementTree element of the request format -> the JSON form."""
    def local(tag):
        return tag.split("}", 1)[-1]

    def read(el):
        name = local(el.tag)
        children = list(el)
        if name in LIST_ITEMS:
            return [read(c) for c in children]
        if children:
            return {local(c.tag): read(c) for c in children}
        text = (el.text or "").strip()
        if name in INTEGER_KEYS:
            return int(text)
        if name in BOOLEAN_KEYS:
            return text in ("true", "1")
        return text

    return read(element)


def to_json(request):
    return json.dumps(request, ensure_ascii=False, indent=2) + "\n"
