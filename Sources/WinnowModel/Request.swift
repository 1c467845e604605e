/// A request for legal cooperation as received: the canonical model behind both the XML and the
/// JSON form. Every value's origin is in `sources`, found by canonical JSON Pointer.
public struct Request: Sendable, Hashable {
    public var formatVersion: String
    public var id: String
    public var instrument: Instrument
    public var legalBasis: String?
    public var receivedDate: Day
    public var requestingState: String
    public var requestedState: String
    public var transmission: Transmission
    public var issuingAuthority: Authority
    public var reference: String?
    public var caseReferences: [CaseReference]
    public var offences: [Offence]
    public var summaryOfFacts: String?
    public var persons: [Person]
    public var parties: [Party]
    public var measures: [Measure]
    public var decision: Decision?
    public var assurances: [Assurance]
    public var linkedRequests: [LinkedRequest]
    /// Whether the person concerned consents (to surrender, or to the measure). Absent = not stated.
    public var consent: Bool?
    /// Format 2.0: relatives the requesting state persecuted, and earlier outcomes of the subject's cases.
    public var relativesPersecuted: [PersecutedRelative] = []
    public var earlierOutcomes: [EarlierOutcome] = []
    /// Format 2.0: decisions about the subject by other states and international bodies, and the subject's public activity.
    public var thirdPartyDecisions: [ThirdPartyDecision] = []
    public var publicActivities: [PublicActivity] = []
    /// Format 2.0: protections other states granted the subject, and co-accused with their fate.
    public var protectionsElsewhere: [ProtectionElsewhere] = []
    public var coAccused: [CoAccused] = []
    /// Format 2.0: the provisional arrest before this formal request, and the addressee of an INTERPOL notice.
    public var provisionalArrest: ProvisionalArrest?
    /// Format 2.0: the case's other warrants, judgments and indictments.
    public var otherDecisions: [Decision] = []
    public var addressedTo: Addressee?
    /// Format 2.0: dates given only to the month or the year, by canonical pointer. The date field
    /// itself holds the earliest day; facts that compare it read the range from here.
    public var approximateDates: [String: DateRange] = [:]
    /// Where each value came from. Excluded from equality so that the XML and JSON forms of one
    /// request compare equal.
    public var sources: SourceMap

    public init(formatVersion: String, id: String, instrument: Instrument, legalBasis: String? = nil,
                receivedDate: Day, requestingState: String, requestedState: String,
                transmission: Transmission, issuingAuthority: Authority, reference: String? = nil,
                caseReferences: [CaseReference] = [], offences: [Offence] = [], summaryOfFacts: String? = nil,
                persons: [Person] = [], parties: [Party] = [], measures: [Measure] = [],
                decision: Decision? = nil, assurances: [Assurance] = [], linkedRequests: [LinkedRequest] = [],
                consent: Bool? = nil, sources: SourceMap = SourceMap()) {
        self.formatVersion = formatVersion
        self.id = id
        self.instrument = instrument
        self.legalBasis = legalBasis
        self.receivedDate = receivedDate
        self.requestingState = requestingState
        self.requestedState = requestedState
        self.transmission = transmission
        self.issuingAuthority = issuingAuthority
        self.reference = reference
        self.caseReferences = caseReferences
        self.offences = offences
        self.summaryOfFacts = summaryOfFacts
        self.persons = persons
        self.parties = parties
        self.measures = measures
        self.decision = decision
        self.assurances = assurances
        self.linkedRequests = linkedRequests
        self.consent = consent
        self.sources = sources
    }

    public static func == (a: Request, b: Request) -> Bool {
        var a2 = a, b2 = b
        a2.sources = SourceMap()
        b2.sources = SourceMap()
        return a2.contentEquals(b2)
    }

    public func hash(into hasher: inout Hasher) { hasher.combine(id); hasher.combine(receivedDate) }

