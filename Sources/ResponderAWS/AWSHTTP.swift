import AsyncHTTPClient
import NIOCore
import NIOHTTP1
import ResponderCore
import ResponderTracing
import Tracing

/// One HTTP exchange with an AWS endpoint (or the container credentials endpoint), with a timeout and a cap on
/// the response size.
enum AWSHTTP {
    /// What came back.
    struct Response: Sendable {
        /// The status code.
        var status: Int
        /// The response headers.
        var headers: HTTPHeaders
        /// The response body.
        var body: [UInt8]
    }

    /// Sends one request; throws AsyncHTTPClient's transport errors as they are.
    static func send(
        _ client: HTTPClient, method: HTTPMethod, url: String, headers: [(name: String, value: String)],
        body: [UInt8]?, timeout: Duration, maxResponseBytes: Int = 1 << 20
    ) async throws -> Response {
        var request = HTTPClientRequest(url: url)
        request.method = method
        for header in headers { request.headers.add(name: header.name, value: header.value) }
        if let body { request.body = .bytes(ByteBuffer(bytes: body)) }
        // The trace headers are added after signing and are not among the signed headers, so SigV4 ignores them.
        var attributes: SpanAttributes = [:]
        let target = headers.first { $0.name.lowercased() == "x-amz-target" }?.value
        if let target { attributes["rpc.method"] = target }
        return try await OutboundCall.run("aws", method: method.rawValue, url: url, operation: target, attributes: attributes) { call in
            call.inject(into: &request.headers)
            let response = try await client.execute(request, timeout: timeAmount(timeout))
            call.status(Int(response.status.code))
            let buffer = try await response.body.collect(upTo: maxResponseBytes)
            return Response(status: Int(response.status.code), headers: response.headers, body: Array(buffer.readableBytesView))
        }
    }

    /// A Duration as NIO's TimeAmount.
    static func timeAmount(_ duration: Duration) -> TimeAmount {
        .nanoseconds(duration.clampedNanoseconds)
    }

    /// A transport error as text without request details (which could carry headers).
    static func describe(_ error: any Error) -> String {
        if let error = error as? HTTPClientError { return "\(error)" }
        return String(describing: type(of: error)) + ": " + "\(error)".prefix(200)
    }
}
