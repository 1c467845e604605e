import Foundation
import GRDB
public import WinnowModel
import WinnowNames

extension Registry {
    /// Stores a screened request as an earlier request (decision pending), so that later requests
    /// link to it: its subject (matched, or added), its case numbers.
    @discardableResult
    public func record(_ request: Request) throws -> String {
        let requestId = "screened:\(request.id)"
        var subjectId: String?
        if let subject = request.subjects.first {
            for name in subject.names {
                if let hit = try search(name.text, birthDate: subject.birthDate?.description, nationalities: subject.nationalities, limit: 1, matchesOnly: true).first,
                   hit.match.isMatch { subjectId = hit.id; break }
            }
        }
        try writer.write { db in
            if subjectId == nil, let subject = request.subjects.first {
                let id = "screened:\(request.id):\(subject.id)"
                try PersonRecord(id: id, birthDate: subject.birthDate?.description, nationalities: subject.nationalities.joined(separator: " "),
                                 profession: subject.profession, recordedFrom: request.receivedDate.description,
                                 source: "recorded from request \(request.id)").save(db)
                try db.execute(sql: "DELETE FROM personName WHERE personId = ?", arguments: [id])
                var touched = Set<String>()
                for (i, n) in subject.names.enumerated() {
                    try PersonNameRecord(personId: id, name: n.text, script: n.script, kind: i == 0 ? "primary" : "alias").insert(db)
                    try Registry.index(n.text, of: id, in: db, touched: &touched)
                }
                try Registry.refreshKeyStats(touched, in: db)
                subjectId = id
            }
            try PriorRequestRecord(id: requestId, reference: request.id, instrument: request.instrument.rawValue,
                                   requestingState: request.requestingState, received: request.receivedDate.description,
                                   subjectId: subjectId, decision: "pending", decisionDate: nil, grounds: nil).save(db)
            try db.execute(sql: "DELETE FROM priorRequestCase WHERE requestId = ?", arguments: [requestId])
            for c in request.caseReferences {
                try PriorRequestCaseRecord(requestId: requestId, number: c.number, normalized: Identifiers.caseNumber(c.number), state: c.state).insert(db)
            }
        }
        return requestId
    }

    /// Everything the registry holds about one person, for `registry show`.
    public func person(id: String) throws -> [String: [String]]? {
        try writer.read { db in
            guard let p = try PersonRecord.fetchOne(db, key: id) else { return nil }
            var out: [String: [String]] = [:]
            out["person"] = ["\(p.id)\(p.birthDate.map { ", born \($0)" } ?? "")\(p.nationalities.isEmpty ? "" : ", \(p.nationalities)")\(p.profession.map { ", \($0)" } ?? "")"]
            out["names"] = try String.fetchAll(db, sql: "SELECT name || COALESCE(' [' || script || ']', '') FROM personName WHERE personId = ? ORDER BY rowid", arguments: [id])
            out["protection"] = try ProtectionRecord.fetchAll(db, sql: "SELECT * FROM protection WHERE personId = ?", arguments: [id]).map {
                "\($0.id): \($0.kind), granted by \($0.grantingState) on \($0.granted)\($0.againstState.map { " against \($0)" } ?? "")\($0.ended.map { ", ended \($0)" } ?? "")"
            }
            out["cases"] = try String.fetchAll(db, sql: """
                SELECT domesticCase.id || ': ' || domesticCase.kind || ' case ' || domesticCase.number || ' (' || caseParty.role || '), ' || domesticCase.status
                FROM caseParty JOIN domesticCase ON domesticCase.id = caseParty.caseId WHERE caseParty.personId = ?
                """, arguments: [id])
            out["requests"] = try PriorRequestRecord.fetchAll(db, sql: "SELECT * FROM priorRequest WHERE subjectId = ?", arguments: [id]).map {
                "\($0.id): \($0.instrument) \($0.reference) from \($0.requestingState), received \($0.received): \($0.decision)"
            }
            out["interpol"] = try InterpolActionRecord.fetchAll(db, sql: "SELECT * FROM interpolAction WHERE personId = ?", arguments: [id]).map {
                "\($0.id): \($0.kind) from \($0.state) \($0.action) on \($0.date)"
            }
            out["events"] = try PersonEventRecord.fetchAll(db, sql: "SELECT * FROM personEvent WHERE personId = ? ORDER BY date", arguments: [id]).map {
                "\($0.id): \($0.kind) on \($0.date)\($0.body.map { " by \($0)" } ?? "")"
            }
            out["relations"] = try String.fetchAll(db, sql: "SELECT relation || ': ' || relatedId FROM relation WHERE personId = ?", arguments: [id])
            return out
        }
    }

