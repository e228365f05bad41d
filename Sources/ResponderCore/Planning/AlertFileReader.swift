/// Reads the alerts of a body saved to a file, as `responder plan --alert FILE` takes them: an Alertmanager webhook
/// body, an SNS delivery whose Message is a CloudWatch alarm, or a bare CloudWatch alarm message. Signatures are not
/// checked: the file is the operator's own.
public enum AlertFileReader {
    /// The normalized alerts in `bytes`; throws ``IngestError`` saying what the file is not.
    public static func alerts(in bytes: [UInt8]) throws(IngestError) -> [NormalizedAlert] {
        let text = String(decoding: bytes, as: UTF8.self)
        if text.contains("\"alerts\"") {
            return try AlertmanagerDecoder().decode(bytes).alerts
        }
        if text.contains("\"TopicArn\"") {
            let message = try SNSMessage.decode(bytes)
            guard let alert = try CloudWatchAlarmParser().normalizedAlert(message: message.message, subject: message.subject) else {
                throw .invalidField("Message: the SNS message is not a CloudWatch alarm")
            }
            return [alert]
        }
        guard let alert = try CloudWatchAlarmParser().normalizedAlert(message: text, subject: nil) else {
            throw .invalidField("not an Alertmanager webhook body, an SNS delivery or a CloudWatch alarm message")
        }
        return [alert]
    }
}
