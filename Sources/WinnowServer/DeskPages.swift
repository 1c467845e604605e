import Foundation
import WinnowLog
import WinnowModel
import WinnowReports
import WinnowRegistry

/// The desk's pages: server-rendered HTML in the report's style, no scripts, no external styles or
/// fonts. Everything from a request, a record or a user is escaped (`e`); forms post to the desk
/// and carry the session's form token.
enum DeskPages {
    static func e(_ text: String) -> String { HTMLReport.escape(text) }

    static let style = """
        .desk-nav { display: flex; flex-wrap: wrap; gap: 1rem; align-items: center; border-bottom: 1px solid var(--rule); padding-bottom: .5rem; margin-bottom: 1rem; }
        .desk-nav .who { margin-left: auto; color: var(--muted); }
        .desk-nav a, .desk-nav button { font-size: 1rem; }
        body.desk { max-width: 76rem; }
        form.inline { display: inline; }
        label { font-weight: bold; display: block; margin: .6rem 0 .2rem; }
        label.choice { font-weight: normal; display: inline; margin: 0 .8rem 0 .2rem; }
        input[type=text], input[type=password], input[type=search], select, textarea { font: inherit; padding: .35rem; border: 1px solid #767676; border-radius: .2rem; max-width: 100%; }
        textarea { width: 100%; min-height: 8rem; font-family: "DejaVu Sans Mono", monospace; font-size: .85rem; }
        button { font: inherit; padding: .4rem 1rem; border: 1px solid #1a1a1a; border-radius: .2rem; background: #1a1a1a; color: #fff; cursor: pointer; }
        button.secondary { background: #fff; color: #1a1a1a; }
        a:focus, button:focus, input:focus, select:focus, textarea:focus { outline: 3px solid #1d4ed8; outline-offset: 2px; }
        .filters { display: flex; flex-wrap: wrap; gap: .8rem; align-items: end; }
        .filters label { margin: 0 0 .2rem; }
        .error { border: 2px solid var(--critical); padding: .6rem .9rem; margin: 1rem 0; }
        .ok { border: 2px solid var(--low); padding: .6rem .9rem; margin: 1rem 0; }
        fieldset { border: 1px solid var(--rule); margin: .8rem 0; padding: .5rem .9rem; }
        legend { font-weight: bold; }
        .embedded { border: 1px solid var(--rule); padding: 0 1rem 1rem; margin: 1rem 0; }
        .embedded header h1 { font-size: 1.3rem; }
        .embedded table.decision { display: none; } /* the paper form of the printed report: the desk has its own */
        td.band-cell .band { font-size: .85rem; padding: .1rem .5rem; }
        table.reasons th:nth-child(2) { width: 5rem; } table.reasons th:nth-child(3), table.reasons th:nth-child(4) { width: 8rem; }
        """

    /// A whole page: the report's style and the desk's, the navigation, `body`.
    static func page(_ title: String, session: DeskSession?, body: String) -> String {
        var h = ["<!DOCTYPE html>", "<html lang=\"en\"><head><meta charset=\"utf-8\">",
                 "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">",
                 "<title>\(e(title)) · Winnow desk</title><style>\(HTMLReport.style)\n\(style)</style></head><body class=\"desk\">"]
        h.append("<nav class=\"desk-nav\" aria-label=\"Desk\"><strong>Winnow desk</strong>")
        if let session {
            h.append("<a href=\"/desk/queue\">Queue</a>")
            if session.role.oversees { h.append("<a href=\"/desk/oversight\">Oversight</a>") }
            h.append("<span class=\"who\">Signed in as \(e(session.user)) (\(session.role.rawValue))</span>")
            h.append("<form class=\"inline\" method=\"post\" action=\"/desk/sign-out\">\(csrf(session))<button class=\"secondary\" type=\"submit\">Sign out</button></form>")
        }
        h.append("</nav><main id=\"main\">\(body)</main></body></html>")
        return h.joined(separator: "\n")
    }

    static func csrf(_ session: DeskSession) -> String { "<input type=\"hidden\" name=\"csrf\" value=\"\(e(session.csrf))\">" }

