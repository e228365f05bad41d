import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

/// A TCP proxy on 127.0.0.1 in front of a server (PostgreSQL in the fault tests) that can turn into a black hole: it
/// stops passing bytes in both directions without closing anything, as a network partition or a frozen host does
/// (the peer sees neither data nor a reset; connecting still succeeds, but nothing answers), and later resumes,
/// passing on what it held back, as TCP retransmission would.
public final class BlackHoleProxy: Sendable {
    /// The port clients connect to.
    public let port: Int
    private let listener: any Channel
    private let state: NIOLockedValueBox<ProxyState>

    /// Listens on a free port and forwards every connection to `host`:`upstreamPort`.
    public init(upstreamHost host: String = "127.0.0.1", upstreamPort: Int) async throws {
        let state = NIOLockedValueBox(ProxyState())
        self.state = state
        listener = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { (inbound: any Channel) -> EventLoopFuture<Void> in
                ClientBootstrap(group: inbound.eventLoop)
                    .connect(host: host, port: upstreamPort)
                    .flatMapThrowing { (outbound: any Channel) in
                        let toUpstream = Forwarder(to: outbound, state: state)
                        let toClient = Forwarder(to: inbound, state: state)
                        state.withLockedValue { $0.forwarders += [toUpstream, toClient] }
                        try inbound.pipeline.syncOperations.addHandler(toUpstream)
                        try outbound.pipeline.syncOperations.addHandler(toClient)
                    }
            }
            .bind(host: "127.0.0.1", port: 0)
            .get()
        port = listener.localAddress?.port ?? 0
    }

    /// Stops passing bytes in either direction; connections stay open and new ones are accepted but not answered.
    public func blackHole() {
        state.withLockedValue { state in
            state.swallowing = true
            state.holding = false
        }
    }

    /// Returns once bytes have been held back since the last ``blackHole()``: a client is now waiting on an answer
    /// that cannot come (an event to await instead of a sleep).
    public func waitUntilHolding() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let now = state.withLockedValue { state -> Bool in
                if state.holding { return true }
                state.holdWaiters.append(continuation)
                return false
            }
            if now { continuation.resume() }
        }
    }

    /// Passes bytes again, first what was held back.
    public func resume() {
        let forwarders = state.withLockedValue { state in
            state.swallowing = false
            return state.forwarders
        }
        for forwarder in forwarders { forwarder.release() }
    }

    /// Closes every connection (as a server that goes away would) and keeps listening.
    public func dropConnections() async {
        let forwarders = state.withLockedValue { $0.forwarders }
        for forwarder in forwarders { try? await forwarder.partner.close().get() }
    }

    /// Stops listening and closes every connection.
    public func close() async {
        try? await listener.close().get()
        await dropConnections()
    }
}

/// What the proxy's connections share.
struct ProxyState: Sendable {
    /// Whether bytes are held back instead of passed on.
    var swallowing = false
    /// Every direction of every connection, for resume and close.
    var forwarders: [Forwarder] = []
    /// Whether bytes were held since the last black hole began.
    var holding = false
    /// Callers of ``BlackHoleProxy/waitUntilHolding()`` still waiting.
    var holdWaiters: [CheckedContinuation<Void, Never>] = []
}

/// Writes what one side reads to the other (or holds it while the proxy is a black hole), and closes the other when
/// one side closes.
final class Forwarder: ChannelInboundHandler, Sendable {
    /// Bytes read from one side.
    typealias InboundIn = ByteBuffer

    /// The channel bytes go to.
    let partner: any Channel
    private let state: NIOLockedValueBox<ProxyState>
    private let held = NIOLockedValueBox<[ByteBuffer]>([])

    /// Forwards to `partner`, holding bytes while `state` says so.
    init(to partner: any Channel, state: NIOLockedValueBox<ProxyState>) {
        self.partner = partner
        self.state = state
    }

    // Both channels of a connection live on one event loop, and everything below runs on it, so bytes keep their order.
    /// Passes the bytes on, or holds them while the proxy is a black hole.
    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let bytes = unwrapInboundIn(data)
        let waiters = state.withLockedValue { state -> [CheckedContinuation<Void, Never>]? in
            guard state.swallowing else { return nil }
            state.holding = true
            defer { state.holdWaiters.removeAll() }
            return state.holdWaiters
        }
        if let waiters {
            held.withLockedValue { $0.append(bytes) }
            for waiter in waiters { waiter.resume() }
        } else {
            sendHeld()
            partner.writeAndFlush(bytes, promise: nil)
        }
    }

    /// Sends what was held back, on the connection's event loop.
    func release() {
        partner.eventLoop.execute { self.sendHeld() }
    }

    private func sendHeld() {
        let bytes = held.withLockedValue { held in
            defer { held.removeAll() }
            return held
        }
        guard !bytes.isEmpty else { return }
        for buffer in bytes { partner.write(buffer, promise: nil) }
        partner.flush()
    }

    /// One side closed: close the other.
    func channelInactive(context: ChannelHandlerContext) {
        partner.close(promise: nil)
        context.fireChannelInactive()
    }

    /// A socket error closes this side (and so the other).
    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}
