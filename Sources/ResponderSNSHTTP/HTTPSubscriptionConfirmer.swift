import AsyncHTTPClient
import Foundation
import Logging
import ResponderSNS

/// Confirms subscriptions with a GET through AsyncHTTPClient: redirects refused, non-2xx is an error, answer capped.
public struct HTTPSubscriptionConfirmer: SubscriptionConfirmer {
    private let get: BoundedHTTPGet
    private let logger: Logger

    /// Creates a confirmer on `client` (build it with `HTTPCertificateFetcher.recommendedClientConfiguration()`).
    public init(
        client: HTTPClient,
        timeout: Duration = .seconds(5),
        maxBytes: Int = 64 * 1024,
        logger: Logger = Logger(label: "responder.sns.subscriptions")
    ) {
        self.get = BoundedHTTPGet(client: client, timeout: timeout, maxBytes: maxBytes)
        self.logger = logger
    }

    /// GETs `url` and requires a 2xx answer.
    public func confirm(_ url: URL) async throws(SubscriptionConfirmationError) {
        // The query carries the confirmation token: only scheme, host and path are ever shown or logged.
        let shown = "\(url.scheme ?? "https")://\(url.host ?? "")\(url.path)"
        let response: BoundedHTTPGet.Response
        do {
            response = try await get.get(url, logger: logger)
        } catch {
            switch error {
            case .redirected: throw SubscriptionConfirmationError("confirming the SNS subscription at \(shown) returned a redirect, which is never followed")
            case .tooLarge: throw SubscriptionConfirmationError("the SNS subscription confirmation answer from \(shown) is larger than \(get.maxBytes) bytes")
            case .timedOut: throw SubscriptionConfirmationError("confirming the SNS subscription at \(shown) timed out")
            case .transport(let reason): throw SubscriptionConfirmationError("confirming the SNS subscription at \(shown) failed: \(reason)")
            }
        }
        guard (200..<300).contains(response.status) else {
            throw SubscriptionConfirmationError(
                "confirming the SNS subscription at \(shown) returned HTTP \(response.status): the token may have expired "
                    + "(3 days); request a new confirmation from SNS"
            )
        }
        logger.info("confirmed SNS subscription", metadata: ["endpoint": "\(shown)"])
    }
}
