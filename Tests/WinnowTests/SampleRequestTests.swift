import Foundation
import Testing
@testable import WinnowIntake
import WinnowModel

@Suite("Sample requests")
struct SampleRequestTests {
    @Test("every sample is a valid request", arguments: Paths.sampleRequests)
    func sampleIsValid(_ name: String) throws {
        let request = try makeIntake().load(path: Paths.sample(name))
        #expect(!request.id.isEmpty)
        #expect(!request.persons.isEmpty)
        #expect(request.requestingState != request.requestedState)
    }

    @Test("XML and JSON mirror each other: each sample reads the same in the other form", arguments: Paths.sampleRequests)
    func mirrors(_ name: String) throws {
        let intake = makeIntake()
        let original = try intake.load(path: Paths.sample(name))
        let other: RequestFormat = name.hasSuffix(".xml") ? .json : .xml
        let converted = try intake.convert(path: Paths.sample(name), to: other)
        let dir = try TempDir()
        let path = try dir.write("converted.\(other.rawValue)", converted)
        let reread = try intake.load(path: path)
        #expect(reread == original)
        // And back again, to the same text as a direct conversion would give.
        let back = try intake.convert(path: path, to: other == .xml ? .json : .xml)
        let backPath = try dir.write("back.\(other == .xml ? "json" : "xml")", back)
        #expect(try intake.load(path: backPath) == original)
    }

    @Test("the samples cover every instrument, in both formats")
    func coverage() throws {
        let intake = makeIntake()
        var instruments = Set<Instrument>()
        var formats = Set<String>()
        for name in Paths.sampleRequests {
            instruments.insert(try intake.load(path: Paths.sample(name)).instrument)
            formats.insert(URL(fileURLWithPath: name).pathExtension)
        }
        #expect(instruments == Set(Instrument.allCases))
        #expect(formats == ["xml", "json"])
        #expect(Paths.sampleRequests.count >= 12)
    }

    @Test("expected.json gives a band and reasons for every sample")
    func expectations() throws {
        let expectations = try SampleExpectations.load(path: Paths.sample("expected.json"))
        #expect(Set(expectations.entries.map(\.file)) == Set(Paths.sampleRequests))
        #expect(expectations.entries.allSatisfy { !$0.reasons.isEmpty })
        // The set spans the bands, from ordinary requests to the clearest abuse.
        #expect(Set(expectations.entries.map(\.band)) == Set(Band.allCases))
    }

    @Test("a broken expectations file is refused with located problems")
    func brokenExpectations() throws {
        let dir = try TempDir()
        try dir.write("a.json", "{}")
        let path = try dir.write("expected.json", """
            {"winnowExpectations": "1.0", "samples": [
              {"file": "a.json", "band": "severe", "reasons": ["x"]},
              {"file": "missing.json", "band": "low", "reasons": ["x"], "note": 1}
            ]}
            """)
        do {
            _ = try SampleExpectations.load(path: path)
            Issue.record("expected a failure")
        } catch {
            let text = error.description
            #expect(text.contains("expected.json:2: /samples/0/band: band must be one of: low, elevated, high, critical"))
            #expect(text.contains("/samples/1/note: unknown key \"note\""))
            #expect(text.contains("no sample file \"missing.json\""))
        }
    }
}
