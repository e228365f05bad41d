import Foundation
import NIOSSL

/// Where the Kubernetes API is and how to talk to it: server URL, TLS (cluster CA, client certificate) and bearer
/// token source. Built in-cluster from the service account, or from a kubeconfig (``KubeconfigLoader``).
public struct KubernetesConnection: Sendable, CustomStringConvertible {
    /// `https://host:port`, possibly with a path prefix.
    public var server: String
    /// Client TLS configuration (trust roots = the cluster CA only).
    public var tls: TLSConfiguration
    /// Bearer token source.
    public var authentication: KubernetesAuthentication
    /// Default namespace (the pod's namespace in-cluster, the context's namespace from a kubeconfig), if known.
    public var namespace: String?
    /// Whether the TLS configuration carries a client certificate.
    public var usesClientCertificate: Bool

    /// Creates a connection.
    public init(server: String, tls: TLSConfiguration, authentication: KubernetesAuthentication, namespace: String? = nil) {
        self.server = server
        self.tls = tls
        self.authentication = authentication
        self.namespace = namespace
        self.usesClientCertificate = tls.privateKey != nil
    }

    /// The files Kubernetes mounts into a pod for its service account.
    public struct InClusterPaths: Sendable, Equatable {
        /// The (rotating) bearer token.
        public var token: String
        /// The cluster CA bundle.
        public var certificateAuthority: String
        /// The pod's namespace.
        public var namespace: String

        /// The standard paths under `directory` (`/var/run/secrets/kubernetes.io/serviceaccount`).
        public init(directory: String = "/var/run/secrets/kubernetes.io/serviceaccount") {
            self.token = directory + "/token"
            self.certificateAuthority = directory + "/ca.crt"
            self.namespace = directory + "/namespace"
        }
    }

    /// The in-cluster connection: `KUBERNETES_SERVICE_HOST`/`KUBERNETES_SERVICE_PORT`, the service-account CA and the
    /// token file, read again on every request so rotation is picked up.
    public static func inCluster(
        paths: InClusterPaths = InClusterPaths(),
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(KubernetesConfigError) -> KubernetesConnection {
        guard let host = environment["KUBERNETES_SERVICE_HOST"], !host.isEmpty,
              let port = environment["KUBERNETES_SERVICE_PORT"], !port.isEmpty else {
            throw KubernetesConfigError(
                "Not running in a Kubernetes pod: KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT are not set; "
                + "give Responder a kubeconfig instead.")
        }
        guard FileManager.default.isReadableFile(atPath: paths.token) else {
            throw KubernetesConfigError(
                "The service-account token \(paths.token) is missing or unreadable: mount it "
                + "(automountServiceAccountToken: true) or give Responder a kubeconfig.")
        }
        guard let ca = FileManager.default.contents(atPath: paths.certificateAuthority) else {
            throw KubernetesConfigError("The service-account CA \(paths.certificateAuthority) is missing or unreadable.")
        }
        let tls = try KubernetesTLS.configuration(authority: .pem(Array(ca), origin: paths.certificateAuthority), identity: nil)
        let namespace = FileManager.default.contents(atPath: paths.namespace)
            .map { String(decoding: $0, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) }
            .flatMap { $0.isEmpty ? nil : $0 }
        // An IPv6 service host (dual-stack clusters) must be bracketed in a URL.
        let hostPart = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
        return KubernetesConnection(
            server: "https://\(hostPart):\(port)", tls: tls, authentication: .tokenFile(paths.token), namespace: namespace
        )
    }

    /// `https://host:6443 (auth: token file PATH, client certificate)`; never the token.
    public var description: String {
        var parts = ["auth: \(authentication)"]
        if usesClientCertificate {
            parts.append("client certificate")
        }
        return "\(server) (\(parts.joined(separator: ", ")))"
    }
}
