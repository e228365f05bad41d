import Foundation
import X509

/// Reads pre-provisioned signing certificates from a directory, for deployments without egress to AWS.
///
/// The certificate for `https://sns.us-east-2.amazonaws.com/SimpleNotificationService-abc.pem` is read from
/// `<directory>/SimpleNotificationService-abc.pem`. Only the last path component is used, and it must be a plain
/// file name (no `/`, no `..`, not hidden), so a URL cannot steer the read outside the directory.
public struct DirectoryCertificateProvider: SigningCertificateProvider {
    /// The directory holding `*.pem` files.
    public let directory: URL
    /// Largest file accepted, in bytes.
    public let maxBytes: Int

    /// Creates a provider reading from `directory`.
    public init(directory: URL, maxBytes: Int = 64 * 1024) {
        self.directory = directory
        self.maxBytes = maxBytes
    }

    /// The file this provider reads for `url`, or an error when its last path component is not a plain file name.
    public func expectedPath(for url: URL) throws(SigningCertificateError) -> String {
        let name = url.lastPathComponent
        guard !name.isEmpty, name != "/", !name.hasPrefix("."), !name.contains("/"), !name.contains("\\"),
              !name.contains(".."), !name.contains("\0")
        else { throw .invalidFileName(name) }
        return directory.appendingPathComponent(name, isDirectory: false).path
    }

    /// True when a file for `url` exists (used by ``ChainedCertificateProvider`` to decide whether to fetch).
    public func hasCertificate(for url: URL) -> Bool {
        guard let path = try? expectedPath(for: url) else { return false }
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && !isDirectory.boolValue
    }

    /// Reads and parses `<directory>/<last path component of url>`.
    public func certificate(for url: URL) async throws(SigningCertificateError) -> Certificate {
        let path = try expectedPath(for: url)
        guard hasCertificate(for: url) else { throw .notProvisioned(expectedPath: path) }
        let data: Data
        do {
            let size = (try FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.intValue ?? 0
            guard size <= maxBytes else { throw SizeError() }
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch is SizeError {
            throw .unreadable(path: path, reason: "larger than \(maxBytes) bytes")
        } catch {
            throw .unreadable(path: path, reason: String(String(describing: error).prefix(200)))
        }
        guard data.count <= maxBytes else { throw .unreadable(path: path, reason: "larger than \(maxBytes) bytes") }
        return try parseCertificatePEM(Array(data), source: path)
    }

    private struct SizeError: Error {}
}
