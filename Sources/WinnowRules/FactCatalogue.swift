import WinnowModel

/// The catalogue of facts the rules may use: `winnow facts` lists it.
public struct FactCatalogue: Sendable {
    public let definitions: [FactDefinition]
    private let index: [String: Int]

    public init(definitions: [FactDefinition]) {
        self.definitions = definitions
        var index: [String: Int] = [:]
        for (i, d) in definitions.enumerated() { index[d.name] = i }
        self.index = index
    }

    public subscript(name: String) -> FactDefinition? { index[name].map { definitions[$0] } }

    /// Where the fact stands in `definitions`.
    func position(of name: String) -> Int? { index[name] }

    public static let standard = FactCatalogue(definitions: requestFacts + profileFacts + registryFacts + batchFacts)

    /// Links across a batch. A request screened alone has no other request in its batch: "no".
    static func batchFact(_ name: String, _ description: String) -> FactDefinition {
        FactDefinition(name, .bool, .batch, description, settle: "screening the related requests together in one batch") { context in
            context.batchFacts[name] ?? .bool(false)
        }
    }

    static let batchFacts: [FactDefinition] = [
        batchFact("batch.case_number_other_state", "Whether a foreign case number of this request appears in a request from another state in the same batch."),
        batchFact("batch.subject_other_state", "Whether this request's subject is the subject of a request from another state in the same batch."),
        batchFact("batch.complainant_other_state", "Whether this request's complainant or injured party appears in a request from another state in the same batch."),
    ]

    // MARK: Profile and registry facts: delegated to their sources, unknown without them.

    static func delegated(_ name: String, _ type: FactType, _ source: FactSource, _ description: String,
                          settle: String) -> FactDefinition {
        FactDefinition(name, type, source, description, settle: settle) { context in
            switch source {
            case .profile:
                guard let profiles = context.profiles else { return .unknown("no requesting-state profiles were loaded") }
                return profiles.fact(name, context: context)
            case .registry:
                guard context.registry != nil else { return .unknown("no domestic registry was given (--registry)") }
                return context.registryFacts[name] ?? .unknown("the registry does not provide \(name)")
            case .request, .batch:
                return .unknown("internal: \(source.rawValue) facts are not delegated")
            }
        }
    }

    static let profileSettle = "the requesting state's profile in Rules/profiles (Freedom House, V-Dem, treaty status, documented findings)"

    static let profileFacts: [FactDefinition] = [
        delegated("profile.fiw_status", .string, .profile,
                  "Freedom in the World status of the requesting state (Free, Partly Free, Not Free), latest edition public at the as-of date.",
                  settle: profileSettle),
        delegated("profile.fiw_score", .number, .profile,
                  "Freedom in the World aggregate score (0-100) of the requesting state, latest edition public at the as-of date.",
                  settle: profileSettle),
        delegated("profile.vdem_libdem", .number, .profile,
                  "V-Dem Liberal Democracy Index (0-1) of the requesting state, latest year published at the as-of date.",
                  settle: profileSettle),
        delegated("profile.tnr_origin", .string, .profile,
                  "Whether Freedom House names the requesting state as an origin of transnational repression: yes, or unverified.",
                  settle: profileSettle),
        delegated("profile.echr_party", .bool, .profile,
                  "Whether the requesting state is a party to the ECHR at the as-of date.", settle: profileSettle),
        delegated("profile.extradition_convention_party", .bool, .profile,
                  "Whether the requesting state is a party to the European Convention on Extradition (1957).", settle: profileSettle),
        delegated("profile.mla_convention_party", .bool, .profile,
                  "Whether the requesting state is a party to the European Convention on Mutual Assistance in Criminal Matters (1959).",
                  settle: profileSettle),
        delegated("profile.cat_party", .bool, .profile,
                  "Whether the requesting state is a party to the UN Convention against Torture.", settle: profileSettle),
        delegated("profile.abuse_findings", .number, .profile,
                  "Number of documented findings of abuse of INTERPOL, extradition or MLA by the requesting state, dated on or before the as-of date.",
                  settle: profileSettle),
        delegated("profile.related_states_not_free", .strings, .profile,
                  "Other states the request relays (transit, case, party or offence state) that Freedom House rates Not Free.",
                  settle: profileSettle),
    ]

