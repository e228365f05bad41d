import Foundation
import ResponderCore
import Testing

/// Builds an SNS body from `fields` (JSON-encoded, so values are escaped correctly).
private func snsBody(_ fields: [String: Any]) throws -> [UInt8] {
    Array(try JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys]))
}

/// A valid Notification (from the aws-php-sns-message-validator vectors, with a Subject).
private func notificationFields() -> [String: Any] {
    [
        "Type": "Notification",
        "MessageId": "11405cc3-9ac7-56d5-b45d-079e8f7a8edf",
        "TopicArn": "arn:aws:sns:us-east-2:295079676684:publish-and-verify-6e11fed2-fcdf-4c52-9dc4-36ef43f37f84",
        "Subject": "Hello world",
        "Message": "Hello world",
        "Timestamp": "2022-07-28T22:53:49.654Z",
        "SignatureVersion": "1",
        "Signature": "AItkS26d8yvnIKJevdirIPW7eM/yKbZy3/CF2EreCHmXWB3etWaV5Fb7SYpGABMp",
        "SigningCertURL": "https://sns.us-east-2.amazonaws.com/SimpleNotificationService-7ff5318490ec183fbaddaa2a969abfda.pem",
        "UnsubscribeURL": "https://sns.us-east-2.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=x",
    ]
}

/// A SubscriptionConfirmation (or, with `type`, UnsubscribeConfirmation) in the shape AWS documents.
private func confirmationFields(type: String = "SubscriptionConfirmation") -> [String: Any] {
    [
        "Type": type,
        "MessageId": "165545c9-2a5c-472c-8df2-7ff2be2b3b1b",
        "Token": "2336412f37fb687f5d51e6e241d09c805a5a57b30d712f794cc5f6a988666d92768dd60a747ba6f3beb71854e285d6ad02428b09ceece29417f1f02d609c582afbacc99c583a916b9981dd2728f4ae6fdb82efd087cc3b7849e05798d2d2785c03b0879594eeac82c01f235d0e717736",
        "TopicArn": "arn:aws:sns:us-west-2:123456789012:MyTopic",
        "Message": "You have chosen to subscribe to the topic arn:aws:sns:us-west-2:123456789012:MyTopic.\nTo confirm the subscription, visit the SubscribeURL included in this message.",
        "SubscribeURL": "https://sns.us-west-2.amazonaws.com/?Action=ConfirmSubscription&TopicArn=arn:aws:sns:us-west-2:123456789012:MyTopic&Token=2336412f37",
        "Timestamp": "2012-04-26T20:45:04.751Z",
        "SignatureVersion": "1",
        "Signature": "EXAMPLEpH+DcEwjAPg8O9mY8dReBSwksfg2S7WKQcikcNKWLQjwu6A4VbeS0QHVCkhRS7fUQvi2egU3N858fiTDN6bkkOxYDVrY0Ad8L10Hs3zH81mtnPk5uvvolIC1CXGu43obcgFxeL3khZl8IKvO61GWB6jI9b5+gLPoBc1Q=",
        "SigningCertURL": "https://sns.us-west-2.amazonaws.com/SimpleNotificationService-f3ecfb7224c7233fe7bb5f59f96de52f.pem",
    ]
}

@Suite("SNSMessage decoding and string to sign")
struct SNSMessageTests {
    @Test func decodesNotificationWithSubject() throws {
        let message = try SNSMessage.decode(snsBody(notificationFields()))
        #expect(message.type == .notification)
        #expect(message.subject == "Hello world")
        #expect(message.signatureVersion == .v1)
        #expect(message.timestamp == RFC3339.parse("2022-07-28T22:53:49.654Z"))
        #expect(message.signature.count == 48)
        #expect(message.subscribeURL == nil && message.token == nil)
    }

