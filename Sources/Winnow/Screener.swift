public import Foundation
@_exported public import WinnowReports
@_exported public import WinnowRules

/// Screens requests: intake -> facts -> rules -> report. One value, shared across threads.
public struct Screener: Sendable {
    public var pack: RulePack
    public var intake: Intake
    public var asOf: Day
    public var profiles: (any ProfileSource)?
    public var registry: (any RegistrySource)?

    public init(pack: RulePack, asOf: Day, intake: Intake? = nil, profiles: (any ProfileSource)? = nil,
                registry: (any RegistrySource)? = nil) {
        self.pack = pack
        self.asOf = asOf
        self.intake = intake ?? Intake(today: asOf)
        self.profiles = profiles ?? pack.profiles
        self.registry = registry
    }

    /// Finds the rules folder: `$WINNOW_RULES`, else `./Rules`, else the install location beside
    /// the executable (`PREFIX/share/winnow/Rules` for `PREFIX/bin/winnow`, as
    /// `scripts/install.sh` lays it out), else a `Rules` folder above the executable (a build
    /// inside the repository).
    public static func defaultRulesFolder() -> URL? {
        let fm = FileManager.default
        if let env = ProcessInfo.processInfo.environment["WINNOW_RULES"], !env.isEmpty { return URL(fileURLWithPath: env) }
        let cwd = URL(fileURLWithPath: fm.currentDirectoryPath).appendingPathComponent("Rules")
        if fm.fileExists(atPath: cwd.appendingPathComponent("pack.yaml").path) { return cwd }
        let executable = URL(fileURLWithPath: CommandLine.arguments.first ?? ".").resolvingSymlinksInPath()
        let installed = executable.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("share/winnow/Rules")
        if fm.fileExists(atPath: installed.appendingPathComponent("pack.yaml").path) { return installed }
        var dir = executable.deletingLastPathComponent()
        for _ in 0..<6 {
            let candidate = dir.appendingPathComponent("Rules")
            if fm.fileExists(atPath: candidate.appendingPathComponent("pack.yaml").path) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        return nil
    }

    /// Reads, checks and screens one request file.
    public func screen(path: String, generatedAt: Date = Date()) throws(IntakeError) -> Report {
        let request = try intake.load(path: path)
        return screen(request, file: path, generatedAt: generatedAt)
    }

    /// Reads, checks and screens the bytes of one request; `name` is how the report names the file.
    public func screen(bytes: [UInt8], name: String, generatedAt: Date = Date()) throws(IntakeError) -> Report {
        screen(try intake.load(bytes: bytes, name: name), file: name, generatedAt: generatedAt)
    }

    /// Screens an already-read request; `batchFacts` carries its links to other requests of a batch.
    /// With `detail: .scoreOnly` the report has its score, band and fired rules but no explanations,
    /// evidence or data gaps (for a batch summary without reports).
    public func screen(_ request: Request, file: String, generatedAt: Date = Date(), batchFacts: [String: FactResult] = [:],
                       detail: Evaluator.Detail = .full) -> Report {
        var context = FactContext(request: request, asOf: asOf, profiles: profiles, registry: registry)
        context.batchFacts = batchFacts
        let sheet = FactSheet(catalogue: pack.catalogue, context: context)
        let evaluation = Evaluator(pack: pack).run(sheet, detail: detail)
        let provenance = Provenance(
            engine: "winnow \(WinnowVersion.engine)", reportFormat: Report.formatVersion,
            rulePack: .init(version: "\(pack.name) \(pack.release)", sha256: pack.sha256, rules: pack.rules.count),
            asOf: asOf,
            profiles: profiles?.snapshot ?? "none loaded: requesting-state facts are data gaps",
            registry: registry?.snapshot ?? "none given: domestic-record facts are data gaps")
        return Report(score: evaluation.score, band: evaluation.band, bandReason: evaluation.bandReason, scoring: evaluation.scoring,
                      findings: evaluation.findings, mitigations: evaluation.mitigations, dataGaps: evaluation.dataGaps,
                      completeness: evaluation.completeness,
                      request: RequestSummary(request, file: file), provenance: provenance,
                      generatedAt: Self.timestamp(generatedAt))
    }

    static func timestamp(_ date: Date) -> String {
        Day.timestamp(secondsSince1970: date.timeIntervalSince1970)
    }
}

extension RulePack {
    /// The rules as SARIF describes them (`--format sarif`).
    public var sarifRules: [SARIFReport.Rule] {
        rules.map { SARIFReport.Rule(id: $0.id, title: $0.title, rationale: $0.rationale, version: $0.version) }
    }
}
