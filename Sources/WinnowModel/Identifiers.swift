import Foundation

/// How case numbers and organisation names are compared across requests and records.
public enum Identifiers {
    /// A case number on its letters and digits only: "17-7100-0413-2017" = "1771000413 2017".
    public static func caseNumber(_ s: String) -> String {
        String(s.uppercased().unicodeScalars.filter { CharacterSet.alphanumerics.contains($0) }.map(Character.init))
    }

    /// Legal-form words left out when comparing organisation names.
    static let legalForms: Set<String> = ["jsc", "ojsc", "ao", "llp", "ltd", "llc", "sa", "bv", "nv", "plc", "gmbh", "ag", "inc", "corp",
                                          "co", "the", "of", "fictional", "limited", "incorporated", "corporation", "pjsc", "too", "oao", "zao"]

    /// An organisation name as a set of folded words, legal forms left out.
    public static func organisationTokens(_ name: String) -> Set<String> {
        var words = name.lowercased().folding(options: .diacriticInsensitive, locale: nil)
            .split { !$0.isLetter && !$0.isNumber }.map(String.init)
        // Spelled-out legal forms ("BTA Bank Joint Stock Company" is "JSC BTA Bank"), longest first.
        for phrase in spelledLegalForms {
            var i = 0
            while i + phrase.count <= words.count {
                if Array(words[i..<i + phrase.count]) == phrase { words.removeSubrange(i..<i + phrase.count) } else { i += 1 }
            }
        }
        return Set(words.filter { !legalForms.contains($0) })
    }

    /// Legal forms written out in words, removed as whole phrases (a lone "public" or "stock" stays).
    static let spelledLegalForms: [[String]] = [
        "public joint stock company", "open joint stock company", "closed joint stock company", "joint stock company",
        "limited liability company", "limited liability partnership", "public limited company",
    ].map { $0.split(separator: " ").map(String.init) }.sorted { $0.count > $1.count }

    /// Whether two organisation names name the same body (three quarters of their words shared).
    public static func sameOrganisation(_ a: String, _ b: String) -> Bool {
        let x = organisationTokens(a), y = organisationTokens(b)
        guard !x.isEmpty, !y.isEmpty else { return false }
        return Double(x.intersection(y).count) / Double(x.union(y).count) >= 0.75
    }
}
