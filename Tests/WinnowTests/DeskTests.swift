import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Testing
@testable import WinnowServer
@testable import WinnowCLI
import WinnowLog
import Winnow
import WinnowRegistry
import WinnowReports
import WinnowModel
import Crypto

/// Issue 17: the reviewer's desk. Each test signs in to a server on a fresh data folder through
/// Hummingbird's router test client, as a browser would: cookies, forms, redirects.
@Suite("the reviewer's desk")
struct DeskTests {
    /// A server with the demo registry and a user of each role (bcrypt's lowest cost, for speed).
    struct Fixture: Sendable {
        let server: ServerTests.Fixture
        static let password = "correct horse battery"
        var state: ServerState { server.state }

        init(configure: (inout ServerConfiguration) -> Void = { _ in }) throws {
            server = try ServerTests.Fixture { c in
                c.passwordCost = 4
                configure(&c)
            }
            for (name, role) in [("rita", Role.reviewer), ("otto", .oversight), ("ada", .administrator)] {
                _ = try server.state.users.add(name: name, role: role, password: Self.password)
            }
        }
        var app: some ApplicationProtocol { server.app }
    }

    /// A browser's view of one client: its cookies, and the last form token it saw.
    final class Browser: @unchecked Sendable {
        let client: any TestClientProtocol
        var cookies: [String: String] = [:]
        var csrf = ""
        init(_ client: any TestClientProtocol) { self.client = client }

