import Foundation

/// One SNS HTTP/S delivery body (`Notification`, `SubscriptionConfirmation` or `UnsubscribeConfirmation`).
///
/// SNS POSTs this JSON with `Content-Type: text/plain`. Decoding validates every field the signature covers, so a
/// value of this type is well-formed but **not yet authentic**: verify ``stringToSign`` against ``signature`` with the
/// certificate at ``signingCertURL`` (after checking that URL with ``SNSPolicy``) before trusting anything in it.
public struct SNSMessage: Sendable, Equatable {
    /// What kind of message this is.
    public var type: SNSMessageType
    /// Unique per published message; SNS keeps it on redelivery, so it is the delivery's idempotency key.
    public var messageId: String
    /// The topic the message was published to.
    public var topicArn: String
    /// The optional subject given at publish time (CloudWatch sets `ALARM: "name" in Region`).
    public var subject: String?
    /// The payload; for a CloudWatch alarm, a JSON document.
    public var message: String
    /// `Timestamp` exactly as sent (it is part of the signed text).
    public var timestampText: String
    /// `Timestamp` parsed.
    public var timestamp: Date
    /// Signature algorithm.
    public var signatureVersion: SNSSignatureVersion
    /// The decoded `Signature` bytes.
    public var signature: [UInt8]
    /// Where the signing certificate lives. Not signed: check it with ``SNSPolicy/checkSigningCertURL(_:)``.
    public var signingCertURL: String
    /// Confirmation link (confirmation types only).
    public var subscribeURL: String?
    /// Confirmation token (confirmation types only).
    public var token: String?
    /// Unsubscribe link sent with notifications; never followed by this server.
    public var unsubscribeURL: String?

    /// Creates a message from already validated parts (tests and replays); prefer ``decode(_:)`` for request bodies.
    public init(
        type: SNSMessageType, messageId: String, topicArn: String, subject: String?, message: String,
        timestampText: String, timestamp: Date, signatureVersion: SNSSignatureVersion, signature: [UInt8],
        signingCertURL: String, subscribeURL: String?, token: String?, unsubscribeURL: String?
    ) {
        self.type = type
        self.messageId = messageId
        self.topicArn = topicArn
        self.subject = subject
        self.message = message
        self.timestampText = timestampText
        self.timestamp = timestamp
        self.signatureVersion = signatureVersion
        self.signature = signature
        self.signingCertURL = signingCertURL
        self.subscribeURL = subscribeURL
        self.token = token
        self.unsubscribeURL = unsubscribeURL
    }

    /// Parses an SNS delivery body; throws ``IngestError`` naming the first field that is missing or wrong.
    ///
    /// Duplicate JSON keys are refused (``StrictJSON``). `Subject: null` is treated as absent. Unknown fields
    /// (such as `MessageAttributes`) are ignored: they are not signed.
    public static func decode(_ body: [UInt8]) throws(IngestError) -> SNSMessage {
        let wire = try StrictJSON().decode(SNSWireMessage.self, from: body)
        guard let typeText = wire.type else { throw missing("Type") }
        guard let type = SNSMessageType(rawValue: typeText) else {
            throw .invalidField("Type: \(quoted(typeText)) is not accepted; expected one of \(SNSMessageType.acceptedList)")
        }
        guard let versionText = wire.signatureVersion else { throw missing("SignatureVersion") }
        guard let version = SNSSignatureVersion(rawValue: versionText) else {
            throw .unsupportedVersion(
                "SignatureVersion \(quoted(versionText)) is not supported: only \"1\" (RSA-SHA1) and \"2\" (RSA-SHA256) are accepted"
            )
        }
        let messageId = try FieldText.required(wire.messageId, "MessageId")
        let topicArn = try FieldText.required(wire.topicArn, "TopicArn")
        guard SNSTopicARN(topicArn) != nil else {
            throw .invalidField("TopicArn: \(quoted(topicArn)) is not an SNS topic ARN (arn:aws:sns:<region>:<account>:<topic>)")
        }
        guard let message = wire.message else { throw missing("Message") }
        let timestampText = try FieldText.required(wire.timestamp, "Timestamp")
        guard let timestamp = RFC3339.parse(timestampText) else {
            throw .invalidField("Timestamp: \(quoted(timestampText)) is not an ISO 8601 time such as 2022-07-28T21:23:58.317Z")
        }
        guard RFC3339.acceptedRange.contains(timestamp) else {
            throw .invalidField("Timestamp: \(quoted(timestampText)) must be \(RFC3339.acceptedYears)")
        }
        let signatureText = try FieldText.required(wire.signature, "Signature")
        guard let signature = Data(base64Encoded: signatureText), !signature.isEmpty else {
            throw .invalidField("Signature: must be base64")
        }
        let certURL = try FieldText.required(wire.signingCertURL, "SigningCertURL")
        var subscribeURL: String?
        var token: String?
        if type != .notification {
            subscribeURL = try FieldText.required(wire.subscribeURL, "SubscribeURL")
            token = try FieldText.required(wire.token, "Token")
        }
        return SNSMessage(
            type: type, messageId: messageId, topicArn: topicArn, subject: wire.subject, message: message,
            timestampText: timestampText, timestamp: timestamp, signatureVersion: version, signature: Array(signature),
            signingCertURL: certURL, subscribeURL: subscribeURL, token: token, unsubscribeURL: wire.unsubscribeURL
        )
    }

    /// The exact text SNS signed: `Key\nValue\n` for each signed field, in the order AWS documents.
    ///
    /// Notification: Message, MessageId, Subject (only if present), Timestamp, TopicArn, Type.
    /// Subscription/UnsubscribeConfirmation: Message, MessageId, SubscribeURL, Timestamp, Token, TopicArn, Type.
    public var stringToSign: String {
        var pairs: [(String, String)] = [("Message", message), ("MessageId", messageId)]
        switch type {
        case .notification:
            if let subject { pairs.append(("Subject", subject)) }
            pairs += [("Timestamp", timestampText), ("TopicArn", topicArn), ("Type", type.rawValue)]
        case .subscriptionConfirmation, .unsubscribeConfirmation:
            pairs += [
                ("SubscribeURL", subscribeURL ?? ""), ("Timestamp", timestampText), ("Token", token ?? ""),
                ("TopicArn", topicArn), ("Type", type.rawValue),
            ]
        }
        var text = ""
        for (key, value) in pairs {
            text += key + "\n" + value + "\n"
        }
        return text
    }

    private static func missing(_ field: String) -> IngestError {
        .invalidField("\(field): required field is missing")
    }
}

/// The delivery body as sent; every field optional so that missing ones get a precise message.
private struct SNSWireMessage: Decodable {
    var type: String?
    var messageId: String?
    var topicArn: String?
    var subject: String?
    var message: String?
    var timestamp: String?
    var signatureVersion: String?
    var signature: String?
    var signingCertURL: String?
    var subscribeURL: String?
    var token: String?
    var unsubscribeURL: String?

    // SNS's own field names, so that decoding errors name them exactly.
    enum CodingKeys: String, CodingKey {
        case type = "Type", messageId = "MessageId", topicArn = "TopicArn", subject = "Subject"
        case message = "Message", timestamp = "Timestamp", signatureVersion = "SignatureVersion"
        case signature = "Signature", signingCertURL = "SigningCertURL", subscribeURL = "SubscribeURL"
        case token = "Token", unsubscribeURL = "UnsubscribeURL"
    }
}
