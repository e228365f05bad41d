import NIOSSL

/// Builds the client TLS configuration of a Kubernetes connection: the cluster CA as the only trust root, and a client
/// certificate and key when the user authenticates with one.
public enum KubernetesTLS {
    /// Where the cluster CA comes from.
    public enum Authority: Sendable {
        /// PEM bytes (one or more certificates); `origin` names where they came from, for errors.
        case pem([UInt8], origin: String)
        /// The system trust store (a cluster behind a publicly trusted certificate).
        case system
        /// No verification at all (kubeconfig `insecure-skip-tls-verify: true`).
        case insecureSkipVerify
    }

    /// A client identity: PEM certificate chain and PEM private key; the origins name where they came from.
    public struct ClientIdentity: Sendable {
        /// PEM certificate chain.
        public var certificatePEM: [UInt8]
        /// Where the certificate came from (`client-certificate-data`, a path).
        public var certificateOrigin: String
        /// PEM private key.
        public var keyPEM: [UInt8]
        /// Where the key came from.
        public var keyOrigin: String

        /// Creates an identity.
        public init(certificatePEM: [UInt8], certificateOrigin: String, keyPEM: [UInt8], keyOrigin: String) {
            self.certificatePEM = certificatePEM
            self.certificateOrigin = certificateOrigin
            self.keyPEM = keyPEM
            self.keyOrigin = keyOrigin
        }
    }

    /// The client configuration; errors name the origin of what could not be parsed, never its content.
    public static func configuration(authority: Authority, identity: ClientIdentity?) throws(KubernetesConfigError) -> TLSConfiguration {
        var tls = TLSConfiguration.makeClientConfiguration()
        switch authority {
        case .pem(let bytes, let origin):
            let roots: [NIOSSLCertificate]
            do { roots = try NIOSSLCertificate.fromPEMBytes(bytes) } catch {
                throw KubernetesConfigError("The cluster CA in \(origin) is not a PEM certificate.")
            }
            guard !roots.isEmpty else {
                throw KubernetesConfigError("The cluster CA in \(origin) holds no PEM certificate.")
            }
            tls.trustRoots = .certificates(roots)
        case .system:
            tls.trustRoots = .default
        case .insecureSkipVerify:
            tls.certificateVerification = .none
        }
        if let identity {
            let chain: [NIOSSLCertificate]
            do { chain = try NIOSSLCertificate.fromPEMBytes(identity.certificatePEM) } catch {
                throw KubernetesConfigError("The client certificate in \(identity.certificateOrigin) is not a PEM certificate.")
            }
            guard !chain.isEmpty else {
                throw KubernetesConfigError("The client certificate in \(identity.certificateOrigin) holds no PEM certificate.")
            }
            let key: NIOSSLPrivateKey
            do { key = try NIOSSLPrivateKey(bytes: identity.keyPEM, format: .pem) } catch {
                throw KubernetesConfigError("The client key in \(identity.keyOrigin) is not a PEM private key (RSA or EC).")
            }
            tls.certificateChain = chain.map { .certificate($0) }
            tls.privateKey = .privateKey(key)
        }
        return tls
    }
}
