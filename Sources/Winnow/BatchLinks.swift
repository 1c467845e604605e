import WinnowNames

/// Links across a batch: the same foreign case number, complainant or subject in requests from
/// different states.
///
/// Two stages keep memory small. While the batch runs, each request leaves only hashes of its keys
/// (24 bytes a key, about 0.3 KB a request) in a `BatchLinkIndex`. At the end the index gives the
/// candidate pairs, and only the requests in a candidate pair are read again, in parallel, for the
/// exact comparison that makes the evidence.
extension BatchRunner {
    /// What links a request to others, read from the request itself: its state, case numbers,
    /// complainants and subjects, with the pointers the evidence cites.
    struct LinkKeys: Sendable {
        var index: Int
        var file: String
        var id: String
        var state: String
        var cases: [(number: String, pointer: String)]
        var complainants: [(name: String, pointer: String)]
        var subjects: [(name: String, birth: String?, pointer: String)]

        init(index: Int, file: String, request: Request) {
            self.index = index
            self.file = file
            id = request.id
            state = request.requestingState
            cases = Self.caseNumbers(of: request).map { ($1, "/caseReferences/\($0)/number") }
            complainants = Self.complainants(of: request).map { ($1.name, "/parties/\($0)/name") }
            subjects = Self.subjects(of: request).flatMap { i, p in
                p.names.enumerated().map { ($1.text, p.birthDate?.description, "/persons/\(i)/names/\($0)/text") }
            }
        }

        // What is compared, chosen in one place for the index and for the exact pass: a pair the
        // index never proposes is never compared.

        /// Foreign case numbers, normalised (`Identifiers.caseNumber`), with their positions.
        static func caseNumbers(of request: Request) -> [(offset: Int, element: String)] {
            request.caseReferences.enumerated().map { ($0, Identifiers.caseNumber($1.number)) }
        }

        /// Parties that are not individuals (banks, companies, state bodies), with their positions.
        static func complainants(of request: Request) -> [(offset: Int, element: Party)] {
            request.parties.enumerated().filter { $1.kind != .individual }
        }

        /// Persons sought (role subject), with their positions.
        static func subjects(of request: Request) -> [(offset: Int, element: Person)] {
            request.persons.enumerated().filter { $1.role == .subject }
        }

        /// The hashed keys a request leaves in the index (worked out by the task that read it,
        /// straight from the request: no pointers or copies of names are made for it). A subject's
        /// name keys carry the subject's birth date, if known.
        static func hashes(of request: Request) -> LinkHashes {
            var out = LinkHashes(state: request.requestingState)
            for number in Set(caseNumbers(of: request).map(\.element)) where !number.isEmpty {
                out.keys.append((.caseNumber, hash(number), 0))
            }
            for token in Set(complainants(of: request).flatMap { Identifiers.organisationTokens($1.name) }) {
                out.keys.append((.complainant, hash(token), 0))
            }
            var seen = Set<String>()
            for (_, person) in subjects(of: request) {
                let birth = person.birthDate.map { Int32($0.ordinal + 1) } ?? 0
                for name in person.names {
                    for key in NameMatcher.blockingKeys(name.text) where seen.insert("\(key) \(birth)").inserted {
                        out.keys.append((.subject, hash(key), birth))
                    }
                }
            }
            return out
        }

        static func hash(_ key: String) -> UInt64 {
            var hasher = Hasher()
            hasher.combine(key)
            return UInt64(bitPattern: Int64(hasher.finalize()))
        }
    }

    enum LinkKind: UInt8, Sendable, Comparable {
        case caseNumber, complainant, subject
        static func < (a: LinkKind, b: LinkKind) -> Bool { a.rawValue < b.rawValue }
    }

    /// A request's hashed keys, as it hands them to the index.
    struct LinkHashes: Sendable {
        var state: String
        /// Kind, hash, and for a subject's name key the birth date (days since 1970, plus one; 0 unknown).
        var keys: [(kind: LinkKind, hash: UInt64, birth: Int32)] = []
    }

    /// A pair of requests (by input position, `a < b`) that may be linked.
    struct Candidate: Hashable, Comparable, Sendable {
        var kind: LinkKind
        var a: Int
        var b: Int
        static func < (x: Candidate, y: Candidate) -> Bool { (x.kind, x.a, x.b) < (y.kind, y.a, y.b) }
    }

