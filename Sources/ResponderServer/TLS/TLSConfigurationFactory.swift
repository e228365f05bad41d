import NIOSSL

/// Builds the server's TLS configuration from PEM files.
public enum TLSConfigurationFactory {
    /// TLS 1.2+ with the given certificate chain and key; a closing connection waits at most 1 s for the client's
    /// close_notify.
    public static func server(certificatePath: String, keyPath: String) throws(ConfigError) -> TLSConfiguration {
        do {
            let chain = try NIOSSLCertificate.fromPEMFile(certificatePath).map { NIOSSLCertificateSource.certificate($0) }
            guard !chain.isEmpty else { throw ConfigError("\(certificatePath): no certificate found in the PEM file") }
            let key = try NIOSSLPrivateKey(file: keyPath, format: .pem)
            var configuration = TLSConfiguration.makeServerConfiguration(certificateChain: chain, privateKey: .privateKey(key))
            configuration.minimumTLSVersion = .tlsv12
            // A client that never answers close_notify held every closing connection, and so graceful shutdown,
            // for NIOSSL's default 5 s; one second is plenty on any network a webhook sender uses.
            configuration.shutdownTimeout = .seconds(1)
            return configuration
        } catch let error as ConfigError {
            throw error
        } catch {
            throw ConfigError("cannot load TLS certificate \(certificatePath) / key \(keyPath): \(error)")
        }
    }
}