        @discardableResult
        func go(_ uri: String, method: HTTPRequest.Method = .get, form: [(String, String)]? = nil, multipart: [(name: String, filename: String?, value: [UInt8])]? = nil,
                headers extra: HTTPFields = [:]) async throws -> TestResponse {
            var headers = extra
            if !cookies.isEmpty { headers[.cookie] = cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ") }
            var body: ByteBuffer?
            if let form {
                headers[.contentType] = "application/x-www-form-urlencoded"
                let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-._~"))
                body = ByteBuffer(string: form.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: allowed)!)" }.joined(separator: "&"))
            }
            if let multipart {
                let boundary = "----winnowtest\(UUID().uuidString)"
                headers[.contentType] = "multipart/form-data; boundary=\(boundary)"
                var bytes: [UInt8] = []
                for part in multipart {
                    bytes += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(part.name)\"\(part.filename.map { "; filename=\"\($0)\"" } ?? "")\r\n\r\n".utf8)
                    bytes += part.value + Array("\r\n".utf8)
                }
                bytes += Array("--\(boundary)--\r\n".utf8)
                body = ByteBuffer(bytes: bytes)
            }
            let response = try await client.execute(uri: uri, method: method, headers: headers, body: body)
            for field in response.headers[values: .setCookie] {
                let pair = field.split(separator: ";")[0].split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                let (name, value) = (String(pair[0]), pair.count > 1 ? String(pair[1]) : "")
                if value.isEmpty { cookies[name] = nil } else { cookies[name] = value }
            }
            let text = String(buffer: response.body)
            if let r = text.range(of: "name=\"csrf\" value=\""), let end = text[r.upperBound...].firstIndex(of: "\"") {
                csrf = String(text[r.upperBound..<end])
            }
            return response
        }

        func signIn(_ name: String, _ password: String = Fixture.password, headers: HTTPFields = [:]) async throws -> TestResponse {
            try await go("/desk/sign-in")
            return try await go("/desk/sign-in", method: .post, form: [("csrf", csrf), ("name", name), ("password", password), ("next", "")], headers: headers)
        }

        func upload(_ name: String, _ bytes: [UInt8]) async throws -> TestResponse {
            try await go("/desk/queue")
            return try await go("/desk/requests", method: .post, multipart: [("csrf", nil, Array(csrf.utf8)), ("file", name, bytes), ("content", nil, [])])
        }
    }

    static func sample(_ name: String) throws -> [UInt8] { [UInt8](try Data(contentsOf: Paths.samples.appendingPathComponent(name))) }

    @Test("sign-in: cookies HttpOnly and SameSite=Strict (Secure behind TLS), the form's token checked, failures limited")
    func signIn() async throws {
        let f = try Fixture()
        try await f.app.test(.router) { client in
            let b = Browser(client)
            let away = try await b.go("/desk/queue")
            #expect(away.status == .seeOther && away.headers[.location] == "/desk/sign-in?next=/desk/queue")
            let page = try await b.go("/desk/sign-in")
            #expect(page.headers[.contentSecurityPolicy]?.contains("default-src 'none'") == true)
            #expect(!b.csrf.isEmpty)
            // A sign-in posted without the form's cookie (from another site) is refused.
            let forged = try await client.execute(uri: "/desk/sign-in", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                                                  body: ByteBuffer(string: "csrf=\(b.csrf)&name=rita&password=correct+horse+battery"))
            #expect(forged.status == .forbidden && forged.headers[.setCookie]?.contains("winnow_session") != true)
            #expect(try await b.signIn("rita", "wrong password!").status == .unauthorized)
            let ok = try await b.signIn("rita")
            #expect(ok.status == .seeOther && ok.headers[.location] == "/desk/queue")
            let cookie = try #require(ok.headers[values: .setCookie].first { $0.hasPrefix("winnow_session=") })
            #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict") && cookie.contains("Path=/desk") && !cookie.contains("Secure"))
            #expect(try await b.go("/desk/queue").status == .ok)
            let tls = Browser(client)
            let secure = try await tls.signIn("rita", headers: [HTTPField.Name("X-Forwarded-Proto")!: "https"])
            #expect(secure.headers[values: .setCookie].first { $0.hasPrefix("winnow_session=") }?.hasSuffix("; Secure") == true)
            // Sign-out ends the session on the server, not only in the browser.
            let session = try #require(b.cookies["winnow_session"])
            #expect(try await b.go("/desk/sign-out", method: .post, form: [("csrf", b.csrf)]).status == .seeOther)
            let stale = try await client.execute(uri: "/desk/queue", method: .get, headers: [.cookie: "winnow_session=\(session)"])
            #expect(stale.status == .seeOther, "a signed-out session id no longer works")

            // Five failures for a name: the sixth try is refused before the password is checked.
            let guesser = Browser(client)
            for i in 0..<5 { #expect(try await guesser.signIn("otto", "guess number \(i)").status == .unauthorized) }
            let locked = try await guesser.signIn("otto")
            #expect(locked.status == .tooManyRequests && Int(locked.headers[.retryAfter] ?? "") ?? 0 > 0)
            #expect(try await Browser(client).signIn("ada").status == .seeOther, "another name is not locked")
        }
        let failures = try f.state.access.entries().filter { $0.action == "sign-in-failed" }
        #expect(failures.count == 6, "every failed sign-in is logged: \(failures.count)")
    }

    @Test("a client that fails 20 sign-ins across many names is refused; others are not (the client as a local proxy forwards it)")
    func signInLimitByClient() async throws {
        let f = try Fixture()
        try await f.app.test(.live) { client in
            // What the guesser sends before the address the proxy appends varies; the proxy's part does not.
            for i in 0..<20 {
                let spoofed: HTTPFields = [HTTPField.Name("X-Forwarded-For")!: "10.0.0.\(i), 203.0.113.5"]
                #expect(try await Browser(client).signIn("name\(i)", "wrong password!", headers: spoofed).status == .unauthorized)
            }
            let guesser: HTTPFields = [HTTPField.Name("X-Forwarded-For")!: "192.0.2.1, 203.0.113.5"]
            let locked = try await Browser(client).signIn("ada", headers: guesser)
            #expect(locked.status == .tooManyRequests, "the twenty-first try from that client, even with a right password")
            let other = try await Browser(client).signIn("ada", headers: [HTTPField.Name("X-Forwarded-For")!: "198.51.100.7"])
            #expect(other.status == .seeOther, "another client is not locked out")
            #expect(try await Browser(client).signIn("rita").status == .seeOther, "nor is the proxy's own address")
        }
        let failures = try f.state.access.entries().filter { $0.action == "sign-in-failed" }
        #expect(failures.count == 20 && failures.allSatisfy { $0.target == "desk from 203.0.113.5" })
    }

    @Test("a session ends after its idle time or its lifetime; a disabled user is signed out")
    func sessionExpiry() async throws {
        // In memory, and in a shared store on each backend.
        let dir = try TempDir()
        let stores = [nil] + (try TestStore.available.map { ServerRecords(registry: try $0.registry(in: dir)) })
        for shared in stores {
            let store = SessionStore(idle: 60, lifetime: 600, shared: shared)
            let t0 = Date(timeIntervalSince1970: 1_000_000)
            let s = try store.start(user: "rita", role: .reviewer, now: t0)
            #expect(store.touch(s.id, now: t0.addingTimeInterval(59))?.user == "rita")
            #expect(store.touch(s.id, now: t0.addingTimeInterval(118)) != nil, "each request moves the idle limit")
            #expect(store.touch(s.id, now: t0.addingTimeInterval(179)) == nil, "idle for more than a minute")
            let long = try store.start(user: "rita", role: .reviewer, now: t0)
            for minute in 1...9 { #expect(store.touch(long.id, now: t0.addingTimeInterval(Double(minute) * 59)) != nil) }
            #expect(store.touch(long.id, now: t0.addingTimeInterval(601)) == nil, "never beyond its lifetime, however busy")
            let other = try store.start(user: "otto", role: .oversight, now: t0)
            #expect(store.touch("not-" + other.id, now: t0) == nil)
            store.end(user: "otto")
            #expect(store.touch(other.id, now: t0) == nil, "ended with its user")
        }

        let f = try Fixture()
        try await f.app.test(.router) { client in
            let b = Browser(client)
            _ = try await b.signIn("rita")
            #expect(try await b.go("/desk/queue").status == .ok)
            #expect(try f.state.users.disable(name: "rita"))
            #expect(try await b.go("/desk/queue").status == .unauthorized)
            #expect(try await Browser(client).signIn("rita").status == .unauthorized)
        }
    }

    @Test("from upload to audit: screened on arrival, decided with grounds and a view of each reason, corrected, audited by oversight")
    func journey() async throws {
        let f = try Fixture()
        try await f.app.test(.router) { client in
            let rita = Browser(client)
            _ = try await rita.signIn("rita")
            let uploaded = try await rita.upload("mla-kz-refugee-lawyer-search.json", try Self.sample("mla-kz-refugee-lawyer-search.json"))
            #expect(uploaded.status == .seeOther && uploaded.headers[.location] == "/desk/cases/0")
            let page = String(buffer: try await rita.go("/desk/cases/0").body)
            #expect(page.contains("<span class=\"band critical\">CRITICAL</span>"))
            #expect(page.contains("Risk report: mla BE-MLA-2024-0412"), "the report is the one --format html renders")
            #expect(page.contains("screened (entry 0)") && page.contains("opened this page"), "history: who screened and who saw")
            #expect(page.contains("Dana Temirkhanova") || page.contains("Темирханова"))
            #expect(page.contains("name=\"reason.privileged-search-without-safeguards\""))
            let queue = String(buffer: try await rita.go("/desk/queue?band=critical&status=open&q=temirkhanova").body)
            #expect(queue.contains("href=\"/desk/cases/0\""))
            #expect(!String(buffer: try await rita.go("/desk/queue?band=low").body).contains("href=\"/desk/cases/0\""))

            let c = try #require(try f.state.desk.get(0))
            let agreeAll = c.reasons.map { ("reason.\($0.rule)", "agree") }
            func decide(_ fields: [(String, String)]) async throws -> TestResponse {
                _ = try await rita.go("/desk/cases/0")
                return try await rita.go("/desk/cases/0/decision", method: .post, form: [("csrf", rita.csrf)] + fields)
            }
            let unanswered = try await decide([("decision", "refuse")])
            #expect(unanswered.status == .unprocessableContent && String(buffer: unanswered.body).contains("agree or disagree with each reason"))
            let against = try await decide([("decision", "execute")] + agreeAll)
            #expect(against.status == .unprocessableContent && String(buffer: against.body).contains("needs a rationale"))
            let badGround = try await decide([("decision", "refuse"), ("grounds", "NOT-A-SOURCE")] + agreeAll)
            #expect(badGround.status == .unprocessableContent)
            let ground = try #require(c.sources.first?.id)
            var answers = agreeAll
            answers[0].1 = "disagree"
            let decided = try await decide([("decision", "refuse"), ("grounds", ground), ("rationale", "recognised refugee; privileged files")] + answers)
            #expect(decided.status == .seeOther)
            let again = try await decide([("decision", "execute"), ("rationale", "second thoughts")] + agreeAll)
            #expect(again.status == .unprocessableContent && String(buffer: again.body).contains("decided in entry 1"), "a recorded decision is final")
            let corrected = try await decide([("decision", "ask_for_information"), ("corrects", "1"), ("rationale", "ask about the privilege filter")] + agreeAll)
            #expect(corrected.status == .seeOther)
            let after = String(buffer: try await rita.go("/desk/cases/0").body)
            #expect(after.contains("decided: <strong>ask_for_information</strong> by rita"))
            #expect(after.contains("correcting entry 1"))

            let entries = try f.state.log.log.entries()
            #expect(entries.map(\.kind) == [.screening, .decision, .decision])
            #expect(entries[1].reviewer == "rita" && entries[1].role == "reviewer" && entries[1].grounds == [ground])
            #expect(entries[1].assessments?[c.reasons[0].rule] == "disagree" && entries[1].assessments?.count == c.reasons.count)
            #expect(entries[2].corrects == 1)
            #expect(try entries[0].stored != nil && entries[0].reportSha256 == [UInt8]((try f.state.desk.issued(c)) ?? Data()).sha256,
                    "the log holds the hash of the report as the reviewer read it")
            let printable = try await rita.go("/desk/cases/0/report")
            #expect([UInt8](printable.body.readableBytesView).sha256 == entries[0].reportSha256, "the printable page is the report as issued, byte for byte")

            // Oversight reads and audits, and decides nothing; a reviewer does not see the audit.
            #expect(try await rita.go("/desk/oversight").status == .forbidden)
            let otto = Browser(client)
            _ = try await otto.signIn("otto")
            let audit = try await otto.go("/desk/oversight")
            #expect(audit.status == .ok && String(buffer: audit.body).contains("Audit of 1 past decisions"))
            let csv = String(buffer: try await otto.go("/desk/oversight/aggregates.csv").body)
            #expect(csv.contains("authority,rita (reviewer),1") && csv.contains("requesting_state,KZ,1"), "\(csv)")
            let rows = String(buffer: try await otto.go("/desk/oversight/rows.csv").body)
            #expect(rows.contains(",pending,"), "the standing decision is the correction: \(rows)")
            let mine = String(buffer: try await otto.go("/desk/oversight?reviewer=rita%20(reviewer)").body)
            #expect(mine.contains("Audit of 1 past decisions") && mine.contains("by rita (reviewer)"))
            let none = String(buffer: try await otto.go("/desk/oversight?state=RU").body)
            #expect(none.contains("Audit of 0 past decisions"), "one state's decisions only")
            #expect(String(buffer: try await otto.go("/desk/oversight/rows.csv?state=RU").body).split(separator: "\n").count == 1, "the export follows the filter")
            _ = try await otto.go("/desk/cases/0")
            #expect(!String(buffer: try await otto.go("/desk/cases/0").body).contains("Record the decision"))
            #expect(try await otto.go("/desk/cases/0/decision", method: .post, form: [("csrf", otto.csrf), ("decision", "refuse")]).status == .forbidden)
            #expect(try await otto.go("/desk/requests", method: .post, form: [("csrf", otto.csrf), ("content", "{}")]).status == .forbidden)
        }
        #expect(f.state.log.log.verify().ok)
        let views = try f.state.access.entries().filter { $0.action == "view-case" }
        #expect(Set(views.map(\.token)) == ["user rita", "user otto"])
    }

    @Test("a request a case-management system screens through the API is in the queue, and a reviewer decides it at the desk")
    func apiScreeningsInQueue() async throws {
        let f = try Fixture()
        try await f.app.test(.router) { client in
            let plain = try await client.execute(uri: "/v1/screen", method: .post, headers: ServerTests.bearer(f.server.screen),
                                                 body: try ServerTests.sample("eaw-pl-theft.json"))
            #expect(try plain.status == .ok && (try f.state.desk.all()).isEmpty, "without queue=true a screening is logged, not queued")
            #expect(try await client.execute(uri: "/v1/screen?queue=maybe", method: .post, headers: ServerTests.bearer(f.server.screen),
                                             body: try ServerTests.sample("eaw-pl-theft.json")).status == .badRequest)
            let screened = try await client.execute(uri: "/v1/screen?format=text&queue=true&name=cms-4711.json", method: .post, headers: ServerTests.bearer(f.server.screen),
                                                    body: try ServerTests.sample("mla-kz-refugee-lawyer-search.json"))
            #expect(screened.status == .ok)
            let entry = try #require(screened.headers[HTTPField.Name("Winnow-Log-Entry")!].flatMap(Int.init))
            let b = Browser(client)
            _ = try await b.signIn("rita")
            let queue = String(buffer: try await b.go("/desk/queue").body)
            #expect(try queue.contains("href=\"/desk/cases/\(entry)\"") && (try f.state.desk.all()).count == 1)
            let page = String(buffer: try await b.go("/desk/cases/\(entry)").body)
            #expect(page.contains("Risk report: mla BE-MLA-2024-0412") && page.contains("by token case system"), "rendered from the JSON kept; screened by the token")
            let issued = try await b.go("/desk/cases/\(entry)/issued")
            #expect(issued.headers[.contentType] == "text/plain; charset=utf-8" && issued.body == screened.body, "the text report exactly as the API issued it")
            let c = try #require(try f.state.desk.get(entry))
            let decided = try await b.go("/desk/cases/\(entry)/decision", method: .post,
                                         form: [("csrf", b.csrf), ("decision", "refuse")] + c.reasons.map { ("reason.\($0.rule)", "agree") })
            #expect(decided.status == .seeOther)
        }
        #expect(try f.state.log.standingDecision(try #require((try f.state.desk.all()).first).requestSha256)?.reviewer == "rita")
    }

    @Test("the queue shows a hundred requests a page, with links that keep the filters")
    func queuePages() async throws {
        let f = try Fixture()
        let screener = Screener(pack: shippedPack, asOf: Day("2026-11-29")!, intake: makeIntake())
        let report = try screener.screen(bytes: try Self.sample("eaw-pl-theft.json"), name: "eaw-pl-theft.json")
        for n in 0..<150 {
            try f.state.desk.keep(DeskCase(entry: n, report: report, file: "r\(n).json", requestSha256: "sha\(n)", by: "rita", issuedAs: "json"),
                                  reportJSON: JSONReport.render(report), issued: "")
        }
        try await f.app.test(.router) { client in
            let b = Browser(client)
            _ = try await b.signIn("rita")
            let first = String(buffer: try await b.go("/desk/queue?instrument=eaw").body)
            #expect(first.components(separatedBy: "<a href=\"/desk/cases/").count - 1 == 100)
            #expect(first.contains("Page 1 of 2") && first.contains("href=\"/desk/queue?instrument=eaw&amp;page=2\""))
            let second = String(buffer: try await b.go("/desk/queue?instrument=eaw&page=2").body)
            #expect(second.components(separatedBy: "<a href=\"/desk/cases/").count - 1 == 50 && second.contains("rel=\"prev\""))
            let beyond = String(buffer: try await b.go("/desk/queue?page=99").body)
            #expect(beyond.contains("Page 2 of 2"), "a page beyond the last shows the last")
        }
    }

    @Test("a request that does not check is shown with its lines and pointers, and nothing is logged; a form without its token is refused")
    func uploadErrors() async throws {
        let f = try Fixture()
        try await f.app.test(.router) { client in
            let b = Browser(client)
            _ = try await b.signIn("rita")
            _ = try await b.go("/desk/queue")
            let bad = try await b.go("/desk/requests", method: .post, multipart: [("csrf", nil, Array(b.csrf.utf8)), ("content", nil, Array("{\n  \"formatVersion\": \"2.0\",\n  \"id\": 7\n}".utf8))])
            #expect(bad.status == .unprocessableContent)
            let text = String(buffer: bad.body)
            #expect(text.contains("<td>3</td><td><code>/id</code></td>"), "line and pointer of the bad id")
            #expect(text.contains("Nothing was screened or logged."))
            let forged = try await b.go("/desk/requests", method: .post, multipart: [("csrf", nil, Array("forged".utf8)), ("file", "x.json", try Self.sample("mla-kz-refugee-lawyer-search.json"))])
            #expect(forged.status == .forbidden)
            let both = try await b.go("/desk/requests", method: .post, multipart: [("csrf", nil, Array(b.csrf.utf8)), ("file", "x.json", [0x7B]), ("content", nil, Array("{}".utf8))])
            #expect(both.status == .badRequest)
            // Hostile XML pasted is refused as on the command line: no entity is read, nothing is logged.
            let xxe = "<?xml version=\"1.0\"?>\n<!DOCTYPE request [ <!ENTITY x SYSTEM \"file:///etc/passwd\"> ]>\n<request formatVersion=\"1.0\"><id>&x;</id></request>"
            let hostile = try await b.go("/desk/requests", method: .post, form: [("csrf", b.csrf), ("content", xxe)])
            #expect(hostile.status == .unprocessableContent && !String(buffer: hostile.body).contains("root:"))
        }
        #expect((try f.state.log.size()) == 0)
        #expect((try f.state.desk.all()).isEmpty)
    }

    @Test("an XML request pasted into the form is screened like a file")
    func pastedXML() async throws {
        let f = try Fixture()
        try await f.app.test(.router) { client in
            let b = Browser(client)
            _ = try await b.signIn("rita")
            _ = try await b.go("/desk/queue")
            let xml = String(decoding: try Self.sample("interpol-red-notice-ru-activist.xml"), as: UTF8.self)
            let r = try await b.go("/desk/requests", method: .post, form: [("csrf", b.csrf), ("content", xml)])
            #expect(r.status == .seeOther, "\(String(buffer: r.body).prefix(500))")
            let c = try #require(try f.state.desk.get(0))
            #expect(c.instrument == "interpol_red_notice" && c.file == "pasted request")
            #expect(f.state.requests.folder.appendingPathComponent("\(c.requestSha256).xml").path.hasSuffix(".xml")
                    && FileManager.default.fileExists(atPath: f.state.requests.folder.appendingPathComponent("\(c.requestSha256).xml").path))
        }
    }

    @Test("an upload is capped at the command line's size limit")
    func uploadCap() async throws {
        let f = try Fixture { $0.maxBodyBytes = 32 * 1024 }
        try await f.app.test(.router) { client in
            let b = Browser(client)
            _ = try await b.signIn("rita")
            let big = try await b.upload("big.json", [UInt8](repeating: 0x20, count: 40 * 1024) + Array("{}".utf8))
            #expect(big.status == .contentTooLarge, "over the limit, within the form's margin: the file itself is refused")
            let huge = try await b.upload("huge.json", [UInt8](repeating: 0x20, count: 200 * 1024))
            #expect(huge.status == .contentTooLarge, "beyond the form's margin: the body is not read")
        }
        #expect((try f.state.log.size()) == 0)
    }

    /// A valid request whose names and references carry markup, script URLs and a bidi override.
    static func hostileSample() throws -> [UInt8] {
        var json = try #require(try JSONSerialization.jsonObject(with: Data(Self.sample("mla-kz-refugee-lawyer-search.json"))) as? [String: Any])
        var persons = try #require(json["persons"] as? [[String: Any]])
        persons[0]["names"] = [["text": "Dana <script>alert(1)</script> <img src=x onerror=alert(2)> \u{202E}avonahkrimeT", "script": "Latn"]]
        json["persons"] = persons
        json["summaryOfFacts"] = "<a href=\"javascript:alert(3)\">facts</a>"
        return [UInt8](try JSONSerialization.data(withJSONObject: json))
    }

    @Test("hostile content in a request stays inert on every page: escaped, bidi controls shown, no script allowed")
    func hostileContent() async throws {
        let f = try Fixture()
        try await f.app.test(.router) { client in
            let b = Browser(client)
            _ = try await b.signIn("ada")
            let up = try await b.upload("<b>evil</b>.json", try Self.hostileSample())
            #expect(up.status == .seeOther, "\(String(buffer: up.body))")
            for uri in ["/desk/queue", "/desk/cases/0", "/desk/cases/0/report", "/desk/oversight"] {
                let r = try await b.go(uri)
                let text = String(buffer: r.body)
                #expect(r.status == .ok, "\(uri)")
                #expect(r.headers[.contentSecurityPolicy]?.hasPrefix("default-src 'none'") == true || uri.hasSuffix("/report"), "\(uri)")
                #expect(!text.contains("<script") && !text.contains("<img") && !text.contains("href=\"javascript:") && !text.contains("\u{202E}"), "\(uri)")
                #expect(!text.contains("<b>evil"), "\(uri)")
            }
            let page = String(buffer: try await b.go("/desk/cases/0").body)
            #expect(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;") && page.contains("[U+202E]"))
        }
    }

    @Test("forms: URL-encoded and multipart bodies are read exactly; malformed ones are refused")
    func forms() throws {
        let url = try #require(FormFields.urlEncoded(Array("a=1+2&b=%C3%A9%26&c=&a=3".utf8)))
        #expect(url["a"] == "1 2" && url.all("a") == ["1 2", "3"] && url["b"] == "é&" && url["c"] == "")
        #expect(FormFields.urlEncoded(Array("a=%G1".utf8)) == nil && FormFields.urlEncoded(Array("a=%C3".utf8)) == nil && FormFields.urlEncoded(Array("a=%4".utf8)) == nil)
        let body = Array("--XyZ\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\ntok\r\n--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"r.xml\"\r\nContent-Type: text/xml\r\n\r\n<a>x--XyZ</a>\r\n\r\n--XyZ--\r\n".utf8)
        let form = try #require(FormFields.parse(body, contentType: "multipart/form-data; boundary=\"XyZ\""))
        #expect(form["csrf"] == "tok")
        #expect(form.file("file")?.filename == "r.xml")
        #expect(form.file("file")?.text == "<a>x--XyZ</a>\r\n", "the boundary inside a line is content, and so is a last line break")
        #expect(form.fields.count == 2)
        #expect(FormFields.parse(Array("--XyZ\r\nno headers".utf8), contentType: "multipart/form-data; boundary=XyZ") == nil)
        #expect(FormFields.parse(body, contentType: "text/plain") == nil)
    }

    @Test("serve --demo: two users and the sample registry on a fresh data folder, nothing on one that has them")
    func demo() throws {
        let dir = try TempDir()
        var configuration = ServerConfiguration(dataFolder: dir.url.appendingPathComponent("data"))
        configuration.passwordCost = 4
        let state = try ServerState(configuration: configuration, pack: shippedPack)
        let sample = Paths.samples.appendingPathComponent("registry/demo.json").path
        try Serve.seedDemo(state, sample: sample)
        #expect(try state.users.records().map(\.name) == ["demo-reviewer", "demo-oversight"])
        #expect(try !state.registry.isEmpty())
        let persons = try state.registry.counts()
        try Serve.seedDemo(state, sample: sample)
        #expect(try state.users.records().count == 2 && state.registry.counts() == persons, "a second start adds nothing")
    }

    @Test("winnow serve user add, list and disable; a password is hashed with bcrypt, never stored")
    func userCommands() throws {
        let dir = try TempDir()
        let data = dir.url.appendingPathComponent("data").path
        let added = try runWinnow(["serve", "user", "add", "--data", data, "demo-reviewer", "--role", "reviewer"])
        #expect(added.status == 0, "\(added.stderr)")
        let password = added.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(password.count == 20)
        let stored = try String(contentsOf: URL(fileURLWithPath: data + "/users.json"), encoding: .utf8)
        #expect(!stored.contains(password) && stored.contains("\"passwordHash\" : \"$2b$12$"))
        #expect(UserStore(folder: URL(fileURLWithPath: data)).check(name: "demo-reviewer", password: password)?.role == .reviewer)
        #expect(try runWinnow(["serve", "user", "add", "--data", data, "demo-reviewer", "--role", "reviewer"]).status != 0, "a name is used once")
        #expect(try runWinnow(["serve", "user", "add", "--data", data, "x", "--role", "judge"]).status != 0)
        #expect(try runWinnow(["serve", "user", "list", "--data", data]).stdout.contains("demo-reviewer\treviewer\t"))
        #expect(try runWinnow(["serve", "user", "disable", "--data", data, "demo-reviewer"]).status == 0)
        #expect(UserStore(folder: URL(fileURLWithPath: data)).check(name: "demo-reviewer", password: password) == nil)
        #expect(try runWinnow(["serve", "user", "disable", "--data", data, "demo-reviewer"]).status != 0)
    }
}

