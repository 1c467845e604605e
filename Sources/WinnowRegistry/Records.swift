import GRDB

// Records of the registry: Codable structs with their columns. Every row carries the dates from
// which it holds, so that the registry can be read as of a date.

struct PersonRecord: Codable, FetchableRecord, PersistableRecord, Sendable {
    static let databaseTableName = "person"
    var id: String
    var birthDate: String?
    /// ISO 3166-1 alpha-2 codes separated by spaces.
    var nationalities: String
    var profession: String?
    var recordedFrom: String?
    var source: String?

    enum Columns { static let id = Column("id") }
}

struct PersonNameRecord: Codable, FetchableRecord, PersistableRecord, Sendable {
    static let databaseTableName = "personName"
    var personId: String
    var name: String
    var script: String?
    /// primary or alias
    var kind: String
}

/// Search index: a coarse key of a name part -> the person.
struct NameKeyRecord: Codable, FetchableRecord, PersistableRecord, Sendable {
    static let databaseTableName = "nameKey"
    var key: String
    var personId: String
}

struct RelationRecord: Codable, FetchableRecord, PersistableRecord, Sendable {
    static let databaseTableName = "relation"
    var personId: String
    var relatedId: String
    var relation: String
}

struct ProtectionRecord: Codable, FetchableRecord, PersistableRecord, Sendable {
    static let databaseTableName = "protection"
    var id: String
    var personId: String
    /// refugee, subsidiary, pending
    var kind: String
    var grantingState: String
    var againstState: String?
    var granted: String
    var ended: String?
    var reference: String?
}

struct OrganisationRecord: Codable, FetchableRecord, PersistableRecord, Sendable {
    static let databaseTableName = "organisation"
    var id: String
    var name: String
    var kind: String?
    var controllingState: String?
    var recordedFrom: String?
}

struct DomesticCaseRecord: Codable, FetchableRecord, PersistableRecord, Sendable {
    static let databaseTableName = "domesticCase"
    var id: String
    var number: String
    var authority: String?
    /// criminal or civil
    var kind: String
    var status: String
    var outcome: String?
    var opened: String
    var closed: String?
    var summary: String?
}

struct CasePartyRecord: Codable, FetchableRecord, PersistableRecord, Sendable {
    static let databaseTableName = "caseParty"
    var caseId: String
    var personId: String?
    var organisationId: String?
    /// victim, suspect, defendant, complainant, civil_party
    var role: String
    /// Organisation id or ISO state code on whose behalf the party acted.
    var actedFor: String?
}

struct PriorRequestRecord: Codable, FetchableRecord, PersistableRecord, Sendable {
    static let databaseTableName = "priorRequest"
    var id: String
    var reference: String
    var instrument: String
    var requestingState: String
    var received: String
    var subjectId: String?
    /// executed, partly_executed, refused, pending, withdrawn
    var decision: String
    var decisionDate: String?
    var grounds: String?
}

struct PriorRequestCaseRecord: Codable, FetchableRecord, PersistableRecord, Sendable {
    static let databaseTableName = "priorRequestCase"
    var requestId: String
    var number: String
    /// The number folded for comparison (letters and digits, upper case).
    var normalized: String
    var state: String?
}

/// Something domestic records know about a person that a request will not say: a relative the
/// requesting state persecuted, another state's refusal or release, an INTERPOL deletion, an ECtHR
/// interim measure, a UN body's opinion, a court's finding.
struct PersonEventRecord: Codable, FetchableRecord, PersistableRecord, Sendable {
    static let databaseTableName = "personEvent"
    var id: String
    var personId: String
    /// One of `Registry.eventKinds`.
    var kind: String
    var date: String
    /// Who decided or acted (a state's court, the ECtHR, a UN body, the requesting state).
    var body: String?
    var state: String?
    var description: String?
    var reference: String?
}

struct InterpolActionRecord: Codable, FetchableRecord, PersistableRecord, Sendable {
    static let databaseTableName = "interpolAction"
    var id: String
    var personId: String
    /// red_notice or diffusion
    var kind: String
    var state: String
    /// deleted, refused, published
    var action: String
    var date: String
    var reference: String?
}

import Foundation
