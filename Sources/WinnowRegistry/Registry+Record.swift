import Foundation
public import WinnowModel
import WinnowNames

extension Registry {
    /// Stores a screened request as an earlier request (decision pending), so that later requests
    /// link to it: its subject (matched, or added), its case numbers.
    @discardableResult
    public func record(_ request: Request) throws -> String {
        let requestId = "screened:\(request.id)"
        var matched: String?
        if let subject = request.subjects.first {
            for name in subject.names {
                if let hit = try search(name.text, birthDate: subject.birthDate?.description, nationalities: subject.nationalities, limit: 1, matchesOnly: true).first,
                   hit.match.isMatch { matched = hit.id; break }
            }
        }
        // The transaction may run more than once (PostgreSQL runs it again after a deadlock or a
        // serialization failure): it starts from the same state each time.
        try store.write { [matched] db in
            var subjectId = matched
            if subjectId == nil, let subject = request.subjects.first {
                let id = "screened:\(request.id):\(subject.id)"
                try PersonRecord(id: id, birthDate: subject.birthDate?.description, nationalities: subject.nationalities.joined(separator: " "),
                                 profession: subject.profession, recordedFrom: request.receivedDate.description,
                                 source: "recorded from request \(request.id)").save(db)
                try db.execute("DELETE FROM personName WHERE personId = ?", [.text(id)])
                let names = subject.names.enumerated().map { i, n in
                    PersonNameRecord(personId: id, name: n.text, script: n.script, kind: i == 0 ? "primary" : "alias")
                }
                try PersonNameRecord.insertAll(names, db)
                var touched = Set<String>()
                try Registry.index(names, in: db, touched: &touched)
                try Registry.refreshKeyStats(touched, in: db)
                subjectId = id
            }
            try PriorRequestRecord(id: requestId, reference: request.id, instrument: request.instrument.rawValue,
                                   requestingState: request.requestingState, received: request.receivedDate.description,
                                   subjectId: subjectId, decision: "pending", decisionDate: nil, grounds: nil).save(db)
            try db.execute("DELETE FROM priorRequestCase WHERE requestId = ?", [.text(requestId)])
            for c in request.caseReferences {
                try PriorRequestCaseRecord(requestId: requestId, number: c.number, normalized: Identifiers.caseNumber(c.number), state: c.state).insert(db)
            }
        }
        return requestId
    }

    /// Everything the registry holds about one person, for `registry show`.
    public func person(id: String) throws -> [String: [String]]? {
        try store.read { db in
            guard let p = try PersonRecord.fetch(db, "SELECT * FROM person WHERE id = ?", [.text(id)]).first else { return nil }
            var out: [String: [String]] = [:]
            out["person"] = ["\(p.id)\(p.birthDate.map { ", born \($0)" } ?? "")\(p.nationalities.isEmpty ? "" : ", \(p.nationalities)")\(p.profession.map { ", \($0)" } ?? "")"]
            out["names"] = try db.strings("SELECT name || COALESCE(' [' || script || ']', '') FROM personName WHERE personId = ? ORDER BY rowid", [.text(id)])
            out["protection"] = try ProtectionRecord.fetch(db, "SELECT * FROM protection WHERE personId = ? ORDER BY id", [.text(id)]).map {
                "\($0.id): \($0.kind), granted by \($0.grantingState) on \($0.granted)\($0.againstState.map { " against \($0)" } ?? "")\($0.ended.map { ", ended \($0)" } ?? "")"
            }
            out["cases"] = try db.strings("""
                SELECT domesticCase.id || ': ' || domesticCase.kind || ' case ' || domesticCase.number || ' (' || caseParty.role || '), ' || domesticCase.status
                FROM caseParty JOIN domesticCase ON domesticCase.id = caseParty.caseId WHERE caseParty.personId = ? ORDER BY domesticCase.id, caseParty.role
                """, [.text(id)])
            out["requests"] = try PriorRequestRecord.fetch(db, "SELECT * FROM priorRequest WHERE subjectId = ? ORDER BY id", [.text(id)]).map {
                "\($0.id): \($0.instrument) \($0.reference) from \($0.requestingState), received \($0.received): \($0.decision)"
            }
            out["interpol"] = try InterpolActionRecord.fetch(db, "SELECT * FROM interpolAction WHERE personId = ? ORDER BY id", [.text(id)]).map {
                "\($0.id): \($0.kind) from \($0.state) \($0.action) on \($0.date)"
            }
            out["events"] = try PersonEventRecord.fetch(db, "SELECT * FROM personEvent WHERE personId = ? ORDER BY date, id", [.text(id)]).map {
                "\($0.id): \($0.kind) on \($0.date)\($0.body.map { " by \($0)" } ?? "")"
            }
            out["relations"] = try db.strings("SELECT relation || ': ' || relatedId FROM relation WHERE personId = ? ORDER BY relatedId, relation", [.text(id)])
            return out
        }
    }

