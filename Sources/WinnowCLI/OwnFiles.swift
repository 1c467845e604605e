import Foundation

/// Winnow's own JSON files that are not requests (a registry import, the samples' expected bands),
/// told by their first key. `validate` checks them as what they are; `batch` leaves them out.
enum OwnFile: String, CaseIterable {
    case registry = "winnowRegistry"
    case expectations = "winnowExpectations"
    /// An INTERPOL public notice record: screened with `screen --from interpol-notice`.
    case interpolNotice = "entity_id"

    var description: String {
        switch self {
        case .registry: return "registry import"
        case .expectations: return "expected bands of samples"
        case .interpolNotice: return "INTERPOL notice record; screen it with --from interpol-notice"
        }
    }

    /// Reads at most the first 256 bytes of a `.json` file.
    static func of(_ path: String) -> OwnFile? {
        // Only a regular file is peeked at: opening a FIFO could block.
        var info = stat()
        guard path.hasSuffix(".json"), stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG,
              let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        guard let head = try? handle.read(upToCount: 256) else { return nil }
        let text = String(decoding: head, as: UTF8.self).drop { $0.isWhitespace || $0 == "{" || $0 == "\u{FEFF}" }
        return allCases.first { text.hasPrefix("\"\($0.rawValue)\"") }
    }
}
