public import WinnowModel

/// The report as one self-contained HTML page: no scripts, no external styles or fonts; readable
/// on screen and printed on A4. Everything that comes from a request or a record is escaped, and
/// only http(s) links are ever made into links.
public enum HTMLReport {
    /// Escapes text for element content and attribute values, and neutralises Unicode
    /// bidirectional controls (which could make evidence read differently from what it is).
    /// What every printed page carries in its margins (CSS paged media): the request reference and
    /// the handling line at the top, band and score and "page N of M" at the bottom.
    static func pageStyle(_ report: Report) -> String {
        let r = report.request
        return """
            @page { @top-left { content: \(cssString("Winnow risk report: \(r.instrument.rawValue) \(r.id)")); font-size: 8pt; color: #555; }
              @top-right { content: \(cssString(handling)); font-size: 8pt; color: #555; }
              @bottom-left { content: \(cssString("\(report.bandLabel) score \(report.score)/100, as of \(report.provenance.asOf)")); font-size: 8pt; color: #555; }
              @bottom-right { content: "Page " counter(page) " of " counter(pages); font-size: 8pt; color: #555; } }
            """
    }

    /// The handling line printed on every page.
    public static let handling = "For official use: contains personal data of the persons named"

    /// A CSS string literal: quotes, backslashes and line breaks escaped, and `<` too, so that no
    /// request text can close the style element.
    static func cssString(_ text: String) -> String {
        var out = "\""
        for scalar in text.visibleControls().unicodeScalars {
            switch scalar {
            case "\"", "\\", "<", ">", "&", "\n", "\r", "\u{0C}": out += "\\" + String(scalar.value, radix: 16) + " "
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    /// Escaped text that may break after each `/` or `:` (locators, pointers), never mid-word.
    static func breakable(_ text: String) -> String {
        escape(text).replacingOccurrences(of: "/", with: "/<wbr>").replacingOccurrences(of: ":", with: ":<wbr>")
    }

    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "\u{202A}"..."\u{202E}", "\u{2066}"..."\u{2069}", "\u{200E}", "\u{200F}", "\u{061C}":
                out += "[U+\(String(scalar.value, radix: 16, uppercase: true))]"   // shown, never obeyed
            default:
                if scalar.value < 0x20 && scalar != "\n" && scalar != "\t" { out += "\u{FFFD}" } else { out.unicodeScalars.append(scalar) }
            }
        }
        return out
    }

    /// A link only for http(s) addresses; anything else (javascript:, data:) is shown as text.
    static func link(_ url: String?, _ label: String) -> String {
        guard let url, url.hasPrefix("https://") || url.hasPrefix("http://"),
              !url.contains(where: { $0 == "\"" || $0 == "<" || $0 == ">" || $0.isWhitespace }) else { return escape(label) }
        return "<a href=\"\(escape(url))\">\(escape(label))</a>"
    }

