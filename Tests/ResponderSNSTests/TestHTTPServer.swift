import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix

/// A tiny HTTP/1.1 server on 127.0.0.1 with canned answers per path, counting requests per path.
final class TestHTTPServer: Sendable {
    /// A canned answer.
    struct Route: Sendable {
        /// Status line.
        var status: HTTPResponseStatus
        /// Extra headers (e.g. `Location`).
        var headers: [(String, String)] = []
        /// Body bytes.
        var body: [UInt8] = []
        /// Send the body chunked, without Content-Length.
        var chunked = false
    }

    private let state: NIOLockedValueBox<(routes: [String: Route], hits: [String: Int])>
    private let channel: any Channel

    /// Bound port.
    let port: Int

    private init(state: NIOLockedValueBox<(routes: [String: Route], hits: [String: Int])>, channel: any Channel, port: Int) {
        self.state = state
        self.channel = channel
        self.port = port
    }

    /// Binds an ephemeral port on 127.0.0.1 and serves `routes` (other paths get 404).
    static func start(routes: [String: Route]) async throws -> TestHTTPServer {
        let state = NIOLockedValueBox((routes: routes, hits: [String: Int]()))
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(Handler(state: state))
                }
            }
            .bind(host: "127.0.0.1", port: 0)
            .get()
        guard let port = channel.localAddress?.port else { throw ChannelError.unknownLocalAddress }
        return TestHTTPServer(state: state, channel: channel, port: port)
    }

    /// `http://127.0.0.1:<port><path>`.
    func url(_ path: String) -> String {
        "http://127.0.0.1:\(port)\(path)"
    }

    /// How many requests `path` received.
    func hits(_ path: String) -> Int {
        state.withLockedValue { $0.hits[path] ?? 0 }
    }

    /// Stops listening.
    func shutdown() async throws {
        try await channel.close()
    }

    private final class Handler: ChannelInboundHandler {
        typealias InboundIn = HTTPServerRequestPart
        typealias OutboundOut = HTTPServerResponsePart

        private let state: NIOLockedValueBox<(routes: [String: Route], hits: [String: Int])>
        private var path = ""

        init(state: NIOLockedValueBox<(routes: [String: Route], hits: [String: Int])>) {
            self.state = state
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch unwrapInboundIn(data) {
            case .head(let head):
                path = head.uri
            case .body:
                break
            case .end:
                let route = state.withLockedValue { state -> Route in
                    state.hits[path, default: 0] += 1
                    return state.routes[path] ?? Route(status: .notFound)
                }
                var headers = HTTPHeaders(route.headers)
                headers.add(name: "Connection", value: "close")
                if !route.chunked { headers.add(name: "Content-Length", value: String(route.body.count)) }
                context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: route.status, headers: headers))), promise: nil)
                if !route.body.isEmpty {
                    // Several writes, so a chunked answer really arrives in pieces.
                    for start in stride(from: 0, to: route.body.count, by: 8192) {
                        let slice = route.body[start..<min(start + 8192, route.body.count)]
                        context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(bytes: slice)))), promise: nil)
                    }
                }
                let loopBound = NIOLoopBound(context, eventLoop: context.eventLoop)
                context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in
                    loopBound.value.close(promise: nil)
                }
            }
        }
    }
}