@Suite("decisions are final")
struct DecisionFinalityTests {
    @Test("many reviewers deciding one request at once: exactly one decision is recorded, the rest are told it was decided")
    func concurrentDecisions() async throws {
        let f = try ServerTests.Fixture()
        let reviewer = try f.state.tokens.create(name: "A. Reviewer", scopes: [.screen, .decide]).token
        try await f.app.test(.live) { client in
            let screened = try await client.execute(uri: "/v1/screen", method: .post, headers: ServerTests.bearer(reviewer),
                                                    body: try ServerTests.sample("eaw-pl-theft.json"))
            #expect(screened.status == .ok)
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for i in 0..<12 {
                    group.addTask {
                        let body = #"{"screening": 0, "decision": "execute", "rationale": "attempt \#(i)"}"#
                        return Int(try await client.execute(uri: "/v1/decisions", method: .post, headers: ServerTests.bearer(reviewer),
                                                            body: ByteBuffer(string: body)).status.code)
                    }
                }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == 201 }.count == 1 && statuses.filter { $0 == 409 }.count == 11, "\(statuses.sorted())")
        }
        #expect(try f.state.log.log.entries().filter { $0.kind == .decision }.count == 1)
    }

    @Test("the server knows the standing decisions after a restart, without reading the log for each page")
    func standingAfterRestart() throws {
        let dir = try TempDir()
        let folder = dir.url.appendingPathComponent("log")
        let sha: String
        do {
            let log = try LogAppender(folder: folder)
            var screening = LogEntry(kind: .screening, time: "2026-12-01T10:00:00Z", request: "r.json", requestSha256: "ab")
            screening.band = "high"
            try log.append(screening)
            let recorder = DecisionRecorder(log: log)
            _ = try recorder.record(screening: 0, decision: "refuse", grounds: [], rationale: "", corrects: nil, assessments: nil, reviewer: "R", role: "reviewer")
            _ = try recorder.record(screening: 0, decision: "execute_with_conditions", grounds: [], rationale: "assurances given", corrects: 1,
                                    assessments: nil, reviewer: "R", role: "reviewer")
            #expect(try log.standingDecision("ab")?.index == 2)
            sha = "ab"
        }
        let reopened = try LogAppender(folder: folder)
        #expect(try reopened.standingDecision(sha)?.decision == "execute_with_conditions" && reopened.standingDecisions().count == 1)
    }

    @Test("winnow log decide follows the same rules: a rationale against the band, a correction for a second decision")
    func commandLine() throws {
        let dir = try TempDir()
        let log = dir.url.appendingPathComponent("log").path
        #expect(try runWinnow(["log", "init", log]).status == 0)
        let sample = "SampleRequests/mla-kz-refugee-lawyer-search.json"
        #expect(try runWinnow(["screen", sample, "--registry", "SampleRequests/registry/demo.json", "--log", log]).status == 0)
        let bare = try runWinnow(["log", "decide", log, "--request", sample, "--decision", "execute", "--reviewer", "R"])
        #expect(bare.status == 2 && bare.stderr.contains("goes against its band and needs a rationale"), "\(bare.stderr)")
        #expect(try runWinnow(["log", "decide", log, "--request", sample, "--decision", "refuse", "--reviewer", "R"]).status == 0)
        let second = try runWinnow(["log", "decide", log, "--request", sample, "--decision", "ask_for_information", "--reviewer", "R"])
        #expect(second.status == 2 && second.stderr.contains("decided in entry 1"), "\(second.stderr)")
        let correction = try runWinnow(["log", "decide", log, "--request", sample, "--decision", "ask_for_information", "--reviewer", "R",
                                        "--corrects", "1", "--rationale", "ask about the filter"])
        #expect(correction.status == 0, "\(correction.stderr)")
    }
}

