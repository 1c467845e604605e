import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
@testable import WinnowServer

/// Issue 17, tested as a person uses it: `scripts/desk-browser-test.py` drives a real Chromium
/// (Debian's `chromium` and `chromium-driver`, through Selenium) against a server on a loopback
/// socket. `.ci/run` installs all three; where one is missing the test is skipped and says why.
@Suite("the desk in a real browser")
struct BrowserTests {
    static let chromium = "/usr/bin/chromium", chromedriver = "/usr/bin/chromedriver"

    /// Why the browser test cannot run here, or nil when it can.
    static let missing: String? = {
        for path in [chromium, chromedriver] where !FileManager.default.isExecutableFile(atPath: path) {
            return "\(path) is not installed (apt-get install chromium chromium-driver)"
        }
        guard let result = try? runProcess(URL(fileURLWithPath: "/usr/bin/env"), ["python3", "-c", "import selenium"]), result.status == 0 else {
            return "Python's selenium is not installed (python3 -m pip install selenium)"
        }
        return nil
    }()

    @Test("sign in, upload, read the report, decide, see it in the oversight view; hostile content inert; the log verifies",
          .enabled(if: missing == nil, "skipped: \(missing ?? "")"))
    func journey() async throws {
        let f = try DeskTests.Fixture()
        let hostile = try f.server.dir.write("hostile-request.json", bytes: try DeskTests.hostileSample())
        // WINNOW_DESK_SCREENSHOTS=docs/desk keeps the screenshots (scripts/desk-screenshots.sh).
        let shots = ProcessInfo.processInfo.environment["WINNOW_DESK_SCREENSHOTS"].map { URL(fileURLWithPath: $0, relativeTo: Paths.root).path }
            ?? f.server.dir.url.appendingPathComponent("screenshots").path
        try await f.app.test(.live) { client in
            let port = try #require(client.port)
            let arguments = ["python3", Paths.root.appendingPathComponent("scripts/desk-browser-test.py").path,
                             "--url", "http://127.0.0.1:\(port)", "--reviewer", "rita:\(DeskTests.Fixture.password)",
                             "--oversight", "otto:\(DeskTests.Fixture.password)", "--sample", Paths.sample("mla-kz-refugee-lawyer-search.json"),
                             "--hostile", hostile, "--screenshots", shots]
            // Off the pool: the server answers the browser from the test's own process.
            let result = try await runProcessOffPool(URL(fileURLWithPath: "/usr/bin/env"), arguments)
            #expect(result.status == 0, "\(result.stdout)\n\(result.stderr)")
            #expect(result.stdout.contains("ok: oversight sees the recorded decision in the audit"), "\(result.stdout)")
        }
        for name in ["01-sign-in", "02-case", "03-decided", "04-queue", "05-oversight", "06-case-tablet"] {
            #expect(FileManager.default.fileExists(atPath: "\(shots)/\(name).png"), "screenshot \(name)")
        }
        // What the browser did is in the log, and the log verifies offline.
        let entries = try f.state.log.log.entries()
        #expect(entries.map(\.kind) == [.screening, .decision, .screening])
        #expect(entries[1].decision == "refuse" && entries[1].reviewer == "rita" && entries[1].assessments?.values.contains("disagree") == true)
        let verified = try runWinnow(["log", "verify", f.state.configuration.dataFolder.appendingPathComponent("log").path])
        #expect(verified.status == 0, "\(verified.stdout)\(verified.stderr)")
    }
}
