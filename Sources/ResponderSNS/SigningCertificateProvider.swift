import Foundation
import X509

/// Supplies the X.509 certificate an SNS message was signed with.
///
/// Providers trust the URL they are given: the caller must have passed it through
/// `SNSPolicy.checkSigningCertURL(_:)` first (``SNSDeliveryProcessor`` does). Compose them as
/// `ChainedCertificateProvider(directory:fetcher: CachingCertificateProvider(upstream: HTTPCertificateFetcher(...)))`.
public protocol SigningCertificateProvider: Sendable {
    /// The certificate published at `url`.
    func certificate(for url: URL) async throws(SigningCertificateError) -> Certificate
}

/// Parses PEM text into a certificate, labelling errors with `source` (a path or URL).
public func parseCertificatePEM(_ bytes: [UInt8], source: String) throws(SigningCertificateError) -> Certificate {
    let text = String(decoding: bytes, as: UTF8.self)
    do {
        return try Certificate(pemEncoded: text)
    } catch {
        throw .invalidPEM(source: source, reason: String(String(describing: error).prefix(200)))
    }
}
