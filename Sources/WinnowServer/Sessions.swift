import Foundation
import Synchronization

/// A signed-in person's session: who, with which role, the form token (CSRF) that every form of
/// the session carries, and when it ends.
struct DeskSession: Sendable {
    var id: String
    var user: String
    var role: Role
    var csrf: String
    var started: Date
    var lastSeen: Date
}

/// Sessions in memory (a restart signs everyone out): an id of 32 random bytes in an `HttpOnly`,
/// `SameSite=Strict` cookie. A session ends after `idle` without a request or `lifetime` in all.
final class SessionStore: Sendable {
    let idle: TimeInterval
    let lifetime: TimeInterval
    private let sessions = Mutex<[String: DeskSession]>([:])

    init(idle: TimeInterval = 30 * 60, lifetime: TimeInterval = 10 * 3600) {
        self.idle = idle
        self.lifetime = lifetime
    }

    static func randomToken() -> String { randomBase64URL(bytes: 32) }

    func start(user: String, role: Role, now: Date = Date()) -> DeskSession {
        let session = DeskSession(id: Self.randomToken(), user: user, role: role, csrf: Self.randomToken(), started: now, lastSeen: now)
        sessions.withLock { all in
            all = all.filter { now.timeIntervalSince($0.value.lastSeen) < idle && now.timeIntervalSince($0.value.started) < lifetime }
            all[session.id] = session
        }
        return session
    }

    /// The live session with this id, its last use moved to `now`; an expired one is removed.
    func touch(_ id: String, now: Date = Date()) -> DeskSession? {
        sessions.withLock { all in
            guard var s = all[id] else { return nil }
            guard now.timeIntervalSince(s.lastSeen) < idle, now.timeIntervalSince(s.started) < lifetime else {
                all[id] = nil
                return nil
            }
            s.lastSeen = now
            all[id] = s
            return s
        }
    }

    func end(_ id: String) { sessions.withLock { $0[id] = nil } }
    func end(user: String) { sessions.withLock { all in all = all.filter { $0.value.user != user } } }
}

/// Failed sign-ins, by user name and by client address: after `limit` failures within `window`,
/// further attempts are refused (429) until the window has passed, before any password is checked.
final class SignInThrottle: Sendable {
    let limit: Int
    let window: TimeInterval
    private let failures = Mutex<[String: [Date]]>([:])

    init(limit: Int = 5, window: TimeInterval = 15 * 60) {
        self.limit = limit
        self.window = window
    }

    /// Seconds until `keys` may try again, or nil when they may now.
    func wait(_ keys: [String], now: Date = Date()) -> Int? {
        failures.withLock { all in
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
        failures.withLock { all in for key in keys { all[key, default: []].append(now) } }
    }

    func succeeded(_ keys: [String]) {
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