    /// The whole registry in the JSON import format (import it again to restore it).
    public func exportJSON() throws -> String {
        try writer.read { db in
            var persons: [[String: Any]] = []
            for p in try PersonRecord.fetchAll(db, sql: "SELECT * FROM person ORDER BY id") {
                var o: [String: Any] = ["id": p.id]
                o["names"] = try Row.fetchAll(db, sql: "SELECT name, script FROM personName WHERE personId = ? ORDER BY rowid", arguments: [p.id]).map { row -> [String: Any] in
                    var n: [String: Any] = ["text": row["name"] as String]
                    if let s: String = row["script"] { n["script"] = s }
                    return n
                }
                if let b = p.birthDate { o["birthDate"] = b }
                if !p.nationalities.isEmpty { o["nationalities"] = p.nationalities.split(separator: " ").map(String.init) }
                if let x = p.profession { o["profession"] = x }
                if let x = p.recordedFrom { o["recordedFrom"] = x }
                let relations = try Row.fetchAll(db, sql: "SELECT relatedId, relation FROM relation WHERE personId = ?", arguments: [p.id])
                if !relations.isEmpty { o["relations"] = relations.map { ["person": $0["relatedId"] as String, "relation": $0["relation"] as String] } }
                persons.append(o)
            }
            let protections = try ProtectionRecord.fetchAll(db).map { p -> [String: Any?] in
                ["id": p.id, "person": p.personId, "kind": p.kind, "grantingState": p.grantingState, "againstState": p.againstState,
                 "granted": p.granted, "ended": p.ended, "reference": p.reference]
            }
            let organisations = try OrganisationRecord.fetchAll(db).map { o -> [String: Any?] in
                ["id": o.id, "name": o.name, "kind": o.kind, "controllingState": o.controllingState, "recordedFrom": o.recordedFrom]
            }
            var cases: [[String: Any?]] = []
            for k in try DomesticCaseRecord.fetchAll(db) {
                let parties = try CasePartyRecord.fetchAll(db, sql: "SELECT * FROM caseParty WHERE caseId = ?", arguments: [k.id]).map { p -> [String: Any?] in
                    ["person": p.personId, "organisation": p.organisationId, "role": p.role, "actedFor": p.actedFor]
                }
                cases.append(["id": k.id, "number": k.number, "authority": k.authority, "kind": k.kind, "status": k.status, "outcome": k.outcome,
                              "opened": k.opened, "closed": k.closed, "summary": k.summary, "parties": parties.map { $0.compactMapValues { $0 } }])
            }
            var requests: [[String: Any?]] = []
            for q in try PriorRequestRecord.fetchAll(db) {
                let numbers = try String.fetchAll(db, sql: "SELECT number FROM priorRequestCase WHERE requestId = ?", arguments: [q.id])
                requests.append(["id": q.id, "reference": q.reference, "instrument": q.instrument, "requestingState": q.requestingState,
                                 "received": q.received, "subject": q.subjectId, "caseNumbers": numbers, "decision": q.decision,
                                 "decisionDate": q.decisionDate, "grounds": q.grounds])
            }
            let interpol = try InterpolActionRecord.fetchAll(db).map { a -> [String: Any?] in
                ["id": a.id, "person": a.personId, "kind": a.kind, "state": a.state, "action": a.action, "date": a.date, "reference": a.reference]
            }
            let events = try PersonEventRecord.fetchAll(db).map { e -> [String: Any?] in
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
