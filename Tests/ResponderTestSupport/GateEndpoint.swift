import Foundation
import Hummingbird
import Logging
import NIOConcurrencyHelpers
import ServiceLifecycle

/// A local HTTP endpoint for the gate tests: answers every GET with what `answer` returns for its path, and records
/// each request's path, query and `Authorization` header.
public struct GateEndpoint: Sendable {
    /// One request seen.
    public struct Seen: Sendable {
        /// The request path.
        public var path: String
        /// The query string, without `?`.
        public var query: String
        /// The `Authorization` header, if any.
        public var authorization: String?
    }

    /// What to answer: status, content type, body.
    public typealias Answer = @Sendable (_ path: String) -> (Int, String, String)

    /// Serves `answer` on 127.0.0.1 for the duration of `body`, which gets the port and the requests seen.
    public static func with(
        _ answer: @escaping Answer, _ body: @Sendable (Int, NIOLockedValueBox<[Seen]>) async throws -> Void
    ) async throws {
        let seen = NIOLockedValueBox<[Seen]>([])
        let router = Router()
        router.on("**", method: .get) { request, _ -> Response in
            seen.withLockedValue {
                $0.append(Seen(path: request.uri.path, query: request.uri.query ?? "",
                               authorization: request.headers[.authorization]))
            }
            let (status, type, text) = answer(request.uri.path)
            var headers = HTTPFields()
            headers[.contentType] = type
            return Response(status: .init(code: status), headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
        }
        try await LoopbackRouter.serve(router, label: "gate-endpoint") { port in try await body(port, seen) }
    }

    /// A Prometheus `query_range` answer with one series per entry of `series`.
    public static func matrix(_ series: [[(Double, String)]]) -> String {
        let result = series.enumerated().map { index, points -> String in
            let values = points.map { point -> String in "[\(point.0), \"\(point.1)\"]" }.joined(separator: ",")
            return "{\"metric\":{\"instance\":\"i\(index)\"},\"values\":[\(values)]}"
        }.joined(separator: ",")
        return "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[\(result)]}}"
    }
}
