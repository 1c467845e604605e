/// Where a reason's support comes from.
public struct Evidence: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Hashable, Codable {
        /// A field of the request: file, pointer, XPath, line and the quoted value.
        case request
        /// A figure of the requesting-state profile: source id and year.
        case profile
        /// A record of the domestic registry.
        case registry
    }

    public var kind: Kind
    /// The fact this evidence supports.
    public var fact: String
    /// What the evidence says, quoted: the request's own text at that field, the figure, the record.
    public var quote: String
    public var file: String?
    public var pointer: String?
    public var xpath: String?
    public var line: Int?
    public var record: String?
    public var source: String?
    public var year: Int?
    public var note: String?

    public init(kind: Kind, fact: String, quote: String, file: String? = nil, pointer: String? = nil,
                xpath: String? = nil, line: Int? = nil, record: String? = nil, source: String? = nil,
                year: Int? = nil, note: String? = nil) {
        self.kind = kind
        self.fact = fact
        self.quote = quote
        self.file = file
        self.pointer = pointer
        self.xpath = xpath
        self.line = line
        self.record = record
        self.source = source
        self.year = year
        self.note = note
    }

    /// `file:line path` for a request field, `source year` for a figure, the record id for a record.
    public var locator: String {
        switch kind {
        case .request:
            var out = file ?? ""
            if let line { out += ":\(line)" }
            if let path = xpath ?? pointer { out += (out.isEmpty ? "" : " ") + path }
            return out
        case .profile:
            return [source, year.map(String.init)].compactMap { $0 }.joined(separator: ", ")
        case .registry:
            return record ?? "registry"
        }
    }
}

/// A legal source, cited in full.
public struct Citation: Sendable, Hashable, Codable {
    public var id: String
    public var citation: String
    public var pinpoint: String?
    public var date: String?
    public var url: String?
    /// What the source holds, in one sentence.
    public var holds: String
    /// UNVERIFIED and other caveats, kept with the citation.
    public var note: String?

    public init(id: String, citation: String, pinpoint: String? = nil, date: String? = nil, url: String? = nil,
                holds: String, note: String? = nil) {
        self.id = id
        self.citation = citation
        self.pinpoint = pinpoint
        self.date = date
        self.url = url
        self.holds = holds
        self.note = note
    }
}

/// A rule that fired.
public struct Finding: Sendable, Hashable, Codable {
    public var rule: String
    public var version: Int
    public var title: String
    public var pattern: String?
    /// Points added to the score (negative for a mitigating factor).
    public var points: Int
    /// A band this finding alone puts the report at, at least.
    public var floor: Band?
    public var explanation: String
    public var citations: [Citation]
    public var evidence: [Evidence]

    public init(rule: String, version: Int, title: String, pattern: String?, points: Int, floor: Band?,
                explanation: String, citations: [Citation], evidence: [Evidence]) {
        self.rule = rule
        self.version = version
        self.title = title
        self.pattern = pattern
        self.points = points
        self.floor = floor
        self.explanation = explanation
        self.citations = citations
        self.evidence = evidence
    }
}

/// Something a rule needed and could not know. Unknown is not "no".
public struct DataGap: Sendable, Hashable, Codable {
    public var rule: String
    public var title: String
    /// Points the rule would add if its unknown facts turned out to hold.
    public var points: Int
    public var missing: [MissingFact]

    public struct MissingFact: Sendable, Hashable, Codable {
        public var fact: String
        public var why: String
        /// What data would settle it.
        public var settle: String
        public init(fact: String, why: String, settle: String) {
            self.fact = fact
            self.why = why
            self.settle = settle
        }
    }

    public init(rule: String, title: String, points: Int, missing: [MissingFact]) {
        self.rule = rule
        self.title = title
        self.points = points
        self.missing = missing
    }
}

/// What produced a report, so that it can be checked and replayed.
public struct Provenance: Sendable, Hashable, Codable {
    public var engine: String
    public var reportFormat: String
    public var rulePack: RulePackInfo
    public var asOf: Day
    public var profiles: String
    public var registry: String

    public struct RulePackInfo: Sendable, Hashable, Codable {
        public var version: String
        public var sha256: String
        public var rules: Int
        public init(version: String, sha256: String, rules: Int) {
            self.version = version
            self.sha256 = sha256
            self.rules = rules
        }
    }

    public init(engine: String, reportFormat: String, rulePack: RulePackInfo, asOf: Day, profiles: String, registry: String) {
        self.engine = engine
        self.reportFormat = reportFormat
        self.rulePack = rulePack
        self.asOf = asOf
        self.profiles = profiles
        self.registry = registry
    }
}

/// A short description of the screened request, for the report's head.
public struct RequestSummary: Sendable, Hashable, Codable {
    public var file: String
    public var id: String
    public var instrument: Instrument
    public var requestingState: String
    public var requestedState: String
    public var receivedDate: Day
    public var subjects: [String]
    public var offences: [String]
    public var measures: [String]

    public init(_ request: Request, file: String) {
        self.file = file
        id = request.id
        instrument = request.instrument
        requestingState = request.requestingState
        requestedState = request.requestedState
        receivedDate = request.receivedDate
        subjects = request.subjects.map(\.displayName)
        offences = request.offences.map(\.label)
        measures = request.measures.map(\.type.rawValue)
    }
}

/// The scored risk report: the contract of `winnow screen --format json`.
public struct Report: Sendable, Hashable, Codable {
    public static let formatVersion = "1.0"

    public var reportVersion: String
    public var score: Int
    public var band: Band
    /// Why the band is what it is: the threshold reached, or the finding whose floor lifted it.
    public var bandReason: String
    /// Findings that add to the risk, highest points first.
    public var findings: [Finding]
    /// Mitigating findings (negative points).
    public var mitigations: [Finding]
    public var dataGaps: [DataGap]
    public var request: RequestSummary
    public var provenance: Provenance
    public var generatedAt: String

    public init(score: Int, band: Band, bandReason: String, findings: [Finding], mitigations: [Finding],
                dataGaps: [DataGap], request: RequestSummary, provenance: Provenance, generatedAt: String) {
        reportVersion = Report.formatVersion
        self.score = score
        self.band = band
        self.bandReason = bandReason
        self.findings = findings
        self.mitigations = mitigations
        self.dataGaps = dataGaps
        self.request = request
        self.provenance = provenance
        self.generatedAt = generatedAt
    }
}
