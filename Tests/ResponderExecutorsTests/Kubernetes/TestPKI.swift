import Crypto
import Foundation
import NIOSSL
import SwiftASN1
import X509

/// A throwaway CA with a server certificate for 127.0.0.1/localhost and a client certificate, generated once per
/// test process for the fake Kubernetes API server.
struct TestPKI: Sendable {
    let caPEM: String
    let serverCertificatePEM: String
    let serverKeyPEM: String
    let clientCertificatePEM: String
    let clientKeyPEM: String
    /// A second, unrelated CA: a client trusting only it must refuse the fake's certificate.
    let otherCAPEM: String

    static let shared: TestPKI = {
        do { return try TestPKI() } catch { fatalError("test PKI: \(error)") }
    }()

    init() throws {
        let now = Date()
        let caKey = P256.Signing.PrivateKey()
        let caName = try DistinguishedName { CommonName("fake-kubernetes-ca") }
        let ca = try Self.certificate(
            subject: caName, key: caKey.publicKey, issuer: caName, issuerKey: caKey, now: now,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: 0))
                Critical(KeyUsage(keyCertSign: true))
            }
        )
        let serverKey = P256.Signing.PrivateKey()
        let server = try Self.certificate(
            subject: try DistinguishedName { CommonName("kube-apiserver") }, key: serverKey.publicKey,
            issuer: caName, issuerKey: caKey, now: now,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.notCertificateAuthority)
                Critical(KeyUsage(digitalSignature: true))
                try ExtendedKeyUsage([.serverAuth])
                SubjectAlternativeNames([.dnsName("localhost"), .ipAddress(ASN1OctetString(contentBytes: [127, 0, 0, 1]))])
            }
        )
        let clientKey = P256.Signing.PrivateKey()
        let client = try Self.certificate(
            subject: try DistinguishedName {
                OrganizationName("responders")
                CommonName("responder")
            },
            key: clientKey.publicKey, issuer: caName, issuerKey: caKey, now: now,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.notCertificateAuthority)
                Critical(KeyUsage(digitalSignature: true))
                try ExtendedKeyUsage([.clientAuth])
            }
        )
        let otherKey = P256.Signing.PrivateKey()
        let otherName = try DistinguishedName { CommonName("unrelated-ca") }
        let other = try Self.certificate(
            subject: otherName, key: otherKey.publicKey, issuer: otherName, issuerKey: otherKey, now: now,
            extensions: try Certificate.Extensions { Critical(BasicConstraints.isCertificateAuthority(maxPathLength: 0)) }
        )
        caPEM = try ca.serializeAsPEM().pemString + "\n"
        serverCertificatePEM = try server.serializeAsPEM().pemString + "\n"
        serverKeyPEM = serverKey.pemRepresentation + "\n"
        clientCertificatePEM = try client.serializeAsPEM().pemString + "\n"
        clientKeyPEM = clientKey.pemRepresentation + "\n"
        otherCAPEM = try other.serializeAsPEM().pemString + "\n"
    }

    private static func certificate(
        subject: DistinguishedName, key: P256.Signing.PublicKey, issuer: DistinguishedName,
        issuerKey: P256.Signing.PrivateKey, now: Date, extensions: Certificate.Extensions
    ) throws -> Certificate {
        try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: Certificate.PublicKey(key),
            notValidBefore: now.addingTimeInterval(-300), notValidAfter: now.addingTimeInterval(86_400),
            issuer: issuer, subject: subject, signatureAlgorithm: .ecdsaWithSHA256,
            extensions: extensions, issuerPrivateKey: Certificate.PrivateKey(issuerKey)
        )
    }

    /// The fake server's TLS configuration; with `requireClientCertificate`, clients must present a certificate
    /// issued by the CA (as kube-apiserver's `--client-ca-file` does).
    func serverTLS(requireClientCertificate: Bool) throws -> TLSConfiguration {
        var tls = TLSConfiguration.makeServerConfiguration(
            certificateChain: [.certificate(try NIOSSLCertificate(bytes: Array(serverCertificatePEM.utf8), format: .pem))],
            privateKey: .privateKey(try NIOSSLPrivateKey(bytes: Array(serverKeyPEM.utf8), format: .pem))
        )
        // A closing client does not always answer the server's close_notify; NIOSSL's default 5 s wait for it would
        // hold up every test's server shutdown.
        tls.shutdownTimeout = .milliseconds(100)
        if requireClientCertificate {
            tls.certificateVerification = .noHostnameVerification
            tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMBytes(Array(caPEM.utf8)))
        }
        return tls
    }

    static func base64(_ pem: String) -> String {
        Data(pem.utf8).base64EncodedString()
    }
}
