import Foundation
import WinnowIntake
import WinnowModel
import WinnowNames

/// A problem in an import file: `file:line: pointer: what is wrong`.
public struct ImportProblem: Error, Sendable, CustomStringConvertible {
    public var file: String
    public var line: Int?
    public var pointer: String?
    public var message: String
    public var description: String {
        "\(file)\(line.map { ":\($0)" } ?? ""): " + (pointer.map { "\($0): " } ?? "") + message
    }
}

/// The import failed; nothing was written.
public struct ImportError: Error, Sendable, CustomStringConvertible {
    public var problems: [ImportProblem]
    public var description: String { problems.map(\.description).joined(separator: "\n") }
}

/// What an import wrote.
public struct ImportSummary: Sendable, Equatable {
    public var persons = 0, protections = 0, organisations = 0, cases = 0, requests = 0, interpolActions = 0, events = 0
    public var relations = 0
    public var skipped = 0
    public var description: String {
        "\(persons) persons, \(protections) protection records, \(organisations) organisations, \(cases) domestic cases, "
            + "\(requests) earlier requests, \(interpolActions) INTERPOL actions" + (events > 0 ? ", \(events) events" : "")
            + (relations > 0 ? ", \(relations) family links" : "") + (skipped > 0 ? " (\(skipped) entities of other kinds skipped)" : "")
    }
}

/// Everything an import file holds, validated, ready to write in one transaction.
struct ImportBatch {
    var persons: [PersonRecord] = []
    var names: [PersonNameRecord] = []
    var relations: [RelationRecord] = []
    var protections: [ProtectionRecord] = []
    var organisations: [OrganisationRecord] = []
    var cases: [DomesticCaseRecord] = []
    var parties: [CasePartyRecord] = []
    var requests: [PriorRequestRecord] = []
    var requestCases: [PriorRequestCaseRecord] = []
    var interpol: [InterpolActionRecord] = []
    var events: [PersonEventRecord] = []
    var skipped = 0
}

extension Registry {
    /// Imports a file (JSON, CSV of persons, or FollowTheMoney JSON lines), all or nothing: any bad
    /// row stops the import with its location and leaves the registry as it was.
    /// `progress` is told when the write transaction has begun and every 10,000 persons.
    @discardableResult
    public func importFile(_ path: String, progress: (@Sendable (String) -> Void)? = nil) throws -> ImportSummary {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ImportError(problems: [ImportProblem(file: path, line: nil, pointer: nil, message: "cannot read the file")])
        }
        var parser = ImportParser(file: path)
        let batch: ImportBatch
        if path.hasSuffix(".csv") {
            batch = parser.csv(String(decoding: data, as: UTF8.self))
        } else if path.hasSuffix(".jsonl") || path.hasSuffix(".ftm.json") || path.hasSuffix(".ndjson") {
            batch = parser.followTheMoney(String(decoding: data, as: UTF8.self))
        } else {
            batch = parser.json([UInt8](data))
        }
        if !parser.problems.isEmpty { throw ImportError(problems: parser.problems) }
        return try write(batch, file: path, progress: progress)
    }

    func write(_ batch: ImportBatch, file: String, progress: (@Sendable (String) -> Void)?) throws -> ImportSummary {
        let summary = try writeTransaction(batch, file: file, progress: progress)
        // SQLite copies a large import out of its write-ahead log now (see `SQLiteStore.settle`).
        if batch.persons.count + batch.names.count > 1_000 { store.settle() }
        return summary
    }

    func writeTransaction(_ batch: ImportBatch, file: String, progress: (@Sendable (String) -> Void)?) throws -> ImportSummary {
        do {
            return try store.write { db in
                progress?("transaction open: writing \(batch.persons.count) persons")
                // In slices, so that progress is told as the persons go in.
                var start = 0
                while start < batch.persons.count {
                    let end = min(batch.persons.count, start + 10_000)
                    try PersonRecord.insertAll(Array(batch.persons[start..<end]), db)
                    if end % 10_000 == 0 { progress?("\(end) persons") }
                    start = end
                }
                try PersonNameRecord.insertAll(batch.names, db)
                var touched = Set<String>()
                try Registry.index(batch.names, in: db, touched: &touched)
                try Registry.refreshKeyStats(touched, in: db)
                try RelationRecord.insertAll(batch.relations, db)
                try OrganisationRecord.insertAll(batch.organisations, db)
                try ProtectionRecord.insertAll(batch.protections, db)
                try DomesticCaseRecord.insertAll(batch.cases, db)
                try CasePartyRecord.insertAll(batch.parties, db)
                try PriorRequestRecord.insertAll(batch.requests, db)
                try PriorRequestCaseRecord.insertAll(batch.requestCases, db)
                try InterpolActionRecord.insertAll(batch.interpol, db)
                try PersonEventRecord.insertAll(batch.events, db)
                var summary = ImportSummary()
                summary.persons = batch.persons.count
                summary.protections = batch.protections.count
                summary.organisations = batch.organisations.count
                summary.cases = batch.cases.count
                summary.requests = batch.requests.count
                summary.interpolActions = batch.interpol.count
                summary.events = batch.events.count
                summary.relations = batch.relations.count
                summary.skipped = batch.skipped
                return summary
            }
        } catch let error as StoreFailure {
            let message = switch error.kind {
            case .constraint: "a record conflicts with the registry (an id already present, or a reference to a record that does not exist): \(error.message)"
            case .connection: "the registry could not be reached: \(error.message)"
            case .other: "the registry refused the import: \(error.message)"
            }
            throw ImportError(problems: [ImportProblem(file: file, line: nil, pointer: nil, message: message + "; nothing was written")])
        }
    }
}

