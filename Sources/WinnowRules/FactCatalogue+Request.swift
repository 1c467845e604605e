import WinnowModel

extension FactCatalogue {
    static let politicalCategories: Set<OffenceCategory> = [.extremism, .terrorism, .incitement, .publicOrder, .defamation,
                                                            .rebellionSeditionTreason, .hooliganism]
    static let financialCategories: Set<OffenceCategory> = [.moneyLaundering, .embezzlement, .fraud, .tax, .corruption]
    static let ordinaryCategories: Set<OffenceCategory> = [.drugs, .violence, .homicide, .internationalCrime, .sexualOffence, .theft, .trafficking,
                                                           .organisedCrime, .cyber]
    static let protectedProfessions: Set<Occupation> = [.lawyer, .journalist, .doctor]
    /// Public voices and their circle, the people transnational repression reaches for (format 2.0
    /// adds writers, academics, religious figures and associates of opposition figures).
    static let politicalProfiles: Set<Occupation> = [.journalist, .humanRightsDefender, .activist, .oppositionPolitician,
                                                     .writer, .academic, .religiousFigure, .oppositionAssociate]

    /// Words of a free-text profession that make a public voice of the kind transnational repression
    /// targets, where the occupation vocabulary has no entry for it (a writer, a blogger, a poet).
    static let publicVoiceWords: [String] = ["writer", "author", "novelist", "poet", "blogger", "essayist", "publisher",
                                             "editor", "columnist", "dissident", "human rights"]

    /// Whether a person is a journalist, human rights defender, activist or opponent, by occupation
    /// or by a profession that names such a public voice.
    static func hasPoliticalProfile(_ p: Person) -> Bool {
        if p.allOccupations.contains(where: { politicalProfiles.contains($0.occupation) }) { return true }
        guard let profession = p.profession?.lowercased() else { return false }
        return publicVoiceWords.contains { profession.contains($0) }
    }
    static let searchAndSeizure: Set<MeasureType> = [.searchPremises, .seizureDevices, .seizureDocuments, .communicationsData, .interception]
    static let sensitivePremises: Set<Premises> = [.lawFirm, .newsroom, .medicalPractice]
    /// EU member states (for the Petruhhin line on third-state requests for EU citizens).
    static let euMembers: Set<String> = ["AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE",
                                         "IT", "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE"]

    private static func fact(_ name: String, _ type: FactType, _ description: String, settle: String = "a fuller request",
                             _ compute: @escaping @Sendable (FactContext) -> FactResult) -> FactDefinition {
        FactDefinition(name, type, .request, description, settle: settle, compute: compute)
    }

    /// Index of the first subject, for pointers.
    private static func subjects(_ r: Request) -> [(index: Int, person: Person)] {
        r.persons.enumerated().filter { $0.element.role == .subject }.map { ($0.offset, $0.element) }
    }

    static let blanketWords: Set<String> = ["all", "any", "every", "entire", "tous", "toutes", "tout", "alle", "sämtliche"]
    static let longestBlanketWord = blanketWords.map(\.count).max() ?? 0

    /// The words of a text: runs of letters (ASCII decided without a Unicode property lookup).
    static func words(of text: String) -> [Substring] {
        text.split { c in
            if let a = c.asciiValue { return !((a >= 65 && a <= 90) || (a >= 97 && a <= 122)) }
            return !c.isLetter
        }
    }

    private static func isProtectedProfessional(_ p: Person) -> Bool {
        p.role == .lawyer || p.allOccupations.contains { protectedProfessions.contains($0.occupation) }
    }

    /// Whether the request says nothing of a person's occupation.
    private static func occupationUnstated(_ p: Person) -> Bool { p.allOccupations.isEmpty }

    /// Words that name a court or a judge in a decision's authority (an investigator's warrant is not one).
    static let courtWords = ["court", "judge", "tribunal", "judicial", "суд", "gericht", "juge", "sąd", "mahkeme", "cour"]

    static func namesACourt(_ authority: String) -> Bool {
        let lower = authority.lowercased()
        return courtWords.contains { lower.contains($0) }
    }

    /// The subjects' citizenship changes of one kind for one state; `say` words one from its state and date as given.
    private static func citizenship(_ c: FactContext, _ change: CitizenshipChange, of state: String, _ fact: String,
                                    say: (String, String?) -> String) -> FactResult {
        var evidence: [Evidence] = []
        for s in subjects(c.request) {
            for (j, ch) in s.person.citizenshipChanges.enumerated() where ch.change == change && ch.state == state {
                let base = "/persons/\(s.index)/citizenshipChanges/\(j)"
                evidence.append(c.field("\(base)/change", fact,
                                        "\(s.person.displayName): " + say(ch.state, ch.date.map { c.request.dateText($0, at: "\(base)/date") })))
            }
        }
        return .bool(!evidence.isEmpty, evidence)
    }

    /// Protections other states granted against the requesting state, known from a record (verified) or
    /// only from the subject's own statement.
    private static func protectionElsewhere(_ c: FactContext, verified: Bool, _ fact: String) -> FactResult {
        let r = c.request
        let hits = r.protectionsElsewhere.enumerated().filter { ($1.against ?? r.requestingState) == r.requestingState && $1.knownFrom.isVerified == verified }
        return .bool(!hits.isEmpty, hits.map { i, p in
            c.field("/protectionsElsewhere/\(i)/kind", fact,
                    "\(p.kind.rawValue) protection granted by \(p.state)\(p.date.map { " on \(c.request.dateText($0, at: "/protectionsElsewhere/\(i)/date"))" } ?? ""), known from \(p.knownFrom.rawValue)")
        })
    }

    /// Whether any offence is of one of `categories`, quoting each one's label with its category.
    private static func offences(_ c: FactContext, in categories: Set<OffenceCategory>, _ fact: String) -> FactResult {
        let hits = c.request.offences.enumerated().filter { categories.contains($1.category) }
        return .bool(!hits.isEmpty, hits.map { c.field("/offences/\($0)/label", fact, "\($1.label) [\($1.category.rawValue)]") })
    }

