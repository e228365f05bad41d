import Hummingbird
import NIOCore
import ResponderCore

/// Reads a request body up to a cap, refusing larger ones before buffering them.
public enum BodyReader {
    /// The body as bytes; throws ``IngestError/tooLarge(limit:)`` as soon as the declared or received size passes
    /// `limit`, and ``IngestError/invalidField(_:)`` (400) for a `Content-Length` that is not one whole number.
    public static func collect(_ request: Request, limit: Int) async throws -> [UInt8] {
        if let declared = request.headers[.contentLength], try !fits(contentLength: declared, limit: limit) {
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

    /// Whether a `Content-Length` value declares at most `limit` bytes. Digits only, of any length (a value past
    /// `Int.max` is simply too large); anything else, including a list of values, throws a 400 naming the header.
    static func fits(contentLength text: String, limit: Int) throws(IngestError) -> Bool {
        let digits = text.utf8
        guard !digits.isEmpty, digits.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else {
            throw .invalidField("Content-Length: must be one whole number of bytes (not \"\(text.prefix(40))\")")
        }
        var declared = 0
        for digit in digits {
            // Past the limit more digits cannot bring it back under, so stop there, before any overflow.
            let (times10, overflow1) = declared.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times10.addingReportingOverflow(Int(digit - UInt8(ascii: "0")))
            guard !overflow1, !overflow2, sum <= limit else { return false }
            declared = sum
        }
        return declared <= limit
    }
}
