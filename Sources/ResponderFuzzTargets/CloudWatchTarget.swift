import ResponderCore

/// `cloudwatch`: the `Message` of an SNS notification read as a CloudWatch alarm (metric, metric math, composite),
/// normalized and planned as the server does after the SNS signature verified.
///
/// Input: the Message text, optionally followed by a NUL and the notification's `Subject`.
public enum CloudWatchTarget {
    /// Parses the message; a normalized alarm is planned against the repository's playbooks.
    public static func run(_ bytes: [UInt8]) throws {
        let input = FuzzInput(bytes, limit: 2)
        let alert: NormalizedAlert?
        do {
            alert = try CloudWatchAlarmParser().normalizedAlert(message: input.text(0), subject: input.optionalText(1))
        } catch {
            _ = (error.httpStatus, error.message)
            throw error
        }
        if let alert { try IngestPlanning.plan([alert]) }
    }
}