@Suite("report receipts")
struct ReceiptTests {
    @Test("a report issued by the server is checked offline by its receipt and the public key; any change to report, entry, proof or key is caught")
    func receipts() async throws {
        let f = try ServerTests.Fixture()
        let dir = try TempDir()
        let (report, receiptBody) = try await f.app.test(.router) { client in
            let screened = try await client.execute(uri: "/v1/screen?format=html", method: .post, headers: ServerTests.bearer(f.screen),
                                                    body: try ServerTests.sample("mla-kz-refugee-lawyer-search.json"))
            let index = try #require(screened.headers[HTTPField.Name("Winnow-Log-Entry")!])
            let report = Array(screened.body.readableBytesView)
            let r = try await client.execute(uri: "/v1/log/receipts/\(index)", method: .get, headers: ServerTests.bearer(f.screen))
            try ServerTests.conforms(r, "/v1/log/receipts/{index}", "GET")
            #expect(try await client.execute(uri: "/v1/log/receipts/5", method: .get, headers: ServerTests.bearer(f.screen)).status == .notFound)
            return (report, Data(buffer: r.body))
        }
        let receipt = try JSONDecoder().decode(Receipt.self, from: receiptBody)
        let key = try DecisionLog.publicKey(from: f.state.configuration.dataFolder.appendingPathComponent("log/log.pub"))
        #expect(receipt.problem(report: report, key: key) == nil)
        var altered = report
        altered[altered.count / 2] ^= 0x01
        #expect(receipt.problem(report: altered, key: key)?.contains("not the one issued") == true)
        #expect(receipt.problem(report: report, key: Curve25519.Signing.PrivateKey().publicKey)?.contains("not signed") == true)
        var entry = receipt
        entry.entry = entry.entry.replacingOccurrences(of: "\"band\":\"critical\"", with: "\"band\":\"low\"")
        #expect(entry.entry != receipt.entry && entry.problem(report: report, key: key)?.contains("altered") == true)
        var moved = receipt
        moved.index += 1
        #expect(moved.problem(report: report, key: key) != nil)

        // The command line, offline: the report and its receipt as files, the key as published.
        let reportFile = try dir.write("report.html", bytes: report), receiptFile = try dir.write("receipt.json", bytes: [UInt8](receiptBody))
        let pub = f.state.configuration.dataFolder.appendingPathComponent("log/log.pub").path
        let ok = try runWinnow(["report", "verify", reportFile, "--receipt", receiptFile, "--key", pub])
        #expect(ok.status == 0 && ok.stdout.hasPrefix("report verified by its receipt: entry 0"), "\(ok.stdout)\(ok.stderr)")
        let bad = try runWinnow(["report", "verify", try dir.write("altered.html", bytes: altered), "--receipt", receiptFile, "--key", pub])
        #expect(bad.status == 1 && bad.stdout.contains("NOT verified"))
        #expect(try runWinnow(["report", "verify", reportFile, "--receipt", receiptFile]).status == 2, "a receipt is checked against a key the user trusts")
    }

