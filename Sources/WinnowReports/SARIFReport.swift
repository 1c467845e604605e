public import WinnowModel

/// The report as a SARIF 2.1.0 log, for the tools that collect findings from many sources: one run
/// per screened request, one result per finding (mitigating factors as informational results), the level from the
/// report's band, the location of the request field each finding quotes first, and the registry
/// and profile evidence as related locations. Rule metadata comes from the pack (`SARIFReport.Rule`).
public enum SARIFReport {
    /// What SARIF says about a rule: built by the facade from the rule pack.
    public struct Rule: Sendable, Hashable {
        public var id: String
        public var title: String
        public var rationale: String
        public var version: Int
        public init(id: String, title: String, rationale: String, version: Int) {
            self.id = id
            self.title = title
            self.rationale = rationale
            self.version = version
        }
    }

    /// Where the rule reference lives, for each rule's `helpUri` (its anchor in docs/rules.md).
    public static let rulesReference = "docs/rules.md"

    struct Log: Encodable {
        let version = "2.1.0"
        let schema = "https://json.schemastore.org/sarif-2.1.0.json"
        var runs: [Run]
        enum CodingKeys: String, CodingKey { case version, schema = "$schema", runs }
    }
    struct Run: Encodable {
        var tool: Tool
        var results: [Result]
        var properties: [String: String]
    }
    struct Tool: Encodable { var driver: Driver }
    struct Driver: Encodable {
        var name = "winnow"
        var version: String
        var informationUri = rulesReference
        var rules: [ReportingDescriptor]
    }
    struct Text: Encodable { var text: String }
    struct ReportingDescriptor: Encodable {
        var id: String
        var name: String
        var shortDescription: Text
        var fullDescription: Text
        var helpUri: String
        var properties: [String: String]
    }
    struct Result: Encodable {
        var ruleId: String
        var ruleIndex: Int
        var level: String
        var kind: String
        var message: Text
        var locations: [Location]
        var relatedLocations: [Location]?
        var properties: [String: String]
    }
    struct Location: Encodable {
        var id: Int?
        var physicalLocation: PhysicalLocation?
        var logicalLocations: [LogicalLocation]?
        var message: Text?
    }
    struct PhysicalLocation: Encodable {
        var artifactLocation: ArtifactLocation
        var region: Region?
    }
    struct ArtifactLocation: Encodable { var uri: String }
    struct Region: Encodable { var startLine: Int }
    struct LogicalLocation: Encodable {
        var fullyQualifiedName: String
        var kind = "member"
    }

    /// SARIF's level for a report's band.
    public static func level(_ band: Band) -> String {
        switch band {
        case .critical, .high: return "error"
        case .elevated: return "warning"
        case .low: return "note"
        }
    }

    public static func render(_ reports: [Report], rules: [Rule]) -> String {
        let known = Dictionary(rules.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let runs = reports.map { report -> Run in
            let fired = report.findings + report.mitigations
            // The rules this run refers to, in the order they first appear.
            var descriptors: [ReportingDescriptor] = []
            var index: [String: Int] = [:]
            for f in fired where index[f.rule] == nil {
                index[f.rule] = descriptors.count
                let rule = known[f.rule]
                descriptors.append(ReportingDescriptor(
                    id: f.rule, name: f.rule, shortDescription: Text(text: f.title),
                    fullDescription: Text(text: rule?.rationale ?? f.title),
                    helpUri: "\(rulesReference)#\(f.rule)",
                    properties: ["version": String(f.version), "role": f.role.rawValue].merging(f.pattern.map { ["pattern": $0] } ?? [:]) { a, _ in a }))
            }
            let results = fired.map { f -> Result in
                let request = f.evidence.filter { $0.kind == .request }
                let primary = request.first
                let location = Location(
                    physicalLocation: PhysicalLocation(artifactLocation: ArtifactLocation(uri: primary?.file ?? report.request.file),
                                                       region: primary?.line.map { Region(startLine: $0) }),
                    logicalLocations: primary?.pointer.map { [LogicalLocation(fullyQualifiedName: $0)] })
                var related: [Location] = []
                for (i, e) in f.evidence.enumerated() where !(e.kind == .request && e == primary) {
                    if e.kind == .request {
                        related.append(Location(id: i, physicalLocation: PhysicalLocation(artifactLocation: ArtifactLocation(uri: e.file ?? report.request.file),
                                                                                          region: e.line.map { Region(startLine: $0) }),
                                                logicalLocations: e.pointer.map { [LogicalLocation(fullyQualifiedName: $0)] }, message: Text(text: e.quote)))
                    } else {
                        related.append(Location(id: i, logicalLocations: [LogicalLocation(fullyQualifiedName: e.locator, kind: e.kind == .registry ? "resource" : "module")],
                                                message: Text(text: "\(e.kind.rawValue): \(e.quote)")))
                    }
                }
                return Result(ruleId: f.rule, ruleIndex: index[f.rule]!, // SARIF: a result whose kind is not "fail" carries level "none".
                              level: f.points < 0 ? "none" : level(report.band),
                              kind: f.points < 0 ? "informational" : "fail", message: Text(text: f.explanation.isEmpty ? f.title : f.explanation),
                              locations: [location], relatedLocations: related.isEmpty ? nil : related,
                              properties: ["points": String(f.points), "weight": Report.number(f.weight), "role": f.role.rawValue,
                                           "citations": f.citations.map(\.id).joined(separator: " ")])
            }
            return Run(tool: Tool(driver: Driver(version: report.provenance.rulePack.version, rules: descriptors)),
                       results: results,
                       properties: ["band": report.band.rawValue, "score": String(report.score), "bandReason": report.bandReason,
                                    "request": report.request.file, "requestId": report.request.id, "asOf": report.provenance.asOf.description,
                                    "rulePackSha256": report.provenance.rulePack.sha256, "dataGaps": String(report.dataGaps.count)])
        }
        return ((try? PrettyJSON.encode(Log(runs: runs))) ?? "{}") + "\n"
    }
}
