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

/// Whether a finding is about the requesting state in general or about this request.
public enum FindingRole: String, Vocabulary {
    /// The requesting state's record: context that calls for care, capped, never a verdict.
    case context
    /// What this request and the domestic records show.
    case `case`
}

/// A rule that fired.
public struct Finding: Sendable, Hashable, Codable {
    public var rule: String
    public var version: Int
    public var title: String
    public var pattern: String?
    public var role: FindingRole
    /// The rule's points (negative for a mitigating factor), in log-odds points.
    public var points: Int
    /// What the finding added to the score's total after the model combined it with the others: the
    /// share its family left it, the context cap, the context's amplification (one decimal).
    public var weight: Double
    /// A band this finding puts the report at, at least (see `Report.bandReason` for whether it held).
    public var floor: Band?
    public var explanation: String
    public var citations: [Citation]
    public var evidence: [Evidence]

    public init(rule: String, version: Int, title: String, pattern: String?, role: FindingRole = .case, points: Int,
                weight: Double? = nil, floor: Band?, explanation: String, citations: [Citation], evidence: [Evidence]) {
        self.rule = rule
        self.version = version
        self.title = title
        self.pattern = pattern
        self.role = role
        self.points = points
        self.weight = weight ?? Double(points)
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
    /// The band the report would reach if this rule's unknown facts held, when that is above the
    /// report's band: a material gap. Absent when settling it could not change the band.
    public var couldRaiseTo: Band?
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

    public init(rule: String, title: String, points: Int, couldRaiseTo: Band? = nil, missing: [MissingFact]) {
        self.rule = rule
        self.title = title
        self.points = points
        self.couldRaiseTo = couldRaiseTo
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

/// How the score was made from the findings (the model's parameters are in `Rules/pack.yaml`).
public struct ScoreBreakdown: Sendable, Hashable, Codable {
    /// `log-odds`: points add on the log-odds scale, `pointsToDouble` points double the odds.
    public var model: String
    /// The score of a request with no finding.
    public var baseScore: Int
    public var pointsToDouble: Int
    /// The requesting state's record, after its family shares and the cap.
    public var contextPoints: Double
    public var contextCap: Int
    /// The score and band the context gives alone, on top of the base: at most `elevated`.
    public var contextScore: Int
    public var contextBand: Band
    /// The factor by which the context multiplied this request's own risk findings.
    public var amplification: Double
    /// This request's own findings (risks amplified, mitigations not), after family shares.
    public var casePoints: Double
    /// contextPoints + casePoints: the points on top of the base.
    public var totalPoints: Double

    public init(model: String, baseScore: Int, pointsToDouble: Int, contextPoints: Double, contextCap: Int, contextScore: Int,
                contextBand: Band, amplification: Double, casePoints: Double, totalPoints: Double) {
        self.model = model
        self.baseScore = baseScore
        self.pointsToDouble = pointsToDouble
        self.contextPoints = contextPoints
        self.contextCap = contextCap
        self.contextScore = contextScore
        self.contextBand = contextBand
        self.amplification = amplification
        self.casePoints = casePoints
        self.totalPoints = totalPoints
    }
}

/// The scored risk report: the contract of `winnow screen --format json`.
public struct Report: Sendable, Hashable, Codable {
    public static let formatVersion = "2.1"

    public var reportVersion: String
    public var score: Int
    public var band: Band
    /// Why the band is what it is: the threshold reached, or the finding whose floor lifted it.
    public var bandReason: String
    /// How the findings became the score.
    public var scoring: ScoreBreakdown
    /// Findings that add to the risk, highest points first.
    public var findings: [Finding]
    /// Mitigating findings (negative points).
    public var mitigations: [Finding]
    public var dataGaps: [DataGap]
    /// What could not be checked, and how far it could move the band (absent in reports before 2.1).
    public var completeness: Completeness?
    public var request: RequestSummary
    public var provenance: Provenance
    public var generatedAt: String

    public init(score: Int, band: Band, bandReason: String, scoring: ScoreBreakdown, findings: [Finding], mitigations: [Finding],
                dataGaps: [DataGap], completeness: Completeness? = nil, request: RequestSummary, provenance: Provenance, generatedAt: String) {
        self.completeness = completeness
        reportVersion = Report.formatVersion
        self.score = score
        self.band = band
        self.bandReason = bandReason
        self.scoring = scoring
        self.findings = findings
        self.mitigations = mitigations
        self.dataGaps = dataGaps
        self.request = request
        self.provenance = provenance
        self.generatedAt = generatedAt
    }
}

extension Report {
    /// The requesting state's record (risks and mitigations), shown as one contribution.
    public var contextFindings: [Finding] { (findings + mitigations).filter { $0.role == .context } }
    /// What this request and the domestic records show against it.
    public var caseFindings: [Finding] { findings.filter { $0.role == .case } }
    /// What this request shows in its favour.
    public var caseMitigations: [Finding] { mitigations.filter { $0.role == .case } }

    /// The band as a header shows it: `LOW`, or `LOW, INCOMPLETE` when a material gap remains.
    public var bandLabel: String { band.rawValue.uppercased() + (completeness?.isIncomplete == true ? ", INCOMPLETE" : "") }

    /// What was checked and what was not, for the header: the completeness line, the registry and
    /// the profiles the report was made with.
    public var checkedLines: [String] {
        var lines: [String] = []
        if let c = completeness { lines.append("checks: \(c.summary)") }
        lines.append("registry: \(provenance.registry)")
        lines.append("profiles: \(provenance.profiles), as of \(provenance.asOf)")
        return lines
    }

    /// One sentence on the context, for the head of a report.
    public var contextSummary: String {
        let s = scoring
        let care = s.contextPoints > 0 ? "the requesting state's record calls for care" : "the requesting state's record adds no risk"
        return "context: \(care) (\(Self.signed(s.contextPoints)) points, cap \(s.contextCap); alone it gives \(s.contextBand.rawValue)); "
            + "this request's own findings: \(Self.signed(s.casePoints)) points, risks weighed ×\(Self.number(s.amplification)) by the context"
    }

    /// `+12.5`, `-10`, `0`.
    public static func signed(_ x: Double) -> String { (x > 0 ? "+" : "") + number(x) }

    /// A tenth-rounded number without a trailing `.0`.
    public static func number(_ x: Double) -> String {
        let t = (x * 100).rounded() / 100
        return t == t.rounded() ? String(Int(t)) : String(t)
    }

    /// How a finding entered the score: its points and, where the model changed them, its weight.
    public static func contribution(_ f: Finding) -> String {
        let points = (f.points > 0 ? "+" : "") + String(f.points)
        return Double(f.points) == f.weight ? points : "\(points) → \(signed(f.weight))"
    }
}

/// How much of the screening could be done: a low score above unsettled checks that could raise the
/// band is "incomplete", never an all-clear.
public struct Completeness: Sendable, Hashable, Codable {
    /// Data gaps in all.
    public var dataGaps: Int
    /// Data gaps that, settled the wrong way, would each raise the band on their own.
    public var materialGaps: Int
    /// Score and band if every gap's unknown facts held at once: an upper bound, since some exclude others.
    public var ifAllHeld: Ceiling
    /// One line for the header: "complete", or how many checks could not be made and what they could do.
    public var summary: String

    public struct Ceiling: Sendable, Hashable, Codable {
        public var score: Int
        public var band: Band
        public init(score: Int, band: Band) {
            self.score = score
            self.band = band
        }
    }

    public var isIncomplete: Bool { materialGaps > 0 }

    public init(dataGaps: Int, materialGaps: Int, ifAllHeld: Ceiling, band: Band) {
        self.dataGaps = dataGaps
        self.materialGaps = materialGaps
        self.ifAllHeld = ifAllHeld
        if materialGaps > 0 {
            let checks = materialGaps == 1 ? "1 check" : "\(materialGaps) checks"
            summary = "\(band.rawValue), incomplete: \(checks) could not be made that could raise the band (to \(ifAllHeld.band.rawValue) at most, score \(ifAllHeld.score))"
        } else if dataGaps > 0 {
            summary = "\(band.rawValue); " + (dataGaps == 1 ? "1 data gap, which alone could not raise the band"
                                                         : "\(dataGaps) data gaps, none of which alone could raise the band")
        } else {
            summary = "\(band.rawValue); every check could be made"
        }
    }
}
