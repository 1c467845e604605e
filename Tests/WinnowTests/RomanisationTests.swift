import Foundation
import Testing
@testable import WinnowNames

/// `Romanisation.romanise` reads text scalar by scalar when every scalar is a character by itself,
/// and character by character otherwise: both ways must give the same spelling.
@Suite("Reading names: the fast paths give what the character paths give")
struct RomanisationTests {
    /// Every name of the test fixtures, and every pair of Cyrillic letters after a space, a Latin
    /// letter, a digit, a hyphen and each letter (the е rules look at what comes before).
    static let texts: [String] = {
        var out: [String] = []
        for file in ["name-pairs.tsv", "name-variants.tsv", "name-families.tsv"] {
            let text = (try? String(contentsOf: Paths.root.appendingPathComponent("Tests/Fixtures/\(file)"), encoding: .utf8)) ?? ""
            for line in text.split(separator: "\n") where !line.hasPrefix("#") {
                out += line.split(separator: "\t").map(String.init)
            }
        }
        let letters = (0x0400...0x04FF).compactMap(Unicode.Scalar.init).filter { Romanisation.standsAlone($0) }.map { String($0) }
        for a in letters {
            for before in [" ", "k", "7", "-", "а", "б", "ь", "ъ", "ё", "Е"] { out.append(before + a + "е" + a) }
        }
        return out
    }()

    @Test("every fixture name and every Cyrillic letter in context, in each scheme")
    func samePaths() throws {
        #expect(Self.texts.count > 2_000, "the fixtures were read")
        var compared = 0
        for text in Self.texts {
            let lower = text.lowercased()
            guard lower.unicodeScalars.allSatisfy(Romanisation.standsAlone) else { continue }
            for scheme in Romanisation.tables {
                #expect(scheme.romaniseScalars(lower) == scheme.romaniseCharacters(lower), "\(scheme.rawValue): \(text)")
                compared += 1
            }
        }
        #expect(compared > 10_000)
    }

    @Test("a letter with a combining mark is one character: read by the character path, whole")
    func combiningMarks() {
        // е with a combining acute (a stress mark) is not the plain letter in any table.
        let stressed = "ма\u{0301}рина"
        #expect(!stressed.unicodeScalars.allSatisfy(Romanisation.standsAlone))
        #expect(Romanisation.icao.romanise(stressed) == "m" + "а\u{0301}" + "rina")
        #expect(Romanisation.icao.romanise("Марина") == "marina")
        #expect(Romanisation.bgnPcgn.romanise("Елена Ершова") == "yelena yershova")
        #expect(Romanisation.german.romanise("Елена") == "jelena")
    }

    @Test("ASCII text is split into words byte by byte exactly as character by character")
    func sameWords() {
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array("ab -,.\t\n\r\u{0B}\u{0C}'x")
        var texts = Self.texts.flatMap { t in Romanisation.tables.map { $0.romanise(t) } + [t] }
        for _ in 0..<2_000 { texts.append(String((0..<Int.random(in: 0...12, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! })) }
        var ascii = 0
        for text in texts {
            let characters = text.split { $0.isWhitespace || $0 == "," || $0 == "." }
            #expect(NameMatcher.separateWords(text) == characters, "\(text.debugDescription)")
            if text.utf8.allSatisfy({ $0 < 0x80 }) { ascii += 1 }
        }
        #expect(ascii > 5_000, "the byte path was taken")
    }
}
