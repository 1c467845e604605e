import Foundation
public import WinnowModel

/// The JSON report: the contract. Keys sorted, so that the same input gives the same bytes apart
/// from `generatedAt`.
public enum JSONReport {
    public static func render(_ report: Report) -> String {
        String(decoding: bytes(report), as: UTF8.self)
    }

    /// `render`'s UTF-8.
    public static func bytes(_ report: Report) -> [UInt8] {
        var out = (try? PrettyJSON.bytes(report)) ?? Array("{}".utf8)
        out.append(UInt8(ascii: "\n"))
        return out
    }

    public static func render(_ reports: [Report]) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return reports.compactMap { (try? encoder.encode($0)).flatMap { String(data: $0, encoding: .utf8) } }
            .joined(separator: "\n") + "\n"
    }
}