    /// The batch's keys, one 24-byte posting per key, and what it takes to find candidate pairs.
    struct BatchLinkIndex {
        struct Posting {
            var hash: UInt64
            var index: UInt32
            var birth: Int32
            var state: UInt16
            var kind: LinkKind

            /// Two subjects with different known birth dates are never a match (`NameMatcher.cannotMatch`).
            func birthAllows(_ other: Posting) -> Bool { birth == 0 || other.birth == 0 || birth == other.birth }
        }

        /// Groups of complainant or subject keys larger than this are too common to tell anyone
        /// apart (a frequent given name, "Bank") and are not compared.
        static let blockLimit = 200
        /// A case number shared by more requests than this is reported by none of them (the pairs
        /// would grow with the square of the group); it is far beyond any real case.
        static let caseLimit = 1000

        private(set) var postings: [Posting] = []
        private var states: [String: UInt16] = [:]
        /// Keys too common to compare (a frequent name without birth dates, a common complainant
        /// word) and the requests whose links on them were not looked for: said on standard error.
        private(set) var droppedKeys = 0
        private(set) var droppedRequests = Set<UInt32>()

        mutating func add(_ hashes: LinkHashes, index: Int) {
            guard !hashes.keys.isEmpty else { return }
            let state = states[hashes.state] ?? {
                let code = UInt16(states.count)
                states[hashes.state] = code
                return code
            }()
            for key in hashes.keys {
                postings.append(Posting(hash: key.hash, index: UInt32(index), birth: key.birth, state: state, kind: key.kind))
            }
        }

        /// Pairs from different states that share a case number or a complainant word, or at least
        /// two of the informative name keys of the first one's subjects (one, when its names give
        /// only one). A key is informative when it is not too common to tell people apart: a
        /// frequent given name neither makes a pair nor keeps one from forming. Sorted.
        mutating func candidates() -> [Candidate] {
            // Sorted in place: the postings are the batch's largest structure, and a sorted copy
            // would double them at the end of the run.
            postings.sort { ($0.kind, $0.hash, $0.index) < ($1.kind, $1.hash, $1.index) }
            let sorted = postings
            var pairs = Set<Candidate>()
            var sharedNameKeys: [Candidate: Int] = [:]
            var informative: [UInt32: Int] = [:]
            var start = 0
            while start < sorted.count {
                var end = start + 1
                while end < sorted.count, sorted[end].kind == sorted[start].kind, sorted[end].hash == sorted[start].hash { end += 1 }
                let whole = sorted[start..<end]
                start = end
                let kind = whole.first!.kind
                // A name key too common to compare as a whole is compared within each known birth
                // date: a frequent name still links when the birth dates agree. Its postings without
                // a birth date cannot be compared and are counted, so that the batch can say so.
                var groups = [whole]
                if kind == .subject, whole.count > Self.blockLimit {
                    let byBirth = Dictionary(grouping: whole.filter { $0.birth != 0 }, by: \.birth)
                    groups = byBirth.keys.sorted().map { ArraySlice(byBirth[$0]!) }
                    let unknown = whole.filter { $0.birth == 0 }
                    if !unknown.isEmpty && whole.contains(where: { $0.state != whole.first!.state }) {
                        droppedKeys += 1
                        for posting in unknown { droppedRequests.insert(posting.index) }
                    }
                } else if kind != .caseNumber, kind != .subject, whole.count > Self.blockLimit {
                    droppedKeys += 1
                }
                for group in groups {
                    if kind == .subject, group.count <= Self.blockLimit {
                        var counted = Set<UInt32>()
                        for posting in group where counted.insert(posting.index).inserted { informative[posting.index, default: 0] += 1 }
                    }
                    guard group.count > 1, group.count <= (kind == .caseNumber ? Self.caseLimit : Self.blockLimit),
                          group.contains(where: { $0.state != group.first!.state }) else { continue }
                    for (n, x) in group.enumerated() {
                        for y in group.dropFirst(n + 1) where x.state != y.state && x.index != y.index && (kind != .subject || x.birthAllows(y)) {
                            let pair = Candidate(kind: kind, a: Int(min(x.index, y.index)), b: Int(max(x.index, y.index)))
                            if kind == .subject { sharedNameKeys[pair, default: 0] += 1 } else { pairs.insert(pair) }
                        }
                    }
                }
            }
            for (pair, shared) in sharedNameKeys where shared >= min(2, informative[UInt32(pair.a)] ?? 0) {
                pairs.insert(pair)
            }
            return pairs.sorted()
        }
    }

