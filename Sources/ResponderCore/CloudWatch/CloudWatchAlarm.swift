import Foundation

/// A CloudWatch alarm state change, as carried in the `Message` of an SNS Notification.
///
/// Produced by ``CloudWatchAlarmParser``; turned into a ``NormalizedAlert`` by ``normalizedAlert(subject:)``.
public struct CloudWatchAlarm: Sendable, Equatable {
    /// Which of the three alarm shapes this is.
    public enum Kind: String, Sendable, Equatable, CaseIterable {
        /// One metric: `Trigger.MetricName`, `Trigger.Namespace`, `Trigger.Dimensions`.
        case metric
        /// Metric math: `Trigger.Metrics` (metric queries and expressions).
        case metricMath = "metric_math"
        /// Composite: `AlarmRule` over other alarms, no `Trigger`.
        case composite
    }

    /// One `{name, value}` dimension of a metric.
    public struct Dimension: Sendable, Equatable {
        /// Dimension name, e.g. `InstanceId`.
        public var name: String
        /// Dimension value, e.g. `i-0123456789abcdef0`.
        public var value: String

        /// Creates a dimension.
        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    /// The metric that identifies the alarm: the single metric, or for metric math the queried metric chosen by
    /// ``CloudWatchAlarmParser`` (the one with `ReturnData: true`, else the first with a `MetricStat`).
    public struct Metric: Sendable, Equatable {
        /// e.g. `AWS/EC2`.
        public var namespace: String
        /// e.g. `CPUUtilization`.
        public var name: String
        /// `Statistic`, `ExtendedStatistic` (e.g. `p99`) or the metric math `Stat`; nil when absent.
        public var statistic: String?
        /// Dimensions in the order sent.
        public var dimensions: [Dimension]

        /// Creates a metric description.
        public init(namespace: String, name: String, statistic: String?, dimensions: [Dimension]) {
            self.namespace = namespace
            self.name = name
            self.statistic = statistic
            self.dimensions = dimensions
        }
    }

    /// Alarm shape.
    public var kind: Kind
    /// `AlarmName`.
    public var name: String
    /// `AlarmDescription` (null in many payloads).
    public var description: String?
    /// `AWSAccountId` (falls back to the account in the alarm ARN).
    public var accountId: String
    /// `AlarmArn`, `arn:<partition>:cloudwatch:<region>:<account>:alarm:<name>`.
    public var arn: String
    /// ARN partition (`aws`, `aws-cn`, `aws-us-gov`).
    public var partition: String
    /// Region code taken from the alarm ARN, e.g. `us-east-2`.
    public var region: String
    /// `Region` as sent: a display name such as `US East (Ohio)`.
    public var regionName: String?
    /// `NewStateValue` mapped: `ALARM` firing, `OK` resolved, `INSUFFICIENT_DATA` insufficient data.
    public var status: AlertStatus
    /// `NewStateValue` as sent.
    public var newStateValue: String
    /// `NewStateReason`.
    public var newStateReason: String?
    /// `OldStateValue`.
    public var oldStateValue: String?
    /// `StateChangeTime` parsed.
    public var stateChangeTime: Date
    /// `AlarmConfigurationUpdatedTimestamp` parsed, when present and readable.
    public var configurationUpdatedAt: Date?
    /// The identifying metric (metric and metric math alarms; nil for composite, or math without a queried metric).
    public var metric: Metric?
    /// `Trigger.ComparisonOperator`.
    public var comparisonOperator: String?
    /// `Trigger.Threshold` (absent for anomaly detection bands).
    public var threshold: Double?
    /// `Trigger.Period` in seconds (metric alarms) or of the chosen `MetricStat`.
    public var period: Int?
    /// `Trigger.EvaluationPeriods`.
    public var evaluationPeriods: Int?
    /// The returned expression of a metric math alarm, e.g. `m1/m2*100`.
    public var expression: String?
    /// `AlarmRule` of a composite alarm.
    public var alarmRule: String?
    /// ARNs (or names) of `TriggeringChildren` of a composite alarm.
    public var triggeringChildren: [String]

    /// Creates an alarm from parsed parts.
    public init(
        kind: Kind, name: String, description: String?, accountId: String, arn: String, partition: String,
        region: String, regionName: String?, status: AlertStatus, newStateValue: String, newStateReason: String?,
        oldStateValue: String?, stateChangeTime: Date, configurationUpdatedAt: Date?, metric: Metric?,
        comparisonOperator: String?, threshold: Double?, period: Int?, evaluationPeriods: Int?, expression: String?,
        alarmRule: String?, triggeringChildren: [String]
    ) {
        self.kind = kind
        self.name = name
        self.description = description
        self.accountId = accountId
        self.arn = arn
        self.partition = partition
        self.region = region
        self.regionName = regionName
        self.status = status
        self.newStateValue = newStateValue
        self.newStateReason = newStateReason
        self.oldStateValue = oldStateValue
        self.stateChangeTime = stateChangeTime
        self.configurationUpdatedAt = configurationUpdatedAt
        self.metric = metric
        self.comparisonOperator = comparisonOperator
        self.threshold = threshold
        self.period = period
        self.evaluationPeriods = evaluationPeriods
        self.expression = expression
        self.alarmRule = alarmRule
        self.triggeringChildren = triggeringChildren
    }
}