    private func contentEquals(_ other: Request) -> Bool {
        formatVersion == other.formatVersion && id == other.id && instrument == other.instrument
            && legalBasis == other.legalBasis && receivedDate == other.receivedDate
            && requestingState == other.requestingState && requestedState == other.requestedState
            && transmission == other.transmission && issuingAuthority == other.issuingAuthority
            && reference == other.reference && caseReferences == other.caseReferences
            && offences == other.offences && summaryOfFacts == other.summaryOfFacts
            && persons == other.persons && parties == other.parties && measures == other.measures
            && decision == other.decision && assurances == other.assurances
            && linkedRequests == other.linkedRequests && consent == other.consent
            && relativesPersecuted == other.relativesPersecuted && earlierOutcomes == other.earlierOutcomes
            && approximateDates == other.approximateDates
            && thirdPartyDecisions == other.thirdPartyDecisions && publicActivities == other.publicActivities
            && protectionsElsewhere == other.protectionsElsewhere && coAccused == other.coAccused
            && provisionalArrest == other.provisionalArrest && addressedTo == other.addressedTo
            && otherDecisions == other.otherDecisions
    }

    /// The persons the request is about (role `subject`).
    public var subjects: [Person] { persons.filter { $0.role == .subject } }

    public func person(id: String) -> Person? { persons.first { $0.id == id } }
}

public struct Transmission: Sendable, Hashable, Codable {
    public var channel: TransmissionChannel
    /// States the request passed through on its way (ISO 3166-1 alpha-2), in order.
    public var via: [String]
    public init(channel: TransmissionChannel, via: [String] = []) {
        self.channel = channel
        self.via = via
    }
}

public struct Authority: Sendable, Hashable, Codable {
    public var name: String
    public var kind: AuthorityKind
    public var state: String?
    public init(name: String, kind: AuthorityKind, state: String? = nil) {
        self.name = name
        self.kind = kind
        self.state = state
    }
}

public struct CaseReference: Sendable, Hashable, Codable {
    public var number: String
    public var authority: String?
    public var state: String
    /// Ids of persons in this request whom that case concerns (a relative's case, say).
    public var concerns: [String]
    public init(number: String, authority: String? = nil, state: String, concerns: [String] = []) {
        self.number = number
        self.authority = authority
        self.state = state
        self.concerns = concerns
    }
}

public struct Period: Sendable, Hashable, Codable {
    public var from: Day?
    public var to: Day?
    public init(from: Day? = nil, to: Day? = nil) {
        self.from = from
        self.to = to
    }
    /// Length in years when both ends are known.
    public var years: Double? {
        guard let from, let to else { return nil }
        return from.years(to: to)
    }
}

public struct Offence: Sendable, Hashable, Codable {
    public var id: String
    public var label: String
    public var category: OffenceCategory
    public var provision: String?
    public var period: Period?
    public var place: String?
    public var placeState: String?
    /// Maximum penalty the provision carries, in months of deprivation of liberty.
    public var maxPenaltyMonths: Int?
    /// For enforcement of a sentence: what remains to be served, in months.
    public var remainingSentenceMonths: Int?
    /// (2.0) The value of the harm alleged, as the request states it.
    public var harm: Money?
    public init(id: String, label: String, category: OffenceCategory, provision: String? = nil,
                period: Period? = nil, place: String? = nil, placeState: String? = nil,
                maxPenaltyMonths: Int? = nil, remainingSentenceMonths: Int? = nil, harm: Money? = nil) {
        self.id = id
        self.label = label
        self.category = category
        self.provision = provision
        self.period = period
        self.place = place
        self.placeState = placeState
        self.maxPenaltyMonths = maxPenaltyMonths
        self.remainingSentenceMonths = remainingSentenceMonths
        self.harm = harm
    }
}

