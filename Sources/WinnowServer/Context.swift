import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// Every request's context: Hummingbird's own, and the address of the peer that sent it (for the
/// desk's sign-in limits by client).
struct WinnowContext: RequestContext, RemoteAddressRequestContext {
    var coreContext: CoreRequestContextStorage
    let remoteAddress: SocketAddress?

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }

    /// Who the client is, for counting its failed sign-ins: the peer's address, or, when the peer is
    /// a proxy on this machine (the nginx block of docs/server.md), the last address of its
    /// `X-Forwarded-For`: the one that proxy saw and appended. The addresses before it are whatever
    /// the client sent, and a guesser would vary them. Nil when neither is known.
    func client(_ request: Request) -> String? {
        guard let address = remoteAddress?.ipAddress else { return nil }
        let loopback = address == "127.0.0.1" || address == "::1" || address.hasPrefix("::ffff:127.")
        if loopback, let forwarded = request.headers[HTTPField.Name("X-Forwarded-For")!]?.split(separator: ",").last {
            let client = forwarded.trimmingCharacters(in: .whitespaces)
            if !client.isEmpty { return client }
        }
        return address
    }
}