/// Reads import files into records, checking every field and collecting every problem.
struct ImportParser {
    let file: String
    var problems: [ImportProblem] = []
    var batch = ImportBatch()

    static let protectionKinds: Set<String> = ["refugee", "subsidiary", "pending"]
    static let caseKinds: Set<String> = ["criminal", "civil"]
    static let partyRoles: Set<String> = ["victim", "suspect", "defendant", "complainant", "civil_party", "witness"]
    static let decisions: Set<String> = ["executed", "partly_executed", "refused", "pending", "withdrawn"]
    static let interpolKinds: Set<String> = ["red_notice", "diffusion"]
    static let interpolActions: Set<String> = ["deleted", "refused", "published"]

    mutating func problem(_ node: DocNode?, _ pointer: String, _ message: String) {
        problems.append(ImportProblem(file: file, line: node?.line, pointer: pointer, message: message))
    }

    // MARK: field readers

    mutating func string(_ obj: DocNode, _ key: String, _ at: String, required: Bool = true) -> String? {
        guard let node = obj[key], case .string(let s) = node.value, !s.isEmpty else {
            if obj[key] != nil { problem(obj[key], "\(at)/\(key)", "must be a non-empty string") }
            else if required { problem(obj, at, "missing \"\(key)\"") }
            return nil
        }
        return s
    }

    mutating func date(_ obj: DocNode, _ key: String, _ at: String, required: Bool = false) -> String? {
        guard let s = string(obj, key, at, required: required) else { return nil }
        guard Day(s) != nil else { problem(obj[key], "\(at)/\(key)", "\"\(s)\" is not a date (YYYY-MM-DD)"); return nil }
        return s
    }

    mutating func state(_ obj: DocNode, _ key: String, _ at: String, required: Bool = false) -> String? {
        guard let s = string(obj, key, at, required: required) else { return nil }
        guard ISOTables.countries[s] != nil else { problem(obj[key], "\(at)/\(key)", "unknown country code \"\(s)\""); return nil }
        return s
    }

    mutating func oneOf(_ obj: DocNode, _ key: String, _ at: String, _ allowed: Set<String>) -> String? {
        guard let s = string(obj, key, at) else { return nil }
        guard allowed.contains(s) else {
            problem(obj[key], "\(at)/\(key)", "\"\(s)\" is not one of: \(allowed.sorted().joined(separator: ", "))")
            return nil
        }
        return s
    }

    mutating func list(_ obj: DocNode, _ key: String, _ at: String) -> [DocNode] {
        guard let node = obj[key] else { return [] }
        guard case .array(let items) = node.value else { problem(node, "\(at)/\(key)", "must be a list"); return [] }
        return items
    }

