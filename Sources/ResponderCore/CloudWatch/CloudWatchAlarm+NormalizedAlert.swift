import Foundation

/// Mapping of a parsed alarm onto the source-independent alert shape.
extension CloudWatchAlarm {
    /// Maps the alarm to the source-independent shape matching and planning work on.
    ///
    /// - fingerprint: ``FNV1a/hex64(_:)`` of `AlarmArn` (stable per alarm across state changes).
    /// - status: `ALARM` firing, `OK` resolved, `INSUFFICIENT_DATA` insufficient data.
    /// - startsAt: `StateChangeTime` unless resolved; endsAt: `StateChangeTime` when resolved.
    /// - labels: `alertname` and `alarm_name` (AlarmName), `alarm_arn`, `alarm_type` (metric, metric_math, composite),
    ///   `account_id`, `region` (code from the ARN); for metric alarms `namespace`, `metric_name`, `statistic`,
    ///   `comparison_operator`, `threshold` (integers without `.0`), and `dimension_<Name>` per dimension (characters
    ///   other than letters, digits and `_` in the name become `_`); for composite alarms `alarm_rule`.
    /// - annotations: `description`, `new_state_reason`, `old_state`, `subject` (the SNS Subject), `region_name`,
    ///   `expression` (metric math), `triggering_children` (composite, comma-separated) — each only when present.
    /// - generatorURL: the alarm in the CloudWatch console of its region.
    /// - idempotencyKey: `cloudwatch:<AlarmArn>|<StateChangeTime as RFC 3339 UTC, ms>|<NewStateValue>`.
    public func normalizedAlert(subject: String?) -> NormalizedAlert {
        var labels: [String: String] = [
            "alertname": name,
            "alarm_name": name,
            "alarm_arn": arn,
            "alarm_type": kind.rawValue,
            "account_id": accountId,
            "region": region,
        ]
        if let metric {
            labels["namespace"] = metric.namespace
            labels["metric_name"] = metric.name
            if let statistic = metric.statistic { labels["statistic"] = statistic }
            for dimension in metric.dimensions {
                labels["dimension_" + Self.labelSafe(dimension.name)] = dimension.value
            }
        }
        if let comparisonOperator { labels["comparison_operator"] = comparisonOperator }
        if let threshold { labels["threshold"] = Self.format(threshold) }
        if let alarmRule { labels["alarm_rule"] = alarmRule }

        var annotations: [String: String] = [:]
        func annotate(_ key: String, _ value: String?) {
            if let value, !value.isEmpty { annotations[key] = value }
        }
        annotate("description", description)
        annotate("new_state_reason", newStateReason)
        annotate("old_state", oldStateValue)
        annotate("subject", subject)
        annotate("region_name", regionName)
        annotate("expression", expression)
        annotate("triggering_children", triggeringChildren.joined(separator: ","))

        return NormalizedAlert(
            source: .cloudwatch,
            fingerprint: FNV1a.hex64(arn),
            status: status,
            labels: labels,
            annotations: annotations,
            startsAt: status == .resolved ? nil : stateChangeTime,
            endsAt: status == .resolved ? stateChangeTime : nil,
            generatorURL: consoleURL,
            groupKey: nil,
            receiver: nil,
            idempotencyKey: "cloudwatch:\(arn)|\(RFC3339.format(stateChangeTime))|\(newStateValue)"
        )
    }

    /// The alarm's page in the CloudWatch console, e.g.
    /// `https://us-east-2.console.aws.amazon.com/cloudwatch/home?region=us-east-2#alarmsV2:alarm/High%20CPU`;
    /// nil for an unknown partition.
    public var consoleURL: String? {
        let domain: String
        switch partition {
        case "aws": domain = "console.aws.amazon.com"
        case "aws-cn": domain = "console.amazonaws.cn"
        case "aws-us-gov": domain = "console.amazonaws-us-gov.com"
        default: return nil
        }
        var allowed = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
        allowed.insert(charactersIn: "-._~")
        let encodedName = name.addingPercentEncoding(withAllowedCharacters: allowed) ?? name
        return "https://\(region).\(domain)/cloudwatch/home?region=\(region)#alarmsV2:alarm/\(encodedName)"
    }

    /// `80` for 80.0, `0.5` for 0.5.
    static func format(_ value: Double) -> String {
        if value.isFinite, value == value.rounded(), abs(value) < 1e15 {
            return String(Int64(value))
        }
        return String(value)
    }

    /// `name` with every character other than `A-Za-z0-9_` replaced by `_`.
    static func labelSafe(_ name: String) -> String {
        String(name.unicodeScalars.map { scalar -> Character in
            scalar.isASCII && FieldText.isAlphanumeric(UInt8(scalar.value)) || scalar == "_" ? Character(scalar) : "_"
        })
    }
}
