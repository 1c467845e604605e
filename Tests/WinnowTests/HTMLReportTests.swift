import Foundation
import Testing
@testable import Winnow
@testable import WinnowReports

@Suite("HTML report")
struct HTMLReportTests {
    /// A request whose every free-text field is hostile.
    static func hostileRequest() throws -> Request {
        var request = try makeIntake().load(path: Paths.sample("mla-kz-refugee-lawyer-search.json"))
        let script = "<script>alert('x')</script>"
        request.id = "X<img src=x onerror=alert(1)>"
        request.persons[0].names[0].text = "Dana \u{202E}avonahkrimeT\u{202C} \(script)"
        request.persons[0].profession = "<a href=\"javascript:alert(1)\">lawyer</a>"
        request.measures[0].items[0] = String(repeating: "A", count: 5000)
        request.parties[0].name = "Bank\" onmouseover=\"alert(1)"
        request.offences[0].label = "<iframe src=\"https://evil.example\"></iframe>"
        return request
    }

    @Test("everything from a request is escaped: no script, no handler, no javascript: link, bidi controls shown not obeyed")
    func inert() throws {
        let report = Screener(pack: shippedPack, asOf: testToday).screen(try Self.hostileRequest(), file: "hostile.json")
        let html = HTMLReport.render(report)
        let lower = html.lowercased()
        #expect(!lower.contains("<script"))
        #expect(!lower.contains("<iframe"))
        #expect(!lower.contains("<img"))
        #expect(!lower.contains("href=\"javascript:"))
        #expect(!html.contains("onerror=alert") || html.contains("onerror=alert(1)&gt;"))
        #expect(!html.contains("\" onmouseover=\""))
        #expect(!html.unicodeScalars.contains { (0x202A...0x202E).contains($0.value) || (0x2066...0x2069).contains($0.value) })
        #expect(html.contains("[U+202E]"))
        #expect(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"))
        // The only links are the legal sources' own http(s) addresses.
        let hrefs = html.components(separatedBy: "href=\"").dropFirst().map { $0.prefix { $0 != "\"" } }
        #expect(!hrefs.isEmpty && hrefs.allSatisfy { $0.hasPrefix("https://") || $0.hasPrefix("http://") })
        // Self-contained: no external scripts, styles or fonts, and a policy that forbids them.
        #expect(!lower.contains("<link") && !lower.contains("@import") && !lower.contains("url("))
        #expect(html.contains("Content-Security-Policy\" content=\"default-src 'none'"))
        // The request id also reaches the printed page margins, as a CSS string that cannot close the style.
        #expect(html.contains("@top-left { content: \"Winnow risk report: mla X\\3c img src=x onerror=alert(1)\\3e \""))
        #expect(HTMLReport.cssString("a\"b\\c</style>\n") == "\"a\\22 b\\5c c\\3c /style\\3e [U+000A]\"")
        // Long unbroken strings wrap instead of widening the page.
        #expect(html.contains("overflow-wrap: anywhere"))
    }

    @Test("the page leads with band and score, and carries reasons, evidence, sources, gaps and provenance")
    func structure() throws {
        let report = try screenSample("mla-kz-refugee-lawyer-search.json")
        let html = HTMLReport.render(report)
        let band = try #require(html.range(of: "<span class=\"band critical\">CRITICAL</span>"))
        let reasons = try #require(html.range(of: "<h2>Reasons in this request ("))
        #expect(band.lowerBound < reasons.lowerBound)
        for heading in ["<h2>Mitigating factors", "<h2>Context: the requesting state&#39;s record", "<h2>Data gaps", "<h2>Legal sources</h2>", "<h2>Provenance</h2>"] { #expect(html.contains(heading)) }
        #expect(html.contains("<th scope=\"col\">"))
        #expect(html.contains("@media print") && html.contains("@page { size: A4"))
        // Every printed page: request reference, handling line, band and score, page N of M; links printed.
        #expect(html.contains("@top-left { content: \"Winnow risk report: mla BE-MLA-2024-0412\""))
        #expect(html.contains("@top-right { content: \"\(HTMLReport.handling)\""))
        #expect(html.contains("@bottom-left { content: \"CRITICAL score \(report.score)/100, as of "))
        #expect(html.contains("\"Page \" counter(page) \" of \" counter(pages)"))
        #expect(html.contains("a[href]::after { content: \" <\" attr(href) \">\""))
        // Locators break after a slash or colon, not mid-word.
        #expect(html.contains("<code>SampleRequests/<wbr>mla-kz-refugee-lawyer-search.json:<wbr>89 /<wbr>measures/<wbr>0/<wbr>items/<wbr>0</code>"))
        #expect(html.contains("<a href=\"https://www.coe.int/en/web/conventions/full-list?module=signatures-by-treaty&amp;treatynum=030\">"))
        // Kazakhstan is not party to the 1959 Convention: cited for its principles, and the EIO Directive not at all.
        #expect(html.contains("not as binding: KZ is not a party as of"))
        #expect(!html.contains("32014L0041"))
    }

    @Test("screen --format html writes one page; batch --format html writes one per request")
    func commands() throws {
        let dir = try TempDir()
        let out = dir.url.appendingPathComponent("r.html").path
        #expect(try runWinnow(["screen", "SampleRequests/eaw-pl-theft.json", "--format", "html", "-o", out]).status == 0)
        #expect(try String(contentsOfFile: out, encoding: .utf8).hasPrefix("<!DOCTYPE html>"))
        let reports = dir.url.appendingPathComponent("reports")
        let batch = try runWinnow(["batch", "SampleRequests/eaw-pl-theft.json", "SampleRequests/mla-ch-investment-fraud.json", "--format", "html", "--reports", reports.path])
        #expect(batch.status == 0)
        #expect(try FileManager.default.contentsOfDirectory(atPath: reports.path).sorted()
            == ["SampleRequests/eaw-pl-theft.json", "SampleRequests/mla-ch-investment-fraud.json"].map { BatchRunner.reportName(for: $0, extension: "html") }.sorted())
        let resumed = try runWinnow(["batch", "SampleRequests/eaw-pl-theft.json", "--format", "html", "--reports", reports.path, "--resume"])
        #expect(resumed.stderr.contains("1 resumed"))
    }

