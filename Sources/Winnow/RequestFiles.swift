#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
public import Foundation
import WinnowModel

/// Finds the request files named on a command line: files as they are, folders recursively to
/// their `.xml` and `.json` files in a stable (sorted) order, and patterns with `*`, `?` or `[`
/// matched by glob(3) for shells that did not expand them.
///
/// Folders are read with readdir(3): Foundation's directory enumerator builds URLs for every
/// entry and took most of a 100,000-file batch's start.
public enum RequestFiles {
    public static func expand(_ paths: [String], globs: Bool = false) -> [String] {
        var skipped: [String] = []
        return expand(paths, globs: globs, skipped: &skipped)
    }

    /// As `expand`, and names in `skipped` what a folder held under a request's name that is not a
    /// regular file (a FIFO, a socket, a device): opening such a file could block forever.
    public static func expand(_ paths: [String], globs: Bool = false, skipped: inout [String]) -> [String] {
        var out: [String] = []
        for path in paths {
            if globs, path.contains(where: { "*?[".contains($0) }), !FileManager.default.fileExists(atPath: path) {
                var g = glob_t()
                defer { globfree(&g) }
                guard glob(path, 0, nil, &g) == 0 else { continue }
                let matches = (0..<Int(g.gl_pathc)).compactMap { g.gl_pathv[$0].map { String(cString: $0) } }
                out += expand(matches.sorted(), skipped: &skipped)
            } else if isDirectory(path) {
                let base = path.hasSuffix("/") ? String(path.dropLast()) : path
                var found: [String] = []
                walk(base, relative: "", into: &found, skipped: &skipped)
                out += found.sorted().map { "\(base)/\($0)" }
            } else {
                out.append(path)
            }
        }
        return out
    }

    static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return RawFileName.withCPath(path) { stat($0, &info) } == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }

    /// Collects request files below `folder` as paths relative to the walk's base. Symbolic links
    /// to folders are not followed (no cycles); links to files are kept.
    private static func walk(_ folder: String, relative: String, into found: inout [String], skipped: inout [String]) {
        guard let dir = RawFileName.withCPath(folder, { opendir($0) }) else { return }
        defer { closedir(dir) }
        while let entry = readdir(dir) {
            let bytes = withUnsafeBytes(of: entry.pointee.d_name) { raw in [UInt8](raw.prefix { $0 != 0 }) }
            // A name that is not valid UTF-8 keeps its bytes (escaped in the string, see RawFileName):
            // it is screened like any other, never turned into another file's name.
            let name = RawFileName.string(bytes)
            if name == "." || name == ".." { continue }
            let path = folder + "/" + name
            let rel = relative.isEmpty ? name : relative + "/" + name
            var type = entry.pointee.d_type
            if type == UInt8(DT_UNKNOWN) || type == UInt8(DT_LNK) {
                // Links to files are followed (to see what they point at); links to folders are not.
                var info = stat()
                guard RawFileName.withCPath(path, { lstat($0, &info) }) == 0 else { continue }
                if (info.st_mode & S_IFMT) == S_IFLNK {
                    guard RawFileName.withCPath(path, { stat($0, &info) }) == 0 else { continue }
                    type = (info.st_mode & S_IFMT) == S_IFREG ? UInt8(DT_REG) : ((info.st_mode & S_IFMT) == S_IFDIR ? UInt8(DT_LNK) : UInt8(DT_FIFO))
                } else {
                    type = (info.st_mode & S_IFMT) == S_IFDIR ? UInt8(DT_DIR) : ((info.st_mode & S_IFMT) == S_IFREG ? UInt8(DT_REG) : UInt8(DT_FIFO))
                }
            }
            let looksLikeRequest = name.hasSuffix(".xml") || name.hasSuffix(".json")
            if type == UInt8(DT_DIR) {
                walk(path, relative: rel, into: &found, skipped: &skipped)
            } else if looksLikeRequest && type == UInt8(DT_REG) {
                found.append(rel)
            } else if looksLikeRequest && type != UInt8(DT_LNK) {
                skipped.append("\(path) (not a regular file)")
            }
        }
    }

    /// `path` made absolute against the working directory, with `.`, `..` and repeated slashes
    /// resolved in the text (no file-system access, symbolic links left as they are).
    public static func absolute(_ path: String, cwd: String = FileManager.default.currentDirectoryPath) -> String {
        let full = path.hasPrefix("/") ? path : cwd + "/" + path
        var parts: [Substring] = []
        for part in full.split(separator: "/") {
            switch part {
            case ".": continue
            case "..": if !parts.isEmpty { parts.removeLast() }
            default: parts.append(part)
            }
        }
        return "/" + parts.joined(separator: "/")
    }
}
