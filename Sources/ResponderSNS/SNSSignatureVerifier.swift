import Crypto
import Foundation
import ResponderCore
import X509
import _CryptoExtras

/// Verifies an SNS message signature with its signing certificate.
///
/// SignatureVersion 1 is RSA PKCS#1 v1.5 over SHA-1 of ``SNSMessage/stringToSign``, version 2 the same over
/// SHA-256. The certificate must be valid at the injected `now` and its subject common name must be one of
/// ``acceptedCommonNames`` (real SNS certificates are issued to `sns.amazonaws.com`).
public struct SNSSignatureVerifier: Sendable {
    /// Default accepted subject CN.
    public static let defaultCommonNames: Set<String> = ["sns.amazonaws.com"]

    /// Subject common names a signing certificate may carry (compared case-insensitively).
    public var acceptedCommonNames: Set<String>

    /// Creates a verifier.
    public init(acceptedCommonNames: Set<String> = SNSSignatureVerifier.defaultCommonNames) {
        self.acceptedCommonNames = Set(acceptedCommonNames.map { $0.lowercased() })
    }

    /// Throws ``IngestError/badSignature(_:)`` unless `message` is signed by `certificate`'s key and the certificate
    /// is acceptable at `now`.
    public func verify(_ message: SNSMessage, certificate: Certificate, now: Date) throws(IngestError) {
        guard certificate.notValidBefore <= now, now <= certificate.notValidAfter else {
            throw .badSignature(
                "SNS signing certificate is not valid at \(RFC3339.format(now)) (valid "
                    + "\(RFC3339.format(certificate.notValidBefore)) to \(RFC3339.format(certificate.notValidAfter))): "
                    + "check this host's clock, or refresh the pre-provisioned certificate"
            )
        }
        let names = Self.commonNames(of: certificate)
        guard names.contains(where: { acceptedCommonNames.contains($0.lowercased()) }) else {
            let shown = names.isEmpty ? "none" : names.map { "\"\($0.prefix(100))\"" }.joined(separator: ", ")
            throw .badSignature(
                "SNS signing certificate subject CN (\(shown)) is not one of the accepted names "
                    + "(\(acceptedCommonNames.sorted().joined(separator: ", ")))"
            )
        }
        guard let key = _RSA.Signing.PublicKey(certificate.publicKey) else {
            throw .badSignature("SNS signing certificate does not hold an RSA key")
        }
        let signed = Data(message.stringToSign.utf8)
        let signature = _RSA.Signing.RSASignature(rawRepresentation: message.signature)
        let valid: Bool
        switch message.signatureVersion {
        case .v1: valid = key.isValidSignature(signature, for: Insecure.SHA1.hash(data: signed), padding: .insecurePKCS1v1_5)
        case .v2: valid = key.isValidSignature(signature, for: SHA256.hash(data: signed), padding: .insecurePKCS1v1_5)
        }
        guard valid else {
            throw .badSignature(
                "SNS signature does not verify (SignatureVersion \(message.signatureVersion.rawValue), "
                    + "\(message.signatureVersion.algorithmName)) with the certificate from "
                    + "\(message.signingCertURL.prefix(200)): the message was altered or not sent by SNS"
            )
        }
    }

    /// The subject common names of `certificate`.
    static func commonNames(of certificate: Certificate) -> [String] {
        var names: [String] = []
        for rdn in certificate.subject {
            for attribute in rdn where attribute.type == .RDNAttributeType.commonName {
                if let name = String(attribute.value) { names.append(name) }
            }
        }
        return names
    }
}
