public import WinnowModel

/// Reads an INTERPOL public notice record (the JSON the public Red Notice API returns for one
/// notice: `entity_id`, `forename`, `name`, `date_of_birth`, `nationalities`, `sex_id`,
/// `place_of_birth`, `arrest_warrants` with `issuing_country_id` and `charge`) as a Red Notice
/// request in Winnow's canonical form, then checks it like any request.
///
/// The record is not a request: it has no received date, no requested state, no decision date,
/// no measures beyond the notice itself. The received date is the screening date, the requested
/// state is the one screening, and what the record lacks stays unknown, so the report lists it as
/// data gaps. Offence categories are read from each charge's words (`categoryWords`); the label
/// keeps the charge as published. Each value of the request keeps the line it stood on in the
/// record; its pointer is the canonical request field.
public enum InterpolNotice {
    public struct Options: Sendable {
        public var requestedState: String
        public var receivedDate: Day
        public init(requestedState: String, receivedDate: Day) {
            self.requestedState = requestedState
            self.receivedDate = receivedDate
        }
    }

    /// Words of a charge and the category they make, first match wins.
    static let categoryWords: [(words: [String], category: String)] = [
        (["terror"], "terrorism"), (["extremis"], "extremism"), (["incit", "calls for", "public calls"], "incitement"),
        (["launder"], "money_laundering"), (["embezzl", "misappropriat"], "embezzlement"), (["brib", "corrupt"], "corruption"),
        (["tax", "customs duty"], "tax"), (["fraud", "swindl", "deceit"], "fraud"), (["drug", "narcot", "cocaine", "heroin"], "drugs"),
        (["genocide", "crimes against humanity", "war crime"], "international_crime"), (["murder", "homicide", "killing"], "homicide"),
        (["rape", "sexual"], "sexual_offence"), (["traffick", "smuggl"], "trafficking"), (["theft", "robbery", "burglary"], "theft"),
        (["mass disorder", "hooligan", "riot", "public order"], "public_order"), (["defam", "insult", "slander", "libel"], "defamation"),
        (["assault", "violence", "injur"], "violence"), (["hack", "computer"], "cyber"), (["criminal organi", "organized group", "organised group"], "organised_crime"),
    ]

    static func category(of charge: String) -> String {
        let text = charge.lowercased()
        return categoryWords.first { entry in entry.words.contains { text.contains($0) } }?.category ?? "other"
    }

