public import Foundation
public import WinnowModel

/// `SampleRequests/expected.json`: for each sample request, the band a careful reviewer would
/// give and the reasons. The tests screen every sample against it.
public struct SampleExpectations: Sendable {
    public struct Entry: Sendable, Hashable {
        public var file: String
        public var band: Band
        public var reasons: [String]
    }

    public static let marker = "winnowExpectations"

    public var entries: [Entry]
    /// Folder the entries' file names are relative to.
    public var folder: URL

    /// Loads and checks the file: strict keys, known bands, every listed file present, and every
    /// request file in the folder listed.
    public static func load(path: String, limits: Intake.Limits = Intake.Limits()) throws(IntakeError) -> SampleExpectations {
        let bytes = try Intake(limits: limits, today: Day(ordinal: 0)).read(path)
        return try parse(bytes, path: path)
    }

    static func parse(_ bytes: [UInt8], path: String) throws(IntakeError) -> SampleExpectations {
        var problems: [Diagnostic] = []
        func problem(_ line: Int?, _ pointer: String, _ message: String) {
            problems.append(Diagnostic(file: path, line: line, path: pointer, message: message))
        }
        let root: DocNode
        do { root = try JSONReader.parse(bytes) } catch {
            throw .invalid([Diagnostic(file: path, line: error.line, message: error.message)])
        }
        guard case .object(let members) = root.value else { throw .invalid([Diagnostic(file: path, line: root.line, message: "expected an object")]) }
        for (key, node) in members where !["winnowExpectations", "description", "samples"].contains(key) {
            problem(node.line, "/\(key)", "unknown key \"\(key)\"")
        }
        if root[marker]?.string != "1.0" { problem(root[marker]?.line, "/\(marker)", "must be \"1.0\"") }
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
        var entries: [Entry] = []
        if case .array(let items)? = root["samples"]?.value {
            for (i, item) in items.enumerated() {
                let pointer = "/samples/\(i)"
                guard case .object(let fields) = item.value else { problem(item.line, pointer, "expected an object"); continue }
                for (key, node) in fields where !["file", "band", "reasons"].contains(key) {
                    problem(node.line, "\(pointer)/\(key)", "unknown key \"\(key)\"")
                }
                guard let file = item["file"]?.string else { problem(item.line, "\(pointer)/file", "missing file name"); continue }
                guard let bandText = item["band"]?.string, let band = Band(rawValue: bandText) else {
                    problem(item["band"]?.line ?? item.line, "\(pointer)/band",
                            "band must be one of: \(Band.allCases.map(\.rawValue).joined(separator: ", "))")
                    continue
                }
                var reasons: [String] = []
                if case .array(let rs)? = item["reasons"]?.value { reasons = rs.compactMap(\.string) }
                if reasons.isEmpty { problem(item.line, "\(pointer)/reasons", "give at least one reason") }
                if !FileManager.default.fileExists(atPath: folder.appendingPathComponent(file).path) {
                    problem(item["file"]?.line, "\(pointer)/file", "no sample file \"\(file)\" beside the expectations file")
                }
                if entries.contains(where: { $0.file == file }) { problem(item.line, "\(pointer)/file", "\"\(file)\" is listed twice") }
                entries.append(Entry(file: file, band: band, reasons: reasons))
            }
        } else {
            problem(root.line, "/samples", "missing the list of samples")
        }
        let listed = Set(entries.map(\.file))
        let present = ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [])
            .filter { ($0.hasSuffix(".xml") || $0.hasSuffix(".json")) && $0 != URL(fileURLWithPath: path).lastPathComponent }
        for file in present.sorted() where !listed.contains(file) {
            problem(root.line, "/samples", "sample \"\(file)\" has no expected band")
        }
        if !problems.isEmpty { throw .invalid(problems) }
        return SampleExpectations(entries: entries, folder: folder)
    }
}