    @Test("the desk's printable report and its receipt verify together")
    func deskReceipt() async throws {
        let f = try DeskTests.Fixture()
        try await f.app.test(.router) { client in
            let b = DeskTests.Browser(client)
            _ = try await b.signIn("rita")
            _ = try await b.upload("eaw-pl-theft.json", try DeskTests.sample("eaw-pl-theft.json"))
            let report = Array(try await b.go("/desk/cases/0/issued").body.readableBytesView)
            let r = try await b.go("/desk/cases/0/receipt")
            #expect(r.headers[.contentDisposition]?.contains("case-0-receipt.json") == true)
            let receipt = try JSONDecoder().decode(Receipt.self, from: Data(buffer: r.body))
            let key = try DecisionLog.publicKey(from: f.state.configuration.dataFolder.appendingPathComponent("log/log.pub"))
            #expect(receipt.problem(report: report, key: key) == nil)
        }
    }
}

@Suite("winnow log verify URL")
struct RemoteLogTests {
    @Test("the server's log is copied over HTTP and verified; a change on the server's disk is named by entry")
    func verifyURL() async throws {
        let f = try ServerTests.Fixture()
        try await f.app.test(.live) { client in
            for sample in ["eaw-pl-theft.json", "mla-kz-refugee-lawyer-search.json", "eaw-pl-theft.json"] {
                #expect(try await client.execute(uri: "/v1/screen", method: .post, headers: ServerTests.bearer(f.screen), body: try ServerTests.sample(sample)).status == .ok)
            }
            let key = try await client.execute(uri: "/v1/log/key", method: .get)
            try ServerTests.conforms(key, "/v1/log/key", "GET")
            let page = try await client.execute(uri: "/v1/log/entries?from=1&count=1", method: .get, headers: ServerTests.bearer(f.screen))
            try ServerTests.conforms(page, "/v1/log/entries", "GET")
            #expect(String(buffer: page.body).split(separator: "\n").count == 1 && String(buffer: page.body).contains("\"index\":1,"))
            let url = "http://127.0.0.1:\(try #require(client.port))"
            let pub = f.state.configuration.dataFolder.appendingPathComponent("log/log.pub").path
            let ok = try await runProcessOffPool(Paths.winnow, ["log", "verify", url, "--token", f.screen, "--key", pub])
            #expect(ok.status == 0 && ok.stdout.contains("log verified: 3 entries, 1 signed checkpoints"), "\(ok.stdout)\(ok.stderr)")
            let anonymous = try await runProcessOffPool(Paths.winnow, ["log", "verify", url], environment: [:])
            #expect(anonymous.status == 2 && anonymous.stderr.contains("HTTP 401"), "\(anonymous.stderr)")
            // Someone edits entry 1 on the server's disk: the copy shows which entry no longer holds.
            let file = f.state.configuration.dataFolder.appendingPathComponent("log/entries.jsonl")
            let text = try String(contentsOf: file, encoding: .utf8)
            let edited = text.split(separator: "\n").enumerated().map { i, line in i == 1 ? line.replacingOccurrences(of: "\"band\":\"critical\"", with: "\"band\":\"low\"") : String(line) }
            #expect(edited[1] != String(text.split(separator: "\n")[1]))
            try (edited.joined(separator: "\n") + "\n").write(to: file, atomically: false, encoding: .utf8)
            let caught = try await runProcessOffPool(Paths.winnow, ["log", "verify", url, "--token", f.screen, "--key", pub])
            #expect(caught.status == 1 && caught.stderr.contains("entry 2"), "the entry after the edit records another root: \(caught.stderr)")
        }
    }
}
