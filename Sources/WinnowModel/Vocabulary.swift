// The closed vocabularies of the request format. Raw values are what the XML and JSON carry; the
// schemas (Sources/WinnowIntake/Schemas) list the same values and a test keeps them in step.

/// A string-backed vocabulary whose every value the schemas enumerate.
public protocol Vocabulary: RawRepresentable, CaseIterable, Sendable, Hashable, Codable
where RawValue == String {}

public enum Instrument: String, Vocabulary {
    case mla                  // mutual legal assistance (letters rogatory), 1959 Convention or bilateral
    case eio                  // European Investigation Order, Directive 2014/41/EU
    case extradition          // 1957 Convention or bilateral treaty
    case eaw                  // European Arrest Warrant, FD 2002/584/JHA
    case interpolRedNotice = "interpol_red_notice"
    case interpolDiffusion = "interpol_diffusion"

    public var isInterpol: Bool { self == .interpolRedNotice || self == .interpolDiffusion }
    /// Instruments that seek the person's arrest and surrender.
    public var seeksSurrender: Bool { self == .extradition || self == .eaw || isInterpol }
}

public enum TransmissionChannel: String, Vocabulary {
    case diplomatic
    case centralAuthority = "central_authority"
    case interpol
    case direct
}

public enum AuthorityKind: String, Vocabulary {
    case court, prosecutor, police, ministry, other
    public var isJudicial: Bool { self == .court }
}

public enum OffenceCategory: String, Vocabulary {
    case moneyLaundering = "money_laundering"
    case embezzlement
    case fraud
    case tax
    case corruption
    case extremism
    case terrorism
    case incitement
    case publicOrder = "public_order"
    case defamation
    case drugs
    case violence
    case homicide
    /// Genocide, crimes against humanity, war crimes: the crimes of Refugee Convention Art 1F(a).
    case internationalCrime = "international_crime"
    case sexualOffence = "sexual_offence"
    case cyber
    case organisedCrime = "organised_crime"
    case trafficking
    case theft
    case other
    // Format 2.0
    case rebellionSeditionTreason = "rebellion_sedition_treason"
    case hooliganism
    /// Breach of sanctions, embargoes or export controls.
    case sanctionsExportControl = "sanctions_export_control"
}

public enum PersonRole: String, Vocabulary {
    case subject, relative, witness, lawyer
    case holder            // holder of material sought (a bank, a firm, a person)
    case other
}

public enum Occupation: String, Vocabulary {
    case lawyer
    case journalist
    case doctor
    case humanRightsDefender = "human_rights_defender"
    case activist
    case oppositionPolitician = "opposition_politician"
    case politician
    case businessperson
    case publicOfficial = "public_official"
    case other
    // Format 2.0
    case writer, academic, athlete
    case formerOfficial = "former_official"
    case securityStaff = "security_staff"
    case religiousFigure = "religious_figure"
    case oppositionAssociate = "opposition_associate"
    case dissidentRelative = "dissident_relative"
}

/// What a requesting state did to a relative of the subject (format 2.0).
public enum PersecutionAction: String, Vocabulary {
    case detained, charged, convicted, deported
    case travelBan = "travel_ban"
    case interrogated, disappeared, dismissed, other
}

/// How an earlier prosecution of the subject ended (format 2.0).
public enum OutcomeKind: String, Vocabulary {
    case acquittal, pardon, amnesty
    case sentenceServed = "sentence_served"
    case discontinued, conviction
}

public enum Relation: String, Vocabulary {
    case sibling, parent, child, spouse, partner, relative, associate
}

public enum PartyRole: String, Vocabulary {
    case complainant
    case injuredParty = "injured_party"
    case civilParty = "civil_party"
}

public enum PartyKind: String, Vocabulary {
    case stateBody = "state_body"
    case stateOwnedEnterprise = "state_owned_enterprise"
    case stateControlledEnterprise = "state_controlled_enterprise"
    case privateCompany = "private_company"
    case individual
    case unknown

    /// A party that the requesting state owns, controls or is.
    public var isStateLinked: Bool {
        self == .stateBody || self == .stateOwnedEnterprise || self == .stateControlledEnterprise
    }
}

public enum MeasureType: String, Vocabulary {
    case arrest
    case provisionalArrest = "provisional_arrest"
    case surrender
    case searchPremises = "search_premises"
    case seizureDevices = "seizure_devices"
    case seizureDocuments = "seizure_documents"
    case bankRecords = "bank_records"
    case communicationsData = "communications_data"
    case interception
    case testimony
    case serviceOfDocuments = "service_of_documents"
    case assetFreeze = "asset_freeze"
    case presenceOfForeignOfficials = "presence_of_foreign_officials"
    case identification
    case locateTrace = "locate_trace"
    case other

