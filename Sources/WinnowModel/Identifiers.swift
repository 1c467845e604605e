import Foundation

/// How case numbers and organisation names are compared across requests and records.
public enum Identifiers {
    /// A case number on its letters and digits only: "17-7100-0413-2017" = "1771000413 2017".
    public static func caseNumber(_ s: String) -> String {
        String(s.uppercased().unicodeScalars.filter { CharacterSet.alphanumerics.contains($0) }.map(Character.init))
    }

    /// Legal-form words left out when comparing organisation names.
    static let legalForms: Set<String> = ["jsc", "ojsc", "ao", "llp", "ltd", "llc", "sa", "bv", "nv", "plc", "gmbh", "ag", "inc", "corp",
                                          "co", "the", "of", "fictional", "pjsc", "too", "oao", "zao"]

    /// An organisation name as a set of folded words, legal forms left out.
    public static func organisationTokens(_ name: String) -> Set<String> {
        Set(name.lowercased().folding(options: .diacriticInsensitive, locale: nil)
            .split { !$0.isLetter && !$0.isNumber }.map(String.init).filter { !legalForms.contains($0) })
    }

    /// Whether two organisation names name the same body (three quarters of their words shared).
    public static func sameOrganisation(_ a: String, _ b: String) -> Bool {
        let x = organisationTokens(a), y = organisationTokens(b)
        guard !x.isEmpty, !y.isEmpty else { return false }
        return Double(x.intersection(y).count) / Double(x.union(y).count) >= 0.75
    }
}