    mutating func keys(_ obj: DocNode, _ at: String, _ allowed: Set<String>) -> Bool {
        guard case .object(let members) = obj.value else { problem(obj, at, "must be an object"); return false }
        for (k, v) in members where !allowed.contains(k) { problem(v, "\(at)/\(k)", "unknown key \"\(k)\"") }
        return true
    }

    // MARK: native JSON

    mutating func json(_ bytes: [UInt8]) -> ImportBatch {
        let root: DocNode
        do { root = try JSONReader.parse(bytes) } catch {
            problems.append(ImportProblem(file: file, line: error.line, pointer: nil, message: error.message))
            return batch
        }
        guard keys(root, "", ["winnowRegistry", "description", "persons", "protections", "organisations", "cases", "requests", "interpol", "events"]) else { return batch }
        if root["winnowRegistry"]?.string != "1.0" { problem(root, "/winnowRegistry", "must be \"1.0\" (the registry import format)") }
        var personIds = Set<String>(), orgIds = Set<String>()
        for (i, p) in list(root, "persons", "").enumerated() {
            let at = "/persons/\(i)"
            guard keys(p, at, ["id", "names", "birthDate", "nationalities", "profession", "recordedFrom", "relations", "source"]),
                  let id = string(p, "id", at) else { continue }
            if !personIds.insert(id).inserted { problem(p["id"], "\(at)/id", "duplicate person id \"\(id)\"") }
            var nationalities: [String] = []
            for (j, n) in list(p, "nationalities", at).enumerated() {
                if let s = n.string, ISOTables.countries[s] != nil { nationalities.append(s) } else {
                    problem(n, "\(at)/nationalities/\(j)", "not an ISO 3166-1 alpha-2 code")
                }
            }
            batch.persons.append(PersonRecord(id: id, birthDate: date(p, "birthDate", at), nationalities: nationalities.joined(separator: " "),
                                              profession: string(p, "profession", at, required: false),
                                              recordedFrom: date(p, "recordedFrom", at), source: string(p, "source", at, required: false)))
            let names = list(p, "names", at)
            if names.isEmpty { problem(p, at, "a person needs at least one name") }
            for (j, n) in names.enumerated() {
                let nat = "\(at)/names/\(j)"
                guard keys(n, nat, ["text", "script", "kind"]), let text = string(n, "text", nat) else { continue }
                batch.names.append(PersonNameRecord(personId: id, name: text, script: string(n, "script", nat, required: false),
                                                    kind: j == 0 ? "primary" : "alias"))
            }
            for (j, r) in list(p, "relations", at).enumerated() {
                let rat = "\(at)/relations/\(j)"
                guard keys(r, rat, ["person", "relation"]), let other = string(r, "person", rat),
                      let relation = string(r, "relation", rat) else { continue }
                batch.relations.append(RelationRecord(personId: id, relatedId: other, relation: relation))
            }
        }
        for (i, o) in list(root, "organisations", "").enumerated() {
            let at = "/organisations/\(i)"
            guard keys(o, at, ["id", "name", "kind", "controllingState", "recordedFrom"]), let id = string(o, "id", at),
                  let name = string(o, "name", at) else { continue }
            if !orgIds.insert(id).inserted { problem(o["id"], "\(at)/id", "duplicate organisation id \"\(id)\"") }
            batch.organisations.append(OrganisationRecord(id: id, name: name, kind: string(o, "kind", at, required: false),
                                                          controllingState: state(o, "controllingState", at), recordedFrom: date(o, "recordedFrom", at)))
        }
        for (i, p) in list(root, "protections", "").enumerated() {
            let at = "/protections/\(i)"
            guard keys(p, at, ["id", "person", "kind", "grantingState", "againstState", "granted", "ended", "reference"]),
                  let id = string(p, "id", at), let person = string(p, "person", at), let kind = oneOf(p, "kind", at, Self.protectionKinds),
                  let granting = state(p, "grantingState", at, required: true), let granted = date(p, "granted", at, required: true) else { continue }
            let ended = date(p, "ended", at)
            if let ended, ended < granted { problem(p["ended"], "\(at)/ended", "ends (\(ended)) before it was granted (\(granted))") }
            batch.protections.append(ProtectionRecord(id: id, personId: person, kind: kind, grantingState: granting,
                                                      againstState: state(p, "againstState", at), granted: granted, ended: ended,
                                                      reference: string(p, "reference", at, required: false)))
        }
        for (i, c) in list(root, "cases", "").enumerated() {
            let at = "/cases/\(i)"
            guard keys(c, at, ["id", "number", "authority", "kind", "status", "outcome", "opened", "closed", "summary", "parties"]),
                  let id = string(c, "id", at), let number = string(c, "number", at), let kind = oneOf(c, "kind", at, Self.caseKinds),
                  let status = string(c, "status", at), let opened = date(c, "opened", at, required: true) else { continue }
            batch.cases.append(DomesticCaseRecord(id: id, number: number, authority: string(c, "authority", at, required: false), kind: kind,
                                                  status: status, outcome: string(c, "outcome", at, required: false), opened: opened,
                                                  closed: date(c, "closed", at), summary: string(c, "summary", at, required: false)))
            for (j, party) in list(c, "parties", at).enumerated() {
                let pat = "\(at)/parties/\(j)"
                guard keys(party, pat, ["person", "organisation", "role", "actedFor"]), let role = oneOf(party, "role", pat, Self.partyRoles) else { continue }
                let person = string(party, "person", pat, required: false), org = string(party, "organisation", pat, required: false)
                if (person == nil) == (org == nil) { problem(party, pat, "a party is either a person or an organisation") }
                batch.parties.append(CasePartyRecord(caseId: id, personId: person, organisationId: org, role: role,
                                                     actedFor: string(party, "actedFor", pat, required: false)))
            }
        }
        for (i, r) in list(root, "requests", "").enumerated() {
            let at = "/requests/\(i)"
            guard keys(r, at, ["id", "reference", "instrument", "requestingState", "received", "subject", "caseNumbers", "decision", "decisionDate", "grounds"]),
                  let id = string(r, "id", at), let reference = string(r, "reference", at),
                  let instrument = oneOf(r, "instrument", at, Set(Instrument.allCases.map(\.rawValue))),
                  let requesting = state(r, "requestingState", at, required: true), let received = date(r, "received", at, required: true),
                  let decision = oneOf(r, "decision", at, Self.decisions) else { continue }
            batch.requests.append(PriorRequestRecord(id: id, reference: reference, instrument: instrument, requestingState: requesting,
                                                     received: received, subjectId: string(r, "subject", at, required: false), decision: decision,
                                                     decisionDate: date(r, "decisionDate", at), grounds: string(r, "grounds", at, required: false)))
            for (j, n) in list(r, "caseNumbers", at).enumerated() {
                guard let number = n.string, !number.isEmpty else { problem(n, "\(at)/caseNumbers/\(j)", "must be a case number"); continue }
                batch.requestCases.append(PriorRequestCaseRecord(requestId: id, number: number, normalized: Identifiers.caseNumber(number), state: requesting))
            }
        }
        for (i, a) in list(root, "interpol", "").enumerated() {
            let at = "/interpol/\(i)"
            guard keys(a, at, ["id", "person", "kind", "state", "action", "date", "reference"]),
                  let id = string(a, "id", at), let person = string(a, "person", at), let kind = oneOf(a, "kind", at, Self.interpolKinds),
                  let st = state(a, "state", at, required: true), let action = oneOf(a, "action", at, Self.interpolActions),
                  let day = date(a, "date", at, required: true) else { continue }
            batch.interpol.append(InterpolActionRecord(id: id, personId: person, kind: kind, state: st, action: action, date: day,
                                                       reference: string(a, "reference", at, required: false)))
        }
        var eventIds = Set<String>()
        for (i, e) in list(root, "events", "").enumerated() {
            let at = "/events/\(i)"
            guard keys(e, at, ["id", "person", "kind", "date", "body", "state", "description", "reference"]),
                  let id = string(e, "id", at), let person = string(e, "person", at), let kind = oneOf(e, "kind", at, Registry.eventKinds),
                  let day = date(e, "date", at, required: true) else { continue }
            if !eventIds.insert(id).inserted { problem(e["id"], "\(at)/id", "duplicate event id \"\(id)\"") }
            batch.events.append(PersonEventRecord(id: id, personId: person, kind: kind, date: day, body: string(e, "body", at, required: false),
                                                  state: state(e, "state", at), description: string(e, "description", at, required: false),
                                                  reference: string(e, "reference", at, required: false)))
        }
        return batch
    }