    /// The whole registry in the JSON import format (import it again to restore it).
    public func exportJSON() throws -> String {
        try store.read { db in
            // Names and relations of all persons in one read each: a query per person would take a
            // round trip per person on PostgreSQL.
            var names: [String: [[String: Any]]] = [:]
            for row in try db.rows("SELECT personId, name, script FROM personName ORDER BY rowid") {
                var n: [String: Any] = ["text": try row.text("name")]
                if let s = row.string("script") { n["script"] = s }
                names[try row.text("personId"), default: []].append(n)
            }
            var relationsOf: [String: [[String: String]]] = [:]
            for row in try db.rows("SELECT personId, relatedId, relation FROM relation ORDER BY personId, relatedId, relation") {
                relationsOf[try row.text("personId"), default: []].append(["person": try row.text("relatedId"), "relation": try row.text("relation")])
            }
            var persons: [[String: Any]] = []
            for p in try PersonRecord.fetch(db, "SELECT * FROM person ORDER BY id") {
                var o: [String: Any] = ["id": p.id]
                o["names"] = names[p.id] ?? []
                if let b = p.birthDate { o["birthDate"] = b }
                if !p.nationalities.isEmpty { o["nationalities"] = p.nationalities.split(separator: " ").map(String.init) }
                if let x = p.profession { o["profession"] = x }
                if let x = p.recordedFrom { o["recordedFrom"] = x }
                if let relations = relationsOf[p.id] { o["relations"] = relations }
                persons.append(o)
            }
            let protections = try ProtectionRecord.fetch(db, "SELECT * FROM protection ORDER BY id").map { p -> [String: Any?] in
                ["id": p.id, "person": p.personId, "kind": p.kind, "grantingState": p.grantingState, "againstState": p.againstState,
                 "granted": p.granted, "ended": p.ended, "reference": p.reference]
            }
            let organisations = try OrganisationRecord.fetch(db, "SELECT * FROM organisation ORDER BY id").map { o -> [String: Any?] in
                ["id": o.id, "name": o.name, "kind": o.kind, "controllingState": o.controllingState, "recordedFrom": o.recordedFrom]
            }
            let partiesOf = Dictionary(grouping: try CasePartyRecord.fetch(db, "SELECT * FROM caseParty ORDER BY rowid"), by: \.caseId)
            var cases: [[String: Any?]] = []
            for k in try DomesticCaseRecord.fetch(db, "SELECT * FROM domesticCase ORDER BY id") {
                let parties = (partiesOf[k.id] ?? []).map { p -> [String: Any?] in
                    ["person": p.personId, "organisation": p.organisationId, "role": p.role, "actedFor": p.actedFor]
                }
                cases.append(["id": k.id, "number": k.number, "authority": k.authority, "kind": k.kind, "status": k.status, "outcome": k.outcome,
                              "opened": k.opened, "closed": k.closed, "summary": k.summary, "parties": parties.map { $0.compactMapValues { $0 } }])
            }
            let numbersOf = Dictionary(grouping: try PriorRequestCaseRecord.fetch(db, "SELECT * FROM priorRequestCase ORDER BY rowid"), by: \.requestId)
            var requests: [[String: Any?]] = []
            for q in try PriorRequestRecord.fetch(db, "SELECT * FROM priorRequest ORDER BY id") {
                let numbers = (numbersOf[q.id] ?? []).map(\.number)
                requests.append(["id": q.id, "reference": q.reference, "instrument": q.instrument, "requestingState": q.requestingState,
                                 "received": q.received, "subject": q.subjectId, "caseNumbers": numbers, "decision": q.decision,
                                 "decisionDate": q.decisionDate, "grounds": q.grounds])
            }
            let interpol = try InterpolActionRecord.fetch(db, "SELECT * FROM interpolAction ORDER BY id").map { a -> [String: Any?] in
                ["id": a.id, "person": a.personId, "kind": a.kind, "state": a.state, "action": a.action, "date": a.date, "reference": a.reference]
            }
            let events = try PersonEventRecord.fetch(db, "SELECT * FROM personEvent ORDER BY id").map { e -> [String: Any?] in
                ["id": e.id, "person": e.personId, "kind": e.kind, "date": e.date, "body": e.body, "state": e.state,
                 "description": e.description, "reference": e.reference]
            }
            let root: [String: Any] = ["winnowRegistry": "1.0", "persons": persons, "events": events.map { $0.compactMapValues { $0 } },
                                       "protections": protections.map { $0.compactMapValues { $0 } },
                                       "organisations": organisations.map { $0.compactMapValues { $0 } },
                                       "cases": cases.map { $0.compactMapValues { $0 } },
                                       "requests": requests.map { $0.compactMapValues { $0 } },
                                       "interpol": interpol.map { $0.compactMapValues { $0 } }]
            let data = try JSONSerialization.data(withJSONObject: root, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
            return String(decoding: data, as: UTF8.self) + "\n"
        }
    }
}