    /// The canonical request document for a notice record.
    static func canonical(_ record: DocNode, name: String, options: Options) throws(IntakeError) -> DocNode {
        func bad(_ message: String, _ line: Int? = nil, _ path: String? = nil) -> IntakeError {
            .invalid([Diagnostic(file: name, line: line, path: path, message: message)])
        }
        guard case .object(let members) = record.value else { throw bad("an INTERPOL notice record is a JSON object", record.line, "/") }
        func member(_ key: String) -> DocNode? { members.first { $0.key == key }?.node }
        func string(_ key: String) -> (String, Int)? {
            guard let node = member(key), case .string(let s) = node.value, !s.trimmingWhitespace.isEmpty else { return nil }
            return (s.trimmingWhitespace, node.line)
        }
        func strings(_ key: String) -> [(String, Int)] {
            guard let node = member(key), case .array(let items) = node.value else { return [] }
            return items.compactMap { if case .string(let s) = $0.value { return (s, $0.line) }; return nil }
        }
        func node(_ value: DocNode.Value, _ line: Int) -> DocNode { DocNode(value, line: line) }
        func text(_ s: String, _ line: Int) -> DocNode { node(.string(s), line) }

        guard let warrantsNode = member("arrest_warrants"), case .array(let warrants) = warrantsNode.value, !warrants.isEmpty else {
            throw bad("the record has no arrest_warrants: nothing to screen", record.line, "/arrest_warrants")
        }
        var offences: [DocNode] = []
        var issuing: (String, Int)?
        for (i, warrant) in warrants.enumerated() {
            guard case .object(let w) = warrant.value else { throw bad("an arrest warrant is an object", warrant.line, "/arrest_warrants/\(i)") }
            func field(_ key: String) -> (String, Int)? {
                guard let n = w.first(where: { $0.key == key })?.node, case .string(let s) = n.value, !s.trimmingWhitespace.isEmpty else { return nil }
                return (s.trimmingWhitespace, n.line)
            }
            guard let charge = field("charge") ?? field("charge_translation") else {
                throw bad("an arrest warrant without a charge", warrant.line, "/arrest_warrants/\(i)")
            }
            if let country = field("issuing_country_id"), issuing == nil { issuing = country }
            var offence: [(key: String, node: DocNode)] = [
                ("id", text("o\(i + 1)", warrant.line)),
                ("label", text(String(charge.0.prefix(400)), charge.1)),
                ("category", text(category(of: charge.0), charge.1)),
            ]
            if let country = field("issuing_country_id") { offence.append(("placeState", text(country.0, country.1))) }
            offences.append(node(.object(offence), warrant.line))
        }
        guard let requesting = issuing else { throw bad("no arrest warrant names its issuing_country_id", warrantsNode.line, "/arrest_warrants") }

        let forename = string("forename"), family = string("name")
        guard forename != nil || family != nil else { throw bad("the record names no one (forename, name)", record.line, "/name") }
        let fullName = [forename?.0, family?.0].compactMap { $0 }.joined(separator: " ")
        var person: [(key: String, node: DocNode)] = [
            ("id", text("p1", record.line)),
            ("role", text("subject", record.line)),
            ("names", node(.array([node(.object([("text", text(fullName, family?.1 ?? forename!.1)), ("script", text("Latn", family?.1 ?? forename!.1))]),
                                        family?.1 ?? forename!.1)]), family?.1 ?? forename!.1)),
        ]
        // A full date only (the API also gives a year alone, which the format cannot yet hold).
        if let birth = string("date_of_birth") {
            let iso = birth.0.replacingOccurrences(of: "/", with: "-")
            if Day(iso) != nil { person.append(("birthDate", text(iso, birth.1))) }
        }
        let nationalities = strings("nationalities")
        if !nationalities.isEmpty {
            person.append(("nationalities", node(.array(nationalities.map { text($0.0, $0.1) }), nationalities[0].1)))
        }
        let entity = string("entity_id")
        // The id pattern allows letters, digits and `_.:/-`: the entity id with other characters dropped.
        let allowed = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.:/-")
        let reference = "INTERPOL:" + String((entity?.0 ?? "notice").filter { allowed.contains($0) }.prefix(90))
        var facts = "INTERPOL Red Notice \(entity?.0 ?? "(no entity id)") as published; charges: "
            + offences.compactMap { n -> String? in
                if case .object(let o) = n.value, let l = o.first(where: { $0.key == "label" })?.node, case .string(let s) = l.value { return s }
                return nil
            }.joined(separator: "; ")
        if let place = string("place_of_birth") { facts += "; born in \(place.0)" }
        let root: [(key: String, node: DocNode)] = [
            ("formatVersion", text("1.0", record.line)),
            ("id", text(String(reference.prefix(100)), entity?.1 ?? record.line)),
            ("instrument", text("interpol_red_notice", record.line)),
            ("legalBasis", text("INTERPOL Constitution and Rules on the Processing of Data (public notice record)", record.line)),
            ("receivedDate", text(options.receivedDate.description, record.line)),
            ("requestingState", text(requesting.0, requesting.1)),
            ("requestedState", text(options.requestedState, record.line)),
            ("transmission", node(.object([("channel", text("interpol", record.line)), ("via", node(.array([]), record.line))]), record.line)),
            ("issuingAuthority", node(.object([("name", text("National Central Bureau of \(requesting.0)", requesting.1)),
                                              ("kind", text("police", requesting.1)),
                                              ("state", text(requesting.0, requesting.1))]), requesting.1)),
            ("offences", node(.array(offences), warrantsNode.line)),
            ("summaryOfFacts", text(facts, record.line)),
            ("persons", node(.array([node(.object(person), record.line)]), record.line)),
            ("measures", node(.array([node(.object([("id", text("m1", record.line)), ("type", text("provisional_arrest", record.line)),
                                                   ("targets", node(.array([text("p1", record.line)]), record.line))]), record.line)]), record.line)),
            ("decision", node(.object([("kind", text("arrest_warrant", warrantsNode.line))]), warrantsNode.line)),
            ("assurances", node(.array([]), record.line)),
            ("linkedRequests", node(.array([]), record.line)),
        ]
        return node(.object(root), record.line)
    }
}

extension Intake {
    /// Reads an INTERPOL public notice record file as a request (see `InterpolNotice`).
    public func loadInterpolNotice(path: String, options: InterpolNotice.Options) throws(IntakeError) -> Request {
        try loadInterpolNotice(bytes: try read(path), name: path, options: options)
    }

    /// The same, from the record's bytes; `name` is what diagnostics call it.
    public func loadInterpolNotice(bytes: [UInt8], name: String, options: InterpolNotice.Options) throws(IntakeError) -> Request {
        let record: DocNode
        do { record = try JSONReader.parse(bytes, maxDepth: limits.maxJSONDepth, maxNodes: limits.maxNodes) } catch {
            throw .invalid([Diagnostic(file: name, line: error.line, message: error.message)])
        }
        let root = try InterpolNotice.canonical(record, name: name, options: options)
        return try checked(root: root, name: name)
    }
}
