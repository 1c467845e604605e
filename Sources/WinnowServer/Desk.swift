import Foundation
import Hummingbird
import HTTPTypes
import Winnow
import WinnowIntake
import WinnowLog
import WinnowModel
import WinnowRegistry

/// The reviewer's desk under `/desk`: sign-in, the queue, the request page with its decision form,
/// and the oversight view. HTML pages, not the API: errors are pages, not problem documents, and
/// access is by session cookie and role, not by token.
///
/// Every page is sent with a Content-Security-Policy that allows no script and no source outside
/// the page; every form posts the session's form token (CSRF), the sign-in form a token of its own.
struct Desk: Sendable {
    let state: ServerState

    static let sessionCookie = "winnow_session"
    static let signInCookie = "winnow_signin"
    static let securityHeaders: HTTPFields = [
        .contentType: "text/html; charset=utf-8",
        .contentSecurityPolicy: "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
        .xContentTypeOptions: "nosniff",
        .referrerPolicy: "no-referrer",
        .cacheControl: "no-store",
    ]

    func add(to router: Router<WinnowContext>) {
        router.get("/desk") { request, _ in redirect("/desk/queue") }
        router.get("/desk/sign-in") { request, _ in signInPage(request) }
        router.post("/desk/sign-in") { request, context in await signIn(request, client: context.client(request)) }
        router.post("/desk/sign-out") { request, _ in
            await page(request, form: true) { session, _ in
                state.sessions.end(session.id)
                var response = redirect("/desk/sign-in")
                response.headers.append(HTTPField(name: .setCookie, value: cookieValue(Self.sessionCookie, "", request: request, maxAge: 0)))
                return response
            }
        }
        router.get("/desk/queue") { request, _ in
            await page(request) { session, _ in try queue(request, session: session) }
        }
        router.post("/desk/requests") { request, _ in
            await page(request, form: true, needs: \.reviews) { session, form in try await upload(request, form: form!, session: session) }
        }
        router.get("/desk/cases/{entry}") { request, context in
            await page(request) { session, _ in try casePage(try caseFor(context), session: session) }
        }
        router.get("/desk/cases/{entry}/report") { request, context in
            await page(request) { session, _ in
                let c = try caseFor(context)
                try state.access.append(.init(time: Day.nowTimestamp, token: "user \(session.user)", action: "view-report", target: "case \(c.entry)", results: 1))
                return html(try reportHTML(c))
            }
        }
        // The report exactly as issued: the bytes the log's hash and the receipt cover.
        router.get("/desk/cases/{entry}/issued") { request, context in
            await page(request) { session, _ in
                let c = try caseFor(context)
                try state.access.append(.init(time: Day.nowTimestamp, token: "user \(session.user)", action: "view-issued", target: "case \(c.entry)", results: 1))
                guard let bytes = try state.desk.issued(c) else { throw PageError(status: .notFound, title: "No report", text: "The report as issued is missing.") }
                var headers = Self.securityHeaders
                headers[.contentType] = (BatchRunner.ReportFormat(rawValue: c.issuedAs) ?? .html).contentType
                headers[.contentDisposition] = "attachment; filename=\"case-\(c.entry)-report.\(c.issuedAs == "sarif" ? "sarif" : c.issuedAs == "text" ? "txt" : c.issuedAs)\""
                return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
            }
        }
        router.get("/desk/cases/{entry}/receipt") { request, context in
            await page(request) { _, _ in
                let c = try caseFor(context)
                let receipt = try state.log.receipt(index: c.entry, time: Day.nowTimestamp)
                var headers = Self.securityHeaders
                headers[.contentType] = "application/json"
                headers[.contentDisposition] = "attachment; filename=\"case-\(c.entry)-receipt.json\""
                return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: try apiEncoder.encode(receipt))))
            }
        }
        router.post("/desk/cases/{entry}/decision") { request, context in
            await page(request, form: true, needs: \.reviews) { session, form in try decide(try caseFor(context), form: form!, session: session) }
        }
        router.get("/desk/oversight") { request, _ in
            await page(request, needs: \.oversees) { session, _ in try oversight(request, session: session) }
        }
        router.get("/desk/oversight/rows.csv") { request, _ in
            await page(request, needs: \.oversees) { session, _ in try oversightCSV(request, rows: true, session: session) }
        }
        router.get("/desk/oversight/aggregates.csv") { request, _ in
            await page(request, needs: \.oversees) { session, _ in try oversightCSV(request, rows: false, session: session) }
        }
    }

    // MARK: - Sessions

    struct PageError: Error {
        var status: HTTPResponse.Status
        var title: String
        var text: String
    }

    /// Runs a page's handler for a signed-in user whose role allows it. Without a session, a GET is
    /// sent to the sign-in page and a POST refused; a form's token must be the session's.
    func page(_ request: Request, form: Bool = false, needs: KeyPath<Role, Bool>? = nil,
              _ handler: (DeskSession, FormFields?) async throws -> Response) async -> Response {
        let id = cookie(Self.sessionCookie, in: request.headers[.cookie])
        guard let id, var session = state.sessions.touch(id) else {
            if request.method == .get {
                return redirect("/desk/sign-in?next=" + (request.uri.path.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(.init(charactersIn: "/"))) ?? ""))
            }
            return html(DeskPages.message("Signed out", "Your session has ended; sign in again.", session: nil), status: .unauthorized)
        }
        // A user disabled since signing in is signed out at once; a changed role applies at once.
        guard let user = state.users.active(session.user) else {
            state.sessions.end(id)
            return html(DeskPages.message("Signed out", "This account is disabled.", session: nil), status: .unauthorized)
        }
        session.role = user.role
        if let needs, !session.role[keyPath: needs] {
            return html(DeskPages.message("Not allowed", "The role \(session.role.rawValue) cannot do this.", session: session), status: .forbidden)
        }
        do {
            var fields: FormFields?
            if form {
                let body = try await bodyBytes(request)
                guard let parsed = FormFields.parse(body, contentType: request.headers[.contentType]) else {
                    throw PageError(status: .badRequest, title: "Not a form", text: "The page sent something that is not a form.")
                }
                guard let token = parsed["csrf"], constantTimeEqual(token, session.csrf) else {
                    throw PageError(status: .forbidden, title: "The form has expired", text: "The form's token is not this session's: open the page again and resubmit.")
                }
                fields = parsed
            }
            return try await handler(session, fields)
        } catch let error as PageError {
            return html(DeskPages.message(error.title, error.text, session: session), status: error.status)
        } catch let problem as Problem {
            return html(DeskPages.message(problem.title, problem.detail, session: session), status: .init(code: problem.status))
        } catch {
            return html(DeskPages.message("Internal error", "\(error)", session: session), status: .internalServerError)
        }
    }

    func signInPage(_ request: Request, message: String? = nil, status: HTTPResponse.Status = .ok) -> Response {
        let token = SessionStore.randomToken()
        let next = request.uri.queryParameters["next"].map(String.init) ?? ""
        var response = html(DeskPages.signIn(csrf: token, message: message, next: next), status: status)
        response.headers.append(HTTPField(name: .setCookie, value: cookieValue(Self.signInCookie, token, request: request, maxAge: 3600)))
        return response
    }

    /// `POST /desk/sign-in`: the sign-in form's token must match its cookie; too many failures for a
    /// name, from a client, or in all are refused before any password is checked.
    func signIn(_ request: Request, client: String?) async -> Response {
        guard let body = try? await bodyBytes(request), let form = FormFields.parse(body, contentType: request.headers[.contentType]) else {
            return signInPage(request, message: "The form could not be read.", status: .badRequest)
        }
        guard let expected = cookie(Self.signInCookie, in: request.headers[.cookie]), let token = form["csrf"], constantTimeEqual(token, expected) else {
            return signInPage(request, message: "The sign-in form has expired: try again.", status: .forbidden)
        }
        let name = form["name"] ?? "", password = form["password"] ?? ""
        let keys = ["name:\(name)"], clientKeys = client.map { ["client:\($0)"] } ?? []
        if let wait = state.signInThrottle.wait(keys) ?? state.signInThrottleClient.wait(clientKeys) ?? state.signInThrottleAll.wait(["*"]) {
            var response = signInPage(request, message: "Too many failed sign-ins: try again in \(wait) seconds.", status: .tooManyRequests)
            response.headers[.retryAfter] = String(wait)
            return response
        }
        guard let user = state.users.check(name: name, password: password) else {
            state.signInThrottle.failed(keys)
            state.signInThrottleClient.failed(clientKeys)
            state.signInThrottleAll.failed(["*"])
            try? state.access.append(.init(time: Day.nowTimestamp, token: "user \(name)", action: "sign-in-failed", target: client.map { "desk from \($0)" } ?? "desk", results: 0))
            return signInPage(request, message: "The name or the password is wrong.", status: .unauthorized)
        }
        state.signInThrottle.succeeded(keys)
        let session: DeskSession
        do { session = try state.sessions.start(user: user.name, role: user.role) } catch {
            return signInPage(request, message: "The session could not be kept: try again.", status: .serviceUnavailable)
        }
        try? state.access.append(.init(time: Day.nowTimestamp, token: "user \(user.name)", action: "sign-in", target: "desk", results: 1))
        // Only a path on this desk: never an address elsewhere.
        let next = form["next"] ?? ""
        var response = redirect(next.hasPrefix("/desk/") && !next.hasPrefix("/desk/sign-") && !next.contains("//") ? next : "/desk/queue")
        response.headers.append(HTTPField(name: .setCookie, value: cookieValue(Self.sessionCookie, session.id, request: request, maxAge: Int(state.sessions.lifetime))))
        response.headers.append(HTTPField(name: .setCookie, value: cookieValue(Self.signInCookie, "", request: request, maxAge: 0)))
        return response
    }

    /// `HttpOnly; SameSite=Strict`, the desk's path, and `Secure` when the server is configured for
    /// TLS or a proxy says the request came over it.
    func cookieValue(_ name: String, _ value: String, request: Request, maxAge: Int) -> String {
        let secure = state.configuration.secureCookies || request.headers[HTTPField.Name("X-Forwarded-Proto")!]?.lowercased() == "https"
        return "\(name)=\(value); Path=/desk; Max-Age=\(maxAge); HttpOnly; SameSite=Strict" + (secure ? "; Secure" : "")
    }

    // MARK: - Queue and upload

    func queue(_ request: Request, session: DeskSession, problems: Problem? = nil) throws -> Response {
        let q = request.uri.queryParameters
        let filter = DeskPages.QueueFilter(state: q["state"].map(String.init) ?? "", instrument: q["instrument"].map(String.init) ?? "",
                                           band: q["band"].map(String.init) ?? "", status: q["status"].map(String.init) ?? "",
                                           query: (q["q"].map(String.init) ?? "").trimmingCharacters(in: .whitespaces),
                                           page: q["page"].flatMap { Int(String($0)) } ?? 1)
        let all = try state.desk.all()
        let standing = try state.log.standingDecisions()
        let shown = all.filter { c in
            (filter.state.isEmpty || c.requestingState == filter.state) && (filter.instrument.isEmpty || c.instrument == filter.instrument)
                && (filter.band.isEmpty || c.band == filter.band)
                && (filter.status.isEmpty || (filter.status == "decided") == (standing[c.requestSha256] != nil))
                && (filter.query.isEmpty || c.mentions(filter.query))
        }.sorted { a, b in
            let (x, y) = (DeskPages.bandOrder[a.band] ?? 9, DeskPages.bandOrder[b.band] ?? 9)
            return x != y ? x < y : (a.receivedDate != b.receivedDate ? a.receivedDate > b.receivedDate : a.entry > b.entry)
        }
        if !filter.query.isEmpty {
            try state.access.append(.init(time: Day.nowTimestamp, token: "user \(session.user)", action: "desk-search", target: filter.query, results: shown.count))
        }
        return html(DeskPages.queue(shown, standing: standing, filter: filter, session: session, problems: problems, allCases: all),
                    status: problems == nil ? .ok : .unprocessableContent)
    }

    /// `POST /desk/requests`: a file or pasted text, validated and screened at once, logged, and
    /// kept; the reviewer is taken to its page. A request that does not check is shown with every
    /// problem (line and pointer) and nothing is logged.
    func upload(_ request: Request, form: FormFields, session: DeskSession) async throws -> Response {
        let file = form.file("file").flatMap { $0.value.isEmpty ? nil : $0 }
        let pasted = form["content"].flatMap { $0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? nil : $0 }
        guard (file == nil) != (pasted == nil) else {
            throw PageError(status: .badRequest, title: "Nothing to screen", text: file == nil ? "Choose a file or paste a request." : "Choose a file or paste a request, not both.")
        }
        let bytes = file?.value ?? Array(pasted!.utf8)
        // The name a browser sent is a label only: the copy is named by its SHA-256.
        let name = (file?.filename).map { String($0.split(separator: "/").last ?? "").prefix(200) }.map(String.init) ?? "pasted request"
        guard bytes.count <= state.configuration.maxBodyBytes else {
            throw PageError(status: .contentTooLarge, title: "The file is too large", text: "At most \(state.configuration.maxBodyBytes) bytes, as on the command line.")
        }
        let routes = Routes(state: state)
        let report: Report
        do {
            report = try routes.limited { () throws(Problem) -> Report in
                do { return try routes.screener(asOf: Day.today).screen(bytes: bytes, name: name) } catch { throw routes.problem(error, name: name) }
            }
        } catch let problem as Problem where problem.status == 422 {
            return try queue(request, session: session, problems: problem)
        }
        state.metrics.screened(band: report.band.rawValue)
        let rendered = BatchRunner.ReportFormat.html.render(report, pack: state.pack)
        let logged = try await routes.logScreening(report, name: name, request: bytes, rendered: Array(rendered.utf8), format: .html,
                                             by: session.user, role: session.role.rawValue, queue: true)
        return redirect("/desk/cases/\(logged.index)")
    }

    // MARK: - The request page

    func caseFor(_ context: WinnowContext) throws -> DeskCase {
        guard let n = Int(context.parameters.get("entry") ?? ""), let c = try state.desk.get(n) else {
            throw PageError(status: .notFound, title: "No such case", text: "There is no case with this number at the desk.")
        }
        return c
    }

    func casePage(_ c: DeskCase, session: DeskSession, formError: String? = nil, status: HTTPResponse.Status = .ok) throws -> Response {
        let time = Day.nowTimestamp
        try state.access.append(.init(time: time, token: "user \(session.user)", action: "view-case", target: "case \(c.entry)", results: 1))
        var linked: [PersonHit] = []
        var seen = Set<String>()
        for name in c.subjects {
            for hit in try state.registry.search(name, limit: 5) where hit.match.isMatch && seen.insert(hit.id).inserted { linked.append(hit) }
        }
        if !linked.isEmpty {
            try state.access.append(.init(time: time, token: "user \(session.user)", action: "search", target: c.subjects.joined(separator: "; "), results: linked.count))
        }
        let names = Set(c.subjects.map(\.folded))
        let cases = try state.desk.all()
        let earlier = cases.filter { o in
            o.entry != c.entry && (o.requestId == c.requestId || !names.isDisjoint(with: o.subjects.map(\.folded)))
        }.sorted { $0.entry < $1.entry }
        // The request's screenings at the desk, its decisions and the views of this page, each
        // from an index kept in memory: the page does not read the whole log.
        var history: [DeskPages.History] = cases.filter { $0.requestSha256 == c.requestSha256 }.map { o in
            .init(time: o.screenedAt, who: o.screenedBy, what: "screened (entry \(o.entry)): \(o.band) \(o.score)")
        }
        history += try state.log.decisions(c.requestSha256).map { e in
            let what = "decided (entry \(e.index)\(e.corrects.map { ", correcting entry \($0)" } ?? "")): \(e.decision ?? "")"
                + ((e.grounds ?? []).isEmpty ? "" : "; grounds: \(e.grounds!.joined(separator: ", "))")
                + ((e.rationale ?? "").isEmpty ? "" : "; rationale: \(e.rationale!)")
                + ((e.assessments ?? [:]).isEmpty ? "" : "; disagrees with: \(e.assessments!.filter { $0.value == "disagree" }.keys.sorted().joined(separator: ", ").ifEmpty("none"))")
            return .init(time: e.time, who: [e.reviewer, e.role.map { "(\($0))" }].compactMap { $0 }.joined(separator: " "), what: what)
        }
        let target = "case \(c.entry)"
        history += try state.access.entries(target: target).filter { $0.action.hasPrefix("view") }
            .map { .init(time: $0.time, who: $0.token, what: ["view-case": "opened this page", "view-report": "opened the report alone", "view-issued": "downloaded the report as issued"][$0.action] ?? $0.action) }
        history.sort { $0.time < $1.time }
        let standing = try state.log.standingDecision(c.requestSha256)
        return html(DeskPages.casePage(c, report: try reportHTML(c), linked: linked, earlier: earlier, history: history,
                                       standing: standing, session: session, formError: formError), status: status)
    }

    /// `POST /desk/cases/N/decision`: recorded in the log as the signed-in reviewer, or the page
    /// again with what is missing.
    func decide(_ c: DeskCase, form: FormFields, session: DeskSession) throws -> Response {
        var assessments: [String: String] = [:]
        for reason in c.reasons {
            guard let answer = form["reason.\(reason.rule)"], answer == "agree" || answer == "disagree" else {
                return try casePage(c, session: session, formError: "Say whether you agree or disagree with each reason (\(reason.title) is unanswered).", status: .unprocessableContent)
            }
            assessments[reason.rule] = answer
        }
        let known = Set(c.sources.map(\.id))
        let grounds = form.all("grounds")
        guard grounds.allSatisfy(known.contains) else {
            return try casePage(c, session: session, formError: "A ground must be one of the report's sources.", status: .unprocessableContent)
        }
        let corrects: Int?
        if let raw = form["corrects"], !raw.isEmpty {
            guard let n = Int(raw) else { return try casePage(c, session: session, formError: "The decision to correct is not a number.", status: .unprocessableContent) }
            corrects = n
        } else {
            corrects = nil
        }
        do {
            _ = try DecisionRecorder(log: state.log).record(
                screening: c.entry, decision: form["decision"] ?? "", grounds: grounds, rationale: form["rationale"] ?? "",
                corrects: corrects, assessments: assessments, reviewer: session.user, role: session.role.rawValue)
        } catch let problem as Problem where problem.status < 500 {
            return try casePage(c, session: session, formError: problem.detail, status: .unprocessableContent)
        }
        return redirect("/desk/cases/\(c.entry)")
    }

    /// The report as the desk shows it: the HTML renderer's page, from the JSON kept.
    func reportHTML(_ c: DeskCase) throws -> String {
        guard let report = try state.desk.report(c.entry) else {
            throw PageError(status: .notFound, title: "No report", text: "The report of case \(c.entry) is missing from \(state.desk.folder.path).")
        }
        return BatchRunner.ReportFormat.html.render(report, pack: state.pack)
    }

    // MARK: - Oversight

    /// Which decisions oversight looks at: one reviewer's, one requesting state's, or all.
    struct AuditFilter {
        var reviewer = "", state = ""
        init(_ request: Request) {
            reviewer = request.uri.queryParameters["reviewer"].map(String.init) ?? ""
            state = request.uri.queryParameters["state"].map(String.init) ?? ""
        }
        var query: String { DeskPages.query([("reviewer", reviewer), ("state", state)]) }
    }

    /// The audit of the standing decisions that pass `filter`, with every reviewer and state there
    /// is to choose from.
    func audit(_ filter: AuditFilter) throws -> (rows: [AuditRow], aggregates: [AuditAggregate], problems: [String], html: String,
                                                  reviewers: [String], states: [String]) {
        let (decisions, problems) = try Audit.decisions(from: state.log.log, copies: state.requests.folder)
        let today = Day.today
        let all = Audit(pack: state.pack, registry: state.registry, today: today).run(decisions)
        let rows = all.filter { (filter.reviewer.isEmpty || $0.authority == filter.reviewer) && (filter.state.isEmpty || $0.requestingState == filter.state) }
        let aggregates = Audit.aggregates(rows)
        return (rows, aggregates, problems, AuditReport.render(rows: rows, aggregates: aggregates, today: today, pack: state.pack),
                Set(all.map(\.authority)).sorted(), Set(all.compactMap(\.requestingState)).sorted())
    }

    func oversight(_ request: Request, session: DeskSession) throws -> Response {
        let filter = AuditFilter(request)
        try state.access.append(.init(time: Day.nowTimestamp, token: "user \(session.user)", action: "view-audit", target: "desk\(filter.query)", results: 1))
        let a = try audit(filter)
        return html(DeskPages.oversight(auditHTML: a.html, problems: a.problems, decisions: a.rows.count, reviewers: a.reviewers, states: a.states,
                                        filter: filter, session: session))
    }

    func oversightCSV(_ request: Request, rows: Bool, session: DeskSession) throws -> Response {
        let filter = AuditFilter(request)
        try state.access.append(.init(time: Day.nowTimestamp, token: "user \(session.user)", action: "export-audit",
                                      target: (rows ? "rows.csv" : "aggregates.csv") + filter.query, results: 1))
        let a = try audit(filter)
        let text = rows ? AuditRow.csvFile(a.rows) : AuditAggregate.csvFile(a.aggregates)
        return Response(status: .ok, headers: [.contentType: "text/csv; charset=utf-8", .contentDisposition: "attachment; filename=\"\(rows ? "rows" : "aggregates").csv\"",
                                               .cacheControl: "no-store", .xContentTypeOptions: "nosniff"],
                        body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    // MARK: - Helpers

    /// A form's body: the request it carries and a little more (its fields and the multipart
    /// framing), within the API's read timeout.
    func bodyBytes(_ request: Request) async throws -> [UInt8] {
        do {
            return Array(try await Routes(state: state).bodyBuffer(request, limit: state.configuration.maxBodyBytes + 64 * 1024).readableBytesView)
        } catch let problem as Problem where problem.status == 413 {
            throw PageError(status: .contentTooLarge, title: "Too large", text: "At most \(state.configuration.maxBodyBytes) bytes, as on the command line.")
        }
    }

    func html(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: Self.securityHeaders, body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    func redirect(_ location: String) -> Response {
        var headers = Self.securityHeaders
        headers[.location] = location
        return Response(status: .seeOther, headers: headers)
    }
}

/// Records a decision on a screening the log holds, the same for the API and the desk: the
/// decision must be one of the vocabulary, the screening must exist, a correction must name an
/// earlier decision on the same request, and a decision against the band, or a correction, needs
/// a rationale.
struct DecisionRecorder {
    let log: LogAppender

    func record(screening index: Int, decision: String, grounds: [String], rationale: String, corrects: Int?,
                assessments: [String: String]?, reviewer: String, role: String) throws -> LogEntry {
        func invalid(_ status: Int, _ detail: String) -> Problem {
            // The problem's type is the API's; the desk shows only its detail.
            Problem(type: Problem.type("bad-decision"), title: "The decision is not valid", status: status, detail: detail)
        }
        if let problem = LogEntry.kindProblem(decision) { throw invalid(400, problem.description) }
        return try log.appendChecked { tip in
            guard index >= 0, let screening = try tip.entry(index), screening.kind == .screening else {
                throw Problem.notFound("no screening entry \(index) in the log")
            }
            if let problem = try LogEntry.decisionProblem(decision, requestSha256: screening.requestSha256, band: screening.band, rationale: rationale,
                                                          corrects: corrects, in: tip) {
                switch problem.kind {
                case .badDecision: throw invalid(400, problem.description)
                case .notFinal: throw invalid(409, problem.description)
                case .incomplete: throw invalid(422, problem.description)
                }
            }
            var entry = LogEntry(kind: .decision, time: Day.nowTimestamp, request: screening.request, requestSha256: screening.requestSha256,
                                 requestId: screening.requestId)
            entry.stored = screening.stored
            entry.reviewer = reviewer
            entry.role = role
            entry.decision = decision
            entry.grounds = grounds
            entry.rationale = rationale
            entry.corrects = corrects
            entry.assessments = assessments
            return entry
        }
    }
}

extension String {
    func ifEmpty(_ other: String) -> String { isEmpty ? other : self }
}

extension HTTPField.Name {
    static let xContentTypeOptions = HTTPField.Name("X-Content-Type-Options")!
    static let referrerPolicy = HTTPField.Name("Referrer-Policy")!
}
