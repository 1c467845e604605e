import WinnowModel

/// Turns a schema-valid `DocNode` into a `Request`. The schema has already checked shapes and
/// vocabularies, so a failure here means the schema and the model disagree; it is still reported
/// as a located problem, never a crash.
struct RequestBuilder {
    struct Failure: Error {
        var pointer: String
        var line: Int
        var message: String
    }

    /// A position in the document: a node (or its absence) and its canonical pointer.
    struct Cursor {
        let node: DocNode?
        /// The parent's canonical pointer and this node's token. An object or a list has its whole
        /// pointer here (token nil), made once for all its members; a leaf's pointer is only put
        /// together when a problem is reported at it.
        let parentPointer: String
        let token: String?
        let parentLine: Int

        init(root: DocNode) {
            node = root
            parentPointer = ""
            token = nil
            parentLine = root.line
        }

        private init(node: DocNode?, parentPointer: String, token: String, parentLine: Int) {
            self.node = node
            self.parentLine = parentLine
            switch node?.value {
            case .object?, .array?:
                self.parentPointer = parentPointer + "/" + jsonPointerToken(token)
                self.token = nil
            default:
                self.parentPointer = parentPointer
                self.token = token
            }
        }

        var pointer: String { token.map { "\(parentPointer)/\(jsonPointerToken($0))" } ?? parentPointer }

        subscript(key: String) -> Cursor {
            Cursor(node: node?[key], parentPointer: pointer, token: key, parentLine: node?.line ?? parentLine)
        }

        var exists: Bool {
            guard let node else { return false }
            if case .null = node.value { return false }
            return true
        }

        func fail(_ message: String) -> Failure {
            Failure(pointer: pointer.isEmpty ? "/" : pointer, line: node?.line ?? parentLine, message: message)
        }

        func string() throws(Failure) -> String {
            guard let s = optionalString() else { throw fail(exists ? "expected a string" : "missing") }
            return s
        }

        func optionalString() -> String? { exists ? node?.string : nil }

        func day() throws(Failure) -> Day {
            guard let d = try optionalDay() else { throw fail("missing date") }
            return d
        }

        func optionalDay() throws(Failure) -> Day? {
            guard let s = optionalString() else { return nil }
            guard let d = Day(s) else { throw fail("\"\(s)\" is not a calendar date (YYYY-MM-DD)") }
            return d
        }

        /// A date that may be given to the month or the year only: the earliest day, with the range
        /// recorded under this field's pointer.
        func optionalApproxDay(_ approximate: Approximations) throws(Failure) -> Day? {
            guard let s = optionalString() else { return nil }
            if let d = Day(s) { return d }
            guard let range = DateRange(s) else { throw fail("\"\(s)\" is not a calendar date (YYYY-MM-DD), month (YYYY-MM) or year (YYYY)") }
            approximate.ranges[pointer] = range
            return range.earliest
        }

        func optionalInt() throws(Failure) -> Int? {
            guard exists, let node else { return nil }
            switch node.value {
            case .number(let literal), .string(let literal):
                guard let i = Int(literal) else { throw fail("\"\(literal)\" is not a whole number") }
                return i
            default: throw fail("expected a whole number")
            }
        }

        func int() throws(Failure) -> Int {
            guard let i = try optionalInt() else { throw fail("missing whole number") }
            return i
        }

        func optionalBool() throws(Failure) -> Bool? {
            guard exists, let node else { return nil }
            switch node.value {
            case .bool(let b): return b
            case .string("true"), .string("1"): return true   // xs:boolean lexical forms
            case .string("false"), .string("0"): return false
            default: throw fail("expected true or false")
            }
        }

        func vocabulary<V: Vocabulary>(_ type: V.Type) throws(Failure) -> V {
            guard let v = try optionalVocabulary(type) else { throw fail("missing") }
            return v
        }

