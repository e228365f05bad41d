/// The alarm JSON as CloudWatch sends it. Every field is optional so that the parser can name what is missing;
/// a field of the wrong type still fails decoding with its path.
struct CloudWatchAlarmWire: Decodable {
    /// `AlarmName`.
    var alarmName: String?
    /// `AlarmDescription`.
    var alarmDescription: String?
    /// `AWSAccountId`.
    var awsAccountId: String?
    /// `AlarmConfigurationUpdatedTimestamp`.
    var alarmConfigurationUpdatedTimestamp: String?
    /// `NewStateValue`.
    var newStateValue: String?
    /// `NewStateReason`.
    var newStateReason: String?
    /// `StateChangeTime`.
    var stateChangeTime: String?
    /// `Region`.
    var region: String?
    /// `AlarmArn`.
    var alarmArn: String?
    /// `OldStateValue`.
    var oldStateValue: String?
    /// `Trigger`.
    var trigger: Trigger?
    /// `AlarmRule`.
    var alarmRule: String?
    /// `TriggeringChildren`.
    var triggeringChildren: [Child]?

    /// The JSON names.
    enum CodingKeys: String, CodingKey {
        case alarmName = "AlarmName", alarmDescription = "AlarmDescription", awsAccountId = "AWSAccountId"
        case alarmConfigurationUpdatedTimestamp = "AlarmConfigurationUpdatedTimestamp"
        case newStateValue = "NewStateValue", newStateReason = "NewStateReason", stateChangeTime = "StateChangeTime"
        case region = "Region", alarmArn = "AlarmArn", oldStateValue = "OldStateValue", trigger = "Trigger"
        case alarmRule = "AlarmRule", triggeringChildren = "TriggeringChildren"
    }

    /// `Period` (here and in `MetricStat`), in seconds: CloudWatch's whole evaluation window is at most seven days.
    static let periods: ClosedRange<Int> = 1...604_800
    /// `EvaluationPeriods`: at least one, and no more than seven days of one-second periods.
    static let evaluationPeriods: ClosedRange<Int> = 1...604_800

    /// `Trigger` of a metric or metric math alarm.
    struct Trigger: Decodable {
        /// `MetricName`.
        var metricName: String?
        /// `Namespace`.
        var namespace: String?
        /// `Statistic`.
        var statistic: String?
        /// `ExtendedStatistic`.
        var extendedStatistic: String?
        /// `Dimensions`.
        var dimensions: [Dimension]?
        /// `Period`.
        var period: Int?
        /// `EvaluationPeriods`.
        var evaluationPeriods: Int?
        /// `ComparisonOperator`.
        var comparisonOperator: String?
        /// `Threshold`.
        var threshold: Double?
        /// `Metrics`.
        var metrics: [MetricQuery]?

        /// The JSON names.
        enum CodingKeys: String, CodingKey {
            case metricName = "MetricName", namespace = "Namespace", statistic = "Statistic"
            case extendedStatistic = "ExtendedStatistic", dimensions = "Dimensions", period = "Period"
            case evaluationPeriods = "EvaluationPeriods", comparisonOperator = "ComparisonOperator"
            case threshold = "Threshold", metrics = "Metrics"
        }

        /// Decodes a trigger; `Period` and `EvaluationPeriods` must be whole numbers in their ranges, or the error
        /// names them.
        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            metricName = try container.decodeIfPresent(String.self, forKey: .metricName)
            namespace = try container.decodeIfPresent(String.self, forKey: .namespace)
            statistic = try container.decodeIfPresent(String.self, forKey: .statistic)
            extendedStatistic = try container.decodeIfPresent(String.self, forKey: .extendedStatistic)
            dimensions = try container.decodeIfPresent([Dimension].self, forKey: .dimensions)
            period = try container.decodeWholeNumber(forKey: .period, in: CloudWatchAlarmWire.periods)
            evaluationPeriods = try container.decodeWholeNumber(forKey: .evaluationPeriods, in: CloudWatchAlarmWire.evaluationPeriods)
            comparisonOperator = try container.decodeIfPresent(String.self, forKey: .comparisonOperator)
            threshold = try container.decodeIfPresent(Double.self, forKey: .threshold)
            metrics = try container.decodeIfPresent([MetricQuery].self, forKey: .metrics)
        }
    }

    /// `{"name": ..., "value": ...}` as in real SNS payloads; `Name`/`Value` also accepted.
    struct Dimension: Decodable {
        /// Dimension name.
        var name: String
        /// Dimension value.
        var value: String

        /// Decodes either spelling of the keys.
        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: AnyKey.self)
            name = try Self.string(container, "name", "Name")
            value = try Self.string(container, "value", "Value")
        }

        private static func string(_ container: KeyedDecodingContainer<AnyKey>, _ lower: String, _ upper: String) throws -> String {
            if let value = try container.decodeIfPresent(String.self, forKey: AnyKey(lower)) { return value }
            return try container.decode(String.self, forKey: AnyKey(upper))
        }
    }

    /// One entry of `Trigger.Metrics`.
    struct MetricQuery: Decodable {
        /// `Id`.
        var id: String?
        /// `Expression`.
        var expression: String?
        /// `MetricStat`.
        var metricStat: MetricStat?
        /// `Label`.
        var label: String?
        /// `ReturnData`.
        var returnData: Bool?

        /// The JSON names.
        enum CodingKeys: String, CodingKey {
            case id = "Id", expression = "Expression", metricStat = "MetricStat", label = "Label"
            case returnData = "ReturnData"
        }
    }

    /// `MetricStat` of a metric query.
    struct MetricStat: Decodable {
        /// `Metric`.
        var metric: Metric?
        /// `Period`.
        var period: Int?
        /// `Stat`.
        var stat: String?

        /// The JSON names.
        enum CodingKeys: String, CodingKey {
            case metric = "Metric", period = "Period", stat = "Stat"
        }

        /// Decodes a metric stat; `Period` must be a whole number in its range, or the error names it.
        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            metric = try container.decodeIfPresent(Metric.self, forKey: .metric)
            period = try container.decodeWholeNumber(forKey: .period, in: CloudWatchAlarmWire.periods)
            stat = try container.decodeIfPresent(String.self, forKey: .stat)
        }
    }

    /// `MetricStat.Metric`.
    struct Metric: Decodable {
        /// `Namespace`.
        var namespace: String?
        /// `MetricName`.
        var metricName: String?
        /// `Dimensions`.
        var dimensions: [Dimension]?

        /// The JSON names.
        enum CodingKeys: String, CodingKey {
            case namespace = "Namespace", metricName = "MetricName", dimensions = "Dimensions"
        }
    }

    /// A triggering child: an ARN string (as documented) or `{"Arn": ..., "State": {...}}` (as sent).
    struct Child: Decodable {
        /// The child alarm's ARN (or name).
        var arn: String

        /// Decodes either form.
        init(from decoder: any Decoder) throws {
            if let text = try? decoder.singleValueContainer().decode(String.self) {
                arn = text
                return
            }
            let container = try decoder.container(keyedBy: AnyKey.self)
            arn = try container.decode(String.self, forKey: AnyKey("Arn"))
        }
    }

    /// A coding key for any string.
    struct AnyKey: CodingKey {
        /// The key.
        var stringValue: String
        /// Never an index.
        var intValue: Int? { nil }

        /// The key `string`.
        init(_ string: String) {
            stringValue = string
        }

        /// The key `stringValue`.
        init?(stringValue: String) {
            self.stringValue = stringValue
        }

        /// Not supported: object keys only.
        init?(intValue: Int) {
            return nil
        }
    }
}
