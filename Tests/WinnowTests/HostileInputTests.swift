import Foundation
import Testing
@testable import WinnowIntake
import WinnowModel

/// Inputs an attacker (or an accident) might send. Each must be refused as bad input (exit 2)
/// with a one-line reason, quickly, without reading outside the file and without crashing.
@Suite("Hostile input")
struct HostileInputTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var file: String
        var content: @Sendable () -> [UInt8]
        /// A phrase the reason must contain.
        var reason: String
        var testDescription: String { name }
    }

    static let validXML: String = {
        (try? String(contentsOfFile: Paths.sample("eaw-hu-fraud-in-absentia.xml"), encoding: .utf8)) ?? ""
    }()

    static let cases: [Case] = [
        Case(name: "external entity (XXE) reading /etc/passwd", file: "xxe.xml", content: { Array("""
            <?xml version="1.0"?>
            <!DOCTYPE request [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]>
            <request xmlns="urn:winnow:request:1"><id>&xxe;</id></request>
            """.utf8) }, reason: "DOCTYPE declarations are not accepted"),
        Case(name: "external DTD over the network", file: "dtd.xml", content: { Array("""
            <?xml version="1.0"?>
            <!DOCTYPE request SYSTEM "http://127.0.0.1:9/evil.dtd">
            <request xmlns="urn:winnow:request:1"/>
            """.utf8) }, reason: "DOCTYPE declarations are not accepted"),
        Case(name: "parameter-entity XXE", file: "pe.xml", content: { Array("""
            <?xml version="1.0"?>
            <!DOCTYPE r [ <!ENTITY % pe SYSTEM "file:///etc/passwd"> %pe; ]>
            <request xmlns="urn:winnow:request:1"/>
            """.utf8) }, reason: "DOCTYPE declarations are not accepted"),
        Case(name: "entity-expansion bomb (billion laughs)", file: "bomb.xml", content: {
            var dtd = "<!ENTITY l0 \"lol\">"
            for i in 1...9 { dtd += "<!ENTITY l\(i) \"" + String(repeating: "&l\(i - 1);", count: 10) + "\">" }
            return Array("<?xml version=\"1.0\"?><!DOCTYPE request [\(dtd)]><request xmlns=\"urn:winnow:request:1\">&l9;</request>".utf8)
        }, reason: "DOCTYPE declarations are not accepted"),
        Case(name: "XInclude of a local file", file: "xinclude.xml", content: {
            Array(validXML.replacingOccurrences(of: "<legalBasis>", with:
                "<xi:include xmlns:xi=\"http://www.w3.org/2001/XInclude\" href=\"/etc/passwd\" parse=\"text\"/><legalBasis>").utf8)
        }, reason: "This element is not expected"),
        Case(name: "200,000-deep XML nesting", file: "deep.xml", content: {
            Array((String(repeating: "<a>", count: 200_000) + String(repeating: "</a>", count: 200_000)).utf8)
        }, reason: "nested deeper than libxml2's limit"),
        Case(name: "200,000-deep JSON nesting", file: "deep.json", content: {
            Array((String(repeating: "[", count: 200_000) + String(repeating: "]", count: 200_000)).utf8)
        }, reason: "nesting deeper than 64 levels"),
        Case(name: "200,000-deep JSON objects", file: "deep-objects.json", content: {
            Array((String(repeating: "{\"a\":", count: 200_000) + "1" + String(repeating: "}", count: 200_000)).utf8)
        }, reason: "nesting deeper than 64 levels"),
        Case(name: "empty file", file: "empty.json", content: { [] }, reason: "empty file"),
        Case(name: "whitespace only", file: "blank.xml", content: { Array("  \n\t\n".utf8) }, reason: "empty file"),
        Case(name: "binary garbage", file: "garbage.bin", content: {
            var generator = SystemRandomNumberGenerator()
            var bytes = (0..<4096).map { _ in UInt8.random(in: 0...255, using: &generator) }
            bytes[10] = 0
            return bytes
        }, reason: "binary content"),
        Case(name: "truncated JSON", file: "truncated.json", content: {
            Array(#"{"formatVersion": "1.0", "id": "X-1", "instrument": "ml"#.utf8)
        }, reason: "truncated JSON"),
        Case(name: "truncated XML", file: "truncated.xml", content: {
            Array(validXML.prefix(validXML.count / 2).utf8)
        }, reason: "Premature end of data"),
        Case(name: "invalid UTF-8 in JSON", file: "latin1.json", content: {
            [UInt8](#"{"id": ""#.utf8) + [0xE9, 0xFF] + [UInt8](#""}"#.utf8)
        }, reason: "not valid UTF-8"),
        Case(name: "neither XML nor JSON", file: "notes.txt", content: { Array("Dear colleague,\nplease find".utf8) },
             reason: "neither XML nor JSON"),
        Case(name: "JSON with a duplicate key", file: "dup.json", content: {
            Array(#"{"id": "a", "id": "b"}"#.utf8)
        }, reason: "duplicate key \"id\""),
        Case(name: "XML that is not a request", file: "other.xml", content: {
            Array("<?xml version=\"1.0\"?><invoice><total>3</total></invoice>".utf8)
        }, reason: "No matching global declaration"),
    ]

    @Test("refused by the library with a located reason", arguments: cases)
    func refusedByLibrary(_ c: Case) throws {
        let dir = try TempDir()
        let path = try dir.write(c.file, bytes: c.content())
        let diagnostics = invalidDiagnostics { () throws(IntakeError) in try makeIntake().load(path: path) }
        #expect(!diagnostics.isEmpty)
        let text = diagnostics.map(\.description).joined(separator: "\n")
        #expect(text.contains(c.reason), "got: \(text)")
        #expect(text.hasPrefix(path), "a diagnostic starts with the file name")
        #expect(!text.contains("root:x:0:0"), "nothing from /etc/passwd may leak")
    }

    @Test("refused by the command line: exit 2, one line per problem, no crash", arguments: cases)
    func refusedByCommandLine(_ c: Case) throws {
        let dir = try TempDir()
        let path = try dir.write(c.file, bytes: c.content())
        let result = try runWinnow(["validate", path])
        #expect(result.status == 2)
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.first?.hasPrefix(path) == true, "got: \(result.stderr)")
        #expect(result.stderr.contains(c.reason))
        #expect(lines.last == "0 valid, 1 invalid")
        #expect(!result.stderr.contains("root:x:0:0") && !result.stdout.contains("root:x:0:0"))
    }

    @Test("a 100 MB file is refused unread")
    func hugeFile() throws {
        let dir = try TempDir()
        let path = dir.url.appendingPathComponent("huge.json").path
        FileManager.default.createFile(atPath: path, contents: nil)
        let handle = try #require(FileHandle(forWritingAtPath: path))
        try handle.truncate(atOffset: 100 * 1024 * 1024)   // sparse: 100 MB without writing them
        try handle.close()
        let diagnostics = invalidDiagnostics { () throws(IntakeError) in try makeIntake().load(path: path) }
        #expect(diagnostics.map(\.message) == ["file is 104857600 bytes, over the limit of 8388608 bytes for one request"])
        let result = try runWinnow(["validate", path])
        #expect(result.status == 2)
        #expect(result.stderr.contains("over the limit of 8388608 bytes"))
    }

    @Test("--max-bytes lowers the limit")
    func maxBytes() throws {
        let result = try runWinnow(["validate", "--max-bytes", "100", Paths.sample("eaw-pl-theft.json")])
        #expect(result.status == 2)
        #expect(result.stderr.contains("over the limit of 100 bytes"))
    }

    @Test("a missing file and a folder are bad input, not crashes")
    func notFiles() throws {
        let dir = try TempDir()
        let missing = dir.url.appendingPathComponent("nope.json").path
        #expect(invalidDiagnostics { () throws(IntakeError) in try makeIntake().load(path: missing) }.map(\.message) == ["no such file"])
        #expect(invalidDiagnostics { () throws(IntakeError) in try makeIntake().load(path: dir.url.path) }.first?.message
            == "is a directory, not a request file")
    }
}