    static func signIn(csrf: String, message: String? = nil, next: String = "") -> String {
        page("Sign in", session: nil, body: """
            <h1>Sign in</h1>
            \(message.map { "<p class=\"error\" role=\"alert\">\(e($0))</p>" } ?? "")
            <form method="post" action="/desk/sign-in">
            <input type="hidden" name="csrf" value="\(e(csrf))"><input type="hidden" name="next" value="\(e(next))">
            <label for="name">User name</label><input type="text" id="name" name="name" autocomplete="username" required autofocus>
            <label for="password">Password</label><input type="password" id="password" name="password" autocomplete="current-password" required>
            <p><button type="submit">Sign in</button></p>
            </form>
            <p class="note">Accounts are made by an administrator: <code>winnow serve user add NAME --role reviewer</code>.</p>
            """)
    }

    static func message(_ title: String, _ text: String, session: DeskSession?) -> String {
        page(title, session: session, body: "<h1>\(e(title))</h1><p class=\"error\" role=\"alert\">\(e(text))</p><p><a href=\"/desk/queue\">Back to the queue</a></p>")
    }

    // MARK: - Queue

    struct QueueFilter {
        var state = "", instrument = "", band = "", status = "", query = ""
        /// From 1; `pageSize` requests a page.
        var page = 1

        /// The queue's address with these filters on another page.
        func link(page: Int) -> String {
            "/desk/queue" + DeskPages.query([("state", state), ("instrument", instrument), ("band", band), ("status", status), ("q", query), ("page", String(page))])
        }
    }

