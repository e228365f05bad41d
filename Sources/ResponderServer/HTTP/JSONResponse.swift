import Foundation
import HTTPTypes
import Hummingbird
import ResponderCore

/// JSON responses with the content type and, for errors, the `{"error": "..."}` shape every route uses.
public enum JSONResponse {
    /// A JSON response from an `Encodable` value.
    public static func make<T: Encodable>(_ status: HTTPResponse.Status, _ value: T) -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = (try? encoder.encode(value)) ?? Data("{}".utf8)
        return Response(
            status: status,
            headers: [.contentType: "application/json; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(bytes: data))
        )
    }

    /// `{"error": message}` with the status; a 413 also closes the connection so the rest of the body is never read.
    public static func error(_ status: HTTPResponse.Status, _ message: String) -> Response {
        var response = make(status, ["error": message])
        if status == .contentTooLarge {
            response.headers[.connection] = "close"
        }
        return response
    }

    /// The response for a refused delivery.
    public static func error(_ error: IngestError) -> Response {
        Self.error(HTTPResponse.Status(code: error.httpStatus), error.message)
    }
}
