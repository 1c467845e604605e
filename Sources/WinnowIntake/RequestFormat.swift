import WinnowModel

/// Facts about the canonical request format shared by both readers and the converter.
public enum RequestFormat: String, Sendable, CaseIterable {
    case xml, json

    /// Versions of the request format this build reads; `version` is the newest, which
    /// `convert --upgrade` writes.
    public static let versions = ["1.0", "2.0"]
    public static let version = "2.0"
    /// XML namespace of the request format.
    public static let namespace = "urn:winnow:request:1"

    /// In XML a list is a wrapper element holding one element per item; in JSON it is an array.
    /// Wrapper name -> item name. The XSD declares exactly these wrappers.
    static let listItems: [String: String] = [
        "via": "state",
        "caseReferences": "caseReference",
        "concerns": "personRef",
        "offences": "offence",
        "persons": "person",
        "names": "name",
        "nationalities": "nationality",
        "parties": "party",
        "measures": "measure",
        "targets": "personRef",
        "items": "item",
        "itemKinds": "itemKind",
        "safeguards": "safeguard",
        "assurances": "assurance",
        "linkedRequests": "linkedRequest",
        "occupations": "occupation",
        "relativesPersecuted": "relative",
        "earlierOutcomes": "outcome",
        "thirdPartyDecisions": "thirdPartyDecision",
        "publicActivities": "activity",
        "protectionsElsewhere": "protection",
        "coAccused": "coAccusedPerson",
        "citizenshipChanges": "citizenshipChange",
        "otherDecisions": "decision",
    ]

    /// How paths into an XML request are named (its root element is `request`, the only global
    /// element of the XSD).
    static let xmlNaming = SourceMap.XMLNaming(root: "request", listItems: listItems)

    /// Guesses the format from the file name, then from the first non-blank byte.
    static func detect(name: String, bytes: [UInt8]) -> RequestFormat? {
        let lower = name.lowercased()
        if lower.hasSuffix(".xml") { return .xml }
        if lower.hasSuffix(".json") { return .json }
        var i = 0
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { i = 3 }
        while i < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[i]) { i += 1 }
        guard i < bytes.count else { return nil }
        switch bytes[i] {
        case UInt8(ascii: "<"): return .xml
        case UInt8(ascii: "{"), UInt8(ascii: "["): return .json
        default: return nil
        }
    }
}