    /// `?name=value&...` of the pairs whose value is not empty, each value percent-encoded (nothing
    /// when none is left): the links that carry a page's filters.
    static func query(_ pairs: [(String, String)]) -> String {
        let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-._~"))
        let kept = pairs.filter { !$0.1.isEmpty }.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")" }
        return kept.isEmpty ? "" : "?" + kept.joined(separator: "&")
    }

    static let pageSize = 100

    static let bandOrder = ["critical": 0, "high": 1, "elevated": 2, "low": 3]

    static func queue(_ cases: [DeskCase], standing: [String: LogEntry], filter: QueueFilter, session: DeskSession,
                      problems: Problem? = nil, allCases: [DeskCase]) -> String {
        var h: [String] = ["<h1>Queue of requests</h1>"]
        if let problems {
            h.append("<section class=\"error\" role=\"alert\"><h2>\(e(problems.title))</h2><p>\(e(problems.detail))</p>")
            if let items = problems.errors, !items.isEmpty {
                h.append("<table><thead><tr><th scope=\"col\">Line</th><th scope=\"col\">Pointer</th><th scope=\"col\">Problem</th></tr></thead><tbody>")
                for item in items.prefix(100) {
                    h.append("<tr><td>\(item.line.map(String.init) ?? "")</td><td><code>\(e(item.pointer ?? ""))</code></td><td>\(e(item.message))</td></tr>")
                }
                h.append("</tbody></table>")
            }
            h.append("<p>Nothing was screened or logged.</p></section>")
        }
        if session.role.reviews {
            h.append("""
                <section><h2>Screen a request</h2>
                <form method="post" action="/desk/requests" enctype="multipart/form-data">\(csrf(session))
                <label for="file">Request file (XML or JSON)</label><input type="file" id="file" name="file" accept=".xml,.json,application/xml,application/json">
                <label for="content">or paste it</label><textarea id="content" name="content" spellcheck="false"></textarea>
                <p><button type="submit">Validate and screen</button></p>
                </form></section>
                """)
        }
        func options(_ name: String, _ values: [String], _ selected: String) -> String {
            (["<option value=\"\">all</option>"] + values.map { "<option value=\"\(e($0))\"\($0 == selected ? " selected" : "")>\(e($0))</option>" }).joined()
        }
        let states = Set(allCases.map(\.requestingState)).sorted(), instruments = Set(allCases.map(\.instrument)).sorted()
        h.append("""
            <section><h2>Requests (\(cases.count) of \(allCases.count))</h2>
            <form class="filters" method="get" action="/desk/queue" role="search">
            <div><label for="state">Requesting state</label><select id="state" name="state">\(options("state", states, filter.state))</select></div>
            <div><label for="instrument">Instrument</label><select id="instrument" name="instrument">\(options("instrument", instruments, filter.instrument))</select></div>
            <div><label for="band">Band</label><select id="band" name="band">\(options("band", ["critical", "high", "elevated", "low"], filter.band))</select></div>
            <div><label for="status">Status</label><select id="status" name="status">\(options("status", ["open", "decided"], filter.status))</select></div>
            <div><label for="q">Name or reference</label><input type="search" id="q" name="q" value="\(e(filter.query))"></div>
            <div><button type="submit">Filter</button></div>
            </form>
            """)
        if cases.isEmpty {
            h.append("<p>No request matches.</p>")
        } else {
            h.append("<table><thead><tr><th scope=\"col\">Case</th><th scope=\"col\">Band</th><th scope=\"col\">Received</th><th scope=\"col\">From</th><th scope=\"col\">Instrument</th><th scope=\"col\">Subjects</th><th scope=\"col\">Reference</th><th scope=\"col\">Status</th></tr></thead><tbody>")
            let pages = max(1, (cases.count + pageSize - 1) / pageSize), page = min(max(1, filter.page), pages)
            for c in cases.dropFirst((page - 1) * pageSize).prefix(pageSize) {
                let status = standing[c.requestSha256].map { "decided: \($0.decision ?? "")" } ?? "open"
                h.append("<tr><td><a href=\"/desk/cases/\(c.entry)\">Case \(c.entry)</a></td><td class=\"band-cell\"><span class=\"band \(e(c.band))\">\(e(c.band.uppercased()))</span> \(c.score)</td><td>\(e(c.receivedDate))</td><td>\(e(c.requestingState))</td><td>\(e(c.instrument))</td><td>\(e(c.subjects.joined(separator: "; ")))</td><td>\(e(c.requestId))</td><td>\(e(status))</td></tr>")
            }
            h.append("</tbody></table>")
            if pages > 1 {
                h.append("<nav aria-label=\"Pages of the queue\"><p>Page \(page) of \(pages)"
                         + (page > 1 ? " · <a href=\"\(e(filter.link(page: page - 1)))\" rel=\"prev\">previous</a>" : "")
                         + (page < pages ? " · <a href=\"\(e(filter.link(page: page + 1)))\" rel=\"next\">next</a>" : "") + "</p></nav>")
            }
        }
        h.append("</section>")
        return page("Queue", session: session, body: h.joined(separator: "\n"))
    }

    // MARK: - The request page

    struct History {
        var time: String
        var who: String
        var what: String
    }

    static func casePage(_ c: DeskCase, report: String, linked: [PersonHit], earlier: [DeskCase], history: [History],
                         standing: LogEntry?, session: DeskSession, formError: String? = nil) -> String {
        var h: [String] = []
        h.append("<h1>Case \(c.entry): \(e(c.instrument)) \(e(c.requestId))</h1>")
        h.append("<p><span class=\"band \(e(c.band))\">\(e(c.band.uppercased()))</span> <strong>score \(c.score)/100</strong> · "
                 + (standing.map { "decided: <strong>\(e($0.decision ?? ""))</strong> by \(e($0.reviewer ?? "")) at \(e($0.time))" } ?? "open")
                 + " · <a href=\"/desk/cases/\(c.entry)/report\">report alone (for printing)</a>"
                 + " · <a href=\"/desk/cases/\(c.entry)/issued\">as issued (\(e(c.issuedAs)))</a> and <a href=\"/desk/cases/\(c.entry)/receipt\">its receipt</a> (<code>winnow report verify</code>)"
                 + (session.role.reviews ? " · <a href=\"#decision\">go to the decision form</a>" : "") + "</p>")
        if let formError { h.append("<p class=\"error\" role=\"alert\">\(e(formError))</p>") }
        h.append("<section><h2>The request</h2><table><tbody>")
        for (k, v) in [("Reference", c.requestId), ("Instrument", c.instrument), ("From", c.requestingState), ("To", c.requestedState),
                       ("Received", c.receivedDate), ("Subjects", c.subjects.joined(separator: "; ")), ("Offences", c.offences.joined(separator: "; ")),
                       ("Measures asked", c.measures.joined(separator: "; ")), ("File", c.file), ("Screened", "\(c.screenedAt) by \(c.screenedBy)"), ("SHA-256", c.requestSha256)] {
            h.append("<tr><th scope=\"row\">\(k)</th><td>\(k == "SHA-256" ? "<code>\(e(v))</code>" : e(v))</td></tr>")
        }
        h.append("</tbody></table></section>")
        h.append("<section><h2>The report</h2><div class=\"embedded\">\(bodyOf(report))</div></section>")
        h.append("<section><h2>Linked records</h2><h3>In the registry, by the subjects' names</h3>")
        if linked.isEmpty { h.append("<p>None found.</p>") } else {
            h.append("<table><thead><tr><th scope=\"col\">Record</th><th scope=\"col\">Names</th><th scope=\"col\">Born</th><th scope=\"col\">Nationality</th><th scope=\"col\">Match</th></tr></thead><tbody>")
            for p in linked {
                h.append("<tr><td><code>\(e(p.id))</code></td><td>\(e(p.names.joined(separator: "; ")))</td><td>\(e(p.birthDate ?? ""))</td><td>\(e(p.nationalities.joined(separator: ", ")))</td><td>\(e(p.matchedName)) (\(e(p.match.verdict.rawValue)), \(String(format: "%.2f", p.match.score)))</td></tr>")
            }
            h.append("</tbody></table>")
        }
        h.append("<h3>Earlier requests at this desk about the same subjects or reference</h3>")
        if earlier.isEmpty { h.append("<p>None.</p>") } else {
            h.append("<ul>" + earlier.map { "<li><a href=\"/desk/cases/\($0.entry)\">Case \($0.entry)</a>: \(e($0.instrument)) \(e($0.requestId)) from \(e($0.requestingState)), received \(e($0.receivedDate)), \(e($0.band))</li>" }.joined() + "</ul>")
        }
        h.append("</section>")
        h.append("<section><h2>History</h2><table><thead><tr><th scope=\"col\">Time</th><th scope=\"col\">Who</th><th scope=\"col\">What</th></tr></thead><tbody>")
        for item in history { h.append("<tr><td>\(e(item.time))</td><td>\(e(item.who))</td><td>\(e(item.what))</td></tr>") }
        h.append("</tbody></table></section>")
        if session.role.reviews { h.append(decisionForm(c, standing: standing, session: session)) }
        return page("Case \(c.entry)", session: session, body: h.joined(separator: "\n"))
    }

    static let decisionLabels: [(String, String)] = [
        ("execute", "Execute"), ("execute_with_conditions", "Execute with conditions or assurances"),
        ("refuse", "Refuse"), ("ask_for_information", "Ask the requesting state for more information"),
    ]

    static func decisionForm(_ c: DeskCase, standing: LogEntry?, session: DeskSession) -> String {
        var h: [String] = []
        h.append("<section id=\"decision\"><h2>\(standing == nil ? "Decision" : "Correct the decision")</h2>")
        if let standing {
            h.append("<p>The decision of entry \(standing.index) is final; a correction is a new entry that refers to it, and needs a rationale.</p>")
        }
        h.append("<form method=\"post\" action=\"/desk/cases/\(c.entry)/decision\">\(csrf(session))")
        if let standing { h.append("<input type=\"hidden\" name=\"corrects\" value=\"\(standing.index)\">") }
        h.append("<fieldset><legend>Decision</legend>")
        for (value, label) in decisionLabels {
            h.append("<div><input type=\"radio\" id=\"decision-\(value)\" name=\"decision\" value=\"\(value)\" required><label class=\"choice\" for=\"decision-\(value)\">\(label)</label></div>")
        }
        h.append("</fieldset>")
        if !c.reasons.isEmpty {
            h.append("<fieldset><legend>Each reason of the report: do you agree?</legend><table class=\"reasons\"><thead><tr><th scope=\"col\">Reason</th><th scope=\"col\">Points</th><th scope=\"col\">Agree</th><th scope=\"col\">Disagree</th></tr></thead><tbody>")
            for (i, r) in c.reasons.enumerated() {
                let name = "reason.\(r.rule)"
                h.append("<tr><td id=\"reason-\(i)\">\(e(r.title)) <span class=\"rule\">(\(e(r.rule)))</span></td><td>\(r.points > 0 ? "+" : "")\(r.points)</td>"
                         + "<td><input type=\"radio\" name=\"\(e(name))\" value=\"agree\" id=\"r\(i)a\" aria-labelledby=\"reason-\(i) r\(i)al\" required><label class=\"choice\" id=\"r\(i)al\" for=\"r\(i)a\">agree</label></td>"
                         + "<td><input type=\"radio\" name=\"\(e(name))\" value=\"disagree\" id=\"r\(i)d\" aria-labelledby=\"reason-\(i) r\(i)dl\"><label class=\"choice\" id=\"r\(i)dl\" for=\"r\(i)d\">disagree</label></td></tr>")
            }
            h.append("</tbody></table></fieldset>")
        }
        h.append("<fieldset><legend>Legal grounds (from the report's sources)</legend>")
        if c.sources.isEmpty { h.append("<p>The report cites no source.</p>") }
        for (i, s) in c.sources.enumerated() {
            h.append("<div><input type=\"checkbox\" id=\"ground-\(i)\" name=\"grounds\" value=\"\(e(s.id))\"><label class=\"choice\" for=\"ground-\(i)\">\(e(s.citation))</label></div>")
        }
        h.append("</fieldset>")
        h.append("<label for=\"rationale\">Rationale (required when the decision goes against the band: executing a request at high or critical, refusing one at low; and for a correction)</label>")
        h.append("<textarea id=\"rationale\" name=\"rationale\"></textarea>")
        h.append("<p>Recorded as \(e(session.user)) (\(session.role.rawValue)).</p>")
        h.append("<p><button type=\"submit\">Record the decision</button></p></form></section>")
        return h.joined(separator: "\n")
    }

    // MARK: - Oversight

    static func oversight(auditHTML: String, problems: [String], decisions: Int, reviewers: [String], states: [String],
                          filter: Desk.AuditFilter, session: DeskSession) -> String {
        func options(_ values: [String], _ selected: String) -> String {
            (["<option value=\"\">all</option>"] + values.map { "<option value=\"\(e($0))\"\($0 == selected ? " selected" : "")>\(e($0))</option>" }).joined()
        }
        let scope = [filter.reviewer.isEmpty ? nil : "by \(filter.reviewer)", filter.state.isEmpty ? nil : "on requests from \(filter.state)"].compactMap { $0 }
        var h = ["<h1>Oversight: the audit of recorded decisions</h1>",
                 "<p>Built from the tamper-evident log (verified first): \(decisions) standing decision\(decisions == 1 ? "" : "s")\(scope.isEmpty ? "" : " " + e(scope.joined(separator: " ")))"
                 + ", each request screened again as of its decision date and as of today.</p>",
                 """
                 <form class="filters" method="get" action="/desk/oversight">
                 <div><label for="reviewer">Reviewer</label><select id="reviewer" name="reviewer">\(options(reviewers, filter.reviewer))</select></div>
                 <div><label for="state">Requesting state</label><select id="state" name="state">\(options(states, filter.state))</select></div>
                 <div><button type="submit">Show</button></div>
                 </form>
                 """,
                 "<p>Export: <a href=\"\(e("/desk/oversight/rows.csv" + filter.query))\">decisions (CSV)</a> · <a href=\"\(e("/desk/oversight/aggregates.csv" + filter.query))\">per reviewer, per requesting state, per instrument and year (CSV)</a></p>"]
        if !problems.isEmpty {
            h.append("<section class=\"error\"><h2>Not audited</h2><ul>" + problems.map { "<li>\(e($0))</li>" }.joined() + "</ul></section>")
        }
        h.append("<div class=\"embedded\">\(bodyOf(auditHTML))</div>")
        return page("Oversight", session: session, body: h.joined(separator: "\n"))
    }

    /// What lies between `<body>` and `</body>` of a page this program rendered (a report, the
    /// audit), its `main` made a plain block: a page has one main landmark, the desk's.
    static func bodyOf(_ html: String) -> String {
        guard let start = html.range(of: "<body>"), let end = html.range(of: "</body>", options: .backwards), start.upperBound <= end.lowerBound else { return "" }
        return String(html[start.upperBound..<end.lowerBound])
            .replacingOccurrences(of: "<main>", with: "<div class=\"report-main\">").replacingOccurrences(of: "</main>", with: "</div>")
    }
}