    /// Coercive measures that interfere with home, correspondence or property (ECHR Art 8, A1P1).
    public var isCoercive: Bool {
        switch self {
        case .searchPremises, .seizureDevices, .seizureDocuments, .bankRecords, .communicationsData,
             .interception, .assetFreeze, .arrest, .provisionalArrest, .surrender: return true
        default: return false
        }
    }
}

public enum Premises: String, Vocabulary {
    case home, office
    case lawFirm = "law_firm"
    case newsroom
    case medicalPractice = "medical_practice"
    case vehicle
    case other
}

public enum ItemKind: String, Vocabulary {
    case devices
    case legalFiles = "legal_files"
    case clientData = "client_data"
    case communications
    case bankRecords = "bank_records"
    case businessRecords = "business_records"
    case personalDocuments = "personal_documents"
    case journalisticMaterial = "journalistic_material"
    case medicalRecords = "medical_records"
    case cloudAccounts = "cloud_accounts"
    case other

    /// Material protected by professional secrecy (lawyers, journalists, doctors).
    public var isPrivileged: Bool {
        switch self {
        case .legalFiles, .clientData, .journalisticMaterial, .medicalRecords: return true
        default: return false
        }
    }
}

public enum Safeguard: String, Vocabulary {
    case judicialWarrant = "judicial_warrant"
    case laterJudicialReview = "later_judicial_review"
    case independentObserver = "independent_observer"
    case barRepresentative = "bar_representative"
    case privilegeFiltering = "privilege_filtering"
    case limitedSearchTerms = "limited_search_terms"
    case presenceOfPerson = "presence_of_person"
}

public enum DecisionKind: String, Vocabulary {
    case arrestWarrant = "arrest_warrant"
    case detentionOrder = "detention_order"
    case indictment
    case judgment
    case none
}

public enum AssuranceKind: String, Vocabulary {
    case deathPenalty = "death_penalty"
    case torture
    case fairTrial = "fair_trial"
    case prisonConditions = "prison_conditions"
    case speciality
    case retrial
}

public enum LinkedOutcome: String, Vocabulary {
    case refused, executed
    case partlyExecuted = "partly_executed"
    case pending, withdrawn
    case deleted          // an INTERPOL notice or diffusion deleted (CCF or General Secretariat)
    case unknown
}

/// What another state or an international body decided about the subject (format 2.0).
public enum ThirdPartyDecisionKind: String, Vocabulary {
    case refusal, release
    case interpolDeletion = "interpol_deletion"
    case rule39
    case unOpinion = "un_opinion"
    case courtFinding = "court_finding"
    case other
}

/// Something the subject did in public (format 2.0).
public enum ActivityKind: String, Vocabulary {
    case election, report, protest, campaign, publication, testimony, other
}

/// The kind of a protection another state granted (format 2.0).
public enum ProtectionKind: String, Vocabulary {
    case refugee, subsidiary, asylum, humanitarian, other
}

/// How the requested state knows of a protection another state granted (format 2.0).
public enum KnownFrom: String, Vocabulary {
    case subjectStatement = "subject_statement"
    case euRecords = "eu_records"
    case schengenRecords = "schengen_records"
    case unhcr
    case grantingState = "granting_state"
    case court, other

    /// Known from a record or an authority, not only from what the subject says.
    public var isVerified: Bool { self != .subjectStatement && self != .other }
}

/// What became of a co-accused (format 2.0).
public enum CoAccusedOutcome: String, Vocabulary {
    case protected
    case extraditionRefused = "extradition_refused"
    case acquitted, released, convicted
    case atLarge = "at_large"
    case unknown
}

/// A change of citizenship (format 2.0).
public enum CitizenshipChange: String, Vocabulary {
    case revoked, acquired
}

/// What a provisional arrest rested on (format 2.0).
public enum ArrestBasis: String, Vocabulary {
    case redNotice = "red_notice"
    case diffusion
    case bilateralRequest = "bilateral_request"
    case other
}

/// Whom an INTERPOL notice or diffusion is addressed to (format 2.0).
public enum Addressee: String, Vocabulary {
    case requestedState = "requested_state"
    case allMemberStates = "all_member_states"
}
