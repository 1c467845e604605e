public import Foundation
import HummingbirdBcrypt
import Synchronization
import WinnowModel

/// What a person signed in to the desk may do.
public enum Role: String, Sendable, Codable, CaseIterable {
    /// Screens requests and records decisions.
    case reviewer
    /// Reads the queue, the requests and the audit; decides nothing.
    case oversight
    /// Everything a reviewer and oversight may do.
    case administrator

    var reviews: Bool { self == .reviewer || self == .administrator }
    var oversees: Bool { self == .oversight || self == .administrator }
}

/// A desk user as stored: the bcrypt hash of the password, never the password.
public struct UserRecord: Sendable, Codable, Equatable {
    public var name: String
    public var role: Role
    public var passwordHash: String
    public var created: String
    public var disabled: String?
}

/// The desk's users, in `DATA/users.json` (mode 0600), written atomically and read again when the
/// file changes, so that `winnow serve user disable` takes effect without a restart.
///
/// Passwords are hashed with bcrypt (HummingbirdBcrypt), cost 12 by default: about a quarter of a
/// second per sign-in on this machine, which is the point.
public final class UserStore: Sendable {
    public let file: URL
    let cost: UInt8
    private let state = Mutex<(records: [UserRecord], modified: Date?)>(([], nil))
    /// A hash to check against when the name is unknown, so that a wrong name takes as long as a
    /// wrong password and does not tell which names exist.
    private let decoy: String

    public init(folder: URL, cost: UInt8 = 12) {
        file = folder.appendingPathComponent("users.json")
        self.cost = cost
        decoy = Bcrypt.hash(UUID().uuidString, cost: cost)
    }

    /// Names are what a person types at sign-in: letters, digits, `.`, `-`, `_`, `@`, up to 64.
    public static func nameProblem(_ name: String) -> String? {
        guard (1...64).contains(name.count) else { return "a user name has 1 to 64 characters" }
        guard name.unicodeScalars.allSatisfy({ $0.properties.isAlphabetic || ("0"..."9").contains($0) || ".-_@".unicodeScalars.contains($0) }) else {
            return "a user name has letters, digits, '.', '-', '_' and '@' only"
        }
        return nil
    }

    public func records() throws -> [UserRecord] {
        let modified = (try? FileManager.default.attributesOfItem(atPath: file.path))?[.modificationDate] as? Date
        if let cached = state.withLock({ $0.modified == modified && modified != nil ? $0.records : nil }) { return cached }
        guard let modified, let data = FileManager.default.contents(atPath: file.path) else {
            state.withLock { $0 = ([], nil) }
            return []
        }
        let records = try JSONDecoder().decode([UserRecord].self, from: data)
        state.withLock { $0 = (records, modified) }
        return records
    }

    /// Adds a user. Without a password, one is made (20 random characters) and returned: it is shown once.
    public func add(name: String, role: Role, password: String? = nil, now: Date = Date()) throws -> (record: UserRecord, password: String) {
        if let problem = Self.nameProblem(name) { throw UserError(problem) }
        var records = try records()
        guard !records.contains(where: { $0.name == name }) else { throw UserError("there is already a user \"\(name)\"") }
        let password = password ?? Self.randomPassword()
        guard password.utf8.count >= 12 else { throw UserError("a password has at least 12 characters") }
        // bcrypt reads at most 72 bytes: a longer password would be checked only by its start.
        guard password.utf8.count <= 72 else { throw UserError("a password has at most 72 bytes (bcrypt reads no more)") }
        let record = UserRecord(name: name, role: role, passwordHash: Bcrypt.hash(password, cost: cost),
                                created: Day.timestamp(secondsSince1970: now.timeIntervalSince1970))
        records.append(record)
        try save(records)
        return (record, password)
    }

    /// Disables a user: their sessions end at their next request. False when there is no such active user.
    public func disable(name: String, now: Date = Date()) throws -> Bool {
        var records = try records()
        guard let i = records.firstIndex(where: { $0.name == name && $0.disabled == nil }) else { return false }
        records[i].disabled = Day.timestamp(secondsSince1970: now.timeIntervalSince1970)
        try save(records)
        return true
    }

    /// The active user with this name and password, or nil. Takes bcrypt's time whether or not the
    /// name exists.
    public func check(name: String, password: String) -> UserRecord? {
        let record = (try? records())?.first { $0.name == name && $0.disabled == nil }
        guard let record else {
            _ = Bcrypt.verify(password, hash: decoy)
            return nil
        }
        return Bcrypt.verify(password, hash: record.passwordHash) ? record : nil
    }

    /// The active user of this name (for a session's every request).
    func active(_ name: String) -> UserRecord? {
        (try? records())?.first { $0.name == name && $0.disabled == nil }
    }

    static func randomPassword() -> String {
        let alphabet = Array("abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789")
        var generator = SystemRandomNumberGenerator()
        return String((0..<20).map { _ in alphabet[Int(generator.next(upperBound: UInt(alphabet.count)))] })
    }

    private func save(_ records: [UserRecord]) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try encoder.encode(records).write(to: file, options: .atomic)
        try? FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: file.path)
        state.withLock { $0 = ([], nil) }
    }
}

public struct UserError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
