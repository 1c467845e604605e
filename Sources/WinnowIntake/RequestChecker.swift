import WinnowModel

/// Checks that a schema can't express: codes that exist, periods that run forwards, references to
/// persons that are in the request, dates that are not in the future. Reports every problem.
struct RequestChecker {
    let request: Request
    let today: Day
    private(set) var problems: [Diagnostic] = []

    static func check(_ request: Request, today: Day) -> [Diagnostic] {
        var checker = RequestChecker(request: request, today: today)
        checker.run()
        return checker.problems
    }

    private init(request: Request, today: Day) {
        self.request = request
        self.today = today
    }

    private mutating func report(_ pointer: String, _ message: String) {
        let location = request.sources.nearest(pointer)
        problems.append(Diagnostic(file: location?.file ?? request.id, line: location?.line,
                                   path: location.flatMap { $0.pointer == pointer ? $0.path : nil } ?? pointer,
                                   message: message))
    }

    private mutating func country(_ code: String?, _ pointer: String) {
        guard let code else { return }
        if ISOTables.countries[code] == nil {
            report(pointer, "unknown country code \"\(code)\" (expected an ISO 3166-1 alpha-2 code such as \"KZ\")")
        }
    }

    private mutating func notFuture(_ day: Day?, _ pointer: String, _ what: String) {
        guard let day, day > today else { return }
        report(pointer, "\(what) \(day) is in the future (today is \(today))")
    }

    private mutating func period(_ period: Period?, _ pointer: String, futureAllowed: Bool) {
        guard let period else { return }
        if let from = period.from, let to = period.to, to < from {
            report(pointer, "the period ends (\(to)) before it starts (\(from))")
        }
        notFuture(period.from, pointer + "/from", "start date")
        if !futureAllowed { notFuture(period.to, pointer + "/to", "end date") }
    }

    private mutating func personRef(_ id: String, _ pointer: String, ids: Set<String>) {
        if !ids.contains(id) { report(pointer, "refers to person \"\(id)\", who is not among the request's persons") }
    }

    private mutating func uniqueIds(_ ids: [String], _ base: String, what: String) {
        var seen = Set<String>()
        for (i, id) in ids.enumerated() where !seen.insert(id).inserted {
            report("\(base)/\(i)/id", "duplicate \(what) id \"\(id)\"")
        }
    }

