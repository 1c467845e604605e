import Foundation

/// The audit as one self-contained HTML page with SVG charts drawn here (no libraries, no scripts).
public enum AuditReport {
    static let bandColour: [Band: String] = [.low: "#1f6f3f", .elevated: "#8a5a00", .high: "#b23b00", .critical: "#9b0000"]
    static let e = HTMLReport.escape

    /// Scores at the time of each decision, one row of dots per kind of decision.
    static func scoresByDecision(_ rows: [AuditRow], thresholds: [Band: Int]) -> String {
        let kinds = ["executed", "partly_executed", "refused", "pending"]
        let width = 640, left = 130, plot = 480, rowHeight = 36, height = rowHeight * kinds.count + 62
        var s = "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-labelledby=\"c1\" width=\"\(width)\" height=\"\(height)\" viewBox=\"0 0 \(width) \(height)\">"
        s += "<title id=\"c1\">Risk score at the time of each decision, by decision</title>"
        for band in [Band.elevated, .high, .critical] {
            if let t = thresholds[band] {
                let x = left + plot * t / 100
                s += "<line x1=\"\(x)\" y1=\"5\" x2=\"\(x)\" y2=\"\(rowHeight * kinds.count + 5)\" stroke=\"\(bandColour[band]!)\" stroke-dasharray=\"4 3\"/>"
                s += "<text x=\"\(x + 3)\" y=\"\(rowHeight * kinds.count + 18)\" font-size=\"11\" fill=\"\(bandColour[band]!)\">\(band.rawValue) \(t)</text>"
            }
        }
        for (i, kind) in kinds.enumerated() {
            let y = 20 + i * rowHeight
            s += "<text x=\"\(left - 8)\" y=\"\(y + 4)\" font-size=\"12\" text-anchor=\"end\">\(kind.replacingOccurrences(of: "_", with: " "))</text>"
            s += "<line x1=\"\(left)\" y1=\"\(y)\" x2=\"\(left + plot)\" y2=\"\(y)\" stroke=\"#ccc\"/>"
            // Decisions with the same score pile up on one dot: it says how many, on screen and on paper.
            var piles: [(score: Int, band: Band, requests: [String])] = []
            for row in rows where row.decision == kind {
                guard let score = row.scoreThen, let band = row.bandThen else { continue }
                let name = row.requestId ?? row.request
                if let k = piles.firstIndex(where: { $0.score == score && $0.band == band }) { piles[k].requests.append(name) } else { piles.append((score, band, [name])) }
            }
            for (j, pile) in piles.sorted(by: { $0.score < $1.score }).enumerated() {
                let x = left + plot * pile.score / 100, jitter = (j % 3 - 1) * 6
                let r = pile.requests.count > 1 ? 7 : 5
                s += "<circle cx=\"\(x)\" cy=\"\(y + jitter)\" r=\"\(r)\" fill=\"\(bandColour[pile.band]!)\" fill-opacity=\"0.8\"><title>\(pile.requests.map(e).joined(separator: ", ")): \(pile.score) (\(pile.band.rawValue))</title></circle>"
                if pile.requests.count > 1 {
                    s += "<text x=\"\(x)\" y=\"\(y + jitter + 4)\" font-size=\"10\" fill=\"#fff\" text-anchor=\"middle\">\(pile.requests.count)</text>"
                }
            }
        }
        s += "<text x=\"\(left)\" y=\"\(rowHeight * kinds.count + 34)\" font-size=\"11\" fill=\"#555\">score 0</text>"
        s += "<text x=\"\(left + plot)\" y=\"\(rowHeight * kinds.count + 34)\" font-size=\"11\" fill=\"#555\" text-anchor=\"end\">100</text>"
        s += legend(Band.allCases.map { ($0.rawValue, bandColour[$0]!) } + [("a number in a dot: decisions at that score", "")], y: rowHeight * kinds.count + 48)
        return s + "</svg>"
    }

    /// A legend drawn in the chart itself (so that it prints), one swatch and label per entry.
    static func legend(_ entries: [(label: String, colour: String)], y: Int, x: Int = 40) -> String {
        var s = "", lx = x
        for entry in entries {
            // An entry without a colour is a note on how to read the chart.
            if !entry.colour.isEmpty { s += "<rect x=\"\(lx)\" y=\"\(y)\" width=\"10\" height=\"10\" fill=\"\(entry.colour)\"/>" }
            s += "<text x=\"\(lx + (entry.colour.isEmpty ? 0 : 14))\" y=\"\(y + 9)\" font-size=\"11\">\(e(entry.label))</text>"
            lx += 24 + 6 * entry.label.count
        }
        return s
    }

