import AsyncHTTPClient
import Foundation
import Logging
import ResponderSNS
import ResponderCore
import ResponderTracing

/// A GET that never follows redirects, stops reading at a byte cap and gives up after a timeout.
///
/// Redirects: the injected client should be built with `redirectConfiguration = .disallow` (see
/// ``HTTPCertificateFetcher/recommendedClientConfiguration(timeout:)``); independently of that, any 3xx answer and any
/// response reached through a followed redirect (`history.count > 1`) is refused.
struct BoundedHTTPGet: Sendable {
    /// Injected client (lifecycle owned by the server).
    let client: HTTPClient
    /// Time allowed for connecting, the answer and the whole body.
    let timeout: Duration
    /// Largest body read.
    let maxBytes: Int

    /// A complete, non-redirect answer.
    struct Response: Sendable {
        /// HTTP status code.
        var status: Int
        /// The whole body (at most `maxBytes`).
        var body: [UInt8]
    }

    /// Why no usable answer was obtained.
    enum Failure: Error, Equatable {
        /// A 3xx answer, or the client followed a redirect.
        case redirected
        /// The body (or its declared length) exceeds `maxBytes`.
        case tooLarge
        /// No complete answer within `timeout`.
        case timedOut
        /// Connection, TLS or protocol failure.
        case transport(String)
    }

    /// Performs the GET. For 3xx answers throws ``Failure/redirected``; other statuses are returned to the caller.
    func get(_ url: URL, logger: Logger) async throws(Failure) -> Response {
        let client = client
        let maxBytes = maxBytes
        let timeout = timeout
        let nanoseconds = timeout.clampedNanoseconds
        do {
            return try await withTimeout(timeout) {
                // Only the host is recorded: a SubscribeURL's query carries the subscription token.
                try await OutboundCall.run("sns", method: "GET", url: url.absoluteString) { call in
                    var request = HTTPClientRequest(url: url.absoluteString)
                    request.method = .GET
                    call.inject(into: &request.headers)
                    let response = try await client.execute(request, timeout: .nanoseconds(nanoseconds), logger: logger)
                    let status = Int(response.status.code)
                    call.status(status)
                    guard response.history.count <= 1, !(300..<400).contains(status) else { throw Failure.redirected }
                    if let length = response.headers.first(name: "content-length").flatMap({ Int($0) }), length > maxBytes {
                        throw Failure.tooLarge
                    }
                    var body: [UInt8] = []
                    for try await chunk in response.body {
                        guard body.count + chunk.readableBytes <= maxBytes else { throw Failure.tooLarge }
                        body.append(contentsOf: chunk.readableBytesView)
                    }
                    return Response(status: status, body: body)
                }
            }
        } catch let failure as Failure {
            throw failure
        } catch let error as HTTPClientError
            where error == .deadlineExceeded || error == .readTimeout || error == .connectTimeout
        {
            throw .timedOut
        } catch {
            throw .transport(String(String(describing: error).prefix(200)))
        }
    }

    /// Runs `operation`, throwing ``Failure/timedOut`` (and cancelling it) when it outlasts `duration`.
    private func withTimeout<T: Sendable>(
        _ duration: Duration,
        _ operation: @escaping @Sendable () async throws -> T
    ) async throws -> T {
        try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask { try await operation() }
            group.addTask {
                try await Task.sleep(for: duration)
                return nil
            }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let value = first else { throw Failure.timedOut }
            return value
        }
    }
}
