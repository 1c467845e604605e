public import Foundation
import HummingbirdBcrypt
import Synchronization
import WinnowModel
public import WinnowRegistry

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

/// The desk's users, in `DATA/users.json` (a `RecordFile`: `winnow serve user disable` takes effect
/// in a running server at once).
///
/// Passwords are hashed with bcrypt (HummingbirdBcrypt), cost 12 by default: about a quarter of a
/// second per sign-in on this machine, which is the point.
public final class UserStore: Sendable {
    private let store: any RecordKeeper<UserRecord>
    /// Where the users are kept: `DATA/users.json`, or a shared database.
    public var location: String { store.location }
    let cost: UInt8
    /// A hash to check against when the name is unknown, so that a wrong name takes as long as a
    /// wrong password and does not tell which names exist. Made at the first sign-in.
    private let decoy = Mutex<String?>(nil)

    public init(folder: URL, cost: UInt8 = 12) {
        store = RecordFile(folder.appendingPathComponent("users.json"))
        self.cost = cost
    }

    /// Users kept in a database that several servers share (`--shared-store`).
    public init(shared: ServerRecords, cost: UInt8 = 12) {
        store = SharedRecordSet(shared, kind: "users")
        self.cost = cost
    }

    /// Names are what a person types at sign-in: letters, digits, `.`, `-`, `_`, `@`, up to 64.
    public static func nameProblem(_ name: String) -> String? {
        guard (1...64).contains(name.count) else { return "a user name has 1 to 64 characters" }
        guard name.unicodeScalars.allSatisfy({ $0.properties.isAlphabetic || ("0"..."9").contains($0) || ".-_@".unicodeScalars.contains($0) }) else {
            return "a user name has letters, digits, '.', '-', '_' and '@' only"
        }
        return nil
    }

    public func records() throws -> [UserRecord] { try store.records() }

    /// Adds a user. Without a password, one is made (20 random characters) and returned: it is shown once.
    public func add(name: String, role: Role, password: String? = nil, now: Date = Date()) throws -> (record: UserRecord, password: String) {
        if let problem = Self.nameProblem(name) { throw UserError(problem) }
        let password = password ?? Self.randomPassword()
        guard password.utf8.count >= 12 else { throw UserError("a password has at least 12 characters") }
        // bcrypt reads at most 72 bytes: a longer password would be checked only by its start.
        guard password.utf8.count <= 72 else { throw UserError("a password has at most 72 bytes (bcrypt reads no more)") }
        // Hashed before the store is changed: bcrypt's quarter of a second is not spent holding it.
        let record = UserRecord(name: name, role: role, passwordHash: Bcrypt.hash(password, cost: cost),
                                created: Day.timestamp(secondsSince1970: now.timeIntervalSince1970))
        try store.update { records in
            guard !records.contains(where: { $0.name == name }) else { throw UserError("there is already a user \"\(name)\"") }
            records.append(record)
        }
        return (record, password)
    }

    /// Disables a user: their sessions end at their next request. False when there is no such active user.
    public func disable(name: String, now: Date = Date()) throws -> Bool {
        try store.update { records in
            guard let i = records.firstIndex(where: { $0.name == name && $0.disabled == nil }) else { return false }
            records[i].disabled = Day.timestamp(secondsSince1970: now.timeIntervalSince1970)
            return true
        }
    }

    /// The active user with this name and password, or nil. Takes bcrypt's time whether or not the
    /// name exists.
    public func check(name: String, password: String) -> UserRecord? {
        let record = (try? records())?.first { $0.name == name && $0.disabled == nil }
        guard let record else {
            let hash = decoy.withLock { d in
                if d == nil { d = Bcrypt.hash(UUID().uuidString, cost: cost) }
                return d!
            }
            _ = Bcrypt.verify(password, hash: hash)
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
}

public struct UserError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
