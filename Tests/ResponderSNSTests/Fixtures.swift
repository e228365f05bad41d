import Foundation
import ResponderCore
import Testing
import X509

/// Access to the aws-php-sns-message-validator vectors (Apache-2.0, see Fixtures/aws-php-sns-message-validator).
enum Vectors {
    /// The vector certificate's file name as SNS publishes it.
    static let certFileName = "SimpleNotificationService-7ff5318490ec183fbaddaa2a969abfda.pem"
    /// The SigningCertURL of every vector message.
    static let certURL = URL(string: "https://sns.us-east-2.amazonaws.com/\(certFileName)")!

    /// A moment inside the vector certificate's validity (2021-09-07 .. 2022-08-17), shortly after the messages.
    static let now = RFC3339.parse("2022-07-28T22:55:00Z")!

    /// The copied vector folder inside the test bundle.
    static func directory() throws -> URL {
        let fixtures = try #require(Bundle.module.url(forResource: "Fixtures", withExtension: nil))
        return fixtures.appendingPathComponent("aws-php-sns-message-validator")
    }

    /// The vector signing certificate, PEM bytes.
    static func certificatePEM() throws -> [UInt8] {
        Array(try Data(contentsOf: directory().appendingPathComponent("sns.us-east-2.\(certFileName)")))
    }

    /// The vector signing certificate, parsed.
    static func certificate() throws -> Certificate {
        try Certificate(pemEncoded: String(decoding: certificatePEM(), as: UTF8.self))
    }

    /// The four HTTP deliveries, each as a JSON object.
    static func httpFixtures() throws -> [[String: Any]] {
        try objects("http_fixtures.json")
    }

    /// The Lambda-style records, with `SigningCertUrl`/`UnsubscribeUrl` renamed to the HTTP spelling.
    static func lambdaFixturesAsHTTP() throws -> [[String: Any]] {
        try objects("lambda_fixtures.json").map { record in
            var fields = record
            for (lambda, http) in [("SigningCertUrl", "SigningCertURL"), ("UnsubscribeUrl", "UnsubscribeURL")] {
                fields[http] = fields.removeValue(forKey: lambda)
            }
            return fields
        }
    }

    /// The `Timestamp` of a delivery.
    static func sentAt(_ fields: [String: Any]) throws -> Date {
        let text = try #require(fields["Timestamp"] as? String)
        return try #require(RFC3339.parse(text))
    }

    /// JSON body bytes for `fields`.
    static func body(_ fields: [String: Any]) throws -> [UInt8] {
        Array(try JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys]))
    }

    private static func objects(_ name: String) throws -> [[String: Any]] {
        let data = try Data(contentsOf: directory().appendingPathComponent(name))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [[String: Any]])
    }
}

/// Flips the lowest bit of the byte at `offset` (counted from the end when negative) of a string.
func flipByte(_ text: String, at offset: Int) -> String {
    var bytes = Array(text.utf8)
    let index = offset >= 0 ? offset : bytes.count + offset
    bytes[index] ^= 0x01
    return String(decoding: bytes, as: UTF8.self)
}

/// Flips one bit of the decoded signature and re-encodes it.
func flipSignatureByte(_ base64: String, at index: Int) -> String {
    var bytes = Array(Data(base64Encoded: base64)!)
    bytes[index] ^= 0x01
    return Data(bytes).base64EncodedString()
}
