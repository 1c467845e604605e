import Foundation
import WinnowModel
public import WinnowRules
import WinnowNames

extension Registry: RegistrySource {
    public var snapshot: String {
        let c = (try? counts()) ?? [:]
        return "\(location): \(c["person"] ?? 0) persons, \(c["protection"] ?? 0) protection records, \(c["domesticCase"] ?? 0) domestic cases, "
            + "\(c["priorRequest"] ?? 0) earlier requests, \(c["interpolAction"] ?? 0) INTERPOL actions"
    }

    public func facts(context c: FactContext) -> [String: FactResult] {
        func unknown(_ why: String) -> [String: FactResult] {
            Dictionary(uniqueKeysWithValues: FactCatalogue.standard.definitions.filter { $0.source == .registry }.map { ($0.name, FactResult.unknown(why)) })
        }
        do {
            // An empty registry knows nothing: its silence is a data gap, not a "no".
            if try isEmpty() { return unknown("the registry \(location) holds no records") }
            return try computeFacts(c)
        } catch {
            return unknown("the registry could not be read: \(error)")
        }
    }

    func record(_ kind: String, _ id: String, _ fact: String, _ quote: String, note: String? = nil) -> Evidence {
        Evidence(kind: .registry, fact: fact, quote: quote, record: "\(kind)/\(id) in \(location)", note: note)
    }

