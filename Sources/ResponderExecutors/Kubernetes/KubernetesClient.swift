import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import ResponderCore
import ResponderTracing

/// Typed operations on the Kubernetes API over one ``KubernetesConnection``, with AsyncHTTPClient.
///
/// Every request carries the connection's TLS configuration (so an injected, shared `HTTPClient` works), a fresh
/// `Authorization: Bearer` header when the connection uses a token, `Accept: application/json`,
/// `User-Agent: responder`, and a deadline; every write names the field manager (`?fieldManager=responder`), so the
/// API server records Responder as the owner of the fields it changed. Failures are ``KubernetesError``s whose message
/// starts with the cluster's name.
public final class KubernetesClient: Sendable {
    /// The connection requests go to.
    public let connection: KubernetesConnection
    /// The name of the cluster in the configuration (`default` or a key of `kubernetes.clusters`), for messages.
    public let cluster: String
    /// The `fieldManager` query parameter of every write.
    public let fieldManager: String
    private let httpClient: HTTPClient
    private let ownsHTTPClient: Bool
    private let timeout: Duration
    private let maxResponseBytes: Int
    private let logger: Logger

    /// Creates a client. Without `httpClient` it creates its own, which ``shutdown()`` closes; an injected client
    /// belongs to the caller.
    public init(
        connection: KubernetesConnection,
        cluster: String = "default",
        fieldManager: String = "responder",
        httpClient: HTTPClient? = nil,
        timeout: Duration = .seconds(15),
        maxResponseBytes: Int = 8 << 20,
        logger: Logger = Logger(label: "responder.kubernetes")
    ) {
        self.connection = connection
        self.cluster = cluster
        self.fieldManager = fieldManager
        if let httpClient {
            self.httpClient = httpClient
            self.ownsHTTPClient = false
        } else {
            var configuration = HTTPClient.Configuration(
                tlsConfiguration: connection.tls,
                redirectConfiguration: .disallow,
                timeout: .init(connect: .seconds(10))
            )
            // Fail a request on the first failed connection attempt: the run executor already retries retryable
            // errors, and AsyncHTTPClient's own retries would hide a wrong CA behind "deadline exceeded".
            configuration.connectionPool.retryConnectionEstablishment = false
            // The client span is this client's own (OutboundCall); AsyncHTTPClient's would repeat it with the full URL.
            configuration.tracing.tracer = nil
            self.httpClient = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
            self.ownsHTTPClient = true
        }
        self.timeout = timeout
        self.maxResponseBytes = maxResponseBytes
        self.logger = logger
    }

    /// Shuts down the HTTP client if this client created it; call once when done.
    public func shutdown() async throws {
        if ownsHTTPClient {
            try await httpClient.shutdown()
        }
    }

    /// The dry-run text of `request` against this connection's server, with the field manager a write names.
    public func text(of request: KubernetesRequest) -> String {
        named(request).text(server: connection.server)
    }

    /// Sends `request` (a write names the field manager) and returns the body of a 2xx answer; an error's message
    /// starts with `cluster NAME: `.
    public func send(_ request: KubernetesRequest) async throws(KubernetesError) -> [UInt8] {
        do {
            return try await exchange(named(request))
        } catch {
            throw error.on(cluster: cluster)
        }
    }

    private func named(_ request: KubernetesRequest) -> KubernetesRequest {
        var request = request
        request.fieldManager = request.method == .get ? nil : fieldManager
        return request
    }

    private func exchange(_ request: KubernetesRequest) async throws(KubernetesError) -> [UInt8] {
        var http = HTTPClientRequest(url: KubernetesRequest.url(server: connection.server, path: request.pathAndQuery))
        http.method = request.method == .get ? .GET : .PATCH
        http.tlsConfiguration = connection.tls
        if let authorization = try connection.authentication.authorizationHeader() {
            http.headers.add(name: "Authorization", value: authorization)
        }
        http.headers.add(name: "Accept", value: "application/json")
        http.headers.add(name: "User-Agent", value: "responder")
        if let patchType = request.patchType {
            http.headers.add(name: "Content-Type", value: patchType.rawValue)
        }
        if let body = request.body {
            http.body = .bytes(ByteBuffer(string: body))
        }
        let status: Int
        let body: [UInt8]
        do {
            (status, body) = try await OutboundCall.run(
                "kubernetes", method: request.method.rawValue, url: connection.server, path: request.object.path,
                attributes: ["responder.cluster": "\(cluster)"]
            ) { call in
                call.inject(into: &http.headers)
                let response = try await httpClient.execute(http, timeout: Self.timeAmount(timeout))
                call.status(Int(response.status.code))
                return (Int(response.status.code), Array(buffer: try await response.body.collect(upTo: maxResponseBytes)))
            }
        } catch {
            logger.debug("kubernetes request failed", metadata: ["method": "\(request.method.rawValue)", "path": "\(request.object.path)"])
            throw KubernetesError.transport(error, request: request, server: connection.server)
        }
        logger.debug("kubernetes request", metadata: [
            "method": "\(request.method.rawValue)", "path": "\(request.object.path)", "status": "\(status)",
        ])
        guard (200...299).contains(status) else {
            throw KubernetesError.response(status: status, body: body, request: request)
        }
        return body
    }

    /// Sends `request` and decodes a 2xx answer as `type`; `expected` says what was expected, for errors.
    func decode<T: Decodable>(_ type: T.Type, _ request: KubernetesRequest, expected: String) async throws(KubernetesError) -> T {
        let body = try await send(request)
        do {
            return try JSONDecoder().decode(type, from: Data(body))
        } catch {
            throw KubernetesError(.unparsableResponse, message:
                "cluster \(cluster): Kubernetes answered \(request.method.rawValue) \(request.object.path) with something other than \(expected) "
                + "(\(body.count) bytes); check that the server is a Kubernetes API server.")
        }
    }

    /// A Swift `Duration` as a NIO `TimeAmount`.
    static func timeAmount(_ duration: Duration) -> TimeAmount {
        .nanoseconds(duration.clampedNanoseconds)
    }
}