    /// A flag as a reviewer reads it.
    static func words(_ flag: String) -> String {
        switch flag {
        case Audit.executedDespiteRisk: return "executed although the risk was high or critical at the time"
        case Audit.refusedAlthoughLow: return "refused although the risk was low at the time"
        case Audit.riskChanged: return "the risk has changed materially since the decision"
        default: return flag.replacingOccurrences(of: "-", with: " ")
        }
    }

    /// Decisions per requesting state: executed, refused, other; flagged ones marked.
    static func states(_ aggregates: [AuditAggregate]) -> String {
        let states = aggregates.filter { $0.dimension == "requesting_state" }.sorted { $0.decisions != $1.decisions ? $0.decisions > $1.decisions : $0.key < $1.key }
        let maxCount = max(1, states.map(\.decisions).max() ?? 1)
        let left = 60, plot = 420, bar = 18, height = states.count * (bar + 8) + 44
        var s = "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-labelledby=\"c2\" width=\"640\" height=\"\(height)\" viewBox=\"0 0 640 \(height)\">"
        s += "<title id=\"c2\">Decisions by requesting state: executed (dark), refused (light), other (grey)</title>"
        for (i, a) in states.enumerated() {
            let y = 10 + i * (bar + 8)
            var x = left
            s += "<text x=\"\(left - 8)\" y=\"\(y + 13)\" font-size=\"12\" text-anchor=\"end\">\(e(a.key))</text>"
            for (count, colour, label) in [(a.executed, "#444", "executed"), (a.refused, "#aaa", "refused"), (a.decisions - a.executed - a.refused, "#ddd", "other")] where count > 0 {
                let w = plot * count / maxCount
                s += "<rect x=\"\(x)\" y=\"\(y)\" width=\"\(w)\" height=\"\(bar)\" fill=\"\(colour)\"><title>\(e(a.key)): \(count) \(label)</title></rect>"
                x += w
            }
            if a.flagged > 0 { s += "<text x=\"\(x + 6)\" y=\"\(y + 13)\" font-size=\"12\" fill=\"#9b0000\">\(a.flagged) flagged</text>" }
            s += "<text x=\"\(left + plot + 110)\" y=\"\(y + 13)\" font-size=\"11\" fill=\"#555\" text-anchor=\"end\">\(a.executed)/\(a.refused)/\(a.decisions - a.executed - a.refused)</text>"
        }
        s += legend([("executed", "#444"), ("refused", "#aaa"), ("other", "#ddd"), ("numbers: executed/refused/other", "")], y: states.count * (bar + 8) + 20, x: left)
        return s + "</svg>"
    }

    /// Decisions per year, stacked by the band they had at the time.
    static func timeline(_ rows: [AuditRow]) -> String {
        let years = Array(Set(rows.filter { $0.error == nil }.map(\.decisionDate.year))).sorted()
        guard let first = years.first, let last = years.last else { return "" }
        let span = Array(first...last)
        var counts: [Int: [Band: Int]] = [:]
        for r in rows where r.error == nil { if let b = r.bandThen { counts[r.decisionDate.year, default: [:]][b, default: 0] += 1 } }
        let maxCount = max(1, counts.values.map { $0.values.reduce(0, +) }.max() ?? 1)
        // The plot starts below the axis's label, so that the tallest bar never covers it.
        let plotHeight = 150, top = 22, barWidth = max(12, min(40, 560 / span.count - 6))
        var s = "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-labelledby=\"c3\" width=\"640\" height=\"\(plotHeight + top + 40)\" viewBox=\"0 0 640 \(plotHeight + top + 40)\">"
        s += "<title id=\"c3\">Decisions per year, by risk band at the time</title>"
        // The y-axis: decisions per year, with ticks at 0, the middle and the top.
        s += "<line x1=\"34\" y1=\"\(top)\" x2=\"34\" y2=\"\(plotHeight + top)\" stroke=\"#555\"/>"
        for tick in Array(Set([0, maxCount / 2, maxCount])).sorted() {
            let ty = plotHeight + top - plotHeight * tick / maxCount
            s += "<line x1=\"30\" y1=\"\(ty)\" x2=\"34\" y2=\"\(ty)\" stroke=\"#555\"/><text x=\"28\" y=\"\(ty + 4)\" font-size=\"10\" text-anchor=\"end\">\(tick)</text>"
        }
        s += "<text x=\"40\" y=\"12\" font-size=\"10\" fill=\"#555\">decisions per year</text>"
        for (i, year) in span.enumerated() {
            let x = 40 + i * (barWidth + 6)
            var y = plotHeight + top
            for band in Band.allCases {
                let n = counts[year]?[band] ?? 0
                guard n > 0 else { continue }
                let h = plotHeight * n / maxCount
                y -= h
                s += "<rect x=\"\(x)\" y=\"\(y)\" width=\"\(barWidth)\" height=\"\(h)\" fill=\"\(bandColour[band]!)\"><title>\(year): \(n) \(band.rawValue)</title></rect>"
            }
            s += "<text x=\"\(x + barWidth / 2)\" y=\"\(plotHeight + top + 16)\" font-size=\"11\" text-anchor=\"middle\">\(year)</text>"
        }
        s += legend(Band.allCases.map { ($0.rawValue, bandColour[$0]!) }, y: plotHeight + top + 26)
        return s + "</svg>"
    }