    @Test func notificationStringToSignIncludesSubjectOnlyWhenPresent() throws {
        let withSubject = try SNSMessage.decode(snsBody(notificationFields()))
        let topic = "arn:aws:sns:us-east-2:295079676684:publish-and-verify-6e11fed2-fcdf-4c52-9dc4-36ef43f37f84"
        #expect(withSubject.stringToSign == """
            Message\nHello world\nMessageId\n11405cc3-9ac7-56d5-b45d-079e8f7a8edf\nSubject\nHello world\n\
            Timestamp\n2022-07-28T22:53:49.654Z\nTopicArn\n\(topic)\nType\nNotification\n
            """)
        var fields = notificationFields()
        fields["Subject"] = NSNull()
        let nullSubject = try SNSMessage.decode(snsBody(fields))
        fields["Subject"] = nil
        let noSubject = try SNSMessage.decode(snsBody(fields))
        #expect(nullSubject.subject == nil)
        #expect(noSubject.stringToSign == """
            Message\nHello world\nMessageId\n11405cc3-9ac7-56d5-b45d-079e8f7a8edf\n\
            Timestamp\n2022-07-28T22:53:49.654Z\nTopicArn\n\(topic)\nType\nNotification\n
            """)
        #expect(nullSubject.stringToSign == noSubject.stringToSign)
    }

    @Test(arguments: ["SubscriptionConfirmation", "UnsubscribeConfirmation"])
    func confirmationStringToSign(type: String) throws {
        let fields = confirmationFields(type: type)
        let message = try SNSMessage.decode(snsBody(fields))
        let expected = ["Message", "MessageId", "SubscribeURL", "Timestamp", "Token", "TopicArn", "Type"]
            .map { "\($0)\n\(fields[$0] as? String ?? "")\n" }.joined()
        #expect(message.stringToSign == expected)
        #expect(message.stringToSign.hasSuffix("Type\n\(type)\n"))
    }

    @Test(arguments: ["SubscribeURL", "Token"])
    func confirmationsRequireSubscribeURLAndToken(field: String) throws {
        var fields = confirmationFields()
        fields[field] = nil
        #expect(throws: IngestError.invalidField("\(field): required field is missing")) {
            try SNSMessage.decode(snsBody(fields))
        }
    }

    @Test(arguments: ["Type", "MessageId", "TopicArn", "Message", "Timestamp", "SignatureVersion", "Signature", "SigningCertURL"])
    func missingFieldIsNamed(field: String) throws {
        var fields = notificationFields()
        fields[field] = nil
        #expect(throws: IngestError.invalidField("\(field): required field is missing")) {
            try SNSMessage.decode(snsBody(fields))
        }
    }

    @Test func wrongTypedFieldIsNamed() throws {
        var fields = notificationFields()
        fields["MessageId"] = 42
        #expect(throws: IngestError.invalidField("MessageId: expected a string")) {
            try SNSMessage.decode(snsBody(fields))
        }
    }

    @Test func unknownTypeListsAcceptedTypes() throws {
        var fields = notificationFields()
        fields["Type"] = "Publish"
        let error = #expect(throws: IngestError.self) { try SNSMessage.decode(snsBody(fields)) }
        guard case .invalidField(let text) = error else { Issue.record("wrong error \(String(describing: error))"); return }
        #expect(text.contains("Type:") && text.contains("Notification, SubscriptionConfirmation, UnsubscribeConfirmation"))
    }

    @Test(arguments: ["3", "0", "", "1.0"])
    func unsupportedSignatureVersion(version: String) throws {
        var fields = notificationFields()
        fields["SignatureVersion"] = version
        let error = #expect(throws: IngestError.self) { try SNSMessage.decode(snsBody(fields)) }
        guard case .unsupportedVersion(let text) = error else { Issue.record("wrong error \(String(describing: error))"); return }
        #expect(text.contains("SignatureVersion"))
    }

    @Test func secondSignatureVersion() throws {
        var fields = notificationFields()
        fields["SignatureVersion"] = "2"
        #expect(try SNSMessage.decode(snsBody(fields)).signatureVersion == .v2)
    }

    @Test(arguments: [
        ("Signature", "not base64!"),
        ("Timestamp", "yesterday"),
        ("TopicArn", "arn:aws:sqs:us-east-2:295079676684:queue"),
        ("TopicArn", "arn:aws:sns:us-east-2:2950:topic"),
        ("MessageId", ""),
    ])
    func invalidValuesAreNamed(field: String, value: String) throws {
        var fields = notificationFields()
        fields[field] = value
        let error = #expect(throws: IngestError.self) { try SNSMessage.decode(snsBody(fields)) }
        guard case .invalidField(let text) = error else { Issue.record("wrong error \(String(describing: error))"); return }
        #expect(text.hasPrefix("\(field):"))
    }

    @Test func duplicateKeysAreRefused() throws {
        let body = #"{"Type":"Notification","Type":"SubscriptionConfirmation","MessageId":"x"}"#
        let error = #expect(throws: IngestError.self) { try SNSMessage.decode(Array(body.utf8)) }
        guard case .malformedJSON(let text) = error else { Issue.record("wrong error \(String(describing: error))"); return }
        #expect(text.contains("duplicate key"))
    }

    @Test func notJSONIsMalformed() {
        #expect(throws: IngestError.self) { try SNSMessage.decode(Array("Type=Notification".utf8)) }
    }
}