    func computeFacts(_ c: FactContext) throws -> [String: FactResult] {
        let r = c.request
        let asOf = c.asOf.description
        var out: [String: FactResult] = [:]

        // Who the subject is in the registry: every name the request gives, with birth date and nationality.
        var subjects: [String: PersonHit] = [:]
        for person in r.subjects {
            for name in person.names {
                for hit in try search(name.text, birthDate: person.birthDate?.description, nationalities: person.nationalities, limit: 5, matchesOnly: true)
                where hit.match.isMatch && (subjects[hit.id].map { hit.match.score > $0.match.score } ?? true) {
                    subjects[hit.id] = hit
                }
            }
        }
        let subjectIds = Array(subjects.keys).sorted()
        let matchNotes = subjects.values.sorted { $0.id < $1.id }.map { "subject matched registry person \($0.id) (\($0.matchedName)): \($0.match.explanation)" }
        let searched = r.subjects.flatMap { $0.names.map(\.text) }.joined(separator: "; ")
        func notInRegistry(_ fact: String) -> Evidence {
            Evidence(kind: .registry, fact: fact, quote: "no registry person matched \(searched)",
                     record: location, note: "searched every spelling the request gives, with birth date and nationality")
        }

        // Relatives: named in the request, or recorded as relations of the subject.
        var relativeIds = Set<String>()
        for person in r.persons where person.role == .relative {
            for name in person.names {
                for hit in try search(name.text, birthDate: person.birthDate?.description, limit: 3, matchesOnly: true) where hit.match.isMatch { relativeIds.insert(hit.id) }
            }
        }
        try store.read { db in
            for id in subjectIds {
                relativeIds.formUnion(try db.strings("SELECT relatedId FROM relation WHERE personId = ? UNION SELECT personId FROM relation WHERE relatedId = ?",
                                                     [.text(id), .text(id)]))
            }
        }
        relativeIds.subtract(subjectIds)

        // The request's complainants and injured parties, matched to registry organisations.
        var organisations: [(party: Party, org: OrganisationRecord)] = []
        try store.read { db in
            let all = try OrganisationRecord.fetch(db, "SELECT * FROM organisation ORDER BY id")
            for party in r.parties {
                for org in all where Identifiers.sameOrganisation(party.name, org.name) && (org.recordedFrom ?? "") <= asOf {
                    organisations.append((party, org))
                }
            }
        }
        let orgIds = Set(organisations.map(\.org.id))

        try store.read { db in
            // Protection
            let protections = try subjectIds.isEmpty ? [] : ProtectionRecord.fetch(db, """
                SELECT * FROM protection WHERE personId IN (\(placeholders(subjectIds.count))) AND granted <= ?
                AND (ended IS NULL OR ended > ?) ORDER BY granted, id
                """, (subjectIds + [asOf, asOf]).map(SQLValue.text))
            func describe(_ p: ProtectionRecord) -> String {
                "\(p.kind) protection granted by \(p.grantingState) on \(p.granted)\(p.againstState.map { " against \($0)" } ?? "")\(p.reference.map { " (\($0))" } ?? "")"
            }
            if subjectIds.isEmpty {
                let ev = notInRegistry("registry.protection_status")
                out["registry.protection_status"] = .string("none", [ev])
                out["registry.protected_against_requesting_state"] = .bool(false, [ev])
                out["registry.protection_claim_pending"] = .bool(false, [ev])
                out["registry.days_since_protection"] = .unknown("the subject has no protection on record")
            } else {
                let rank = ["refugee": 0, "subsidiary": 1, "pending": 2]
                let best = protections.min { (rank[$0.kind] ?? 9) < (rank[$1.kind] ?? 9) }
                out["registry.protection_status"] = .string(best?.kind ?? "none",
                    protections.map { record("protection", $0.id, "registry.protection_status", describe($0), note: matchNotes.joined(separator: "; ")) }
                    + (best == nil ? [Evidence(kind: .registry, fact: "registry.protection_status", quote: "no protection on record as of \(asOf)",
                                               record: location, note: matchNotes.joined(separator: "; "))] : []))
                // Protection counts against the requesting state and against every state on whose
                // behalf the request may be made: a refugee from A reached through B's request for A.
                let behind = Self.statesBehind(r)
                func note(_ p: ProtectionRecord) -> String {
                    let state = p.againstState ?? ""
                    let why = state == r.requestingState ? "against the requesting state"
                        : "against \(state), on whose behalf the request may be made (\(behind[state] ?? ""))"
                    return ([why] + matchNotes).joined(separator: "; ")
                }
                let relevant = protections.filter { $0.againstState.map { $0 == r.requestingState || behind[$0] != nil } ?? false }
                let against = relevant.filter { $0.kind != "pending" }
                let pending = relevant.filter { $0.kind == "pending" }
                out["registry.protected_against_requesting_state"] = .bool(!against.isEmpty, against.map {
                    record("protection", $0.id, "registry.protected_against_requesting_state", describe($0), note: note($0))
                })
                out["registry.protection_claim_pending"] = .bool(!pending.isEmpty, pending.map {
                    record("protection", $0.id, "registry.protection_claim_pending", describe($0), note: note($0))
                })
                if let first = against.first, let granted = Day(first.granted) {
                    out["registry.days_since_protection"] = .number(Double(granted.days(to: r.receivedDate)),
                        [record("protection", first.id, "registry.days_since_protection", "granted \(first.granted); request received \(r.receivedDate)")])
                } else {
                    out["registry.days_since_protection"] = .unknown("no protection against \(r.requestingState) on record")
                }
            }

            // Domestic cases: the subject as victim of people acting for the complainant or the requesting state;
            // the complainant's own claims against the subject dismissed.
            var victimEvidence: [Evidence] = []
            var dismissedEvidence: [Evidence] = []
            if !subjectIds.isEmpty {
                let cases = try DomesticCaseRecord.fetch(db, """
                    SELECT DISTINCT domesticCase.* FROM domesticCase JOIN caseParty ON caseParty.caseId = domesticCase.id
                    WHERE caseParty.personId IN (\(placeholders(subjectIds.count))) AND domesticCase.opened <= ? ORDER BY domesticCase.opened, domesticCase.id
                    """, (subjectIds + [asOf]).map(SQLValue.text))
                for k in cases {
                    let parties = try CasePartyRecord.fetch(db, "SELECT * FROM caseParty WHERE caseId = ? ORDER BY rowid", [.text(k.id)])
                    let subjectRoles = Set(parties.filter { $0.personId.map(subjectIds.contains) ?? false }.map(\.role))
                    let closedOutcome = (k.closed ?? "9999") <= asOf ? k.outcome : nil
                    if subjectRoles.contains("victim") {
                        let agents = parties.filter { ["defendant", "suspect"].contains($0.role) && ($0.actedFor.map { orgIds.contains($0) || $0 == r.requestingState } ?? false) }
                        if !agents.isEmpty {
                            victimEvidence.append(record("case", k.id, "registry.subject_victim_of_complainant",
                                "case \(k.number)\(k.authority.map { ", \($0)" } ?? ""): the subject is a victim; defendants acted for \(Set(agents.compactMap(\.actedFor)).sorted().joined(separator: ", "))"
                                    + (closedOutcome.map { "; outcome: \($0)" } ?? "; \(k.status)") + (k.summary.map { ". \($0)" } ?? "")))
                        }
                    }
                    let complainants = parties.filter { ["complainant", "civil_party"].contains($0.role) && ($0.organisationId.map(orgIds.contains) ?? false || $0.actedFor.map(orgIds.contains) ?? false) }
                    if !complainants.isEmpty, !subjectRoles.isDisjoint(with: ["defendant", "suspect"]),
                       let outcome = closedOutcome, ["dismissed", "acquitted", "discontinued"].contains(outcome) {
                        dismissedEvidence.append(record("case", k.id, "registry.complainant_claims_dismissed",
                            "\(k.kind) case \(k.number): the complainant's claims against the subject were \(outcome) on \(k.closed ?? "")"))
                    }
                }
            }
            // Domestic cases name their parties as registry persons: a subject the registry does not
            // hold is a party to none of them, a checked "no" like the protection check.
            out["registry.subject_victim_of_complainant"] = subjectIds.isEmpty
                ? .bool(false, [notInRegistry("registry.subject_victim_of_complainant")]) : .bool(!victimEvidence.isEmpty, victimEvidence)
            out["registry.complainant_claims_dismissed"] = subjectIds.isEmpty
                ? .bool(false, [notInRegistry("registry.complainant_claims_dismissed")])
                : orgIds.isEmpty ? .unknown("no complainant of the request is in the registry")
                : .bool(!dismissedEvidence.isEmpty, dismissedEvidence)

            // Organisations controlled by the requesting state.
            if r.parties.isEmpty {
                out["registry.complainant_state_controlled"] = .bool(false)
            } else if organisations.isEmpty {
                out["registry.complainant_state_controlled"] = .unknown("no complainant or injured party of the request is in the registry")
            } else {
                let controlled = organisations.filter { $0.org.controllingState == r.requestingState }
                out["registry.complainant_state_controlled"] = .bool(!controlled.isEmpty, controlled.map {
                    record("organisation", $0.org.id, "registry.complainant_state_controlled",
                           "\($0.org.name): controlled by \($0.org.controllingState ?? "")\($0.org.kind.map { " (\($0))" } ?? "")")
                })
            }

            // Earlier requests: the same case number from another state or about a relative; refusals.
            let numbers = r.caseReferences.map { Identifiers.caseNumber($0.number) }
            var linked: [Evidence] = []
            var otherStates: [Evidence] = []
            var refusals: [Evidence] = []
            var seenRequests = Set<String>()
            let earlier = try PriorRequestRecord.fetch(db, "SELECT * FROM priorRequest WHERE received <= ? AND reference != ? ORDER BY received, id",
                                                       [.text(asOf), .text(r.id)])
            for prior in earlier {
                let cases = try PriorRequestCaseRecord.fetch(db, "SELECT * FROM priorRequestCase WHERE requestId = ? ORDER BY rowid", [.text(prior.id)])
                let shared = cases.filter { numbers.contains($0.normalized) }
                let aboutSubject = prior.subjectId.map(subjectIds.contains) ?? false
                let aboutRelative = prior.subjectId.map(relativeIds.contains) ?? false
                if !shared.isEmpty && (prior.requestingState != r.requestingState || aboutRelative) {
                    linked.append(record("request", prior.id, "registry.case_number_seen_elsewhere",
                        "case \(shared.map(\.number).joined(separator: ", ")) also in \(prior.instrument) \(prior.reference) from \(prior.requestingState), received \(prior.received)"
                            + (aboutRelative ? ", about a relative of the subject" : "")))
                }
                if aboutSubject, prior.requestingState != r.requestingState {
                    otherStates.append(record("request", prior.id, "registry.subject_sought_by_other_state",
                        "\(prior.instrument) \(prior.reference) from \(prior.requestingState), received \(prior.received), about the same person; \(prior.decision)"))
                }
                if (aboutSubject || !shared.isEmpty), prior.decision == "refused", (prior.decisionDate ?? prior.received) <= asOf, seenRequests.insert(prior.id).inserted {
                    refusals.append(record("request", prior.id, "registry.prior_refusal",
                        "\(prior.instrument) \(prior.reference) from \(prior.requestingState) refused\(prior.decisionDate.map { " on \($0)" } ?? "")\(prior.grounds.map { ": \($0)" } ?? "")"))
                }
            }
            out["registry.case_number_seen_elsewhere"] = .bool(!linked.isEmpty, linked)
            out["registry.prior_refusal"] = .bool(!refusals.isEmpty, refusals)
            out["registry.subject_sought_by_other_state"] = subjectIds.isEmpty
                ? .bool(false, [notInRegistry("registry.subject_sought_by_other_state")]) : .bool(!otherStates.isEmpty, otherStates)

            // INTERPOL deletions and refusals.
            let actions = try subjectIds.isEmpty ? [] : InterpolActionRecord.fetch(db, """
                SELECT * FROM interpolAction WHERE personId IN (\(placeholders(subjectIds.count))) AND action IN ('deleted', 'refused') AND date <= ?
                ORDER BY date, id
                """, (subjectIds + [asOf]).map(SQLValue.text))
            for (action, fact) in [("deleted", "registry.interpol_deletion"), ("refused", "registry.interpol_refusal")] {
                let hits = actions.filter { $0.action == action }
                out[fact] = .bool(!hits.isEmpty, hits.map {
                    record("interpol", $0.id, fact, "\($0.kind) from \($0.state)\($0.reference.map { " (\($0))" } ?? "") \(action) on \($0.date)")
                })
            }

            // Events on the subject's record: persecuted relatives, other states' and bodies' decisions.
            let events = try subjectIds.isEmpty ? [] : PersonEventRecord.fetch(db, """
                SELECT * FROM personEvent WHERE personId IN (\(placeholders(subjectIds.count))) AND date <= ?
                ORDER BY date, id
                """, (subjectIds + [asOf]).map(SQLValue.text))
            func describe(_ e: PersonEventRecord) -> String {
                "\(e.kind.replacingOccurrences(of: "_", with: " ")) on \(e.date)\(e.body.map { " by \($0)" } ?? "")"
                    + (e.reference.map { " (\($0))" } ?? "") + (e.description.map { ": \($0)" } ?? "")
            }
            for (fact, kinds) in Registry.eventFacts {
                let hits = events.filter { kinds.contains($0.kind) }
                out[fact] = .bool(!hits.isEmpty, hits.map { record("event", $0.id, fact, describe($0)) })
            }
            // A final outcome counts against this request when it ended a case the request relies on.
            let ended = events.filter { Registry.finalOutcomeKinds.contains($0.kind) && $0.reference.map { numbers.contains(Identifiers.caseNumber($0)) } == true }
            out["registry.final_outcome_same_case"] = .bool(!ended.isEmpty, ended.map {
                record("event", $0.id, "registry.final_outcome_same_case", describe($0), note: "the same case number as the request")
            })
        }
        return out
    }

