public import WinnowModel

/// A state's profile as it stood on a day: what `winnow profiles show` prints.
public struct ProfileView: Sendable, Codable, Equatable {
    public struct Item: Sendable, Codable, Equatable {
        public var what: String
        public var value: String
        public var year: Int?
        public var publicFrom: String?
        public var source: String
        public var note: String?
    }

    public var state: String
    public var name: String
    public var asOf: Day
    public var staleAfterYears: Int
    /// Figures in force on the day.
    public var figures: [Item]
    /// Findings of abuse public by the day (counted by the rules).
    public var findings: [Item]
    /// Findings after the day (not used as of the day) and undated ones (never counted).
    public var notYetPublic: [Item]
    public var undated: [Item]
    /// Findings public by the day that the reference marks UNVERIFIED: shown, never counted.
    public var unverified: [Item]
    public var documents: [String]
}

extension ProfileStore {
    public func view(_ state: String, asOf: Day) -> ProfileView? {
        guard let p = profiles[state] else { return nil }
        var figures: [ProfileView.Item] = []
        func add<V>(_ what: String, _ list: [Figure<V>], _ describe: (V) -> String) {
            let (f, newer) = StateProfile.latest(list, on: asOf)
            if let f {
                figures.append(.init(what: what, value: describe(f.value), year: f.year, publicFrom: f.from?.description,
                                     source: cite(f.source), note: notes(f, newer: newer, asOf: asOf, describe: describe)))
            } else {
                figures.append(.init(what: what, value: "unknown on this date", source: "", note: list.isEmpty ? "no figure in the reference" : "no figure public yet"))
            }
        }
        add("Freedom in the World", p.freedom, Self.describe)
        add("V-Dem Liberal Democracy Index", p.liberalDemocracy) { String($0) }
        add("RSF World Press Freedom Index", p.pressFreedom) { "rank \($0.rank) of 180" + ($0.score.map { ", score \($0)" } ?? "") }
        add("Freedom House transnational repression", p.repression) { r in
            "origin: \(r.origin)" + (r.incidents.map { ", \($0) incidents (\(r.period ?? "period not stated"))" } ?? "")
        }
        func treaty(_ what: String, _ list: [Figure<Bool>]) {
            if let f = list.last(where: { $0.holds(on: asOf) }) {
                figures.append(.init(what: what, value: f.value ? "party" : "not a party", year: f.year, publicFrom: f.from?.description,
                                     source: cite(f.source), note: f.note))
            } else {
                figures.append(.init(what: what, value: "unknown on this date", source: "", note: nil))
            }
        }
        treaty("ECHR", p.echr)
        treaty("European Convention on Extradition (1957)", p.extraditionConvention)
        treaty("European Convention on Mutual Assistance (1959)", p.mutualAssistanceConvention)
        treaty("UN Convention against Torture", p.tortureConvention)
        func item(_ f: Figure<String>) -> ProfileView.Item {
            .init(what: "finding", value: f.value, year: f.year, publicFrom: f.from?.description, source: cite(f.source), note: f.note)
        }
        let counted = p.abuseFindings(on: asOf)
        return ProfileView(state: state, name: p.name, asOf: asOf, staleAfterYears: staleAfterYears, figures: figures,
                           findings: counted.map(item),
                           notYetPublic: p.abuseFindings.filter { f in f.from.map { $0 > asOf } ?? false }.map(item),
                           undated: p.abuseFindings.filter { $0.from == nil }.map(item),
                           unverified: p.unverifiedFindings(on: asOf).map(item), documents: p.documents)
    }
}
