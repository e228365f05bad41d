import Foundation

/// How requests prove who they are, besides a TLS client certificate (which lives in the TLS configuration).
///
/// A token file is read again for every request: bound service-account tokens are rotated by the kubelet (about
/// hourly) and a read of a small file costs nothing next to an HTTPS round trip, while a cached token would start
/// failing with 401 after rotation. The token never appears in a description, error or log.
public enum KubernetesAuthentication: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible,
    CustomReflectable {
    /// No bearer token (client certificate only, or an unauthenticated test server).
    case none
    /// A fixed bearer token (kubeconfig `token`).
    case token(String)
    /// A bearer token read from a file on every request (in-cluster token, kubeconfig `tokenFile`).
    case tokenFile(String)

    /// The `Authorization` header value for the next request, if any.
    public func authorizationHeader() throws(KubernetesError) -> String? {
        switch self {
        case .none:
            return nil
        case .token(let token):
            return "Bearer \(token)"
        case .tokenFile(let path):
            return "Bearer \(try Self.readToken(path))"
        }
    }

    /// The trimmed token in `path`; errors name the path, never the content.
    static func readToken(_ path: String) throws(KubernetesError) -> String {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw KubernetesError(.credentials, message:
                "Could not read the Kubernetes token file \(path): \(Self.reason(error)); check that the service "
                + "account token is mounted (automountServiceAccountToken) or that the kubeconfig's tokenFile exists.")
        }
        let token = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard !token.isEmpty else {
            throw KubernetesError(.credentials, message: "The Kubernetes token file \(path) is empty.")
        }
        return token
    }

    private static func reason(_ error: any Error) -> String {
        let nsError = error as NSError
        if nsError.domain == NSCocoaErrorDomain, nsError.code == NSFileReadNoSuchFileError {
            return "no such file"
        }
        if nsError.domain == NSCocoaErrorDomain, nsError.code == NSFileReadNoPermissionError {
            return "permission denied"
        }
        return "unreadable"
    }

    /// `none`, `token (redacted)` or `token file PATH`.
    public var description: String {
        switch self {
        case .none: return "none"
        case .token: return "token (redacted)"
        case .tokenFile(let path): return "token file \(path)"
        }
    }

    /// Same as ``description``: the token stays out of debug output too.
    public var debugDescription: String { description }

    /// No children, so `dump` cannot print the token either.
    public var customMirror: Mirror { Mirror(self, children: [], displayStyle: .enum) }
}
