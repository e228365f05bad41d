import _CryptoExtras
import Crypto
import Foundation
import SwiftASN1
import X509

/// Signs SNS messages the way SNS does (SignatureVersion 2: RSA PKCS#1 v1.5 over SHA-256 of the string to sign), with
/// a test RSA key whose self-signed certificate (CN sns.amazonaws.com) is placed in a pre-provisioned folder.
/// The string to sign is built here independently of the code under test.
struct TestSNSSigner: Sendable {
    let key: _RSA.Signing.PrivateKey
    let certificatePEM: String
    static let certificateName = "SimpleNotificationService-test0123456789abcdef.pem"
    let region: String

    init(region: String = "us-east-1") throws {
        self.region = region
        key = try _RSA.Signing.PrivateKey(keySize: .bits2048)
        let name = try DistinguishedName { CommonName("sns.amazonaws.com") }
        let now = Date()
        let certificate = try Certificate(
            version: .v3, serialNumber: .init(), publicKey: .init(key.publicKey),
            notValidBefore: now.addingTimeInterval(-86_400), notValidAfter: now.addingTimeInterval(86_400),
            issuer: name, subject: name, signatureAlgorithm: .sha256WithRSAEncryption,
            extensions: Certificate.Extensions(), issuerPrivateKey: .init(key)
        )
        certificatePEM = try certificate.serializeAsPEM().pemString
    }

    var signingCertURL: String { "https://sns.\(region).amazonaws.com/\(Self.certificateName)" }

    /// Writes the certificate into `folder` under the name its URL ends with.
    func provision(into folder: String) throws {
        try certificatePEM.write(toFile: folder + "/" + Self.certificateName, atomically: true, encoding: .utf8)
    }

    /// A signed Notification body.
    func notification(topicArn: String, message: String, subject: String? = nil, messageId: String = UUID().uuidString,
                      timestamp: String) throws -> [UInt8] {
        var fields: [(String, String)] = [("Message", message), ("MessageId", messageId)]
        if let subject { fields.append(("Subject", subject)) }
        fields += [("Timestamp", timestamp), ("TopicArn", topicArn), ("Type", "Notification")]
        return try body(signed: fields, extra: [("UnsubscribeURL", "https://sns.\(region).amazonaws.com/?Action=Unsubscribe")])
    }

    /// A signed SubscriptionConfirmation or UnsubscribeConfirmation body.
    func confirmation(type: String, topicArn: String, subscribeURL: String, token: String, timestamp: String) throws -> [UInt8] {
        try body(signed: [
            ("Message", "You have chosen to subscribe to the topic \(topicArn)."), ("MessageId", UUID().uuidString),
            ("SubscribeURL", subscribeURL), ("Timestamp", timestamp), ("Token", token), ("TopicArn", topicArn),
            ("Type", type),
        ], extra: [])
    }

    private func body(signed fields: [(String, String)], extra: [(String, String)]) throws -> [UInt8] {
        let stringToSign = fields.map { "\($0.0)\n\($0.1)\n" }.joined()
        let signature = try key.signature(for: SHA256.hash(data: Array(stringToSign.utf8)), padding: .insecurePKCS1v1_5)
        var object: [String: String] = [:]
        for (name, value) in fields + extra { object[name] = value }
        object["SignatureVersion"] = "2"
        object["Signature"] = signature.rawRepresentation.base64EncodedString()
        object["SigningCertURL"] = signingCertURL
        return Array(try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]))
    }
}
