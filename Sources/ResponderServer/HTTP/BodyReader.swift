import Hummingbird
import NIOCore
import ResponderCore

/// Reads a request body up to a cap, refusing larger ones before buffering them.
public enum BodyReader {
    /// The body as bytes; throws ``IngestError/tooLarge(limit:)`` as soon as the declared or received size passes `limit`.
    public static func collect(_ request: Request, limit: Int) async throws -> [UInt8] {
        if let declared = request.headers[.contentLength].flatMap({ Int($0) }), declared > limit {
            throw IngestError.tooLarge(limit: limit)
        }
        var buffer = ByteBuffer()
        for try await chunk in request.body {
            guard buffer.readableBytes + chunk.readableBytes <= limit else {
                throw IngestError.tooLarge(limit: limit)
            }
            var chunk = chunk
            buffer.writeBuffer(&chunk)
        }
        return Array(buffer.readableBytesView)
    }
}