    static let registrySettle = "the requested state's domestic records: asylum and protection files, domestic cases, earlier requests"

    static let registryFacts: [FactDefinition] = [
        delegated("registry.protection_status", .string, .registry,
                  "The subject's protection status in domestic records: refugee, subsidiary, pending, or none.",
                  settle: "the asylum authority's record of the subject"),
        delegated("registry.protected_against_requesting_state", .bool, .registry,
                  "Whether the subject holds refugee or subsidiary protection (granted, not merely claimed) against the requesting state or a state on whose behalf the request is made (a state of its foreign cases, complainants, injured parties, offences or transit).",
                  settle: "the asylum authority's record of the subject"),
        delegated("registry.protection_claim_pending", .bool, .registry,
                  "Whether the subject has a pending asylum claim (no decision yet) against the requesting state or a state on whose behalf the request is made.",
                  settle: "the asylum authority's record of the subject"),
        delegated("registry.days_since_protection", .number, .registry,
                  "Days from the grant of protection to the receipt of this request.", settle: "the asylum authority's record of the subject"),
        delegated("registry.subject_victim_of_complainant", .bool, .registry,
                  "Whether the subject is the victim in a domestic case whose defendants acted for the complainant or the requesting state.",
                  settle: "domestic criminal case files"),
        delegated("registry.case_number_seen_elsewhere", .bool, .registry,
                  "Whether a foreign case number of this request appears in earlier requests from another state, or in a relative's case.",
                  settle: "the register of earlier requests and domestic cases"),
        delegated("registry.prior_refusal", .bool, .registry,
                  "Whether an earlier request about the same subject or case was refused.", settle: "the register of earlier requests"),
        delegated("registry.interpol_deletion", .bool, .registry,
                  "Whether an INTERPOL notice or diffusion about the subject was deleted.", settle: "INTERPOL / NCB correspondence on file"),
        delegated("registry.interpol_refusal", .bool, .registry,
                  "Whether INTERPOL refused to publish, or refused to record, a notice or diffusion about the subject.",
                  settle: "INTERPOL / NCB correspondence on file"),
        delegated("registry.relatives_persecuted", .bool, .registry,
                  "Whether domestic records show the requesting state detained, charged, deported or barred a relative of the subject.",
                  settle: "the subject's asylum file and the relatives' records"),
        delegated("registry.third_party_refused_or_released", .bool, .registry,
                  "Whether domestic records show another state refused the subject's extradition or released them.",
                  settle: "correspondence with other states' authorities"),
        delegated("registry.interim_measure", .bool, .registry,
                  "Whether domestic records show an ECtHR interim measure (Rule 39) for the subject.", settle: "the government agent's file at the ECtHR"),
        delegated("registry.independent_finding", .bool, .registry,
                  "Whether domestic records show an opinion of a UN body or a court's finding about the subject's case.",
                  settle: "the subject's file and UN communications"),
        delegated("registry.final_outcome_same_case", .bool, .registry,
                  "Whether domestic records show the subject was finally acquitted, pardoned or amnestied, or served the sentence, in a case the request relies on (same case number).",
                  settle: "earlier requests' files and the subject's asylum file"),
        delegated("registry.subject_sought_by_other_state", .bool, .registry,
                  "Whether an earlier request from another state concerned the same registry person, whatever its case number.",
                  settle: "the register of earlier requests"),
        delegated("registry.complainant_state_controlled", .bool, .registry,
                  "Whether domestic records mark the complainant as owned or controlled by the requesting state.",
                  settle: "the registry of organisations"),
        delegated("registry.complainant_claims_dismissed", .bool, .registry,
                  "Whether the complainant's domestic complaints against the subject were dismissed.", settle: "domestic civil and criminal case files"),
    ]
}
