import HTTPTypes
import NIOCore
import NIOHTTPTypes

/// Closes the connection once a response that carries `Connection: close` has been written.
///
/// Hummingbird would otherwise drain an unread request body to keep the connection alive; for a body over the route's
/// cap (413) the rest is never read: the response is flushed and the socket closed.
final class ConnectionCloseHandler: ChannelOutboundHandler, RemovableChannelHandler {
    /// Response parts written by Hummingbird.
    typealias OutboundIn = HTTPResponsePart
    /// Response parts passed on unchanged.
    typealias OutboundOut = HTTPResponsePart

    private var closeAfterEnd = false

    /// Passes parts on; after the end of a `Connection: close` response, flushes and closes the channel.
    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let part = unwrapOutboundIn(data)
        switch part {
        case .head(let head):
            closeAfterEnd = head.headerFields[.connection]?.lowercased() == "close"
            context.write(data, promise: promise)
        case .body:
            context.write(data, promise: promise)
        case .end:
            guard closeAfterEnd else {
                context.write(data, promise: promise)
                return
            }
            closeAfterEnd = false
            context.writeAndFlush(data, promise: promise)
            context.close(promise: nil)
        }
    }
}
