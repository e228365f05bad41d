import Crypto
import Foundation
import SwiftASN1
import X509

/// Creates and reuses the self-signed ECDSA P-256 certificate that `responder serve` uses when no certificate is given.
public struct SelfSignedCertificate: Sendable {
    /// Path of the PEM certificate.
    public let certificatePath: String
    /// Path of the PEM private key (mode 0600).
    public let keyPath: String
    /// SHA-256 of the DER certificate, as colon-separated upper-case hex (what `openssl x509 -fingerprint -sha256` prints).
    public let sha256Fingerprint: String
    /// True when this call generated the files; false when existing ones were reused.
    public let generated: Bool

    /// Loads `tls/cert.pem` + `tls/key.pem` from `stateDirectory`, generating them first if either is missing or the
    /// certificate has expired.
    public static func loadOrCreate(
        in stateDirectory: String,
        hostnames: [String] = [],
        now: Date = Date()
    ) throws -> SelfSignedCertificate {
        let folder = (stateDirectory as NSString).appendingPathComponent("tls")
        let certPath = (folder as NSString).appendingPathComponent("cert.pem")
        let keyPath = (folder as NSString).appendingPathComponent("key.pem")
        let files = FileManager.default
        if files.fileExists(atPath: certPath), files.fileExists(atPath: keyPath) {
            let pem = try String(contentsOfFile: certPath, encoding: .utf8)
            let certificate = try Certificate(pemEncoded: pem)
            if certificate.notValidAfter > now.addingTimeInterval(86_400) {
                return SelfSignedCertificate(
                    certificatePath: certPath, keyPath: keyPath,
                    sha256Fingerprint: try fingerprint(of: certificate), generated: false
                )
            }
        }
        try files.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let key = P256.Signing.PrivateKey()
        let certificate = try makeCertificate(key: key, hostnames: hostnames, now: now)
        let keyPEM = key.pemRepresentation + "\n"
        guard files.createFile(atPath: keyPath, contents: Data(keyPEM.utf8), attributes: [.posixPermissions: 0o600]) else {
            throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: keyPath])
        }
        try (try certificate.serializeAsPEM().pemString + "\n").write(toFile: certPath, atomically: true, encoding: .utf8)
        return SelfSignedCertificate(
            certificatePath: certPath, keyPath: keyPath,
            sha256Fingerprint: try fingerprint(of: certificate), generated: true
        )
    }

    /// Builds a one-year server certificate for `localhost`, the loopback addresses and `hostnames`.
    static func makeCertificate(key: P256.Signing.PrivateKey, hostnames: [String], now: Date) throws -> Certificate {
        let name = try DistinguishedName {
            OrganizationName("Responder")
            CommonName("responder self-signed")
        }
        var names: [GeneralName] = [.dnsName("localhost")]
        for host in hostnames where host != "localhost" && !host.isEmpty {
            names.append(.dnsName(host))
        }
        names.append(.ipAddress(ASN1OctetString(contentBytes: [127, 0, 0, 1])))
        names.append(.ipAddress(ASN1OctetString(contentBytes: ArraySlice([UInt8](repeating: 0, count: 15) + [1]))))
        // Marked as its own (path-length 0) authority: TLS clients that pin it as a trust root (curl --cacert,
        // Alertmanager's tls_config.ca_file, BoringSSL) refuse a trust anchor that is not a CA.
        let extensions = try Certificate.Extensions {
            Critical(BasicConstraints.isCertificateAuthority(maxPathLength: 0))
            Critical(KeyUsage(digitalSignature: true, keyCertSign: true))
            try ExtendedKeyUsage([.serverAuth])
            SubjectAlternativeNames(names)
        }
        return try Certificate(
            version: .v3,
            serialNumber: Certificate.SerialNumber(),
            publicKey: Certificate.PublicKey(key.publicKey),
            notValidBefore: now.addingTimeInterval(-300),
            notValidAfter: now.addingTimeInterval(365 * 86_400),
            issuer: name,
            subject: name,
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: extensions,
            issuerPrivateKey: Certificate.PrivateKey(key)
        )
    }

    /// SHA-256 fingerprint of a certificate's DER encoding.
    public static func fingerprint(of certificate: Certificate) throws -> String {
        var serializer = DER.Serializer()
        try serializer.serialize(certificate)
        return SHA256.hash(data: serializer.serializedBytes).map { String(format: "%02X", $0) }.joined(separator: ":")
    }
}
