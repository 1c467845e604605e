public import WinnowModel

/// The report as a reviewer reads it in a terminal: band and score first, then the reasons with
/// their evidence and sources, mitigating factors, data gaps, provenance.
public enum TextReport {
    /// `patterns` names the pattern families (P1 ... P12) for the glossary; the pack has them.
    public static func render(_ report: Report, width: Int = 100, patterns: [String: String] = [:]) -> String {
        var out: [String] = []
        let r = report.request
        out.append("WINNOW RISK REPORT  \(report.bandLabel)  score \(report.score)/100")
        out.append("\(r.instrument.rawValue) \(r.id) from \(r.requestingState) to \(r.requestedState), received \(r.receivedDate)")
        if !r.subjects.isEmpty { out.append("subject: \(r.subjects.joined(separator: "; "))") }
        out.append("file: \(r.file)")
        out.append("band: \(report.bandReason)")
        out.append(report.contextSummary)
        out.append(contentsOf: report.checkedLines)
        out.append("")
        section(&out, "REASONS IN THIS REQUEST (\(report.caseFindings.count))", report.caseFindings, width: width)
        section(&out, "MITIGATING (\(report.caseMitigations.count))", report.caseMitigations, width: width)
        section(&out, "CONTEXT: THE REQUESTING STATE'S RECORD (\(report.contextFindings.count); \(Report.signed(report.scoring.contextPoints)) points, at most \(report.scoring.contextCap))",
                report.contextFindings, width: width)
        out.append("DATA GAPS (\(report.dataGaps.count)): what could not be checked")
        if report.dataGaps.isEmpty { out.append("  none") }
        for gap in report.dataGaps {
            out.append("  ? \(gap.title) [\(gap.rule), up to +\(gap.points)\(gap.couldRaiseTo.map { "; could raise the band to \($0.rawValue)" } ?? "")]")
            for m in gap.missing { out.append("      \(m.fact): \(m.why); settle with \(m.settle)") }
        }
        out.append("")
        let citations = (report.findings + report.mitigations).flatMap(\.citations)
        var seen = Set<String>()
        out.append("SOURCES")
        for c in citations where seen.insert(c.id).inserted {
            var line = "  [\(c.id)] \(c.citation)"
            if let p = c.pinpoint { line += ", \(p)" }
            if let d = c.date { line += " (\(d))" }
            if let note = c.note { line += " [\(note)]" }
            out.append(line)
            if let url = c.url { out.append("      \(url)") }
        }
        out.append("")
        out.append("GLOSSARY")
        for entry in Glossary.entries(for: report, patterns: patterns) { out.append("  \(entry.term): \(entry.means)") }
        out.append("")
        let p = report.provenance
        out.append("PROVENANCE")
        out.append("  \(p.engine); report format \(p.reportFormat); rules \(p.rulePack.version) (\(p.rulePack.rules) rules, sha256 \(p.rulePack.sha256.prefix(16))…)")
        out.append("  as of \(p.asOf); profiles: \(p.profiles); registry: \(p.registry)")
        out.append("  generated \(report.generatedAt)")
        out.append("")
        out.append("Winnow supports a decision; it does not make one.")
        // Request content may carry control or direction characters: shown, never obeyed.
        return out.joined(separator: "\n").visibleControls(keepingLineFeeds: true) + "\n"
    }

    private static func section(_ out: inout [String], _ title: String, _ findings: [Finding], width: Int) {
        out.append(title)
        if findings.isEmpty { out.append("  none") }
        for f in findings {
            out.append("  \(Report.contribution(f))  \(f.title)  [\(f.rule) v\(f.version)\(f.pattern.map { ", \($0)" } ?? "")\(f.floor.map { ", floor \($0.rawValue)" } ?? "")]")
            for line in wrap(f.explanation, width: width - 8) { out.append("        \(line)") }
            for e in f.evidence {
                out.append("        evidence: \(e.locator) = \(quoted(e.quote))\(e.note.map { " [\($0)]" } ?? "")")
            }
            out.append("        sources: \(f.citations.map(\.id).joined(separator: ", "))")
        }
        out.append("")
    }

    static func quoted(_ s: String) -> String {
        let flat = s.split(whereSeparator: \.isNewline).joined(separator: " ")
        return "“" + (flat.count > 160 ? String(flat.prefix(157)) + "…" : flat) + "”"
    }

    static func wrap(_ text: String, width: Int) -> [String] {
        var lines: [String] = []
        var current = ""
        for word in text.split(whereSeparator: \.isWhitespace) {
            if current.count + word.count + 1 > width, !current.isEmpty {
                lines.append(current)
                current = ""
            }
            current += (current.isEmpty ? "" : " ") + word
        }
        if !current.isEmpty { lines.append(current) }
        return lines
    }
}