/// An amount in whole units of a currency, as a document states it. Winnow never converts it: no
/// exchange rate is part of its reference data.
public struct Money: Sendable, Hashable, Codable, CustomStringConvertible {
    public var amount: Int
    /// ISO 4217.
    public var currency: String
    public init(amount: Int, currency: String) {
        self.amount = amount
        self.currency = currency
    }
    /// "6,000,000,000 USD": digits grouped by thousands, then the code.
    public var description: String {
        let digits = Array(String(amount))
        var grouped = ""
        for (i, d) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { grouped.append(",") }
            grouped.append(d)
        }
        return "\(grouped) \(currency)"
    }
}

public struct PersonName: Sendable, Hashable, Codable {
    public var text: String
    /// ISO 15924 script code (`Latn`, `Cyrl`, `Arab`, ...), when stated.
    public var script: String?
    public init(text: String, script: String? = nil) {
        self.text = text
        self.script = script
    }
}

public struct Residence: Sendable, Hashable, Codable {
    public var state: String
    public var place: String?
    public var since: Day?
    public init(state: String, place: String? = nil, since: Day? = nil) {
        self.state = state
        self.place = place
        self.since = since
    }
}

public struct Person: Sendable, Hashable, Codable {
    public var id: String
    public var role: PersonRole
    public var names: [PersonName]
    public var birthDate: Day?
    public var nationalities: [String]
    /// Format 1.0: one occupation.
    public var occupation: Occupation?
    /// Format 2.0: every occupation and role that applies.
    public var occupations: [Occupation] = []
    /// Format 2.0: citizenship revoked or acquired.
    public var citizenshipChanges: [CitizenshipRecord] = []
    public var profession: String?
    public var residence: Residence?
    /// For relatives and associates: whom they relate to, and how.
    public var relatedTo: String?
    public var relation: Relation?
    public init(id: String, role: PersonRole, names: [PersonName], birthDate: Day? = nil,
                nationalities: [String] = [], occupation: Occupation? = nil, occupations: [Occupation] = [],
                profession: String? = nil, residence: Residence? = nil, relatedTo: String? = nil, relation: Relation? = nil) {
        self.id = id
        self.role = role
        self.names = names
        self.birthDate = birthDate
        self.nationalities = nationalities
        self.occupation = occupation
        self.occupations = occupations
        self.profession = profession
        self.residence = residence
        self.relatedTo = relatedTo
        self.relation = relation
    }

    /// The first name given, as the request spells it.
    public var displayName: String { names.first?.text ?? id }
}

public struct Party: Sendable, Hashable, Codable {
    public var id: String
    public var role: PartyRole
    public var name: String
    public var kind: PartyKind
    public var state: String?
    public init(id: String, role: PartyRole, name: String, kind: PartyKind, state: String? = nil) {
        self.id = id
        self.role = role
        self.name = name
        self.kind = kind
        self.state = state
    }
}

public struct Measure: Sendable, Hashable, Codable {
    public var id: String
    public var type: MeasureType
    public var premises: Premises?
    /// Ids of persons in this request the measure targets.
    public var targets: [String]
    /// What is sought, in the request's words.
    public var items: [String]
    public var itemKinds: [ItemKind]
    /// The time range of records sought.
    public var period: Period?
    public var safeguards: [Safeguard]
    public var description: String?
    public init(id: String, type: MeasureType, premises: Premises? = nil, targets: [String] = [],
                items: [String] = [], itemKinds: [ItemKind] = [], period: Period? = nil,
                safeguards: [Safeguard] = [], description: String? = nil) {
        self.id = id
        self.type = type
        self.premises = premises
        self.targets = targets
        self.items = items
        self.itemKinds = itemKinds
        self.period = period
        self.safeguards = safeguards
        self.description = description
    }
}

public struct Decision: Sendable, Hashable, Codable {
    public var kind: DecisionKind
    public var date: Day?
    public var authority: String?
    public var reference: String?
    public var inAbsentia: Bool?
    /// Format 2.0: for a judgment in absentia, whether a retrial in the person's presence is guaranteed.
    public var retrialGuaranteed: Bool?
    public init(kind: DecisionKind, date: Day? = nil, authority: String? = nil, reference: String? = nil,
                inAbsentia: Bool? = nil, retrialGuaranteed: Bool? = nil) {
        self.kind = kind
        self.date = date
        self.authority = authority
        self.reference = reference
        self.inAbsentia = inAbsentia
        self.retrialGuaranteed = retrialGuaranteed
    }
}

