/// Why a signing certificate could not be obtained. These are availability problems on this side (missing file,
/// network, AWS endpoint answer), not proof that the message is bad, so the server should answer 503 and let SNS
/// retry rather than refuse the delivery.
public enum SigningCertificateError: Error, Equatable, Sendable {
    /// The URL's last path component is not a plain file name (contains `/`, `..`, or is empty).
    case invalidFileName(String)
    /// No pre-provisioned file, and fetching is disabled: put the certificate at `expectedPath`.
    case notProvisioned(expectedPath: String)
    /// The pre-provisioned file exists but cannot be read or exceeds the size cap.
    case unreadable(path: String, reason: String)
    /// The bytes are not a PEM X.509 certificate.
    case invalidPEM(source: String, reason: String)
    /// The certificate host answered with a non-200 status.
    case httpStatus(Int, url: String)
    /// The certificate host answered with a redirect (redirects are never followed).
    case redirected(url: String)
    /// The body exceeds the size cap.
    case tooLarge(limit: Int, url: String)
    /// No complete answer in time.
    case timedOut(url: String)
    /// Connection or TLS failure.
    case transport(url: String, reason: String)

    /// The HTTP status the server should answer the SNS delivery with.
    public var httpStatus: Int { 503 }

    /// What happened and what to do; never contains secrets.
    public var message: String {
        switch self {
        case .invalidFileName(let name):
            return "signing certificate URL does not end in a plain file name (\(name.prefix(100)))"
        case .notProvisioned(let path):
            return "signing certificate not found at \(path) and fetching is disabled: download it from the "
                + "SigningCertURL and place it there, or enable certificate fetching"
        case .unreadable(let path, let reason):
            return "signing certificate file \(path) cannot be used: \(reason)"
        case .invalidPEM(let source, let reason):
            return "signing certificate from \(source) is not a PEM X.509 certificate: \(reason)"
        case .httpStatus(let status, let url):
            return "fetching the signing certificate \(url) returned HTTP \(status); SNS will retry"
        case .redirected(let url):
            return "fetching the signing certificate \(url) returned a redirect, which is never followed"
        case .tooLarge(let limit, let url):
            return "signing certificate \(url) is larger than \(limit) bytes"
        case .timedOut(let url):
            return "fetching the signing certificate \(url) timed out; SNS will retry"
        case .transport(let url, let reason):
            return "fetching the signing certificate \(url) failed: \(reason)"
        }
    }
}