    // MARK: CSV of persons: id,name,script,birth_date,nationalities,profession

    mutating func csv(_ text: String) -> ImportBatch {
        let rows = CSV.rows(text)
        guard let header = rows.first?.cells else { problems.append(ImportProblem(file: file, line: 1, pointer: nil, message: "empty file")); return batch }
        let expected = ["id", "name", "script", "birth_date", "nationalities", "profession"]
        guard header == expected else {
            problems.append(ImportProblem(file: file, line: 1, pointer: nil, message: "the header must be \(expected.joined(separator: ","))"))
            return batch
        }
        var ids = Set<String>()
        for row in rows.dropFirst() {
            func bad(_ m: String) { problems.append(ImportProblem(file: file, line: row.line, pointer: nil, message: m)) }
            guard row.cells.count == expected.count else { bad("expected \(expected.count) fields, found \(row.cells.count)"); continue }
            let c = row.cells
            guard !c[0].isEmpty, !c[1].isEmpty else { bad("id and name are required"); continue }
            if c[3].isEmpty == false && Day(c[3]) == nil { bad("birth_date \"\(c[3])\" is not a date (YYYY-MM-DD)"); continue }
            let nats = c[4].split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            if let badCode = nats.first(where: { ISOTables.countries[$0] == nil }) { bad("unknown country code \"\(badCode)\""); continue }
            if ids.insert(c[0]).inserted {
                batch.persons.append(PersonRecord(id: c[0], birthDate: c[3].isEmpty ? nil : c[3], nationalities: nats.joined(separator: " "),
                                                  profession: c[5].isEmpty ? nil : c[5], recordedFrom: nil, source: file))
            }
            batch.names.append(PersonNameRecord(personId: c[0], name: c[1], script: c[2].isEmpty ? nil : c[2],
                                                kind: ids.contains(c[0]) && batch.names.contains { $0.personId == c[0] } ? "alias" : "primary"))
        }
        return batch
    }

