import Crypto
import Foundation
import ResponderCore
import ResponderSNS
import Synchronization
import X509
import _CryptoExtras

/// A settable clock.
final class TestClock: Sendable {
    private let current: Mutex<Date>

    init(_ date: Date) {
        current = Mutex(date)
    }

    /// The current reading.
    var now: Date { current.withLock { $0 } }

    /// Moves the clock.
    func set(_ date: Date) {
        current.withLock { $0 = date }
    }
}

/// A provider that answers from a closure and counts calls.
final class CountingProvider: SigningCertificateProvider {
    private let calls = Mutex<[URL]>([])
    private let answer: @Sendable (URL, Int) throws(SigningCertificateError) -> Certificate

    /// Answers each call with `answer(url, callNumber)`.
    init(answer: @escaping @Sendable (URL, Int) throws(SigningCertificateError) -> Certificate) {
        self.answer = answer
    }

    /// Always answers `certificate`.
    convenience init(certificate: Certificate) {
        self.init { _, _ throws(SigningCertificateError) in certificate }
    }

    /// URLs asked for, in order.
    var requested: [URL] { calls.withLock { $0 } }

    /// Records the call, then answers.
    func certificate(for url: URL) async throws(SigningCertificateError) -> Certificate {
        let count = calls.withLock { calls in
            calls.append(url)
            return calls.count
        }
        return try answer(url, count)
    }
}

/// Records confirmation requests instead of making them.
final class RecordingConfirmer: SubscriptionConfirmer {
    private let urls = Mutex<[URL]>([])
    private let failure: SubscriptionConfirmationError?

    /// A confirmer that fails with `failure` when given.
    init(failure: SubscriptionConfirmationError? = nil) {
        self.failure = failure
    }

    /// URLs confirmed, in order.
    var confirmed: [URL] { urls.withLock { $0 } }

    /// Records the URL, then fails if configured to.
    func confirm(_ url: URL) async throws(SubscriptionConfirmationError) {
        urls.withLock { $0.append(url) }
        if let failure { throw failure }
    }
}

/// A throwaway RSA key with a self-signed certificate, signing SNS bodies the way SNS does (independently of
/// `SNSMessage.stringToSign`, so a mistake there cannot cancel out).
struct TestSNSSigner {
    /// The signing key.
    let key: _RSA.Signing.PrivateKey
    /// Its self-signed certificate.
    let certificate: Certificate

    /// Generates a key and a certificate for `commonName` valid from `notBefore` to `notAfter`.
    init(commonName: String = "sns.amazonaws.com", notBefore: Date, notAfter: Date) throws {
        key = try _RSA.Signing.PrivateKey(keySize: .bits2048)
        let name = try DistinguishedName { CommonName(commonName) }
        certificate = try Certificate(
            version: .v3, serialNumber: .init(), publicKey: .init(key.publicKey),
            notValidBefore: notBefore, notValidAfter: notAfter, issuer: name, subject: name,
            signatureAlgorithm: .sha256WithRSAEncryption, extensions: .init(), issuerPrivateKey: .init(key)
        )
    }

    /// Returns `fields` with `Signature` and `SignatureVersion` set.
    func sign(_ fields: [String: Any], version: String = "2") throws -> [String: Any] {
        let type = fields["Type"] as? String ?? ""
        let keys = type == "Notification"
            ? ["Message", "MessageId", "Subject", "Timestamp", "TopicArn", "Type"]
            : ["Message", "MessageId", "SubscribeURL", "Timestamp", "Token", "TopicArn", "Type"]
        let text = keys.compactMap { key in (fields[key] as? String).map { "\(key)\n\($0)\n" } }.joined()
        let data = Data(text.utf8)
        let signature = version == "1"
            ? try key.signature(for: Insecure.SHA1.hash(data: data), padding: .insecurePKCS1v1_5)
            : try key.signature(for: SHA256.hash(data: data), padding: .insecurePKCS1v1_5)
        var signed = fields
        signed["SignatureVersion"] = version
        signed["Signature"] = signature.rawRepresentation.base64EncodedString()
        return signed
    }
}