    public static func render(rows: [AuditRow], aggregates: [AuditAggregate], today: Day, pack: RulePack) -> String {
        var h: [String] = ["<!DOCTYPE html>", "<html lang=\"en\"><head><meta charset=\"utf-8\">",
                           "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">",
                           "<title>Winnow audit of \(rows.count) decisions</title><style>\(HTMLReport.style)</style></head><body>"]
        let flagged = rows.filter { $0.flags.contains(Audit.executedDespiteRisk) || $0.flags.contains(Audit.refusedAlthoughLow) }
        let changed = rows.filter { $0.flags.contains(Audit.riskChanged) }
        let errors = rows.filter { $0.error != nil }
        h.append("<header><h1>Audit of \(rows.count) past decisions</h1>")
        h.append("<p class=\"meta\">Each request screened as of its decision date (profiles and registry as they stood then) and as of \(today). "
                 + "Today's screening uses \(e(pack.name)) \(e(pack.release)) (sha256 \(pack.sha256.prefix(16))…); each decision's own screening "
                 + "uses the release in force on its date when a rules history is given (column Rules then), else the current pack.</p>")
        h.append("<p><strong>\(flagged.count)</strong> decisions flagged; <strong>\(changed.count)</strong> whose risk changed materially since; \(errors.count) not screened.</p></header><main>")
        h.append("<section><h2>Score at the time, by decision</h2>\(scoresByDecision(rows, thresholds: pack.scoring.thresholds))</section>")
        h.append("<section><h2>Requesting states</h2>\(states(aggregates))</section>")
        h.append("<section><h2>Timeline</h2>\(timeline(rows))</section>")
        func table(_ title: String, _ list: [AuditRow]) {
            h.append("<section><h2>\(e(title)) (\(list.count))</h2>")
            guard !list.isEmpty else { h.append("<p>None.</p></section>"); return }
            h.append("<table><thead><tr><th scope=\"col\">Request</th><th scope=\"col\">State</th><th scope=\"col\">Decision</th><th scope=\"col\">Authority</th><th scope=\"col\">Then</th><th scope=\"col\">Rules then</th><th scope=\"col\">Now</th><th scope=\"col\">Flags and new reasons</th></tr></thead><tbody>")
            for r in list {
                let then = r.bandThen.map { "\($0.rawValue) \(r.scoreThen ?? 0)" } ?? "-", now = r.bandNow.map { "\($0.rawValue) \(r.scoreNow ?? 0)" } ?? "-"
                let notes = (r.flags.map(words) + r.newReasons.map { "new reason: \($0)" }).joined(separator: "; ") + (r.error.map { "error: \($0)" } ?? "")
                h.append("<tr><td>\(e(r.requestId ?? URL(fileURLWithPath: r.request).lastPathComponent))</td><td>\(e(r.requestingState ?? ""))</td><td>\(e(r.decision)) \(r.decisionDate)</td><td>\(e(r.authority))</td><td>\(then)</td><td>\(e(r.rulesThen ?? ""))</td><td>\(now)</td><td>\(e(notes))</td></tr>")
            }
            h.append("</tbody></table></section>")
        }
        table("Flagged decisions", flagged)
        table("Risk changed since the decision", changed)
        table("All decisions", rows)
        h.append("<section><h2>Aggregates</h2><table><thead><tr><th scope=\"col\">By</th><th scope=\"col\">Value</th><th scope=\"col\">Decisions</th><th scope=\"col\">Executed</th><th scope=\"col\">Refused</th><th scope=\"col\">Flagged</th><th scope=\"col\">Mean score then</th></tr></thead><tbody>")
        for a in aggregates {
            h.append("<tr><td>\(e(a.dimension.replacingOccurrences(of: "_", with: " ")))</td><td>\(e(a.key))</td><td>\(a.decisions)</td><td>\(a.executed)</td><td>\(a.refused)</td><td>\(a.flagged)</td><td>\(String(format: "%.1f", a.meanScoreThen))</td></tr>")
        }
        h.append("</tbody></table></section></main><footer>Winnow supports oversight; it does not judge past decisions.</footer></body></html>")
        return h.joined(separator: "\n") + "\n"
    }
}