    // MARK: FollowTheMoney entities, one JSON object per line (as OpenSanctions publishes them)

    mutating func followTheMoney(_ text: String) -> ImportBatch {
        var ids = Set<String>()
        // Relationship entities name others by id; they are resolved once every entity is read.
        var families: [(line: Int, id: String, person: String, relative: String, relationship: String)] = []
        var ownerships: [(line: Int, id: String, owner: String, asset: String, percentage: String?)] = []
        var publicOwners: [String: String] = [:]   // entity id -> state, for public bodies and gov-linked organisations
        for (i, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty { continue }
            let entity: DocNode
            do { entity = try JSONReader.parse(Array(line.utf8)) } catch {
                problems.append(ImportProblem(file: file, line: i + 1, pointer: nil, message: "not a JSON object: \(error.message)"))
                continue
            }
            func bad(_ m: String) { problems.append(ImportProblem(file: file, line: i + 1, pointer: nil, message: m)) }
            guard let id = entity["id"]?.string, let schema = entity["schema"]?.string else { bad("an entity needs \"id\" and \"schema\""); continue }
            let props = entity["properties"]
            func values(_ key: String) -> [String] {
                guard case .array(let items)? = props?[key]?.value else { return [] }
                return items.compactMap(\.string)
            }
            guard ids.insert(id).inserted else { bad("duplicate entity id \"\(id)\""); continue }
            switch schema {
            case "Person":
                // Every spelling the entity carries is searchable: names in any script, aliases, weak aliases
                // (nicknames, short forms) and former names.
                let strong = values("name") + values("alias")
                let weak = values("weakAlias") + values("previousName")
                let names = strong + weak
                guard !names.isEmpty else { bad("person \(id) has no name"); continue }
                let birth = values("birthDate").first { Day($0) != nil }
                let nats = Set((values("nationality") + values("citizenship")).map { $0.uppercased() }).filter { ISOTables.countries[$0] != nil }
                batch.persons.append(PersonRecord(id: id, birthDate: birth, nationalities: nats.sorted().joined(separator: " "),
                                                  profession: values("position").first, recordedFrom: nil, source: "FollowTheMoney: \(file)"))
                for (j, n) in names.enumerated() {
                    batch.names.append(PersonNameRecord(personId: id, name: n, script: NameMatcher.script(of: n),
                                                        kind: j == 0 ? "primary" : j < strong.count ? "alias" : "weak_alias"))
                }
            case "Company", "Organization", "LegalEntity", "PublicBody":
                guard let name = values("name").first else { bad("organisation \(id) has no name"); continue }
                let topics = values("topics")
                let country = (values("jurisdiction") + values("country")).first.map { $0.uppercased() }
                let stateLinked = schema == "PublicBody" || topics.contains { $0.hasPrefix("gov") }
                let state = stateLinked ? country.flatMap { ISOTables.countries[$0] != nil ? $0 : nil } : nil
                if let state { publicOwners[id] = state }
                batch.organisations.append(OrganisationRecord(id: id, name: name, kind: schema.lowercased(),
                                                              controllingState: state, recordedFrom: nil))
            case "Family":
                guard let person = values("person").first, let relative = values("relative").first else {
                    bad("family \(id) needs \"person\" and \"relative\""); continue
                }
                families.append((i + 1, id, person, relative, values("relationship").first ?? "relative"))
            case "Ownership":
                guard let owner = values("owner").first, let asset = values("asset").first else {
                    bad("ownership \(id) needs \"owner\" and \"asset\""); continue
                }
                ownerships.append((i + 1, id, owner, asset, values("percentage").first))
            default:
                batch.skipped += 1
            }
        }
        // A family link between two persons of the file becomes a relation (the relatives checks
        // read it); one that names an entity the file does not hold as a person is an error.
        let persons = Set(batch.persons.map(\.id))
        for f in families {
            for end in [f.person, f.relative] where !persons.contains(end) {
                problems.append(ImportProblem(file: file, line: f.line, pointer: nil, message: "family \(f.id): \(end) is not a person in this file"))
            }
            if persons.contains(f.person) && persons.contains(f.relative) {
                batch.relations.append(RelationRecord(personId: f.person, relatedId: f.relative, relation: f.relationship))
            }
        }
        // A public body (or government-linked organisation) holding a majority of an organisation
        // of the file makes its state the controlling state; a minority or unstated share does not.
        for o in ownerships {
            guard let k = batch.organisations.firstIndex(where: { $0.id == o.asset }) else {
                problems.append(ImportProblem(file: file, line: o.line, pointer: nil, message: "ownership \(o.id): \(o.asset) is not an organisation in this file"))
                continue
            }
            guard let state = publicOwners[o.owner] else { continue }
            let share = o.percentage.flatMap { Double($0.trimmingCharacters(in: CharacterSet(charactersIn: " %"))) }
            if let share, share > 50, batch.organisations[k].controllingState == nil { batch.organisations[k].controllingState = state }
        }
        return batch
    }
}

