// Records of the registry: plain structs, each with its table's columns (`StoredRecord`). Every row carries the dates from
// which it holds, so that the registry can be read as of a date.

struct PersonRecord: StoredRecord {
    var id: String
    var birthDate: String?
    /// ISO 3166-1 alpha-2 codes separated by spaces.
    var nationalities: String
    var profession: String?
    var recordedFrom: String?
    var source: String?
}

struct PersonNameRecord: StoredRecord {
    var personId: String
    var name: String
    var script: String?
    /// primary or alias
    var kind: String
}

/// Search index: a coarse key of a name part -> the person.
struct NameKeyRecord: StoredRecord {
    var key: String
    var personId: String
}

struct RelationRecord: StoredRecord {
    var personId: String
    var relatedId: String
    var relation: String
}

struct ProtectionRecord: StoredRecord {
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

struct OrganisationRecord: StoredRecord {
    var id: String
    var name: String
    var kind: String?
    var controllingState: String?
    var recordedFrom: String?
}

struct DomesticCaseRecord: StoredRecord {
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

struct CasePartyRecord: StoredRecord {
    var caseId: String
    var personId: String?
    var organisationId: String?
    /// victim, suspect, defendant, complainant, civil_party
    var role: String
    /// Organisation id or ISO state code on whose behalf the party acted.
    var actedFor: String?
}

struct PriorRequestRecord: StoredRecord {
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

struct PriorRequestCaseRecord: StoredRecord {
    var requestId: String
    var number: String
    /// The number folded for comparison (letters and digits, upper case).
    var normalized: String
    var state: String?
}

/// Something domestic records know about a person that a request will not say: a relative the
/// requesting state persecuted, another state's refusal or release, an INTERPOL deletion, an ECtHR
/// interim measure, a UN body's opinion, a court's finding.
struct PersonEventRecord: StoredRecord {
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

struct InterpolActionRecord: StoredRecord {
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

/// A row of one registry table: its columns in order, its values in the same order, and how to read
/// it back. Written out for each record (no reflection): an import writes millions of them.
protocol StoredRecord: Sendable {
    static var table: String { get }
    static var columns: [String] { get }
    var values: [SQLValue] { get }
    init(_ row: SQLRow) throws
}

extension StoredRecord {
    /// Every record a query returns (the query selects this record's table's columns).
    static func fetch(_ s: any SQLSession, _ sql: String, _ arguments: [SQLValue] = []) throws -> [Self] {
        try s.rows(sql, arguments).map(Self.init)
    }

    static func all(_ s: any SQLSession) throws -> [Self] {
        try fetch(s, "SELECT \(columns.joined(separator: ", ")) FROM \(table)")
    }

    func insert(_ s: any SQLSession) throws {
        try s.insert(into: Self.table, columns: Self.columns, rows: [values])
    }

    static func insertAll(_ records: [Self], _ s: any SQLSession) throws {
        try s.insert(into: table, columns: columns, rows: records.map(\.values))
    }

