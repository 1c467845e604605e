public import WinnowModel

/// The terms a report uses, explained once at its end: the instruments, the pattern families of
/// its findings, and the abbreviations its sources and notes use. Only terms the report uses.
public enum Glossary {
    /// Fixed terms: what each means, in one sentence.
    static let terms: [(term: String, means: String)] = [
        ("MLA", "mutual legal assistance in criminal matters (evidence, searches, records), between Council of Europe states under the 1959 European Convention (ETS 30), otherwise under a bilateral treaty, UNCAC, UNTOC or reciprocity"),
        ("EIO", "European Investigation Order, an order between EU states to gather evidence, under Directive 2014/41/EU"),
        ("EAW", "European Arrest Warrant, a surrender request between EU states, under Council Framework Decision 2002/584/JHA"),
        ("Extradition", "surrender of a person for prosecution or punishment, between Council of Europe states under the 1957 European Convention (ETS 24), otherwise under a bilateral treaty or reciprocity"),
        ("Red Notice", "an INTERPOL notice asking police worldwide to locate and provisionally arrest a person pending extradition"),
        ("Diffusion", "an INTERPOL alert that a member country's National Central Bureau circulates directly to other countries"),
        ("CCF", "the Commission for the Control of INTERPOL's Files, which decides complaints against notices and diffusions"),
        ("[GC]", "a judgment of the Grand Chamber of the European Court of Human Rights"),
        ("BGN/PCGN", "the romanisation systems of the US Board on Geographic Names and the UK Permanent Committee on Geographical Names, used to compare names across scripts"),
        ("Band floor", "a finding about this request that lifts the band to at least its level, whatever the score"),
        ("Context", "the requesting state's record: capped, it alone never reaches high; it weighs this request's own findings more"),
        ("Data gap", "a rule that could not be decided because a fact was unknown; unknown is not 'no'"),
    ]

    /// The entries for one report: instrument, pattern families, and the terms its text uses.
    public static func entries(for report: Report, patterns: [String: String] = [:]) -> [(term: String, means: String)] {
        let fired = report.findings + report.mitigations
        var text = fired.map { f in f.title + " " + f.explanation + " " + f.citations.map { "\($0.citation) \($0.note ?? "")" }.joined(separator: " ")
            + " " + f.evidence.map { "\($0.quote) \($0.note ?? "")" }.joined(separator: " ") }.joined(separator: " ")
        text += " " + report.bandReason
        let instrument: String
        switch report.request.instrument {
        case .mla: instrument = "MLA"
        case .eio: instrument = "EIO"
        case .eaw: instrument = "EAW"
        case .extradition: instrument = "Extradition"
        case .interpolRedNotice: instrument = "Red Notice"
        case .interpolDiffusion: instrument = "Diffusion"
        }
        var out: [(term: String, means: String)] = []
        for entry in terms {
            let used: Bool
            switch entry.term {
            case instrument: used = true
            case "MLA", "EIO", "EAW", "Extradition", "Red Notice", "Diffusion": used = false
            case "Band floor": used = report.bandReason.contains("floor")
            case "Context": used = fired.contains { $0.role == .context }
            case "Data gap": used = !report.dataGaps.isEmpty
            default: used = text.contains(entry.term)
            }
            if used { out.append(entry) }
        }
        for family in Set(fired.compactMap(\.pattern)).sorted(by: { $0.dropFirst().count != $1.dropFirst().count ? $0.count < $1.count : $0 < $1 }) {
            if let title = patterns[family] { out.append((family, "pattern family: \(title)")) }
        }
        return out
    }
}