public struct Assurance: Sendable, Hashable, Codable {
    public var kind: AssuranceKind
    public var text: String?
    public var givenBy: String?
    public init(kind: AssuranceKind, text: String? = nil, givenBy: String? = nil) {
        self.kind = kind
        self.text = text
        self.givenBy = givenBy
    }
}

public struct LinkedRequest: Sendable, Hashable, Codable {
    public var reference: String
    public var state: String
    public var instrument: Instrument?
    public var date: Day?
    public var outcome: LinkedOutcome
    public var grounds: String?
    public init(reference: String, state: String, instrument: Instrument? = nil, date: Day? = nil,
                outcome: LinkedOutcome, grounds: String? = nil) {
        self.reference = reference
        self.state = state
        self.instrument = instrument
        self.date = date
        self.outcome = outcome
        self.grounds = grounds
    }
}

extension Person {
    /// Every occupation the person is given, with the pointer under the person where it stands
    /// (`occupation` in format 1.0, `occupations/N` in 2.0).
    public var allOccupations: [(occupation: Occupation, field: String)] {
        (occupation.map { [($0, "occupation")] } ?? []) + occupations.enumerated().map { ($1, "occupations/\($0)") }
    }

    public func has(_ occupation: Occupation) -> Bool { allOccupations.contains { $0.occupation == occupation } }
}

/// A relative of the subject whom the requesting state detained, charged, deported or barred (2.0).
public struct PersecutedRelative: Sendable, Hashable, Codable {
    public var relation: Relation
    /// The relative's person id in this request, when named there.
    public var person: String?
    public var name: String?
    public var action: PersecutionAction
    public var date: Day?
    public var byState: String?
    public var description: String?
    public init(relation: Relation, person: String? = nil, name: String? = nil, action: PersecutionAction, date: Day? = nil,
                byState: String? = nil, description: String? = nil) {
        self.relation = relation
        self.person = person
        self.name = name
        self.action = action
        self.date = date
        self.byState = byState
        self.description = description
    }
}

/// How an earlier prosecution of the subject ended, and whether it was reopened (2.0).
public struct EarlierOutcome: Sendable, Hashable, Codable {
    public var kind: OutcomeKind
    public var date: Day?
    public var authority: String?
    public var caseReference: String?
    /// The case the request rests on (true) or a related one (false); nil when not said.
    public var sameCase: Bool?
    public var reopened: Bool?
    public var reopenedDate: Day?
    public init(kind: OutcomeKind, date: Day? = nil, authority: String? = nil, caseReference: String? = nil,
                sameCase: Bool? = nil, reopened: Bool? = nil, reopenedDate: Day? = nil) {
        self.kind = kind
        self.date = date
        self.authority = authority
        self.caseReference = caseReference
        self.sameCase = sameCase
        self.reopened = reopened
        self.reopenedDate = reopenedDate
    }

    /// An outcome that closes a case for good: a later prosecution for the same acts is ne bis in idem.
    public var isFinal: Bool { kind != .conviction && kind != .discontinued }
}

extension Request {
    /// A date as the request gives it: `2013` or `2013-07` when it is known only to the year or month
    /// (the field holds the earliest day), the full date otherwise.
    public func dateText(_ day: Day, at pointer: String) -> String {
        approximateDates[pointer]?.text ?? day.description
    }
}

/// A date known only to the month or the year: its first and last possible day.
public struct DateRange: Sendable, Hashable, Codable, CustomStringConvertible {
    public enum Precision: String, Sendable, Hashable, Codable { case month, year }
    public var earliest: Day
    public var latest: Day
    public var precision: Precision
    /// As written: `2013` or `2013-07`.
    public var text: String