    public static let style = """
        :root { --ink: #1a1a1a; --muted: #555; --rule: #c8c8c8; --low: #1f6f3f; --elevated: #8a5a00; --high: #b23b00; --critical: #9b0000; }
        * { box-sizing: border-box; }
        body { font-family: "DejaVu Sans", "Liberation Sans", Arial, sans-serif; color: var(--ink); margin: 2rem auto; max-width: 60rem; padding: 0 1rem; line-height: 1.45; }
        h1 { font-size: 1.5rem; margin: 0 0 .25rem; } h2 { font-size: 1.15rem; border-bottom: 2px solid var(--ink); padding-bottom: .2rem; margin-top: 2rem; }
        h3 { font-size: 1rem; margin: 0; }
        .band { display: inline-block; padding: .3rem .8rem; border-radius: .3rem; color: #fff; font-weight: bold; font-size: 1.2rem; letter-spacing: .05em; }
        .band.low { background: var(--low); } .band.elevated { background: var(--elevated); } .band.high { background: var(--high); } .band.critical { background: var(--critical); }
        .meta { color: var(--muted); margin: .2rem 0; }
        .incomplete { display: inline-block; padding: .3rem .8rem; border: 2px solid var(--high); border-radius: .3rem; font-weight: bold; letter-spacing: .05em; }
        .finding { border: 1px solid var(--rule); border-left: 6px solid var(--high); padding: .6rem .9rem; margin: .8rem 0; }
        .finding.mitigating { border-left-color: var(--low); }
        .points { float: right; font-weight: bold; font-size: 1.1rem; }
        .rule { color: var(--muted); font-size: .85rem; }
        table { border-collapse: collapse; width: 100%; margin: .5rem 0; font-size: .88rem; table-layout: fixed; }
        th, td { border: 1px solid var(--rule); padding: .3rem .45rem; text-align: left; vertical-align: top; overflow-wrap: anywhere; word-break: break-word; }
        th { background: #eee; }
        q { font-style: italic; }
        code { font-size: .85em; overflow-wrap: anywhere; }
        .note { color: var(--muted); font-size: .85rem; }
        footer { margin-top: 2rem; color: var(--muted); font-size: .85rem; border-top: 1px solid var(--rule); padding-top: .5rem; }
        .decision th { width: 11rem; } .decision td.blank { height: 2.2rem; }
        @page { size: A4; margin: 14mm 11mm; }
        @media print { body { margin: 0; max-width: none; font-size: 8pt; line-height: 1.25; } a { color: inherit; }
          .summary { break-after: page; page-break-after: always; } .decision td.blank { height: 1.6cm; }
          h2 { margin: .6rem 0 .3rem; font-size: 11pt; } h3 { font-size: 9.5pt; } .points { font-size: 9.5pt; }
          .finding { padding: .2rem .5rem; margin: .3rem 0; border-left-width: 4px; } .finding p { margin: .2rem 0; }
          table { margin: .2rem 0; font-size: 7.4pt; } th, td { padding: .1rem .25rem; }
          dl { margin: .3rem 0; } dt { font-weight: bold; } dd { margin: 0 0 .2rem 1rem; }
          footer { margin-top: .4rem; padding-top: .2rem; font-size: .92em; break-before: avoid; page-break-before: avoid; }
          .rule, .note { font-size: .92em; } .meta { margin: .1rem 0; } .glossary dl { columns: 2; column-gap: 1.2rem; }
          .glossary dt { display: inline; } .glossary dt::after { content: ": "; }
          .glossary dd { display: inline; margin: 0; } .glossary dd::after { content: ""; display: block; margin-bottom: .15rem; }
          a[href]::after { content: " <" attr(href) ">"; font-size: .8em; color: var(--muted); overflow-wrap: anywhere; }
          th, td { overflow-wrap: break-word; word-break: normal; }
          h2, h3, .rule { break-after: avoid; page-break-after: avoid; } tr, .points { break-inside: avoid; page-break-inside: avoid; }
          .band { print-color-adjust: exact; -webkit-print-color-adjust: exact; } }
        """

