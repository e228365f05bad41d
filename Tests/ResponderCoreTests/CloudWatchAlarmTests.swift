import Foundation
import ResponderCore
import Testing

private func cloudWatchFixture(_ name: String) throws -> String {
    let directory = try #require(Bundle.module.url(forResource: "Fixtures", withExtension: nil))
    let url = directory.appendingPathComponent("cloudwatch").appendingPathComponent(name)
    return try String(contentsOf: url, encoding: .utf8)
}

private func date(_ text: String) throws -> Date {
    try #require(RFC3339.parse(text))
}

@Suite("CloudWatch alarm parsing and normalization")
struct CloudWatchAlarmTests {
    private let parser = CloudWatchAlarmParser()

    @Test func singleMetricAlarm() throws {
        let message = try cloudWatchFixture("metric-alarm.json")
        let subject = "ALARM: \"prod-api-high-cpu\" in US East (Ohio)"
        let alert = try #require(try parser.normalizedAlert(message: message, subject: subject))
        let arn = "arn:aws:cloudwatch:us-east-2:111122223333:alarm:prod-api-high-cpu"
        #expect(alert.source == .cloudwatch)
        #expect(alert.status == .firing)
        #expect(alert.fingerprint == FNV1a.hex64(arn))
        #expect(alert.fingerprint.count == 16)
        #expect(alert.labels == [
            "alertname": "prod-api-high-cpu",
            "alarm_name": "prod-api-high-cpu",
            "alarm_arn": arn,
            "alarm_type": "metric",
            "account_id": "111122223333",
            "region": "us-east-2",
            "namespace": "AWS/EC2",
            "metric_name": "CPUUtilization",
            "statistic": "AVERAGE",
            "comparison_operator": "GreaterThanThreshold",
            "threshold": "80",
            "dimension_InstanceId": "i-0abc123def4567890",
            "dimension_AutoScalingGroupName": "prod-api",
        ])
        #expect(alert.annotations["description"] == "CPU above 80% for 3 minutes on the API instance")
        #expect(alert.annotations["new_state_reason"]?.hasPrefix("Threshold Crossed: 3 out of the last 3") == true)
        #expect(alert.annotations["old_state"] == "OK")
        #expect(alert.annotations["subject"] == subject)
        #expect(alert.annotations["region_name"] == "US East (Ohio)")
        #expect(alert.startsAt == (try date("2024-05-01T12:03:11.552Z")))
        #expect(alert.endsAt == nil)
        #expect(alert.generatorURL == "https://us-east-2.console.aws.amazon.com/cloudwatch/home?region=us-east-2#alarmsV2:alarm/prod-api-high-cpu")
        #expect(alert.groupKey == nil && alert.receiver == nil)
        #expect(alert.idempotencyKey == "cloudwatch:\(arn)|2024-05-01T12:03:11.552Z|ALARM")
    }

    @Test func okIsResolvedWithEndsAt() throws {
        let alarm = try #require(try parser.parse(cloudWatchFixture("metric-alarm-ok.json")))
        let alert = alarm.normalizedAlert(subject: nil)
        #expect(alert.status == .resolved)
        #expect(alert.startsAt == nil)
        #expect(alert.endsAt == (try date("2024-05-01T12:21:04.007Z")))
        #expect(alert.labels["statistic"] == "p99")
        #expect(alert.labels["threshold"] == "1.5")
        #expect(alert.labels["dimension_LoadBalancer"] == "app/checkout-alb/50dc6c495c0c9188")
        #expect(alert.labels["region"] == "eu-west-1")
        #expect(alert.annotations["subject"] == nil)
        #expect(alert.idempotencyKey.hasSuffix("|2024-05-01T12:21:04.007Z|OK"))
    }

    @Test func insufficientData() throws {
        let alarm = try #require(try parser.parse(cloudWatchFixture("metric-alarm-insufficient-data.json")))
        let alert = alarm.normalizedAlert(subject: "INSUFFICIENT_DATA: \"orders-queue-depth\"")
        #expect(alert.status == .insufficientData)
        #expect(alarm.description == nil)
        #expect(alert.annotations["description"] == nil)
        #expect(alert.labels["threshold"] == "1000")
        #expect(alert.labels["dimension_QueueName"] == "orders")
        #expect(alert.idempotencyKey.hasSuffix("|INSUFFICIENT_DATA"))
    }

    @Test func metricMathAlarm() throws {
        let alarm = try #require(try parser.parse(cloudWatchFixture("metric-math-alarm.json")))
        #expect(alarm.kind == .metricMath)
        #expect(alarm.expression == "100*(m1/m2)")
        let alert = alarm.normalizedAlert(subject: nil)
        #expect(alert.labels["alarm_type"] == "metric_math")
        // No queried metric returns data, so the first MetricStat (m1) identifies the alarm.
        #expect(alert.labels["metric_name"] == "HTTPCode_Target_5XX_Count")
        #expect(alert.labels["namespace"] == "AWS/ApplicationELB")
        #expect(alert.labels["statistic"] == "Sum")
        #expect(alert.labels["dimension_LoadBalancer"] == "app/checkout-alb/50dc6c495c0c9188")
        #expect(alert.labels["threshold"] == "5")
        #expect(alert.labels["comparison_operator"] == "GreaterThanThreshold")
        #expect(alert.annotations["expression"] == "100*(m1/m2)")
        #expect(alert.status == .firing)
    }

    @Test func metricMathPrefersTheQueryThatReturnsData() throws {
        var object = try #require(try JSONSerialization.jsonObject(with: Data(cloudWatchFixture("metric-math-alarm.json").utf8)) as? [String: Any])
        var trigger = try #require(object["Trigger"] as? [String: Any])
        var metrics = try #require(trigger["Metrics"] as? [[String: Any]])
        metrics[0]["ReturnData"] = false
        metrics[2]["ReturnData"] = true
        trigger["Metrics"] = metrics
        object["Trigger"] = trigger
        let text = String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self)
        let alarm = try #require(try parser.parse(text))
        #expect(alarm.metric?.name == "RequestCount")
        #expect(alarm.expression == nil)
    }

    @Test func compositeAlarm() throws {
        let alarm = try #require(try parser.parse(cloudWatchFixture("composite-alarm.json")))
        #expect(alarm.kind == .composite)
        let alert = alarm.normalizedAlert(subject: nil)
        #expect(alert.labels["alarm_type"] == "composite")
        #expect(alert.labels["alarm_rule"] == "ALARM(\"checkout-5xx-rate\") AND ALARM(\"checkout-latency-p99\")")
        #expect(alert.labels["metric_name"] == nil && alert.labels["namespace"] == nil)
        #expect(alert.annotations["triggering_children"] == "arn:aws:cloudwatch:us-east-2:111122223333:alarm:checkout-5xx-rate")
        #expect(alert.status == .firing)
        #expect(alert.fingerprint == FNV1a.hex64("arn:aws:cloudwatch:us-east-2:111122223333:alarm:checkout-degraded"))
    }

    @Test(arguments: [
        "Hello world",
        "",
        "[1,2,3]",
        "\"just a string\"",
        #"{"Records":[{"eventSource":"aws:s3"}]}"#,
        #"{"version":"0","detail-type":"CloudWatch Alarm State Change","detail":{"alarmName":"x"}}"#,
        "{ not json",
    ])
    func notAnAlarmIsNil(message: String) throws {
        #expect(try parser.parse(message) == nil)
    }

    @Test(arguments: [
        (#""NewStateValue": "ALARM""#, #""NewStateValue": "MAYBE""#, "Message.NewStateValue"),
        (#""NewStateValue": "ALARM""#, #""NewStateValue": 1"#, "Message.NewStateValue"),
        (#""StateChangeTime": "2024-05-01T12:03:11.552+0000""#, #""StateChangeTime": "yesterday""#, "Message.StateChangeTime"),
        (#""AlarmArn": "arn:aws:cloudwatch:us-east-2:111122223333:alarm:prod-api-high-cpu""#, #""AlarmArn": "prod-api-high-cpu""#, "Message.AlarmArn"),
        (#""AlarmArn": "arn:aws:cloudwatch:us-east-2:111122223333:alarm:prod-api-high-cpu","#, "", "Message.AlarmArn"),
        (#""Period": 60"#, #""Period": "sixty""#, "Message.Trigger.Period"),
        (#""MetricName": "CPUUtilization","#, "", "Message.Trigger.MetricName"),
        (#""OldStateValue": "OK","#, #""OldStateValue": "OK", "AlarmRule": "TRUE","#, "Message: has both"),
        (#""name": "InstanceId""#, #""nom": "InstanceId""#, "Message.Trigger.Dimensions[0].Name"),
    ])
    func brokenAlarmThrowsNamingTheField(original: String, replacement: String, field: String) throws {
        let fixture = try cloudWatchFixture("metric-alarm.json")
        #expect(fixture.contains(original))
        let broken = fixture.replacingOccurrences(of: original, with: replacement)
        let error = #expect(throws: IngestError.self) { try parser.parse(broken) }
        guard case .invalidField(let text) = error else { Issue.record("wrong error \(String(describing: error))"); return }
        #expect(text.hasPrefix(field), "\(text)")
    }

    @Test func alarmWithoutTriggerOrRuleThrows() throws {
        let message = #"{"AlarmName":"x","AlarmArn":"arn:aws:cloudwatch:us-east-1:111122223333:alarm:x","NewStateValue":"ALARM","StateChangeTime":"2024-05-01T12:00:00.000+0000"}"#
        #expect(throws: IngestError.self) { try parser.parse(message) }
    }

    @Test func alarmWithDuplicateKeyIsRefusedNotIgnored() {
        let message = #"{"AlarmName":"x","NewStateValue":"OK","NewStateValue":"ALARM"}"#
        let error = #expect(throws: IngestError.self) { try parser.parse(message) }
        guard case .malformedJSON(let text) = error else { Issue.record("wrong error \(String(describing: error))"); return }
        #expect(text.contains("duplicate key"))
    }

    @Test func dimensionNamesBecomeSafeLabelNames() throws {
        let message = try cloudWatchFixture("metric-alarm.json")
            .replacingOccurrences(of: #""name": "AutoScalingGroupName""#, with: #""name": "aws:autoscaling.group-name_x""#)
        let alert = try #require(try parser.normalizedAlert(message: message, subject: nil))
        #expect(alert.labels["dimension_aws_autoscaling_group_name_x"] == "prod-api")
        #expect(alert.labels["dimension_AutoScalingGroupName"] == nil)
    }

    @Test func fnv1aKnownVectors() {
        #expect(FNV1a.hex64("") == "cbf29ce484222325")
        #expect(FNV1a.hex64("a") == "af63dc4c8601ec8c")
        #expect(FNV1a.hex64("foobar") == "85944171f73967e8")
    }

    @Test func consoleURLEncodesTheNameAndFollowsPartition() throws {
        let message = try cloudWatchFixture("metric-alarm.json")
            .replacingOccurrences(of: "alarm:prod-api-high-cpu", with: "alarm:High CPU/api")
            .replacingOccurrences(of: "arn:aws:cloudwatch:us-east-2", with: "arn:aws-cn:cloudwatch:cn-north-1")
        let alarm = try #require(try parser.parse(message))
        #expect(alarm.consoleURL == "https://cn-north-1.console.amazonaws.cn/cloudwatch/home?region=cn-north-1#alarmsV2:alarm/prod-api-high-cpu")
        let renamed = try cloudWatchFixture("metric-alarm.json")
            .replacingOccurrences(of: #""AlarmName": "prod-api-high-cpu""#, with: #""AlarmName": "High CPU/api""#)
        let other = try #require(try parser.parse(renamed))
        #expect(other.consoleURL?.hasSuffix("#alarmsV2:alarm/High%20CPU%2Fapi") == true)
    }
}