    @Test("the glossary explains the report's instrument, its pattern families and the terms it uses, and no others")
    func glossary() throws {
        let kz = try screenSample("mla-kz-refugee-lawyer-search.json")
        let text = TextReport.render(kz, patterns: shippedPack.patternFamilies)
        let glossary = try #require(text.components(separatedBy: "GLOSSARY\n").last?.components(separatedBy: "\n\n").first)
        #expect(glossary.contains("  MLA: mutual legal assistance"))
        #expect(!glossary.contains("  EAW:") && !glossary.contains("  EIO:"))
        #expect(glossary.contains("  P7: pattern family: Professional secrecy"))
        #expect(glossary.contains("  Data gap: "))
        let fired = Set((kz.findings + kz.mitigations).compactMap(\.pattern))
        #expect(glossary.split(separator: "\n").filter { $0.contains(": pattern family: ") }.count == fired.count)
        let eaw = try screenSample("eaw-pl-theft.json")
        let eawText = TextReport.render(eaw, patterns: shippedPack.patternFamilies)
        #expect(eawText.contains("  EAW: European Arrest Warrant") && !eawText.contains("  MLA: "))
        let html = HTMLReport.render(kz, patterns: shippedPack.patternFamilies)
        #expect(html.contains("<h2>Glossary</h2>") && html.contains("<dt>P7</dt><dd>pattern family: Professional secrecy</dd>"))
    }
}

/// Whether headless Chromium and poppler's pdfinfo are on this machine (`.ci/run` installs neither).
let printToolsAvailable = ["/usr/bin/chromium", "/usr/bin/pdfinfo"].allSatisfy { FileManager.default.isExecutableFile(atPath: $0) }

@Suite("Printed report")
struct PrintedReportTests {
    @Test("the Kazakh report prints on at most 8 A4 pages, its summary and decision block on the first",
          .enabled(if: printToolsAvailable, "needs chromium and pdfinfo (Debian's chromium and poppler-utils), which .ci/run does not install"))
    func eightPages() throws {
        let dir = try TempDir()
        let html = dir.url.appendingPathComponent("kz.html").path, pdf = dir.url.appendingPathComponent("kz.pdf").path
        let screened = try runWinnow(["screen", "SampleRequests/mla-kz-refugee-lawyer-search.json", "--registry", demoRegistryPath,
                                      "--format", "html", "-o", html])
        #expect(screened.status == 0)
        let text = try String(contentsOfFile: html, encoding: .utf8)
        #expect(text.contains("<section class=\"summary\"><h2>Summary</h2>") && text.contains("<th scope=\"row\">Decision</th>"))
        _ = try runProcess(URL(fileURLWithPath: "/usr/bin/chromium"), ["--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
                           "--user-data-dir=\(dir.url.appendingPathComponent("profile").path)", "--print-to-pdf=\(pdf)", "file://\(html)"])
        let info = try runProcess(URL(fileURLWithPath: "/usr/bin/pdfinfo"), [pdf]).stdout
        let pages = info.split(separator: "\n").first { $0.hasPrefix("Pages:") }.flatMap { Int($0.split(separator: " ").last ?? "") }
        let count = try #require(pages, "pdfinfo said: \(info)")
        #expect(count <= 8, "\(count) pages")
    }
}