    /// The exact comparison of candidate pairs: for each linked request, its batch facts with
    /// evidence, in a stable order.
    /// Rows of evidence one batch fact of one request carries at most.
    static let evidenceLimit = 20

    static func links(_ candidates: [Candidate], keys: [Int: LinkKeys]) -> [Int: [String: FactResult]] {
        var out: [Int: [String: [Evidence]]] = [:]
        var more: [Int: [String: Int]] = [:]
        // At most `evidenceLimit` rows of evidence per fact and request; the rest are counted on the
        // last row ("and N more"), so that a batch of requests sharing thousands of keys writes
        // reports of a readable size.
        func add(_ k: LinkKeys, _ fact: String, _ quote: String, _ pointer: String, other: LinkKeys) {
            if out[k.index]?[fact]?.count ?? 0 >= Self.evidenceLimit {
                more[k.index, default: [:]][fact, default: 0] += 1
                return
            }
            out[k.index, default: [:]][fact, default: []].append(
                Evidence(kind: .request, fact: fact, quote: quote, file: other.file, pointer: pointer, note: "batch link from \(k.file)"))
        }
        let matcher = NameMatcher()
        var prepared: [Int: [NameMatcher.Prepared]] = [:]
        func names(_ k: LinkKeys) -> [NameMatcher.Prepared] {
            if let p = prepared[k.index] { return p }
            let p = k.subjects.map { NameMatcher.prepare($0.name) }
            prepared[k.index] = p
            return p
        }
        for pair in candidates {
            guard let a = keys[pair.a], let b = keys[pair.b], a.state != b.state else { continue }
            switch pair.kind {
            case .caseNumber:
                // By lookup, not by comparing every pair of numbers: linear in the numbers.
                var numbersOfB: [String: [Int]] = [:]
                for (j, cb) in b.cases.enumerated() where !cb.number.isEmpty { numbersOfB[cb.number, default: []].append(j) }
                for ca in a.cases where !ca.number.isEmpty {
                    for j in numbersOfB[ca.number] ?? [] {
                        let cb = b.cases[j]
                        add(a, "batch.case_number_other_state", "case \(cb.number) also in \(b.id) from \(b.state) (\(b.file))", cb.pointer, other: b)
                        add(b, "batch.case_number_other_state", "case \(ca.number) also in \(a.id) from \(a.state) (\(a.file))", ca.pointer, other: a)
                    }
                }
            case .complainant:
                for ca in a.complainants {
                    for cb in b.complainants where Identifiers.sameOrganisation(ca.name, cb.name) {
                        add(a, "batch.complainant_other_state", "\(cb.name) also in \(b.id) from \(b.state) (\(b.file))", cb.pointer, other: b)
                        add(b, "batch.complainant_other_state", "\(ca.name) also in \(a.id) from \(a.state) (\(a.file))", ca.pointer, other: a)
                    }
                }
            case .subject:
                search: for (x, sa) in a.subjects.enumerated() {
                    for (y, sb) in b.subjects.enumerated() where !matcher.cannotMatch(birthA: sa.birth, birthB: sb.birth) {
                        let m = matcher.compare(names(a)[x], names(b)[y], birthA: sa.birth, birthB: sb.birth)
                        guard m.isMatch else { continue }
                        add(a, "batch.subject_other_state", "\(sb.name) sought in \(b.id) from \(b.state) (\(b.file)); \(m.explanation)", sb.pointer, other: b)
                        add(b, "batch.subject_other_state", "\(sa.name) sought in \(a.id) from \(a.state) (\(a.file)); \(m.explanation)", sa.pointer, other: a)
                        break search
                    }
                }
            }
        }
        for (index, facts) in more {
            for (fact, count) in facts {
                guard var list = out[index]?[fact], var last = list.popLast() else { continue }
                last.note = (last.note.map { $0 + "; " } ?? "") + "and \(count) more links of this kind in the batch"
                list.append(last)
                out[index]![fact] = list
            }
        }
        return out.mapValues { facts in facts.mapValues { FactResult.bool(true, $0) } }
    }
}