    public init(earliest: Day, latest: Day, precision: Precision, text: String) {
        self.earliest = earliest
        self.latest = latest
        self.precision = precision
        self.text = text
    }

    /// Parses `YYYY` or `YYYY-MM` (nil for anything else, a full date included).
    public init?(_ text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard let year = Int(parts[0]), parts[0].count == 4 else { return nil }
        switch parts.count {
        case 1:
            guard let first = Day(year: year, month: 1, day: 1), let last = Day(year: year, month: 12, day: 31) else { return nil }
            self.init(earliest: first, latest: last, precision: .year, text: text)
        case 2:
            guard parts[1].count == 2, let month = Int(parts[1]), let first = Day(year: year, month: month, day: 1),
                  let last = Day(year: year, month: month, day: Day.daysIn(month: month, year: year)) else { return nil }
            self.init(earliest: first, latest: last, precision: .month, text: text)
        default:
            return nil
        }
    }

    public var description: String { "\(text) (known to the \(precision.rawValue))" }
}

/// A decision about the subject by another state or an international body (2.0).
public struct ThirdPartyDecision: Sendable, Hashable, Codable {
    public var kind: ThirdPartyDecisionKind
    public var body: String
    public var state: String?
    public var date: Day?
    public var reference: String?
    public var grounds: String?
    public init(kind: ThirdPartyDecisionKind, body: String, state: String? = nil, date: Day? = nil, reference: String? = nil,
                grounds: String? = nil) {
        self.kind = kind
        self.body = body
        self.state = state
        self.date = date
        self.reference = reference
        self.grounds = grounds
    }
}

/// Something the subject did in public, with its date (2.0).
public struct PublicActivity: Sendable, Hashable, Codable {
    public var kind: ActivityKind
    public var date: Day
    public var description: String?
    public init(kind: ActivityKind, date: Day, description: String? = nil) {
        self.kind = kind
        self.date = date
        self.description = description
    }
}

/// A protection another state granted the subject, and how the requested state knows of it (2.0).
public struct ProtectionElsewhere: Sendable, Hashable, Codable {
    public var state: String
    public var kind: ProtectionKind
    /// The state it protects against; the requesting state when absent.
    public var against: String?
    public var date: Day?
    public var knownFrom: KnownFrom
    public var reference: String?
    public init(state: String, kind: ProtectionKind, against: String? = nil, date: Day? = nil, knownFrom: KnownFrom, reference: String? = nil) {
        self.state = state
        self.kind = kind
        self.against = against
        self.date = date
        self.knownFrom = knownFrom
        self.reference = reference
    }
}

/// A co-accused or principal the request names, and what became of them (2.0).
public struct CoAccused: Sendable, Hashable, Codable {
    public var person: String?
    public var name: String?
    public var outcome: CoAccusedOutcome
    public var state: String?
    public var description: String?
    public init(person: String? = nil, name: String? = nil, outcome: CoAccusedOutcome, state: String? = nil, description: String? = nil) {
        self.person = person
        self.name = name
        self.outcome = outcome
        self.state = state
        self.description = description
    }
}

/// A change of a person's citizenship (2.0).
public struct CitizenshipRecord: Sendable, Hashable, Codable {
    public var state: String
    public var change: CitizenshipChange
    public var date: Day?
    public init(state: String, change: CitizenshipChange, date: Day? = nil) {
        self.state = state
        self.change = change
        self.date = date
    }
}

/// A provisional arrest before the formal request: the first stage of a two-stage extradition (2.0).
public struct ProvisionalArrest: Sendable, Hashable, Codable {
    public var date: Day
    public var basis: ArrestBasis
    public var noticeReference: String?
    public var released: Bool?
    public var releasedDate: Day?
    public init(date: Day, basis: ArrestBasis, noticeReference: String? = nil, released: Bool? = nil, releasedDate: Day? = nil) {
        self.date = date
        self.basis = basis
        self.noticeReference = noticeReference
        self.released = released
        self.releasedDate = releasedDate
    }
}