    /// Kinds of event a registry records about a person, and the registry facts that read them.
    static let eventFacts: [(fact: String, kinds: Set<String>)] = [
        ("registry.relatives_persecuted", ["relative_persecuted"]),
        ("registry.third_party_refused_or_released", ["third_state_refusal", "third_state_release"]),
        ("registry.interim_measure", ["echr_interim_measure"]),
        ("registry.independent_finding", ["un_opinion", "court_finding"]),
    ]
    /// Outcomes that end a case for good (the `reference` of the event names the case).
    static let finalOutcomeKinds: Set<String> = ["acquittal", "pardon", "amnesty", "sentence_served"]
    static let eventKinds: Set<String> = eventFacts.reduce(into: finalOutcomeKinds) { $0.formUnion($1.kinds) }

    /// States on whose behalf a request may be made, with what ties each to it: its foreign case
    /// references, complainants and injured parties, offences and transit states.
    static func statesBehind(_ r: Request) -> [String: String] {
        var out: [String: [String]] = [:]
        func add(_ state: String?, _ why: String) {
            guard let state, state != r.requestingState, state != r.requestedState else { return }
            if !(out[state] ?? []).contains(why) { out[state, default: []].append(why) }
        }
        for c in r.caseReferences { add(c.state, "case \(c.number)") }
        for p in r.parties { add(p.state, p.name) }
        for o in r.offences { add(o.placeState, "offence \(o.label)") }
        for v in r.transmission.via { add(v, "transmitted through it") }
        return out.mapValues { $0.joined(separator: "; ") }
    }
}