    /// Inserts, or replaces the record with the same `id` (the first column).
    func save(_ s: any SQLSession) throws {
        let others = Self.columns.dropFirst().map { "\($0) = excluded.\($0)" }.joined(separator: ", ")
        try s.execute("INSERT INTO \(Self.table) (\(Self.columns.joined(separator: ", "))) VALUES (\(placeholders(Self.columns.count))) "
                      + "ON CONFLICT (\(Self.columns[0])) DO UPDATE SET \(others)", values)
    }
}

extension PersonRecord {
    static let table = "person"
    static let columns = ["id", "birthDate", "nationalities", "profession", "recordedFrom", "source"]
    var values: [SQLValue] { [.text(id), SQLValue(birthDate), .text(nationalities), SQLValue(profession), SQLValue(recordedFrom), SQLValue(source)] }
    init(_ row: SQLRow) throws { self.init(id: try row.text("id"), birthDate: row.string("birthDate"), nationalities: try row.text("nationalities"), profession: row.string("profession"), recordedFrom: row.string("recordedFrom"), source: row.string("source")) }
}
extension PersonNameRecord {
    static let table = "personName"
    static let columns = ["personId", "name", "script", "kind"]
    var values: [SQLValue] { [.text(personId), .text(name), SQLValue(script), .text(kind)] }
    init(_ row: SQLRow) throws { self.init(personId: try row.text("personId"), name: try row.text("name"), script: row.string("script"), kind: try row.text("kind")) }
}
extension NameKeyRecord {
    static let table = "nameKey"
    static let columns = ["key", "personId"]
    var values: [SQLValue] { [.text(key), .text(personId)] }
    init(_ row: SQLRow) throws { self.init(key: try row.text("key"), personId: try row.text("personId")) }
}
extension RelationRecord {
    static let table = "relation"
    static let columns = ["personId", "relatedId", "relation"]
    var values: [SQLValue] { [.text(personId), .text(relatedId), .text(relation)] }
    init(_ row: SQLRow) throws { self.init(personId: try row.text("personId"), relatedId: try row.text("relatedId"), relation: try row.text("relation")) }
}
extension ProtectionRecord {
    static let table = "protection"
    static let columns = ["id", "personId", "kind", "grantingState", "againstState", "granted", "ended", "reference"]
    var values: [SQLValue] { [.text(id), .text(personId), .text(kind), .text(grantingState), SQLValue(againstState), .text(granted), SQLValue(ended), SQLValue(reference)] }
    init(_ row: SQLRow) throws { self.init(id: try row.text("id"), personId: try row.text("personId"), kind: try row.text("kind"), grantingState: try row.text("grantingState"), againstState: row.string("againstState"), granted: try row.text("granted"), ended: row.string("ended"), reference: row.string("reference")) }
}
extension OrganisationRecord {
    static let table = "organisation"
    static let columns = ["id", "name", "kind", "controllingState", "recordedFrom"]
    var values: [SQLValue] { [.text(id), .text(name), SQLValue(kind), SQLValue(controllingState), SQLValue(recordedFrom)] }
    init(_ row: SQLRow) throws { self.init(id: try row.text("id"), name: try row.text("name"), kind: row.string("kind"), controllingState: row.string("controllingState"), recordedFrom: row.string("recordedFrom")) }
}
extension DomesticCaseRecord {
    static let table = "domesticCase"
    static let columns = ["id", "number", "authority", "kind", "status", "outcome", "opened", "closed", "summary"]
    var values: [SQLValue] { [.text(id), .text(number), SQLValue(authority), .text(kind), .text(status), SQLValue(outcome), .text(opened), SQLValue(closed), SQLValue(summary)] }
    init(_ row: SQLRow) throws { self.init(id: try row.text("id"), number: try row.text("number"), authority: row.string("authority"), kind: try row.text("kind"), status: try row.text("status"), outcome: row.string("outcome"), opened: try row.text("opened"), closed: row.string("closed"), summary: row.string("summary")) }
}
extension CasePartyRecord {
    static let table = "caseParty"
    static let columns = ["caseId", "personId", "organisationId", "role", "actedFor"]
    var values: [SQLValue] { [.text(caseId), SQLValue(personId), SQLValue(organisationId), .text(role), SQLValue(actedFor)] }
    init(_ row: SQLRow) throws { self.init(caseId: try row.text("caseId"), personId: row.string("personId"), organisationId: row.string("organisationId"), role: try row.text("role"), actedFor: row.string("actedFor")) }
}
extension PriorRequestRecord {
    static let table = "priorRequest"
    static let columns = ["id", "reference", "instrument", "requestingState", "received", "subjectId", "decision", "decisionDate", "grounds"]
    var values: [SQLValue] { [.text(id), .text(reference), .text(instrument), .text(requestingState), .text(received), SQLValue(subjectId), .text(decision), SQLValue(decisionDate), SQLValue(grounds)] }
    init(_ row: SQLRow) throws { self.init(id: try row.text("id"), reference: try row.text("reference"), instrument: try row.text("instrument"), requestingState: try row.text("requestingState"), received: try row.text("received"), subjectId: row.string("subjectId"), decision: try row.text("decision"), decisionDate: row.string("decisionDate"), grounds: row.string("grounds")) }
}
extension PriorRequestCaseRecord {
    static let table = "priorRequestCase"
    static let columns = ["requestId", "number", "normalized", "state"]
    var values: [SQLValue] { [.text(requestId), .text(number), .text(normalized), SQLValue(state)] }
    init(_ row: SQLRow) throws { self.init(requestId: try row.text("requestId"), number: try row.text("number"), normalized: try row.text("normalized"), state: row.string("state")) }
}
extension PersonEventRecord {
    static let table = "personEvent"
    static let columns = ["id", "personId", "kind", "date", "body", "state", "description", "reference"]
    var values: [SQLValue] { [.text(id), .text(personId), .text(kind), .text(date), SQLValue(body), SQLValue(state), SQLValue(description), SQLValue(reference)] }
    init(_ row: SQLRow) throws { self.init(id: try row.text("id"), personId: try row.text("personId"), kind: try row.text("kind"), date: try row.text("date"), body: row.string("body"), state: row.string("state"), description: row.string("description"), reference: row.string("reference")) }
}
extension InterpolActionRecord {
    static let table = "interpolAction"
    static let columns = ["id", "personId", "kind", "state", "action", "date", "reference"]
    var values: [SQLValue] { [.text(id), .text(personId), .text(kind), .text(state), .text(action), .text(date), SQLValue(reference)] }
    init(_ row: SQLRow) throws { self.init(id: try row.text("id"), personId: try row.text("personId"), kind: try row.text("kind"), state: try row.text("state"), action: try row.text("action"), date: try row.text("date"), reference: row.string("reference")) }
}
