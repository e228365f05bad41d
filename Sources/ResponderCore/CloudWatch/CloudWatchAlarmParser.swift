import Foundation

/// Reads the `Message` of an SNS Notification as a CloudWatch alarm.
///
/// Three outcomes, so the caller can tell them apart:
/// - `nil`: the Message is not JSON, not an object, or an object without `AlarmName`/`AlarmArn` — it is some other
///   notification; record it as unmatched.
/// - a ``CloudWatchAlarm``: a metric, metric math or composite alarm.
/// - ``IngestError``: it claims to be an alarm (has `AlarmName` or `AlarmArn`) but a field is missing or wrong; the
///   error names the field as `Message.<field>`.
public struct CloudWatchAlarmParser: Sendable {
    /// Creates a parser.
    public init() {}

    /// Parses `message`; see the type documentation for the three outcomes.
    public func parse(_ message: String) throws(IngestError) -> CloudWatchAlarm? {
        let bytes = Array(message.utf8)
        guard claimsToBeAlarm(bytes) else { return nil }
        let wire: CloudWatchAlarmWire
        do {
            wire = try StrictJSON().decode(CloudWatchAlarmWire.self, from: bytes)
        } catch {
            throw Self.inMessage(error)
        }
        return try build(wire)
    }

    /// Parses `message` and normalizes it; nil when it is not a CloudWatch alarm.
    public func normalizedAlert(message: String, subject: String?) throws(IngestError) -> NormalizedAlert? {
        try parse(message)?.normalizedAlert(subject: subject)
    }

