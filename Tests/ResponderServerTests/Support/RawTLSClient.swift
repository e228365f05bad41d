import Foundation
import NIOCore
import NIOPosix
import NIOSSL

/// Writes raw bytes over TLS and reads until the server closes the connection, to observe what a normal HTTP client
/// hides: whether the server answered before the body was sent, and whether it closed the socket.
enum RawTLSClient {
    struct Exchange {
        /// Everything the server sent.
        var response: String
        /// True when the server closed the connection (rather than the safety timeout firing).
        var closedByServer: Bool
    }

    static func exchange(port: Int, certificatePath: String, chunks: [[UInt8]], safetyTimeout: Duration = .milliseconds(15_000))
        async throws -> Exchange
    {
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(certificatePath))
        let context = try NIOSSLContext(configuration: tls)
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: "127.0.0.1", port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(
                        try NIOSSLClientHandler(context: context, serverHostname: "localhost")
                    )
                    return try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        return try await withThrowingTaskGroup(of: Exchange.self) { group in
            group.addTask {
                do {
                    return try await channel.executeThenClose { inbound, outbound in
                        for chunk in chunks {
                            try? await outbound.write(ByteBuffer(bytes: chunk))
                        }
                        var text = ""
                        do {
                            for try await buffer in inbound { text += String(buffer: buffer) }
                        } catch {
                            // An unclean TLS shutdown still means the server closed the socket.
                        }
                        return Exchange(response: text, closedByServer: true)
                    }
                } catch let error as IOError where error.errnoCode == ECONNRESET {
                    // A server that closes while bytes it never read are queued makes the kernel send a reset (seen
                    // when the idle timeout cut a handshake on a loaded machine): closed by the server all the same.
                    return Exchange(response: "", closedByServer: true)
                }
            }
            group.addTask {
                try await Task.sleep(for: safetyTimeout)
                channel.channel.close(promise: nil)
                return Exchange(response: "", closedByServer: false)
            }
            let first = try await group.next() ?? Exchange(response: "", closedByServer: false)
            group.cancelAll()
            return first
        }
    }
}
