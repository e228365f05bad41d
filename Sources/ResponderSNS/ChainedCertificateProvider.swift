import Foundation
import X509

/// Looks in the pre-provisioned directory first, then (only if a fetcher is configured) downloads.
///
/// A file that exists but cannot be used is an error, not a reason to fetch: the operator put it there on purpose.
public struct ChainedCertificateProvider: SigningCertificateProvider {
    /// Pre-provisioned certificates, if configured.
    public let directory: DirectoryCertificateProvider?
    /// Downloader (normally a ``CachingCertificateProvider`` around ``HTTPCertificateFetcher``); nil disables fetching.
    public let fetcher: (any SigningCertificateProvider)?

    /// Creates the chain. With neither a directory nor a fetcher every lookup fails.
    public init(directory: DirectoryCertificateProvider?, fetcher: (any SigningCertificateProvider)?) {
        self.directory = directory
        self.fetcher = fetcher
    }

    /// The directory's file for `url` if present, else the fetcher's answer.
    public func certificate(for url: URL) async throws(SigningCertificateError) -> Certificate {
        if let directory {
            if directory.hasCertificate(for: url) {
                return try await directory.certificate(for: url)
            }
            guard let fetcher else {
                throw .notProvisioned(expectedPath: try directory.expectedPath(for: url))
            }
            return try await fetcher.certificate(for: url)
        }
        guard let fetcher else {
            throw .notProvisioned(expectedPath: "(no sns certificate directory configured) \(url.lastPathComponent)")
        }
        return try await fetcher.certificate(for: url)
    }
}
