import Foundation
import NIOSSL

/// How Responder reaches Prometheus for load checks (`prometheus:` in the configuration), like an Alertmanager
/// `http_config`: a base URL, optional bearer-token or basic authentication read from files, and an optional CA file.
public struct PrometheusSettings: Sendable {
    /// How requests authenticate.
    public enum Authentication: Sendable, Equatable {
        /// No `Authorization` header.
        case none
        /// `Authorization: Bearer <token>`, the token read from `file` at each request (so a rotated token is used).
        case bearerTokenFile(String)
        /// `Authorization: Basic`, the password read from `passwordFile` at each request.
        case basic(username: String, passwordFile: String)
    }

    /// The base URL (`http://prometheus:9090`); nil when only checks with their own `url` can be read.
    public var url: String?
    /// The authentication sent to the base URL and to every per-check `url`.
    public var authentication: Authentication
    /// A PEM file of the certificate authorities trusted for https (nil trusts the system store).
    public var caFile: String?
    /// How long one query may take.
    public var timeout: Duration
    /// The largest answer read; a larger one makes the check unevaluable.
    public var maxResponseBytes: Int

    /// Creates settings.
    public init(url: String?, authentication: Authentication = .none, caFile: String? = nil,
                timeout: Duration = .seconds(10), maxResponseBytes: Int = 4 << 20) {
        self.url = url
        self.authentication = authentication
        self.caFile = caFile
        self.timeout = timeout
        self.maxResponseBytes = maxResponseBytes
    }

    /// The TLS configuration trusting only `caFile`'s certificates, or nil when no CA file is set.
    public func tlsConfiguration() throws(PrometheusConfigError) -> TLSConfiguration? {
        guard let caFile else { return nil }
        let roots: [NIOSSLCertificate]
        do { roots = try NIOSSLCertificate.fromPEMFile(caFile) } catch {
            throw PrometheusConfigError("prometheus.ca_file \(caFile) cannot be read as PEM certificates: check the path and its content")
        }
        guard !roots.isEmpty else {
            throw PrometheusConfigError("prometheus.ca_file \(caFile) holds no PEM certificate")
        }
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.trustRoots = .certificates(roots)
        return tls
    }
}

/// A `prometheus:` setting that cannot be used; the message names the key and what to fix, never a secret.
public struct PrometheusConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What is wrong.
    public let message: String

    /// Creates an error.
    public init(_ message: String) { self.message = message }

    /// The message.
    public var description: String { message }
}