    private mutating func run() {
        let r = request
        country(r.requestingState, "/requestingState")
        country(r.requestedState, "/requestedState")
        if r.requestingState == r.requestedState {
            report("/requestedState", "the requested state is the requesting state (\(r.requestedState))")
        }
        for (i, state) in r.transmission.via.enumerated() { country(state, "/transmission/via/\(i)") }
        country(r.issuingAuthority.state, "/issuingAuthority/state")
        notFuture(r.receivedDate, "/receivedDate", "received date")

        let personIds = Set(r.persons.map(\.id))
        uniqueIds(r.persons.map(\.id), "/persons", what: "person")
        uniqueIds(r.offences.map(\.id), "/offences", what: "offence")
        uniqueIds(r.measures.map(\.id), "/measures", what: "measure")
        uniqueIds(r.parties.map(\.id), "/parties", what: "party")

        for (i, c) in r.caseReferences.enumerated() {
            country(c.state, "/caseReferences/\(i)/state")
            for (j, id) in c.concerns.enumerated() { personRef(id, "/caseReferences/\(i)/concerns/\(j)", ids: personIds) }
        }
        for (i, o) in r.offences.enumerated() {
            country(o.placeState, "/offences/\(i)/placeState")
            period(o.period, "/offences/\(i)/period", futureAllowed: false)
            if let to = o.period?.to, to > r.receivedDate, to <= today {
                report("/offences/\(i)/period/to", "the offence period ends (\(to)) after the request was received (\(r.receivedDate))")
            }
        }
        for (i, p) in r.persons.enumerated() {
            let base = "/persons/\(i)"
            for (j, n) in p.names.enumerated() {
                if let script = n.script, !ISOTables.scripts.contains(script) {
                    report("\(base)/names/\(j)/script", "unknown script code \"\(script)\" (expected ISO 15924, e.g. Latn, Cyrl)")
                }
            }
            notFuture(p.birthDate, "\(base)/birthDate", "birth date")
            for (j, n) in p.nationalities.enumerated() { country(n, "\(base)/nationalities/\(j)") }
            country(p.residence?.state, "\(base)/residence/state")
            notFuture(p.residence?.since, "\(base)/residence/since", "residence date")
            if let related = p.relatedTo {
                personRef(related, "\(base)/relatedTo", ids: personIds)
                if related == p.id { report("\(base)/relatedTo", "a person cannot be related to themself") }
            }
            if p.role == .relative && p.relatedTo == nil {
                report("\(base)/relatedTo", "a relative must say whom they are related to (relatedTo)")
            }
        }
        for (i, p) in r.parties.enumerated() { country(p.state, "/parties/\(i)/state") }
        for (i, m) in r.measures.enumerated() {
            let base = "/measures/\(i)"
            for (j, id) in m.targets.enumerated() { personRef(id, "\(base)/targets/\(j)", ids: personIds) }
            period(m.period, "\(base)/period", futureAllowed: true)
            if m.type == .searchPremises && m.premises == nil {
                report("\(base)/premises", "a search of premises must say which premises (home, office, law_firm, ...)")
            }
        }
        if let d = r.decision {
            notFuture(d.date, "/decision/date", "decision date")
            if let date = d.date, date > r.receivedDate {
                report("/decision/date", "the decision (\(date)) is dated after the request was received (\(r.receivedDate))")
            }
        }
        for (i, l) in r.linkedRequests.enumerated() {
            country(l.state, "/linkedRequests/\(i)/state")
            notFuture(l.date, "/linkedRequests/\(i)/date", "date")
        }
        let upgrade = "needs formatVersion \"2.0\" (winnow convert FILE --to json --upgrade writes it)"
        let v1 = r.formatVersion == "1.0"
        for (i, p) in r.persons.enumerated() {
            if v1 && !p.occupations.isEmpty { report("/persons/\(i)/occupations", "occupations \(upgrade)") }
            if !v1 && p.occupation != nil {
                report("/persons/\(i)/occupation", "format 2.0 lists a person's occupations in \"occupations\", not \"occupation\"")
            }
        }
        if v1 {
            for (pointer, range) in r.approximateDates.sorted(by: { $0.key < $1.key }) {
                report(pointer, "a date known only to the \(range.precision.rawValue) (\(range.text)) \(upgrade)")
            }
        }
        if v1 && !r.relativesPersecuted.isEmpty { report("/relativesPersecuted", "relativesPersecuted \(upgrade)") }
        if v1 && !r.earlierOutcomes.isEmpty { report("/earlierOutcomes", "earlierOutcomes \(upgrade)") }
        if v1 && !r.thirdPartyDecisions.isEmpty { report("/thirdPartyDecisions", "thirdPartyDecisions \(upgrade)") }
        if v1 && !r.publicActivities.isEmpty { report("/publicActivities", "publicActivities \(upgrade)") }
        let version2Categories: Set<OffenceCategory> = [.rebellionSeditionTreason, .hooliganism, .sanctionsExportControl]
        for (i, o) in r.offences.enumerated() where v1 && version2Categories.contains(o.category) {
            report("/offences/\(i)/category", "the offence category \(o.category.rawValue) \(upgrade)")
        }
        for (i, o) in r.offences.enumerated() where v1 && o.harm != nil { report("/offences/\(i)/harm", "harm \(upgrade)") }
        for (i, d) in r.thirdPartyDecisions.enumerated() {
            country(d.state, "/thirdPartyDecisions/\(i)/state")
            notFuture(d.date, "/thirdPartyDecisions/\(i)/date", "date")
        }
        for (i, a) in r.publicActivities.enumerated() { notFuture(a.date, "/publicActivities/\(i)/date", "activity date") }
        if v1 && !r.protectionsElsewhere.isEmpty { report("/protectionsElsewhere", "protectionsElsewhere \(upgrade)") }
        if v1 && !r.coAccused.isEmpty { report("/coAccused", "coAccused \(upgrade)") }
        if v1 && r.provisionalArrest != nil { report("/provisionalArrest", "provisionalArrest \(upgrade)") }
        if v1 && r.addressedTo != nil { report("/addressedTo", "addressedTo \(upgrade)") }
        if v1 && !r.otherDecisions.isEmpty { report("/otherDecisions", "otherDecisions \(upgrade)") }
        if v1 && r.decision?.retrialGuaranteed != nil { report("/decision/retrialGuaranteed", "retrialGuaranteed \(upgrade)") }
        for (i, d) in r.otherDecisions.enumerated() {
            notFuture(d.date, "/otherDecisions/\(i)/date", "decision date")
            if v1 && d.retrialGuaranteed != nil { report("/otherDecisions/\(i)/retrialGuaranteed", "retrialGuaranteed \(upgrade)") }
        }
        if let a = r.provisionalArrest {
            notFuture(a.date, "/provisionalArrest/date", "arrest date")
            if a.date > r.receivedDate { report("/provisionalArrest/date", "the provisional arrest (\(a.date)) is after the formal request (\(r.receivedDate))") }
            if a.releasedDate != nil && a.released == false { report("/provisionalArrest/releasedDate", "a release date is given but released is false") }
        }
        if r.addressedTo != nil && !(r.instrument == .interpolRedNotice || r.instrument == .interpolDiffusion) {
            report("/addressedTo", "addressedTo is for INTERPOL notices and diffusions, not a \(r.instrument.rawValue) request")
        }
        for (i, p) in r.protectionsElsewhere.enumerated() {
            country(p.state, "/protectionsElsewhere/\(i)/state")
            country(p.against, "/protectionsElsewhere/\(i)/against")
            notFuture(p.date, "/protectionsElsewhere/\(i)/date", "protection date")
        }
        for (i, c) in r.coAccused.enumerated() {
            if let id = c.person { personRef(id, "/coAccused/\(i)/person", ids: personIds) }
            if c.person == nil && c.name == nil { report("/coAccused/\(i)", "a co-accused needs a person id or a name") }
            country(c.state, "/coAccused/\(i)/state")
        }
        for (i, p) in r.persons.enumerated() {
            if v1 && !p.citizenshipChanges.isEmpty { report("/persons/\(i)/citizenshipChanges", "citizenshipChanges \(upgrade)") }
            for (j, c) in p.citizenshipChanges.enumerated() {
                country(c.state, "/persons/\(i)/citizenshipChanges/\(j)/state")
                notFuture(c.date, "/persons/\(i)/citizenshipChanges/\(j)/date", "date")
            }
        }
        for (i, rel) in r.relativesPersecuted.enumerated() {
            let base = "/relativesPersecuted/\(i)"
            if let id = rel.person { personRef(id, "\(base)/person", ids: personIds) }
            if rel.person == nil && rel.name == nil { report(base, "a persecuted relative needs a person id or a name") }
            country(rel.byState, "\(base)/byState")
            notFuture(rel.date, "\(base)/date", "date")
        }
        for (i, o) in r.earlierOutcomes.enumerated() {
            let base = "/earlierOutcomes/\(i)"
            notFuture(o.date, "\(base)/date", "outcome date")
            notFuture(o.reopenedDate, "\(base)/reopenedDate", "reopening date")
            if o.reopenedDate != nil && o.reopened == false {
                report("\(base)/reopenedDate", "a reopening date is given but reopened is false")
            }
            if let date = o.date, let again = o.reopenedDate, again < date {
                report("\(base)/reopenedDate", "the case was reopened (\(again)) before it ended (\(date))")
            }
        }
        if r.instrument.seeksSurrender && r.subjects.isEmpty {
            report("/persons", "a \(r.instrument.rawValue) request must name its subject (a person with role \"subject\")")
        }
    }
}
