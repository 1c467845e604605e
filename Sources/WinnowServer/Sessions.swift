import Foundation
import Synchronization
import WinnowRegistry

/// A signed-in person's session: who, with which role, the form token (CSRF) that every form of
/// the session carries, and when it ends.
struct DeskSession: Sendable, Codable {
    var id: String
    var user: String
    var role: Role
    var csrf: String
    var started: Date
    var lastSeen: Date
}

/// Sessions: an id of 32 random bytes in an `HttpOnly`, `SameSite=Strict` cookie. A session ends
/// after `idle` without a request or `lifetime` in all. In memory (a restart signs everyone out),
/// or with a shared store in its database, under the SHA-256 of the id, so that a reviewer signed
/// in on one server is signed in on all of them.
final class SessionStore: Sendable {
    let idle: TimeInterval
    let lifetime: TimeInterval
    private let sessions = Mutex<[String: DeskSession]>([:])
    private let shared: ServerRecords?
    /// A shared session's last use is written at most this often: a page and its assets make one write.
    static let touchInterval: TimeInterval = 15

    init(idle: TimeInterval = 30 * 60, lifetime: TimeInterval = 10 * 3600, shared: ServerRecords? = nil) {
        self.idle = idle
        self.lifetime = lifetime
        self.shared = shared
    }

    static func randomToken() -> String { randomBase64URL(bytes: 32) }

    private static func key(_ id: String) -> String { TokenStore.digest(id) }

    private static func encoded(_ session: DeskSession) throws -> String {
        String(decoding: try JSONEncoder().encode(session), as: UTF8.self)
    }

    func start(user: String, role: Role, now: Date = Date()) throws -> DeskSession {
        let session = DeskSession(id: Self.randomToken(), user: user, role: role, csrf: Self.randomToken(), started: now, lastSeen: now)
        if let shared {
            try shared.saveSession(idSha256: Self.key(session.id), user: user, started: now.timeIntervalSince1970, lastSeen: now.timeIntervalSince1970,
                                   body: try Self.encoded(session),
                                   expiring: (now.timeIntervalSince1970 - lifetime, now.timeIntervalSince1970 - idle))
            return session
        }
        sessions.withLock { all in
            all = all.filter { live($0.value, now) }
            all[session.id] = session
        }
        return session
    }

    private func live(_ s: DeskSession, _ now: Date) -> Bool {
        now.timeIntervalSince(s.lastSeen) < idle && now.timeIntervalSince(s.started) < lifetime
    }

    /// The live session with this id, its last use moved to `now`; an expired one is removed. A
    /// shared store that cannot be read signs the request out (nil), never in.
    func touch(_ id: String, now: Date = Date()) -> DeskSession? {
        if let shared {
            guard let body = try? shared.session(idSha256: Self.key(id)),
                  var s = try? JSONDecoder().decode(DeskSession.self, from: Data(body.utf8)), s.id == id else { return nil }
            guard live(s, now) else {
                try? shared.endSessions(idSha256: Self.key(id))
                return nil
            }
            if now.timeIntervalSince(s.lastSeen) >= Self.touchInterval {
                s.lastSeen = now
                if let body = try? Self.encoded(s) { try? shared.touchSession(idSha256: Self.key(id), lastSeen: now.timeIntervalSince1970, body: body) }
            }
            return s
        }
        return sessions.withLock { all in
            guard var s = all[id] else { return nil }
            guard live(s, now) else {
                all[id] = nil
                return nil
            }
            s.lastSeen = now
            all[id] = s
            return s
        }
    }

    func end(_ id: String) {
        if let shared { try? shared.endSessions(idSha256: Self.key(id)); return }
        sessions.withLock { $0[id] = nil }
    }

    /// Every session of a user (disabled, or changed). Each page checks that its user is still
    /// active as well, so a shared store that cannot be written here still signs them out.
    func end(user: String) {
        if let shared { try? shared.endSessions(user: user); return }
        sessions.withLock { all in all = all.filter { $0.value.user != user } }
    }
}

/// Failed sign-ins, by user name and by client address: after `limit` failures within `window`,
/// further attempts are refused (429) until the window has passed, before any password is checked.
/// In memory, or with a shared store in its database, so that every server counts the same failures.
final class SignInThrottle: Sendable {
    let limit: Int
    let window: TimeInterval
    private let failures = Mutex<[String: [Date]]>([:])
    private let shared: ServerRecords?

    init(limit: Int = 5, window: TimeInterval = 15 * 60, shared: ServerRecords? = nil) {
        self.limit = limit
        self.window = window
        self.shared = shared
    }

    /// Seconds until `keys` may try again, or nil when they may now. A shared store that cannot
    /// be read refuses for the whole window: a throttle that cannot count does not let guesses through.
    func wait(_ keys: [String], now: Date = Date()) -> Int? {
        if let shared {
            guard let counts = try? shared.signInFailures(keys: keys, since: now.timeIntervalSince1970 - window) else { return Int(window) }
            let longest = counts.values.filter { $0.count >= limit }.map { window - (now.timeIntervalSince1970 - $0.first) }.max()
            return longest.map { max(1, Int($0.rounded(.up))) }
        }
        return failures.withLock { all in
            var longest: TimeInterval?
            for key in keys {
                let recent = (all[key] ?? []).filter { now.timeIntervalSince($0) < window }
                all[key] = recent.isEmpty ? nil : recent
                if recent.count >= limit, let first = recent.first {
                    longest = max(longest ?? 0, window - now.timeIntervalSince(first))
                }
            }
            return longest.map { max(1, Int($0.rounded(.up))) }
        }
    }

    func failed(_ keys: [String], now: Date = Date()) {
        if let shared {
            try? shared.recordSignInFailure(keys: keys, time: now.timeIntervalSince1970, purgeBefore: now.timeIntervalSince1970 - window)
            return
        }
        failures.withLock { all in for key in keys { all[key, default: []].append(now) } }
    }

    func succeeded(_ keys: [String]) {
        if let shared { try? shared.clearSignInFailures(keys: keys); return }
        failures.withLock { all in for key in keys { all[key] = nil } }
    }
}

/// Equal strings in time that does not depend on where they differ.
func constantTimeEqual(_ a: String, _ b: String) -> Bool {
    let x = Array(a.utf8), y = Array(b.utf8)
    guard x.count == y.count else { return false }
    var difference: UInt8 = 0
    for i in x.indices { difference |= x[i] ^ y[i] }
    return difference == 0
}
