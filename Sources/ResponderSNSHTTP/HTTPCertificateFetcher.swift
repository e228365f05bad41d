import AsyncHTTPClient
import Foundation
import Logging
import ResponderSNS
import X509

/// Downloads signing certificates with AsyncHTTPClient: GET only, redirects refused, 64 KiB cap, ~5 s timeout.
///
/// The `HTTPClient` is injected (its lifecycle belongs to the server); build it with
/// ``recommendedClientConfiguration(timeout:)``. Only pass URLs accepted by `SNSPolicy.checkSigningCertURL(_:)`.
/// Wrap in ``CachingCertificateProvider`` so each certificate is fetched once.
public struct HTTPCertificateFetcher: SigningCertificateProvider {
    /// Default cap on the certificate size.
    public static let defaultMaxBytes = 64 * 1024
    /// Default time allowed for the whole request.
    public static let defaultTimeout: Duration = .seconds(5)

    private let get: BoundedHTTPGet
    private let logger: Logger

    /// Creates a fetcher using `client`.
    public init(
        client: HTTPClient,
        timeout: Duration = HTTPCertificateFetcher.defaultTimeout,
        maxBytes: Int = HTTPCertificateFetcher.defaultMaxBytes,
        logger: Logger = Logger(label: "responder.sns.certificates")
    ) {
        self.get = BoundedHTTPGet(client: client, timeout: timeout, maxBytes: maxBytes)
        self.logger = logger
    }

    /// Client settings for certificate fetching and subscription confirmation (and `serve`'s shared client):
    /// redirects disallowed, connect and read timeouts of `timeout`, AsyncHTTPClient's own tracing off.
    public static func recommendedClientConfiguration(timeout: Duration = defaultTimeout) -> HTTPClient.Configuration {
        let seconds = max(1, Int64(timeout.components.seconds))
        var configuration = HTTPClient.Configuration(
            redirectConfiguration: .disallow,
            timeout: .init(connect: .seconds(seconds), read: .seconds(seconds))
        )
        // AsyncHTTPClient would trace every request with the bootstrapped tracer, recording the full URL (a Slack
        // webhook's path and query tokens included) and adding a second traceparent: Responder's adapters make their
        // own client spans (ResponderTracing.OutboundCall), which record the scheme, host and port only.
        configuration.tracing.tracer = nil
        return configuration
    }

    /// GETs `url` and parses the body as a PEM certificate; any status but 200 is an error.
    public func certificate(for url: URL) async throws(SigningCertificateError) -> Certificate {
        let shown = url.absoluteString
        let response: BoundedHTTPGet.Response
        do {
            response = try await get.get(url, logger: logger)
        } catch {
            switch error {
            case .redirected: throw .redirected(url: shown)
            case .tooLarge: throw .tooLarge(limit: get.maxBytes, url: shown)
            case .timedOut: throw .timedOut(url: shown)
            case .transport(let reason): throw .transport(url: shown, reason: reason)
            }
        }
        guard response.status == 200 else {
            logger.warning("signing certificate fetch failed", metadata: ["url": "\(shown)", "status": "\(response.status)"])
            throw .httpStatus(response.status, url: shown)
        }
        logger.debug("fetched signing certificate", metadata: ["url": "\(shown)", "bytes": "\(response.body.count)"])
        return try parseCertificatePEM(response.body, source: shown)
    }
}