    /// Whether the request's file records a third-party decision of these kinds, with each as evidence.
    private static func thirdParty(_ c: FactContext, _ kinds: Set<ThirdPartyDecisionKind>, _ fact: String) -> FactResult {
        let hits = c.request.thirdPartyDecisions.enumerated().filter { kinds.contains($1.kind) }
        return .bool(!hits.isEmpty, hits.map { i, d in
            c.field("/thirdPartyDecisions/\(i)/kind", fact,
                    "\(d.kind.rawValue) by \(d.body)\(d.date.map { " on \(c.request.dateText($0, at: "/thirdPartyDecisions/\(i)/date"))" } ?? "")\(d.grounds.map { ": \($0)" } ?? "")")
        })
    }

    static let requestFacts: [FactDefinition] = [
        fact("request.instrument", .string, "The instrument the request is made under.") { c in
            .string(c.request.instrument.rawValue, [c.field("/instrument", "request.instrument", c.request.instrument.rawValue)])
        },
        fact("request.requesting_state", .string, "The requesting state (ISO 3166-1 alpha-2).") { c in
            .string(c.request.requestingState, [c.field("/requestingState", "request.requesting_state", c.request.requestingState)])
        },
        fact("request.requested_state", .string, "The requested state (ISO 3166-1 alpha-2).") { c in
            .string(c.request.requestedState, [c.field("/requestedState", "request.requested_state", c.request.requestedState)])
        },
        fact("request.channel", .string, "How the request arrived: diplomatic, central_authority, interpol or direct.") { c in
            .string(c.request.transmission.channel.rawValue,
                    [c.field("/transmission/channel", "request.channel", c.request.transmission.channel.rawValue)])
        },
        fact("request.via_states", .strings, "States the request passed through on its way.") { c in
            .strings(c.request.transmission.via, c.request.transmission.via.enumerated().map {
                c.field("/transmission/via/\($0)", "request.via_states", $1)
            })
        },
        fact("request.issuing_authority_kind", .string, "Kind of the issuing authority: court, prosecutor, police, ministry, other.") { c in
            .string(c.request.issuingAuthority.kind.rawValue, [c.field("/issuingAuthority/kind", "request.issuing_authority_kind",
                                                                       "\(c.request.issuingAuthority.kind.rawValue): \(c.request.issuingAuthority.name)")])
        },
        fact("request.legal_basis_stated", .bool, "Whether the request states its legal basis.") { c in
            .bool(c.request.legalBasis != nil, c.request.legalBasis.map { [c.field("/legalBasis", "request.legal_basis_stated", $0)] } ?? [])
        },
        fact("request.summary_stated", .bool, "Whether the request gives a summary of the facts.") { c in
            .bool(c.request.summaryOfFacts != nil,
                  c.request.summaryOfFacts.map { [c.field("/summaryOfFacts", "request.summary_stated", String($0.prefix(200)))] } ?? [])
        },
        fact("request.consent", .bool, "Whether the person concerned consents (to surrender or to the measure).",
             settle: "the person's statement on consent") { c in
            guard let consent = c.request.consent else { return .unknown("the request does not say whether the person consents") }
            return .bool(consent, [c.field("/consent", "request.consent", String(consent))])
        },
        fact("request.received_date", .date, "The date the requested state received the request.") { c in
            .known(.date(c.request.receivedDate), [c.field("/receivedDate", "request.received_date", c.request.receivedDate.description)])
        },
        fact("decision.date", .date, "The date of the decision the request rests on.", settle: "the date of the warrant or judgment") { c in
            guard let date = c.request.decision?.date else { return .unknown("the request gives no decision date") }
            if let range = c.request.approximateDates["/decision/date"] {
                return .unknown("the decision date is known only to the \(range.precision.rawValue) (\(range.text))")
            }
            return .known(.date(date), [c.field("/decision/date", "decision.date", date.description)])
        },
        fact("request.years_after_offence", .number, "Years from the end of the latest offence period to the receipt of the request.",
             settle: "the offence periods") { c in
            // An end known only to the month or year spans from its first to its last day.
            let ends = c.request.offences.enumerated().compactMap { i, o -> (Int, Day, Day)? in
                guard let to = o.period?.to else { return nil }
                return (i, to, c.request.approximateDates["/offences/\(i)/period/to"]?.latest ?? to)
            }
            guard let latest = ends.max(by: { $0.2 < $1.2 }) else { return .unknown("no offence period has an end date") }
            let received = c.request.receivedDate
            let evidence = [c.field("/offences/\(latest.0)/period/to", "request.years_after_offence", latest.1.description),
                            c.field("/receivedDate", "request.years_after_offence", received.description)]
            if let range = c.request.approximateDates["/offences/\(latest.0)/period/to"] {
                return .range(range.latest.years(to: received), range.earliest.years(to: received),
                              why: "the offence period ends in \(range.text), known only to the \(range.precision.rawValue)", evidence)
            }
            return .number(latest.1.years(to: received), evidence)
        },

        // MARK: offences
        fact("offence.categories", .strings, "Categories of the offences charged.") { c in
            .strings(c.request.offences.map(\.category.rawValue), c.request.offences.enumerated().map {
                c.field("/offences/\($0)/label", "offence.categories", "\($1.label) [\($1.category.rawValue)]")
            })
        },
        fact("offence.political_category", .bool,
             "Whether any offence is of a kind used against peaceful opposition: extremism, terrorism, incitement, public order, defamation.") { c in
            offences(c, in: politicalCategories, "offence.political_category")
        },
        fact("offence.financial_category", .bool,
             "Whether any offence is financial: money laundering, embezzlement, fraud, tax, corruption.") { c in
            offences(c, in: financialCategories, "offence.financial_category")
        },
        fact("offence.sanctions_category", .bool,
             "Whether any offence is a breach of sanctions, an embargo or export controls.") { c in
            offences(c, in: [.sanctionsExportControl], "offence.sanctions_category")
        },
        fact("offence.harm_stated", .bool,
             "Whether the request states the value of the harm alleged for at least one offence (format 2.0).", settle: "the amount and currency of the loss or damage each offence caused") { c in
            let hits = c.request.offences.enumerated().compactMap { i, o in o.harm.map { (i, $0) } }
            if hits.isEmpty && c.request.formatVersion.hasPrefix("1.") { return .unknown("format \(c.request.formatVersion) has no field for the harm alleged") }
            return .bool(!hits.isEmpty, hits.map { c.field("/offences/\($0.0)/harm/amount", "offence.harm_stated", $0.1.description) })
        },
        fact("offence.fiscal", .bool, "Whether any offence is a tax (fiscal) offence.") { c in
            let hits = c.request.offences.enumerated().filter { $1.category == .tax }
            return .bool(!hits.isEmpty, hits.map { c.field("/offences/\($0)/label", "offence.fiscal", $1.label) })
        },
        fact("offence.ordinary_crime", .bool,
             "Whether every offence is an ordinary crime (drugs, violence, homicide, international crimes, sexual offence, theft, trafficking, organised crime, cyber).") { c in
            guard !c.request.offences.isEmpty else { return .unknown("the request names no offence") }
            let all = c.request.offences.allSatisfy { ordinaryCategories.contains($0.category) }
            return .bool(all, c.request.offences.enumerated().map { c.field("/offences/\($0)/category", "offence.ordinary_crime", $1.category.rawValue) })
        },
        fact("offence.international_crime", .bool,
             "Whether any offence is genocide, a crime against humanity or a war crime (Refugee Convention Art 1F(a)).") { c in
            guard !c.request.offences.isEmpty else { return .unknown("the request names no offence") }
            let hits = c.request.offences.enumerated().filter { $1.category == .internationalCrime }
            return .bool(!hits.isEmpty, hits.map { c.field("/offences/\($0)/category", "offence.international_crime", $1.category.rawValue) })
        },
        fact("offence.all_provisions_stated", .bool, "Whether every offence names its legal provision.") { c in
            guard !c.request.offences.isEmpty else { return .bool(false, [c.field("/offences", "offence.all_provisions_stated", "no offence stated")]) }
            let missing = c.request.offences.enumerated().filter { $1.provision == nil }
            return .bool(missing.isEmpty, missing.map { c.field("/offences/\($0)", "offence.all_provisions_stated", "no provision for: \($1.label)") })
        },
        fact("offence.all_penalties_stated", .bool, "Whether every offence states its maximum penalty.") { c in
            let missing = c.request.offences.enumerated().filter { $1.maxPenaltyMonths == nil }
            return .bool(!c.request.offences.isEmpty && missing.isEmpty,
                         missing.map { c.field("/offences/\($0)", "offence.all_penalties_stated", "no maximum penalty for: \($1.label)") })
        },
        fact("offence.max_penalty_months", .number, "Highest maximum penalty among the offences, in months.",
             settle: "the maximum penalty of each provision") { c in
            let stated = c.request.offences.enumerated().compactMap { i, o in o.maxPenaltyMonths.map { (i, $0) } }
            guard let top = stated.max(by: { $0.1 < $1.1 }) else { return .unknown("no offence states its maximum penalty") }
            return .number(Double(top.1), [c.field("/offences/\(top.0)/maxPenaltyMonths", "offence.max_penalty_months", "\(top.1) months")])
        },
        fact("offence.all_periods_stated", .bool, "Whether every offence states when it took place.") { c in
            let missing = c.request.offences.enumerated().filter { $1.period?.from == nil && $1.period?.to == nil }
            return .bool(!c.request.offences.isEmpty && missing.isEmpty,
                         missing.map { c.field("/offences/\($0)", "offence.all_periods_stated", "no period for: \($1.label)") })
        },
        fact("offence.place_states", .strings, "States where the offences took place.") { c in
            let hits = c.request.offences.enumerated().compactMap { i, o in o.placeState.map { (i, $0) } }
            return .strings(Array(Set(hits.map(\.1))).sorted(), hits.map { c.field("/offences/\($0)/placeState", "offence.place_states", $1) })
        },
        fact("offence.outside_requesting_state", .bool,
             "Whether any offence took place outside the requesting state.", settle: "where each offence took place") { c in
            let stated = c.request.offences.enumerated().compactMap { i, o in o.placeState.map { (i, $0) } }
            guard !stated.isEmpty else { return .unknown("no offence states where it took place") }
            let outside = stated.filter { $0.1 != c.request.requestingState }
            return .bool(!outside.isEmpty, outside.map { c.field("/offences/\($0)/placeState", "offence.outside_requesting_state", $1) })
        },

        // MARK: parties and cases
        fact("party.state_enterprise", .bool,
             "Whether a complainant, injured or civil party is a state-owned or state-controlled enterprise.") { c in
            let hits = c.request.parties.enumerated().filter { $1.kind == .stateOwnedEnterprise || $1.kind == .stateControlledEnterprise }
            return .bool(!hits.isEmpty, hits.map {
                c.field("/parties/\($0)/kind", "party.state_enterprise", "\($1.name) (\($1.kind.rawValue)\($1.state.map { ", \($0)" } ?? ""))")
            })
        },
        fact("party.state_body_complainant", .bool, "Whether a state body is the complainant or civil party.") { c in
            let hits = c.request.parties.enumerated().filter { $1.kind == .stateBody && $1.role != .injuredParty }
            return .bool(!hits.isEmpty, hits.map { c.field("/parties/\($0)/kind", "party.state_body_complainant", "\($1.name) (\($1.role.rawValue))") })
        },
        fact("party.private_victims", .bool, "Whether private persons or private companies are the complainants or injured parties.") { c in
            let hits = c.request.parties.enumerated().filter { $1.kind == .individual || $1.kind == .privateCompany }
            return .bool(!hits.isEmpty, hits.map { c.field("/parties/\($0)/name", "party.private_victims", "\($1.name) (\($1.kind.rawValue))") })
        },
        fact("party.other_states", .strings, "States of parties other than the requesting state.") { c in
            let hits = c.request.parties.enumerated().compactMap { i, p in p.state.map { (i, p, $0) } }.filter { $0.2 != c.request.requestingState }
            return .strings(Array(Set(hits.map(\.2))).sorted(), hits.map { c.field("/parties/\($0.0)/state", "party.other_states", "\($0.1.name): \($0.2)") })
        },
        fact("case.other_states", .strings, "States of foreign case numbers other than the requesting state.") { c in
            let hits = c.request.caseReferences.enumerated().filter { $1.state != c.request.requestingState }
            return .strings(Array(Set(hits.map(\.element.state))).sorted(),
                            hits.map { c.field("/caseReferences/\($0)/number", "case.other_states", "\($1.number) (\($1.state))") })
        },
        fact("case.concerns_relative", .bool, "Whether a case number of the request is also a relative's case.") { c in
            let relatives = Set(c.request.persons.filter { $0.role == .relative }.map(\.id))
            var evidence: [Evidence] = []
            for (i, ref) in c.request.caseReferences.enumerated() {
                for (j, id) in ref.concerns.enumerated() where relatives.contains(id) {
                    let who = c.request.person(id: id)?.displayName ?? id
                    evidence.append(c.field("/caseReferences/\(i)/concerns/\(j)", "case.concerns_relative", "case \(ref.number) concerns \(who)"))
                }
            }
            return .bool(!evidence.isEmpty, evidence)
        },
        fact("person.relatives_named", .bool, "Whether the request names relatives of the subject.") { c in
            let hits = c.request.persons.enumerated().filter { $1.role == .relative }
            return .bool(!hits.isEmpty, hits.map { c.field("/persons/\($0)/names/0/text", "person.relatives_named",
                                                          "\($1.displayName)\($1.relation.map { " (\($0.rawValue))" } ?? "")") })
        },

        fact("relatives.persecuted", .bool,
             "Whether the request or its annexes say the requesting state detained, charged, convicted, deported or barred a relative of the subject (format 2.0). Not stated counts as not known to be.") { c in
            let hits = c.request.relativesPersecuted.enumerated().filter { $1.byState == nil || $1.byState == c.request.requestingState }
            return .bool(!hits.isEmpty, hits.map { i, rel in
                let who = rel.person.flatMap { c.request.person(id: $0)?.displayName } ?? rel.name ?? rel.relation.rawValue
                return c.field("/relativesPersecuted/\(i)/action", "relatives.persecuted",
                               "\(who) (\(rel.relation.rawValue)): \(rel.action.rawValue)\(rel.date.map { " on \(c.request.dateText($0, at: "/relativesPersecuted/\(i)/date"))" } ?? "")")
            })
        },
        fact("earlier_outcome.final_then_reopened", .bool,
             "Whether an earlier prosecution of the subject ended in an acquittal, pardon, amnesty or served sentence and was then reopened (format 2.0).") { c in
            let hits = c.request.earlierOutcomes.enumerated().filter { $1.isFinal && $1.reopened == true }
            return .bool(!hits.isEmpty, hits.map { i, o in
                c.field("/earlierOutcomes/\(i)/kind", "earlier_outcome.final_then_reopened",
                        "\(o.kind.rawValue)\(o.date.map { " of \(c.request.dateText($0, at: "/earlierOutcomes/\(i)/date"))" } ?? ""), reopened\(o.reopenedDate.map { " on \(c.request.dateText($0, at: "/earlierOutcomes/\(i)/reopenedDate"))" } ?? "")\(o.caseReference.map { " (\($0))" } ?? "")")
            })
        },
        fact("earlier_outcome.final_in_same_case", .bool,
             "Whether the case the request rests on already ended for the subject in an acquittal, pardon, amnesty or served sentence (format 2.0).") { c in
            let hits = c.request.earlierOutcomes.enumerated().filter { $1.isFinal && $1.sameCase == true }
            return .bool(!hits.isEmpty, hits.map { i, o in
                c.field("/earlierOutcomes/\(i)/kind", "earlier_outcome.final_in_same_case",
                        "\(o.kind.rawValue)\(o.date.map { " of \(c.request.dateText($0, at: "/earlierOutcomes/\(i)/date"))" } ?? "")\(o.authority.map { " by \($0)" } ?? "")")
            })
        },

        fact("third_party.refused_or_released", .bool,
             "Whether another state refused to surrender the subject or released them (format 2.0).") { c in
            thirdParty(c, [.refusal, .release], "third_party.refused_or_released")
        },
        fact("third_party.interpol_deleted", .bool,
             "Whether INTERPOL (the CCF or the General Secretariat) deleted data about the subject, as the request's file records (format 2.0).") { c in
            thirdParty(c, [.interpolDeletion], "third_party.interpol_deleted")
        },
        fact("third_party.interim_measure", .bool,
             "Whether the European Court of Human Rights indicated an interim measure (Rule 39) for the subject (format 2.0).") { c in
            thirdParty(c, [.rule39], "third_party.interim_measure")
        },
        fact("third_party.independent_finding", .bool,
             "Whether a UN body (Working Group on Arbitrary Detention, a Special Rapporteur) or a court gave an opinion or finding about the subject's case (format 2.0).") { c in
            thirdParty(c, [.unOpinion, .courtFinding], "third_party.independent_finding")
        },
        // No evidence of its own: the rules that read it quote the activity through activity.days_before_case.
        fact("protection_elsewhere.verified", .bool,
             "Whether another state granted the subject protection against the requesting state, known from EU or Schengen records, UNHCR, the granting state or a court (format 2.0).") { c in
            protectionElsewhere(c, verified: true, "protection_elsewhere.verified")
        },
        fact("protection_elsewhere.stated", .bool,
             "Whether the subject says another state granted protection against the requesting state, with no record to confirm it yet (format 2.0).") { c in
            protectionElsewhere(c, verified: false, "protection_elsewhere.stated")
        },
        fact("co_accused.protected_or_refused", .bool,
             "Whether a co-accused or principal the request names is protected abroad or was refused extradition, acquitted or released (format 2.0).") { c in
            let kept: Set<CoAccusedOutcome> = [.protected, .extraditionRefused, .acquitted, .released]
            let hits = c.request.coAccused.enumerated().filter { kept.contains($1.outcome) }
            return .bool(!hits.isEmpty, hits.map { i, a in
                let who = a.person.flatMap { c.request.person(id: $0)?.displayName } ?? a.name ?? "a co-accused"
                return c.field("/coAccused/\(i)/outcome", "co_accused.protected_or_refused",
                               "\(who): \(a.outcome.rawValue)\(a.state.map { " (\($0))" } ?? "")")
            })
        },
        fact("subject.citizenship_revoked", .bool,
             "Whether the requesting state revoked a subject's citizenship (format 2.0).") { c in
            citizenship(c, .revoked, of: c.request.requestingState, "subject.citizenship_revoked") { "citizenship of \($0) revoked" + ($1.map { " on \($0)" } ?? "") }
        },
        fact("subject.naturalised_in_requested_state", .bool,
             "Whether a subject acquired the requested state's citizenship (format 2.0): protection goes on as citizenship.") { c in
            citizenship(c, .acquired, of: c.request.requestedState, "subject.naturalised_in_requested_state") { "citizen of \($0)" + ($1.map { " since \($0)" } ?? "") }
        },
        fact("arrest.provisional_on_diffusion", .bool,
             "Whether the formal request follows a provisional arrest on an INTERPOL diffusion, which the General Secretariat does not review before member states receive it (format 2.0).") { c in
            guard let a = c.request.provisionalArrest, a.basis == .diffusion else { return .bool(false) }
            return .bool(true, [c.field("/provisionalArrest/basis", "arrest.provisional_on_diffusion",
                                        "arrested on \(c.request.dateText(a.date, at: "/provisionalArrest/date")) on a diffusion\(a.noticeReference.map { " (\($0))" } ?? "")")])
        },
        fact("request.diffusion_aimed_at_residence", .bool,
             "Whether an INTERPOL diffusion is addressed to the requested state alone while the subject lives there (format 2.0).") { c in
            let r = c.request
            guard r.instrument == .interpolDiffusion, r.addressedTo == .requestedState else { return .bool(false) }
            let living = subjects(r).filter { $0.person.residence?.state == r.requestedState }
            return .bool(!living.isEmpty, living.map {
                c.field("/persons/\($0.index)/residence/state", "request.diffusion_aimed_at_residence",
                        "addressed to \(r.requestedState) alone, where \($0.person.displayName) lives")
            } + (living.isEmpty ? [] : [c.field("/addressedTo", "request.diffusion_aimed_at_residence", "requested_state")]))
        },
        fact("decision.other_judgment_in_absentia", .bool,
             "Whether another judgment in the case (format 2.0) was given in absentia with no retrial guaranteed by law or by assurance.",
             settle: "whether the other judgments were given in the person's presence, and whether a retrial is guaranteed") { c in
            let r = c.request
            let assured = r.assurances.contains { $0.kind == .retrial }
            let judgments = r.otherDecisions.enumerated().filter { $1.kind == .judgment }
            let hits = judgments.filter { $1.inAbsentia == true && $1.retrialGuaranteed != true && !assured }
            if hits.isEmpty && judgments.contains(where: { $1.inAbsentia == nil }) {
                return .unknown("the request does not say whether every other judgment was given in absentia")
            }
            return .bool(!hits.isEmpty, hits.map { i, d in
                c.field("/otherDecisions/\(i)/inAbsentia", "decision.other_judgment_in_absentia",
                        "judgment\(d.date.map { " of \(r.dateText($0, at: "/otherDecisions/\(i)/date"))" } ?? "")\(d.authority.map { " by \($0)" } ?? "") in absentia, no retrial guaranteed")
            })
        },
        fact("activity.recorded", .bool, "Whether the request's file records any public activity of the subject (format 2.0).") { c in
            .bool(!c.request.publicActivities.isEmpty)
        },
        fact("activity.days_before_case", .number,
             "Days from the subject's latest public activity (format 2.0) to the decision the request rests on, or to its receipt when the decision is undated: a range when a date is known only to the month or year.",
             settle: "the subject's public activity and the decision date") { c in
            let r = c.request
            let decisionExact = r.decision?.date != nil && r.approximateDates["/decision/date"] == nil
            let anchor = (decisionExact ? r.decision?.date : nil) ?? r.receivedDate
            let anchorPointer = decisionExact ? "/decision/date" : "/receivedDate"
            let before = r.publicActivities.enumerated().filter { $1.date <= anchor }
            guard let latest = before.max(by: { $0.1.date < $1.1.date }) else {
                return .unknown(r.publicActivities.isEmpty ? "the request records no public activity of the subject"
                                                           : "no public activity is recorded before the case")
            }
            let pointer = "/publicActivities/\(latest.0)/kind"
            let evidence = [c.field(pointer, "activity.days_before_case",
                                    "\(latest.1.kind.rawValue) \(r.approximateDates["/publicActivities/\(latest.0)/date"]?.text ?? latest.1.date.description)\(latest.1.description.map { ": \($0)" } ?? "")"),
                            c.field(anchorPointer, "activity.days_before_case", anchor.description)]
            if let range = r.approximateDates["/publicActivities/\(latest.0)/date"] {
                let latestDay = min(range.latest, anchor)
                return .range(Double(latestDay.days(to: anchor)), Double(range.earliest.days(to: anchor)),
                              why: "the activity is dated \(range.text), known only to the \(range.precision.rawValue)", evidence)
            }
            return .number(Double(latest.1.date.days(to: anchor)), evidence)
        },

        // MARK: subject
        fact("subject.occupations", .strings, "Occupations of the subjects.") { c in
            let hits = subjects(c.request).flatMap { s in s.person.allOccupations.map { (s.index, $0.field, $0.occupation) } }
            return .strings(hits.map(\.2.rawValue), hits.map { c.field("/persons/\($0)/\($1)", "subject.occupations", $2.rawValue) })
        },
        fact("subject.protected_profession", .bool,
             "Whether a subject is a lawyer, journalist or doctor (professional secrecy).", settle: "the subject's occupation") { c in
            let subs = subjects(c.request)
            let hits = subs.filter { isProtectedProfessional($0.person) }
            if hits.isEmpty && subs.contains(where: { occupationUnstated($0.person) }) {
                return .unknown("the request does not give every subject's occupation")
            }
            return .bool(!hits.isEmpty, hits.map { s in
                let protected = s.person.allOccupations.first { protectedProfessions.contains($0.occupation) }
                return c.field("/persons/\(s.index)/\(protected?.field ?? "role")", "subject.protected_profession",
                               "\(s.person.displayName): \(s.person.profession ?? protected?.occupation.rawValue ?? "lawyer")")
            })
        },
        fact("subject.political_profile", .bool,
             "Whether a subject is a journalist, human rights defender, activist or opposition politician, by occupation or by a profession naming a public voice (writer, blogger, poet, editor...).", settle: "the subject's occupation") { c in
            let subs = subjects(c.request)
            let hits = subs.filter { hasPoliticalProfile($0.person) }
            if hits.isEmpty && subs.contains(where: { occupationUnstated($0.person) && $0.person.profession == nil }) {
                return .unknown("the request does not give every subject's occupation")
            }
            return .bool(!hits.isEmpty, hits.map { s in
                let byOccupation = s.person.allOccupations.first { politicalProfiles.contains($0.occupation) }
                return c.field("/persons/\(s.index)/\(byOccupation?.field ?? "profession")", "subject.political_profile",
                               "\(s.person.displayName): \(s.person.profession ?? byOccupation?.occupation.rawValue ?? "")")
            })
        },
        fact("subject.national_of_requesting_state", .bool, "Whether a subject is a national of the requesting state.",
             settle: "the subject's nationalities") { c in
            let subs = subjects(c.request)
            guard subs.contains(where: { !$0.person.nationalities.isEmpty }) else { return .unknown("no subject's nationality is stated") }
            var evidence: [Evidence] = []
            for s in subs {
                for (j, n) in s.person.nationalities.enumerated() where n == c.request.requestingState {
                    evidence.append(c.field("/persons/\(s.index)/nationalities/\(j)", "subject.national_of_requesting_state", n))
                }
            }
            return .bool(!evidence.isEmpty, evidence)
        },
        fact("subject.lives_outside_requesting_state", .bool, "Whether a subject lives outside the requesting state.",
             settle: "the subject's residence") { c in
            let hits = subjects(c.request).compactMap { s in s.person.residence.map { (s.index, s.person, $0) } }
            guard !hits.isEmpty else { return .unknown("no subject's residence is stated") }
            let outside = hits.filter { $0.2.state != c.request.requestingState }
            return .bool(!outside.isEmpty, outside.map { index, person, residence in
                c.field("/persons/\(index)/residence/state", "subject.lives_outside_requesting_state",
                        "\(person.displayName) lives in \(residence.place.map { "\($0), " } ?? "")\(residence.state)"
                        + (residence.since.map { " since \(c.request.dateText($0, at: "/persons/\(index)/residence/since"))" } ?? ""))
            })
        },
        fact("subject.years_abroad", .number, "Years the subject has lived at the stated residence outside the requesting state.",
             settle: "the subject's residence history") { c in
            let hits = subjects(c.request).compactMap { s in s.person.residence.flatMap { r in r.since.map { (s.index, r, $0) } } }
                .filter { $0.1.state != c.request.requestingState }
            guard let longest = hits.min(by: { $0.2 < $1.2 }) else { return .unknown("no residence abroad with a start date") }
            let pointer = "/persons/\(longest.0)/residence/since"
            if let range = c.request.approximateDates[pointer] {
                return .range(range.latest.years(to: c.request.receivedDate), range.earliest.years(to: c.request.receivedDate),
                              why: "the residence began in \(range.text), known only to the \(range.precision.rawValue)",
                              [c.field(pointer, "subject.years_abroad", "since \(range.text)")])
            }
            return .number(longest.2.years(to: c.request.receivedDate), [c.field(pointer, "subject.years_abroad", "since \(longest.2)")])
        },
        fact("subject.eu_citizen", .bool, "Whether a subject is a citizen of an EU member state.", settle: "the subject's nationalities") { c in
            let subs = subjects(c.request)
            guard subs.contains(where: { !$0.person.nationalities.isEmpty }) else { return .unknown("no subject's nationality is stated") }
            var evidence: [Evidence] = []
            for s in subs {
                for (j, n) in s.person.nationalities.enumerated() where euMembers.contains(n) {
                    evidence.append(c.field("/persons/\(s.index)/nationalities/\(j)", "subject.eu_citizen", n))
                }
            }
            return .bool(!evidence.isEmpty, evidence)
        },

        // MARK: measures
        fact("measure.types", .strings, "Types of the measures sought.") { c in
            .strings(c.request.measures.map(\.type.rawValue),
                     c.request.measures.enumerated().map { c.field("/measures/\($0)/type", "measure.types", $1.type.rawValue) })
        },
        fact("measure.search_or_seizure", .bool, "Whether a search, seizure, interception or communications-data measure is sought.") { c in
            let hits = c.request.measures.enumerated().filter { searchAndSeizure.contains($1.type) }
            return .bool(!hits.isEmpty, hits.map { c.field("/measures/\($0)/type", "measure.search_or_seizure", $1.type.rawValue) })
        },
        fact("measure.home_search", .bool, "Whether a search of a home is sought.") { c in
            let hits = c.request.measures.enumerated().filter { $1.type == .searchPremises && $1.premises == .home }
            return .bool(!hits.isEmpty, hits.map { i, _ in c.field("/measures/\(i)/premises", "measure.home_search", "search of premises: home") })
        },
        fact("measure.sensitive_premises", .bool, "Whether a law firm, newsroom or medical practice is to be searched.") { c in
            let hits = c.request.measures.enumerated().filter { $1.type == .searchPremises && $1.premises.map { sensitivePremises.contains($0) } == true }
            return .bool(!hits.isEmpty, hits.map { c.field("/measures/\($0)/premises", "measure.sensitive_premises", $1.premises!.rawValue) })
        },
        fact("measure.privileged_material", .bool,
             "Whether the measures reach material under professional secrecy: legal files, client data, journalistic material, medical records, or the devices and communications of a lawyer, journalist or doctor.") { c in
            var evidence: [Evidence] = []
            for (i, m) in c.request.measures.enumerated() {
                for (j, k) in m.itemKinds.enumerated() where k.isPrivileged {
                    evidence.append(c.field("/measures/\(i)/itemKinds/\(j)", "measure.privileged_material", k.rawValue))
                }
                if searchAndSeizure.contains(m.type) {
                    for (j, id) in m.targets.enumerated() {
                        if let p = c.request.person(id: id), isProtectedProfessional(p) {
                            evidence.append(c.field("/measures/\(i)/targets/\(j)", "measure.privileged_material",
                                                    "\(m.type.rawValue) aimed at \(p.displayName) (\(p.allOccupations.first?.occupation.rawValue ?? p.role.rawValue))"))
                        }
                    }
                }
            }
            return .bool(!evidence.isEmpty, evidence)
        },
        fact("measure.privilege_safeguards", .bool,
             "Whether every search or seizure provides a privilege safeguard: a Bar representative, an independent observer, or filtering of privileged material.") { c in
            let relevant = c.request.measures.enumerated().filter { searchAndSeizure.contains($1.type) }
            guard !relevant.isEmpty else { return .bool(false) }
            let privilege: Set<Safeguard> = [.barRepresentative, .independentObserver, .privilegeFiltering]
            let lacking = relevant.filter { Set($1.safeguards).isDisjoint(with: privilege) }
            if lacking.isEmpty {
                return .bool(true, relevant.map { c.field("/measures/\($0)/safeguards", "measure.privilege_safeguards",
                                                          $1.safeguards.map(\.rawValue).joined(separator: ", ")) })
            }
            return .bool(false, lacking.map { c.field("/measures/\($0)", "measure.privilege_safeguards",
                                                      "\($1.type.rawValue): safeguards \($1.safeguards.isEmpty ? "none" : $1.safeguards.map(\.rawValue).joined(separator: ", "))") })
        },
        fact("measure.judicial_authorisation", .bool,
             "Whether every coercive measure rests on a judicial warrant or later judicial review, or the request comes from a court.") { c in
            if c.request.issuingAuthority.kind.isJudicial {
                return .bool(true, [c.field("/issuingAuthority/kind", "measure.judicial_authorisation", "court: \(c.request.issuingAuthority.name)")])
            }
            let coercive = c.request.measures.enumerated().filter { $1.type.isCoercive && $1.type != .surrender }
            let judicial: Set<Safeguard> = [.judicialWarrant, .laterJudicialReview]
            let lacking = coercive.filter { Set($1.safeguards).isDisjoint(with: judicial) }
            if coercive.isEmpty {
                // Nothing coercive but surrender: the warrant or judgment behind it is the judicial act, when a court gave it.
                if let d = c.request.decision, d.kind != .none, let authority = d.authority, namesACourt(authority) {
                    return .bool(true, [c.field("/decision/authority", "measure.judicial_authorisation", "\(d.kind.rawValue) of \(authority)")])
                }
                return .bool(false, [c.field("/issuingAuthority/kind", "measure.judicial_authorisation",
                                             "\(c.request.issuingAuthority.kind.rawValue): \(c.request.issuingAuthority.name); no court decision is given")])
            }
            if lacking.isEmpty {
                return .bool(true, coercive.map { i, _ in c.field("/measures/\(i)/safeguards", "measure.judicial_authorisation", "judicial warrant") })
            }
            return .bool(false, [c.field("/issuingAuthority/kind", "measure.judicial_authorisation",
                                         "\(c.request.issuingAuthority.kind.rawValue): \(c.request.issuingAuthority.name)")]
                         + lacking.map { c.field("/measures/\($0)", "measure.judicial_authorisation", "\($1.type.rawValue) without a judicial warrant") })
        },
        fact("measure.blanket_wording", .bool, "Whether a measure asks for 'all' or 'any' material rather than described items.") { c in
            var evidence: [Evidence] = []
            for (i, m) in c.request.measures.enumerated() {
                for (j, item) in m.items.enumerated() {
                    if words(of: item).contains(where: { $0.count <= longestBlanketWord && blanketWords.contains($0.lowercased()) }) {
                        evidence.append(c.field("/measures/\(i)/items/\(j)", "measure.blanket_wording", item))
                    }
                }
            }
            return .bool(!evidence.isEmpty, evidence)
        },
        fact("measure.records_span_years", .number, "Longest time range of records sought by a measure, in years.",
             settle: "the time range of the records sought") { c in
            let spans = c.request.measures.enumerated().compactMap { i, m in m.period?.years.map { (i, m, $0) } }
            guard let top = spans.max(by: { $0.2 < $1.2 }) else { return .unknown("no measure states the time range of what it seeks") }
            return .number(top.2, [c.field("/measures/\(top.0)/period", "measure.records_span_years",
                                           "\(top.1.period!.from!) to \(top.1.period!.to!)")])
        },
        fact("measure.years_beyond_offences", .number,
             "How many years the records sought reach outside the offence periods (before the first, after the last).",
             settle: "the offence periods and the time range of the records sought") { c in
            let starts = c.request.offences.compactMap { $0.period?.from }, ends = c.request.offences.compactMap { $0.period?.to }
            guard let first = starts.min(), let last = ends.max() else { return .unknown("the offence periods are not stated") }
            let spans = c.request.measures.enumerated().compactMap { i, m -> (Int, Day, Day)? in
                guard let from = m.period?.from, let to = m.period?.to else { return nil }
                return (i, from, to)
            }
            guard !spans.isEmpty else { return .unknown("no measure states the time range of what it seeks") }
            let beyond = spans.map { ($0.0, max(0, $0.1.years(to: first)) + max(0, last.years(to: $0.2)), $0.1, $0.2) }
            let top = beyond.max { $0.1 < $1.1 }!
            return .number(top.1, [c.field("/measures/\(top.0)/period", "measure.years_beyond_offences",
                                           "records \(top.2) to \(top.3); offences \(first) to \(last)")])
        },
        fact("measure.foreign_officials", .bool, "Whether officials of the requesting state ask to attend or take part.") { c in
            let hits = c.request.measures.enumerated().filter { $1.type == .presenceOfForeignOfficials }
            return .bool(!hits.isEmpty, hits.map { c.field("/measures/\($0)/type", "measure.foreign_officials", $1.description ?? $1.type.rawValue) })
        },
        fact("measure.targets_relatives", .bool, "Whether a measure is aimed at a relative of the subject.") { c in
            var evidence: [Evidence] = []
            for (i, m) in c.request.measures.enumerated() {
                for (j, id) in m.targets.enumerated() where c.request.person(id: id)?.role == .relative {
                    evidence.append(c.field("/measures/\(i)/targets/\(j)", "measure.targets_relatives",
                                            "\(m.type.rawValue) aimed at \(c.request.person(id: id)!.displayName)"))
                }
            }
            return .bool(!evidence.isEmpty, evidence)
        },
        fact("measure.surrender_sought", .bool, "Whether the person's arrest or surrender is sought.") { c in
            let hits = c.request.measures.enumerated().filter { [.arrest, .provisionalArrest, .surrender].contains($1.type) }
            if c.request.instrument.seeksSurrender {
                return .bool(true, [c.field("/instrument", "measure.surrender_sought", c.request.instrument.rawValue)])
            }
            return .bool(!hits.isEmpty, hits.map { c.field("/measures/\($0)/type", "measure.surrender_sought", $1.type.rawValue) })
        },

        // MARK: decision, assurances, earlier requests
        fact("decision.stated", .bool, "Whether the request rests on a stated warrant, detention order, indictment or judgment.") { c in
            guard let d = c.request.decision, d.kind != .none else {
                return .bool(false, [c.field("/decision", "decision.stated", "no decision stated")])
            }
            return .bool(true, [c.field("/decision/kind", "decision.stated", "\(d.kind.rawValue)\(d.date.map { " of \($0)" } ?? "")")])
        },
        fact("decision.kind", .string, "The kind of decision the request rests on: arrest_warrant, detention_order, indictment, judgment or none.",
             settle: "the warrant or judgment itself") { c in
            guard let d = c.request.decision else { return .unknown("the request states no decision") }
            return .known(.string(d.kind.rawValue), [c.field("/decision/kind", "decision.kind", d.kind.rawValue)])
        },
        fact("decision.in_absentia", .bool, "Whether the decision was given in the person's absence.",
             settle: "whether the person was present at the decision") { c in
            guard let d = c.request.decision, d.kind != .none else { return .unknown("the request states no decision") }
            guard let absentia = d.inAbsentia else { return .unknown("the request does not say whether the decision was given in absentia") }
            return .bool(absentia, [c.field("/decision/inAbsentia", "decision.in_absentia",
                                            "\(d.kind.rawValue)\(d.authority.map { " by \($0)" } ?? "") in absentia: \(absentia)")])
        },
        fact("assurance.kinds", .strings,
             "Kinds of assurance the requesting state gives; a retrial the law guarantees for the decision (format 2.0) counts as a retrial assurance.") { c in
            var kinds = c.request.assurances.map(\.kind.rawValue)
            var evidence = c.request.assurances.enumerated().map {
                c.field("/assurances/\($0)/kind", "assurance.kinds", "\($1.kind.rawValue)\($1.text.map { ": \($0)" } ?? "")")
            }
            if c.request.decision?.retrialGuaranteed == true && !kinds.contains(AssuranceKind.retrial.rawValue) {
                kinds.append(AssuranceKind.retrial.rawValue)
                evidence.append(c.field("/decision/retrialGuaranteed", "assurance.kinds", "retrial guaranteed by law"))
            }
            return .strings(kinds, evidence)
        },
        fact("linked.refused", .bool, "Whether the request mentions an earlier request that was refused.") { c in
            let hits = c.request.linkedRequests.enumerated().filter { $1.outcome == .refused }
            return .bool(!hits.isEmpty, hits.map { c.field("/linkedRequests/\($0)", "linked.refused",
                                                          "\($1.reference) (\($1.state)\($1.date.map { ", \($0)" } ?? "")): refused\($1.grounds.map { ": \($0)" } ?? "")") })
        },
        fact("linked.interpol_deleted", .bool, "Whether the request mentions an INTERPOL notice or diffusion that was deleted.") { c in
            let hits = c.request.linkedRequests.enumerated().filter { $1.outcome == .deleted }
            return .bool(!hits.isEmpty, hits.map { c.field("/linkedRequests/\($0)", "linked.interpol_deleted",
                                                          "\($1.reference)\($1.date.map { " (\($0))" } ?? ""): deleted\($1.grounds.map { ": \($0)" } ?? "")") })
        },
    ]
}