        func optionalVocabulary<V: Vocabulary>(_ type: V.Type) throws(Failure) -> V? {
            guard let s = optionalString() else { return nil }
            guard let v = V(rawValue: s) else {
                throw fail("\"\(s)\" is not one of: \(V.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            return v
        }

        var items: [Cursor] {
            guard case .array(let nodes)? = node?.value else { return [] }
            let parent = pointer
            return nodes.enumerated().map { Cursor(node: $1, parentPointer: parent, token: String($0), parentLine: node?.line ?? parentLine) }
        }

        func strings() throws(Failure) -> [String] {
            var out: [String] = []
            for item in items { out.append(try item.string()) }
            return out
        }

        func vocabularies<V: Vocabulary>(_ type: V.Type) throws(Failure) -> [V] {
            var out: [V] = []
            for item in items { out.append(try item.vocabulary(type)) }
            return out
        }
    }

    /// The approximate dates met while building, by pointer.
    final class Approximations {
        var ranges: [String: DateRange] = [:]
    }

    static func build(_ root: DocNode, file: String, xml: Bool) throws(Failure) -> Request {
        let r = Cursor(root: root)
        let approx = Approximations()
        let transmission = r["transmission"]
        let authority = r["issuingAuthority"]
        var request = Request(
            formatVersion: try r["formatVersion"].string(),
            id: try r["id"].string(),
            instrument: try r["instrument"].vocabulary(Instrument.self),
            legalBasis: r["legalBasis"].optionalString(),
            receivedDate: try r["receivedDate"].day(),
            requestingState: try r["requestingState"].string(),
            requestedState: try r["requestedState"].string(),
            transmission: Transmission(channel: try transmission["channel"].vocabulary(TransmissionChannel.self),
                                       via: try transmission["via"].strings()),
            issuingAuthority: Authority(name: try authority["name"].string(),
                                        kind: try authority["kind"].vocabulary(AuthorityKind.self),
                                        state: authority["state"].optionalString()),
            reference: r["reference"].optionalString(),
            summaryOfFacts: r["summaryOfFacts"].optionalString(),
            consent: try r["consent"].optionalBool(),
            sources: SourceMap(file: file, root: root, xml: xml ? RequestFormat.xmlNaming : nil))
        for c in r["caseReferences"].items {
            request.caseReferences.append(CaseReference(
                number: try c["number"].string(), authority: c["authority"].optionalString(),
                state: try c["state"].string(), concerns: try c["concerns"].strings()))
        }
        for o in r["offences"].items {
            request.offences.append(Offence(
                id: try o["id"].string(), label: try o["label"].string(),
                category: try o["category"].vocabulary(OffenceCategory.self),
                provision: o["provision"].optionalString(), period: try period(o["period"], approx),
                place: o["place"].optionalString(), placeState: o["placeState"].optionalString(),
                maxPenaltyMonths: try o["maxPenaltyMonths"].optionalInt(),
                remainingSentenceMonths: try o["remainingSentenceMonths"].optionalInt(),
                harm: o["harm"].exists ? Money(amount: try o["harm"]["amount"].int(), currency: try o["harm"]["currency"].string()) : nil))
        }
        for p in r["persons"].items {
            var names: [PersonName] = []
            for n in p["names"].items {
                names.append(PersonName(text: try n["text"].string(), script: n["script"].optionalString()))
            }
            let residence = p["residence"]
            request.persons.append(Person(
                id: try p["id"].string(), role: try p["role"].vocabulary(PersonRole.self), names: names,
                birthDate: try p["birthDate"].optionalDay(), nationalities: try p["nationalities"].strings(),
                occupation: try p["occupation"].optionalVocabulary(Occupation.self),
                occupations: try p["occupations"].vocabularies(Occupation.self),
                profession: p["profession"].optionalString(),
                residence: residence.exists
                    ? Residence(state: try residence["state"].string(), place: residence["place"].optionalString(),
                                since: try residence["since"].optionalApproxDay(approx))
                    : nil,
                relatedTo: p["relatedTo"].optionalString(),
                relation: try p["relation"].optionalVocabulary(Relation.self)))
        }
        for p in r["parties"].items {
            request.parties.append(Party(
                id: try p["id"].string(), role: try p["role"].vocabulary(PartyRole.self),
                name: try p["name"].string(), kind: try p["kind"].vocabulary(PartyKind.self),
                state: p["state"].optionalString()))
        }
        for m in r["measures"].items {
            request.measures.append(Measure(
                id: try m["id"].string(), type: try m["type"].vocabulary(MeasureType.self),
                premises: try m["premises"].optionalVocabulary(Premises.self),
                targets: try m["targets"].strings(), items: try m["items"].strings(),
                itemKinds: try m["itemKinds"].vocabularies(ItemKind.self), period: try period(m["period"], approx),
                safeguards: try m["safeguards"].vocabularies(Safeguard.self),
                description: m["description"].optionalString()))
        }
        if r["decision"].exists { request.decision = try decision(r["decision"], approx) }
        for d in r["otherDecisions"].items { request.otherDecisions.append(try decision(d, approx)) }
        for a in r["assurances"].items {
            request.assurances.append(Assurance(
                kind: try a["kind"].vocabulary(AssuranceKind.self), text: a["text"].optionalString(),
                givenBy: a["givenBy"].optionalString()))
        }
        for l in r["linkedRequests"].items {
            request.linkedRequests.append(LinkedRequest(
                reference: try l["reference"].string(), state: try l["state"].string(),
                instrument: try l["instrument"].optionalVocabulary(Instrument.self),
                date: try l["date"].optionalApproxDay(approx),
                outcome: try l["outcome"].vocabulary(LinkedOutcome.self),
                grounds: l["grounds"].optionalString()))
        }
        for rel in r["relativesPersecuted"].items {
            request.relativesPersecuted.append(PersecutedRelative(
                relation: try rel["relation"].vocabulary(Relation.self), person: rel["person"].optionalString(),
                name: rel["name"].optionalString(), action: try rel["action"].vocabulary(PersecutionAction.self),
                date: try rel["date"].optionalApproxDay(approx), byState: rel["byState"].optionalString(),
                description: rel["description"].optionalString()))
        }
        for o in r["earlierOutcomes"].items {
            request.earlierOutcomes.append(EarlierOutcome(
                kind: try o["kind"].vocabulary(OutcomeKind.self), date: try o["date"].optionalApproxDay(approx),
                authority: o["authority"].optionalString(), caseReference: o["caseReference"].optionalString(),
                sameCase: try o["sameCase"].optionalBool(), reopened: try o["reopened"].optionalBool(),
                reopenedDate: try o["reopenedDate"].optionalApproxDay(approx)))
        }
        for d in r["thirdPartyDecisions"].items {
            request.thirdPartyDecisions.append(ThirdPartyDecision(
                kind: try d["kind"].vocabulary(ThirdPartyDecisionKind.self), body: try d["body"].string(),
                state: d["state"].optionalString(), date: try d["date"].optionalApproxDay(approx),
                reference: d["reference"].optionalString(), grounds: d["grounds"].optionalString()))
        }
        for a in r["publicActivities"].items {
            guard let date = try a["date"].optionalApproxDay(approx) else { throw a["date"].fail("missing date") }
            request.publicActivities.append(PublicActivity(
                kind: try a["kind"].vocabulary(ActivityKind.self), date: date, description: a["description"].optionalString()))
        }
        for p in r["protectionsElsewhere"].items {
            request.protectionsElsewhere.append(ProtectionElsewhere(
                state: try p["state"].string(), kind: try p["kind"].vocabulary(ProtectionKind.self), against: p["against"].optionalString(),
                date: try p["date"].optionalApproxDay(approx), knownFrom: try p["knownFrom"].vocabulary(KnownFrom.self),
                reference: p["reference"].optionalString()))
        }
        for c in r["coAccused"].items {
            request.coAccused.append(CoAccused(
                person: c["person"].optionalString(), name: c["name"].optionalString(),
                outcome: try c["outcome"].vocabulary(CoAccusedOutcome.self), state: c["state"].optionalString(),
                description: c["description"].optionalString()))
        }
        for (i, p) in r["persons"].items.enumerated() {
            for c in p["citizenshipChanges"].items {
                request.persons[i].citizenshipChanges.append(CitizenshipRecord(
                    state: try c["state"].string(), change: try c["change"].vocabulary(CitizenshipChange.self),
                    date: try c["date"].optionalApproxDay(approx)))
            }
        }
        let arrest = r["provisionalArrest"]
        if arrest.exists {
            guard let date = try arrest["date"].optionalApproxDay(approx) else { throw arrest["date"].fail("missing date") }
            request.provisionalArrest = ProvisionalArrest(
                date: date, basis: try arrest["basis"].vocabulary(ArrestBasis.self), noticeReference: arrest["noticeReference"].optionalString(),
                released: try arrest["released"].optionalBool(), releasedDate: try arrest["releasedDate"].optionalApproxDay(approx))
        }
        request.addressedTo = try r["addressedTo"].optionalVocabulary(Addressee.self)
        request.approximateDates = approx.ranges
        return request
    }

    private static func decision(_ d: Cursor, _ approx: Approximations) throws(Failure) -> Decision {
        Decision(kind: try d["kind"].vocabulary(DecisionKind.self), date: try d["date"].optionalApproxDay(approx),
                 authority: d["authority"].optionalString(), reference: d["reference"].optionalString(),
                 inAbsentia: try d["inAbsentia"].optionalBool(), retrialGuaranteed: try d["retrialGuaranteed"].optionalBool())
    }

    private static func period(_ c: Cursor, _ approx: Approximations) throws(Failure) -> Period? {
        guard c.exists else { return nil }
        return Period(from: try c["from"].optionalApproxDay(approx), to: try c["to"].optionalApproxDay(approx))
    }
}