    /// `patterns` names the pattern families (P1 ... P12) for the glossary; the pack has them.
    public static func render(_ report: Report, patterns: [String: String] = [:]) -> String {
        var h: [String] = []
        let r = report.request
        h.append("<!DOCTYPE html>")
        h.append("<html lang=\"en\"><head><meta charset=\"utf-8\">")
        h.append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">")
        h.append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
        h.append("<title>Winnow report: \(escape(r.id)) (\(report.band.rawValue))</title>")
        h.append("<style>\(style)\n\(pageStyle(report))</style></head><body>")
        h.append("<header>")
        h.append("<h1>Risk report: \(escape(r.instrument.rawValue)) \(escape(r.id))</h1>")
        let incomplete = report.completeness?.isIncomplete == true
        h.append("<p><span class=\"band \(report.band.rawValue)\">\(report.band.rawValue.uppercased())</span>"
                 + (incomplete ? " <span class=\"incomplete\">INCOMPLETE</span>" : "") + " <strong>score \(report.score)/100</strong></p>")
        h.append("<p class=\"meta\">From \(escape(r.requestingState)) to \(escape(r.requestedState)), received \(r.receivedDate). "
                 + "Subject: \(escape(r.subjects.joined(separator: "; ")))</p>")
        h.append("<p class=\"meta\">\(escape(report.bandReason)).</p>")
        h.append("<p class=\"meta\">\(escape(report.contextSummary)).</p>")
        for line in report.checkedLines { h.append("<p class=\"meta checked\">\(escape(line))</p>") }
        h.append("</header><main>")
        summary(&h, report)
        section(&h, "Reasons in this request (\(report.caseFindings.count))", report.caseFindings, mitigating: false)
        section(&h, "Mitigating factors (\(report.caseMitigations.count))", report.caseMitigations, mitigating: true)
        section(&h, "Context: the requesting state's record (\(Report.signed(report.scoring.contextPoints)) points, at most \(report.scoring.contextCap))",
                report.contextFindings, mitigating: false)
        h.append("<section><h2>Data gaps (\(report.dataGaps.count)): what could not be checked</h2>")
        if report.dataGaps.isEmpty { h.append("<p>None.</p>") } else {
            h.append("<table><thead><tr><th scope=\"col\">Check</th><th scope=\"col\">Unknown fact</th><th scope=\"col\">Why</th><th scope=\"col\">Would be settled by</th></tr></thead><tbody>")
            for gap in report.dataGaps {
                for m in gap.missing {
                    h.append("<tr><td>\(escape(gap.title)) <span class=\"rule\">(\(escape(gap.rule)), up to +\(gap.points))</span></td><td><code>\(escape(m.fact))</code></td><td>\(escape(m.why))</td><td>\(escape(m.settle))</td></tr>")
                }
            }
            h.append("</tbody></table>")
        }
        h.append("</section>")
        var seen = Set<String>()
        let citations = (report.findings + report.mitigations).flatMap(\.citations).filter { seen.insert($0.id).inserted }
        h.append("<section><h2>Legal sources</h2><table><thead><tr><th scope=\"col\" style=\"width:7rem\">Id</th><th scope=\"col\">Citation</th><th scope=\"col\" style=\"width:45%\">Holds</th></tr></thead><tbody>")
        for c in citations {
            let text = c.citation + (c.pinpoint.map { ", \($0)" } ?? "") + (c.date.map { " (\($0))" } ?? "")
            h.append("<tr><td>\(escape(c.id))</td><td>\(link(c.url, text))\(c.note.map { " <span class=\"note\">[\(escape($0))]</span>" } ?? "")</td><td>\(escape(c.holds))</td></tr>")
        }
        h.append("</tbody></table></section>")
        h.append("<section class=\"glossary\"><h2>Glossary</h2><dl>")
        for entry in Glossary.entries(for: report, patterns: patterns) { h.append("<dt>\(escape(entry.term))</dt><dd>\(escape(entry.means))</dd>") }
        h.append("</dl></section>")
        let p = report.provenance
        h.append("<section><h2>Provenance</h2><table><tbody>")
        for (k, v) in [("Engine", p.engine), ("Report format", p.reportFormat), ("Rule pack", "\(p.rulePack.version), \(p.rulePack.rules) rules"),
                       ("Rule pack SHA-256", p.rulePack.sha256), ("As of", p.asOf.description), ("Profiles", p.profiles), ("Registry", p.registry),
                       ("Request file", r.file), ("Generated", report.generatedAt)] {
            h.append("<tr><th scope=\"row\" style=\"width:11rem\">\(escape(k))</th><td>\(escape(v))</td></tr>")
        }
        h.append("</tbody></table></section></main>")
        h.append("<footer>Winnow supports a decision; it does not make one. Every reason names its rule, its legal source and its evidence.</footer>")
        h.append("</body></html>")
        return h.joined(separator: "\n") + "\n"
    }

    /// The first printed page: what moved the score, what could not be checked, and the block the
    /// reviewer fills in. The detail follows from the next page.
    private static func summary(_ h: inout [String], _ report: Report) {
        h.append("<section class=\"summary\"><h2>Summary</h2>")
        let moved = report.caseFindings.sorted { $0.weight > $1.weight }
        if moved.isEmpty {
            h.append("<p>No reason in this request raises the score.</p>")
        } else {
            h.append("<table class=\"compact\"><thead><tr><th scope=\"col\">What moved the score</th><th scope=\"col\" style=\"width:6.5rem\">Weight</th></tr></thead><tbody>")
            for f in moved.prefix(8) {
                h.append("<tr><td>\(escape(f.title)) <span class=\"rule\">(\(escape(f.rule)))</span></td><td>\(escape(Report.contribution(f)))</td></tr>")
            }
            if moved.count > 8 { h.append("<tr><td colspan=\"2\" class=\"note\">and \(moved.count - 8) more below</td></tr>") }
            h.append("</tbody></table>")
        }
        if !report.caseMitigations.isEmpty {
            h.append("<p><strong>Mitigating:</strong> \(escape(report.caseMitigations.map { "\($0.title) (\(Report.contribution($0)))" }.joined(separator: "; ")))</p>")
        }
        let material = report.dataGaps.filter { $0.couldRaiseTo != nil }
        if material.isEmpty {
            h.append("<p><strong>Could not be checked:</strong> \(report.dataGaps.isEmpty ? "nothing; every check could be made" : "\(report.dataGaps.count) checks, none of which alone could raise the band (listed below)").</p>")
        } else {
            h.append("<p><strong>Could not be checked, and could raise the band:</strong></p><ul>")
            for gap in material.prefix(6) {
                h.append("<li>\(escape(gap.title)) (to \(gap.couldRaiseTo!.rawValue)): \(escape(gap.missing.map(\.settle).joined(separator: "; ")))</li>")
            }
            if material.count > 6 { h.append("<li>and \(material.count - 6) more below</li>") }
            h.append("</ul>")
        }
        h.append("<table class=\"decision\"><tbody>")
        h.append("<tr><th scope=\"row\">Decision</th><td>&#9744; execute &#160; &#9744; execute with conditions or assurances &#160; &#9744; refuse &#160; &#9744; ask the requesting state for more information</td></tr>")
        for row in ["Legal grounds", "Reasons (required when the decision goes against the band)", "Reviewer, role", "Date and signature"] {
            h.append("<tr><th scope=\"row\">\(escape(row))</th><td class=\"blank\"></td></tr>")
        }
        h.append("</tbody></table></section>")
    }

    private static func section(_ h: inout [String], _ title: String, _ findings: [Finding], mitigating: Bool) {
        h.append("<section><h2>\(escape(title))</h2>")
        if findings.isEmpty { h.append("<p>None.</p>") }
        for f in findings {
            h.append("<article class=\"finding\(mitigating ? " mitigating" : "")\">")
            h.append("<span class=\"points\">\(escape(Report.contribution(f)))</span>")
            h.append("<h3>\(escape(f.title))</h3>")
            h.append("<p class=\"rule\">Rule <code>\(escape(f.rule))</code> v\(f.version)\(f.pattern.map { ", pattern \(escape($0))" } ?? "")\(f.floor.map { ", floor \($0.rawValue)" } ?? ""); sources: \(escape(f.citations.map(\.id).joined(separator: ", ")))</p>")
            h.append("<p>\(escape(f.explanation))</p>")
            if !f.evidence.isEmpty {
                h.append("<table><thead><tr><th scope=\"col\" style=\"width:32%\">Where</th><th scope=\"col\">Evidence</th></tr></thead><tbody>")
                for e in f.evidence {
                    h.append("<tr><td><code>\(breakable(e.locator))</code></td><td><q>\(escape(e.quote))</q>\(e.note.map { " <span class=\"note\">[\(escape($0))]</span>" } ?? "")</td></tr>")
                }
                h.append("</tbody></table>")
            }
            h.append("</article>")
        }
        h.append("</section>")
    }
}