    /// True when the text is a JSON object with a top-level `AlarmName` or `AlarmArn` key. Uses the lenient
    /// Foundation parser on purpose: an alarm with a duplicated key must still be recognised, then refused.
    private func claimsToBeAlarm(_ bytes: [UInt8]) -> Bool {
        guard let first = bytes.first(where: { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }), first == UInt8(ascii: "{"),
              let object = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any]
        else { return false }
        return object["AlarmName"] != nil || object["AlarmArn"] != nil
    }

    private func build(_ wire: CloudWatchAlarmWire) throws(IngestError) -> CloudWatchAlarm {
        let name = try Self.required(wire.alarmName, "AlarmName")
        let arnText = try Self.required(wire.alarmArn, "AlarmArn")
        guard let arn = AlarmARN(arnText) else {
            throw .invalidField(
                "Message.AlarmArn: \(quoted(arnText, limit: 200)) is not a CloudWatch alarm ARN "
                    + "(arn:<partition>:cloudwatch:<region>:<account>:alarm:<name>)"
            )
        }
        let stateText = try Self.required(wire.newStateValue, "NewStateValue")
        let status: AlertStatus
        switch stateText {
        case "ALARM": status = .firing
        case "OK": status = .resolved
        case "INSUFFICIENT_DATA": status = .insufficientData
        default:
            throw .invalidField("Message.NewStateValue: \(quoted(stateText)) must be ALARM, OK or INSUFFICIENT_DATA")
        }
        let changeText = try Self.required(wire.stateChangeTime, "StateChangeTime")
        guard let changeTime = CloudWatchTimestamp.parse(changeText) else {
            throw .invalidField("Message.StateChangeTime: \(quoted(changeText)) is not a time such as 2024-05-01T12:00:00.000+0000")
        }
        guard RFC3339.acceptedRange.contains(changeTime) else {
            throw .invalidField("Message.StateChangeTime: \(quoted(changeText)) must be \(RFC3339.acceptedYears)")
        }
        var alarm = CloudWatchAlarm(
            kind: .metric, name: name, description: wire.alarmDescription, accountId: wire.awsAccountId ?? arn.account,
            arn: arnText, partition: arn.partition, region: arn.region, regionName: wire.region, status: status,
            newStateValue: stateText, newStateReason: wire.newStateReason, oldStateValue: wire.oldStateValue,
            stateChangeTime: changeTime,
            configurationUpdatedAt: wire.alarmConfigurationUpdatedTimestamp.flatMap(CloudWatchTimestamp.parse)
                .flatMap { RFC3339.acceptedRange.contains($0) ? $0 : nil },
            metric: nil, comparisonOperator: nil, threshold: nil, period: nil, evaluationPeriods: nil,
            expression: nil, alarmRule: nil, triggeringChildren: []
        )
        switch (wire.trigger, wire.alarmRule) {
        case (nil, let rule?):
            guard !rule.isEmpty else { throw .invalidField("Message.AlarmRule: must not be empty") }
            alarm.kind = .composite
            alarm.alarmRule = rule
            alarm.triggeringChildren = (wire.triggeringChildren ?? []).map(\.arn)
        case (let trigger?, nil):
            try applyTrigger(trigger, to: &alarm)
        case (.some, .some):
            throw .invalidField("Message: has both Trigger (metric alarm) and AlarmRule (composite alarm); expected one")
        case (nil, nil):
            throw .invalidField(
                "Message: a CloudWatch alarm needs Trigger (metric or metric math alarm) or AlarmRule (composite alarm)"
            )
        }
        return alarm
    }

    private func applyTrigger(_ trigger: CloudWatchAlarmWire.Trigger, to alarm: inout CloudWatchAlarm) throws(IngestError) {
        alarm.comparisonOperator = trigger.comparisonOperator
        alarm.threshold = trigger.threshold
        alarm.period = trigger.period
        alarm.evaluationPeriods = trigger.evaluationPeriods
        if let queries = trigger.metrics {
            guard !queries.isEmpty else { throw .invalidField("Message.Trigger.Metrics: must not be empty") }
            for (index, query) in queries.enumerated() where (query.id ?? "").isEmpty {
                throw .invalidField("Message.Trigger.Metrics[\(index)].Id: required field is missing")
            }
            alarm.kind = .metricMath
            alarm.expression = queries.first(where: { $0.returnData == true && $0.expression != nil })?.expression
            let chosen = queries.firstIndex(where: { $0.returnData == true && $0.metricStat != nil })
                ?? queries.firstIndex(where: { $0.metricStat != nil })
            if let index = chosen, let stat = queries[index].metricStat {
                let path = "Message.Trigger.Metrics[\(index)].MetricStat.Metric"
                guard let metric = stat.metric else { throw .invalidField("\(path): required field is missing") }
                alarm.metric = .init(
                    namespace: try Self.required(metric.namespace, "Namespace", path: path),
                    name: try Self.required(metric.metricName, "MetricName", path: path),
                    statistic: stat.stat,
                    dimensions: (metric.dimensions ?? []).map { .init(name: $0.name, value: $0.value) }
                )
                alarm.period = alarm.period ?? stat.period
            }
            return
        }
        let path = "Message.Trigger"
        alarm.kind = .metric
        alarm.metric = .init(
            namespace: try Self.required(trigger.namespace, "Namespace", path: path),
            name: try Self.required(trigger.metricName, "MetricName", path: path),
            statistic: trigger.statistic ?? trigger.extendedStatistic,
            dimensions: (trigger.dimensions ?? []).map { .init(name: $0.name, value: $0.value) }
        )
    }

    private static func required(_ value: String?, _ field: String, path: String = "Message") throws(IngestError) -> String {
        try FieldText.required(value, "\(path).\(field)")
    }

    /// Re-roots decoding errors at `Message` so the sender sees `Message.Trigger.Period: expected a number`.
    private static func inMessage(_ error: IngestError) -> IngestError {
        switch error {
        case .invalidField(let text):
            if text.hasPrefix("body") { return .invalidField("Message" + text.dropFirst(4)) }
            return .invalidField("Message." + text)
        case .malformedJSON(let text):
            return .malformedJSON("Message: \(text)")
        default:
            return error
        }
    }
}

/// `arn:<partition>:cloudwatch:<region>:<account>:alarm:<name>`.
private struct AlarmARN {
    var partition: String
    var region: String
    var account: String

    init?(_ text: String) {
        let parts = text.split(separator: ":", maxSplits: 6, omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 7, parts[0] == "arn", parts[2] == "cloudwatch", parts[5] == "alarm",
              SNSTopicARN.isToken(parts[1]), SNSTopicARN.isToken(parts[3]), !parts[4].isEmpty, !parts[6].isEmpty
        else { return nil }
        partition = parts[1]
        region = parts[3]
        account = parts[4]
    }
}

/// CloudWatch writes times as `2024-05-01T12:00:00.000+0000` (offset without a colon); RFC 3339 forms also accepted.
enum CloudWatchTimestamp {
    /// The instant, or nil when `text` is neither form.
    static func parse(_ text: String) -> Date? {
        if let date = RFC3339.parse(text) { return date }
        let bytes = Array(text.utf8)
        guard bytes.count > 5 else { return nil }
        let sign = bytes[bytes.count - 5]
        guard sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") else { return nil }
        let withColon = String(text.dropLast(2)) + ":" + String(text.suffix(2))
        return RFC3339.parse(withColon)
    }
}