/// RFC 4180 CSV rows with the line each starts on.
enum CSV {
    struct Row { var cells: [String]; var line: Int }

    static func rows(_ text: String) -> [Row] {
        var rows: [Row] = []
        var cells: [String] = [], cell = "", inQuotes = false, line = 1, rowLine = 1
        var chars = Array(text.replacingOccurrences(of: "\r\n", with: "\n")).makeIterator()
        var pending: Character? = nil
        while let c = pending ?? chars.next() {
            pending = nil
            if inQuotes {
                if c == "\"" {
                    if let next = chars.next() {
                        if next == "\"" { cell.append("\"") } else { inQuotes = false; pending = next }
                    } else { inQuotes = false }
                } else {
                    if c == "\n" { line += 1 }
                    cell.append(c)
                }
                continue
            }
            switch c {
            case "\"": inQuotes = true
            case ",": cells.append(cell); cell = ""
            case "\n":
                cells.append(cell)
                if !(cells.count == 1 && cells[0].isEmpty) { rows.append(Row(cells: cells, line: rowLine)) }
                cells = []; cell = ""; line += 1; rowLine = line
            default: cell.append(c)
            }
        }
        if !cell.isEmpty || !cells.isEmpty { cells.append(cell); rows.append(Row(cells: cells, line: rowLine)) }
        return rows
    }
}
