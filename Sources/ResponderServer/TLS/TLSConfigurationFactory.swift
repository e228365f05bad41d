import NIOSSL

/// Builds the server's TLS configuration from PEM files.
public enum TLSConfigurationFactory {
    /// TLS 1.2+ with the given certificate chain and key.
    public static func server(certificatePath: String, keyPath: String) throws(ConfigError) -> TLSConfiguration {
        do {
            let chain = try NIOSSLCertificate.fromPEMFile(certificatePath).map { NIOSSLCertificateSource.certificate($0) }
            guard !chain.isEmpty else { throw ConfigError("\(certificatePath): no certificate found in the PEM file") }
            let key = try NIOSSLPrivateKey(file: keyPath, format: .pem)
            var configuration = TLSConfiguration.makeServerConfiguration(certificateChain: chain, privateKey: .privateKey(key))
            configuration.minimumTLSVersion = .tlsv12
            return configuration
        } catch let error as ConfigError {
            throw error
        } catch {
            throw ConfigError("cannot load TLS certificate \(certificatePath) / key \(keyPath): \(error)")
        }
    }
}
