public import WinnowModel

extension ProfileStore {
    public func profile(_ state: String) -> StateProfile? { profiles[state] }

    /// The source id with its full reference, as evidence shows it.
    func cite(_ id: String) -> String {
        sources[id].map { "\(id): \($0.citation)" } ?? id
    }

    /// Notes for a figure as of a day: unverified, stale, or superseded by a newer unverified figure.
    func notes<V>(_ figure: Figure<V>, newer: Figure<V>? = nil, asOf: Day, describe: (V) -> String) -> String? {
        var notes: [String] = []
        if figure.unverified { notes.append("UNVERIFIED") }
        if let from = figure.from, from.years(to: asOf) > Double(staleAfterYears) {
            notes.append("stale: public since \(from), more than \(staleAfterYears) years before the as-of date \(asOf)")
        }
        if let newer {
            notes.append("a newer figure exists but is UNVERIFIED (\(cite(newer.source))): \(describe(newer.value))")
        }
        if let note = figure.note, !note.isEmpty { notes.append(note) }
        return notes.isEmpty ? nil : notes.joined(separator: "; ")
    }

    func evidence<V>(_ fact: String, _ state: String, _ figure: Figure<V>, newer: Figure<V>? = nil, asOf: Day,
                     describe: (V) -> String) -> Evidence {
        Evidence(kind: .profile, fact: fact, quote: "\(state): \(describe(figure.value))", source: cite(figure.source),
                 year: figure.year, note: notes(figure, newer: newer, asOf: asOf, describe: describe))
    }

    static func describe(_ f: FreedomScore) -> String {
        "\(f.status)\(f.score.map { ", score \($0)/100" } ?? ", PR \(f.prRating ?? 0) CL \(f.clRating ?? 0) (no 0-100 score for this edition)") (edition \(f.edition), data for \(f.dataYear))"
    }

    /// Freedom in the World status (Free, Partly Free, Not Free) of a state as of a day, if known.
    public func freedomStatus(_ state: String, on day: Day) -> String? {
        freedom(state, on: day)?.0.value.status
    }

    /// The Freedom in the World figure of a state as of a day.
    func freedom(_ state: String, on day: Day) -> (Figure<FreedomScore>, Figure<FreedomScore>?)? {
        guard let p = profiles[state] else { return nil }
        let (figure, newer) = StateProfile.latest(p.freedom, on: day)
        return figure.map { ($0, newer) }
    }

    public func fact(_ name: String, context c: FactContext) -> FactResult {
        if name == "profile.related_states_not_free" { return relatedNotFree(c) }
        let state = c.request.requestingState
        return memo.value(MemoKey(state: state, asOf: c.asOf, name: name)) { fact(name, state: state, asOf: c.asOf) }
    }

    /// A fact of the requesting state alone (every profile fact but the related states).
    func fact(_ name: String, state: String, asOf: Day) -> FactResult {
        guard let p = profiles[state] else {
            return .unknown("no profile for the requesting state \(state) in Rules/profiles")
        }
        func treaty(_ figures: [Figure<Bool>], _ what: String) -> FactResult {
            guard let f = figures.last(where: { $0.holds(on: asOf) }) else {
                return .unknown(figures.isEmpty ? "the profile of \(state) does not record \(what)" : "no \(what) figure holds on \(asOf)")
            }
            return .bool(f.value, [evidence(name, state, f, asOf: asOf) { $0 ? "party to \(what)" : "not a party to \(what)" }])
        }
        switch name {
        case "profile.fiw_status", "profile.fiw_score":
            guard let (f, newer) = freedom(state, on: asOf) else {
                return .unknown("no Freedom in the World edition for \(state) was public on \(asOf)")
            }
            let ev = [evidence(name, state, f, newer: newer, asOf: asOf, describe: Self.describe)]
            if name == "profile.fiw_status" { return .string(f.value.status, ev) }
            guard let score = f.value.score else { return .unknown("the \(f.value.edition) edition has no 0-100 score") }
            return .number(Double(score), ev)
        case "profile.vdem_libdem":
            let (f, _) = StateProfile.latest(p.liberalDemocracy, on: asOf)
            guard let f else { return .unknown("no V-Dem figure for \(state) was public on \(asOf)") }
            return .number(f.value, [evidence(name, state, f, asOf: asOf) { "Liberal Democracy Index \($0)" }])
        case "profile.tnr_origin":
            guard let f = p.repression.last(where: { $0.holds(on: asOf) }) else {
                return .unknown(p.repression.isEmpty
                    ? "Freedom House material retrieved does not name \(state) (not a confirmed no)"
                    : "no Freedom House transnational-repression release naming \(state) was public on \(asOf)")
            }
            return .string(f.value.origin, [evidence(name, state, f, asOf: asOf) { r in
                "origin of transnational repression: \(r.origin)" + (r.incidents.map { ", \($0) incidents (\(r.period ?? "period not stated"))" } ?? "")
            }])
        case "profile.echr_party": return treaty(p.echr, "the ECHR")
        case "profile.extradition_convention_party": return treaty(p.extraditionConvention, "the European Convention on Extradition")
        case "profile.mla_convention_party": return treaty(p.mutualAssistanceConvention, "the European Convention on Mutual Assistance")
        case "profile.cat_party": return treaty(p.tortureConvention, "the UN Convention against Torture")
        case "profile.abuse_findings":
            let found = p.abuseFindings(on: asOf)
            return .number(Double(found.count), found.map { f in
                Evidence(kind: .profile, fact: name, quote: "\(state): \(f.value)", source: cite(f.source), year: f.year,
                         note: notes(f, asOf: asOf) { $0 })
            })
        default:
            return .unknown("no such profile fact")
        }
    }

    /// Other states whose proceedings the request relays (transit, case, party or offence state)
    /// that Freedom House rated Not Free as of the day.
    func relatedNotFree(_ c: FactContext) -> FactResult {
        let r = c.request
        var related = Set(r.transmission.via)
        related.formUnion(r.caseReferences.map(\.state))
        related.formUnion(r.parties.compactMap(\.state))
        related.formUnion(r.offences.compactMap(\.placeState))
        related.remove(r.requestingState)
        related.remove(r.requestedState)
        var notFree: [String] = []
        var evidence: [Evidence] = []
        var missing: [String] = []
        for state in related.sorted() {
            guard let (f, newer) = freedom(state, on: c.asOf) else { missing.append(state); continue }
            if f.value.status == "Not Free" {
                notFree.append(state)
                evidence.append(self.evidence("profile.related_states_not_free", state, f, newer: newer, asOf: c.asOf, describe: Self.describe))
            }
        }
        if notFree.isEmpty && !missing.isEmpty {
            return .unknown("no profile for \(missing.joined(separator: ", ")), which the request relays")
        }
        return .strings(notFree, evidence)
    }
}
