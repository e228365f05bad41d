import Foundation
import ResponderCore
import Testing

/// Numbers and times decoded from alert payloads are range-checked: a value outside its range is a 400 naming the
/// field, never a trap later.
@Suite("Ranges: numbers and times in alert payloads")
struct IngestRangeTests {
    private let alertmanager = AlertmanagerDecoder()
    private let cloudWatch = CloudWatchAlarmParser()

    // MARK: - RFC 3339

    @Test("alert times are accepted from 1970 to 9999 and refused outside", arguments: [
        ("1970-01-01T00:00:00Z", true), ("1969-12-31T23:59:59.999Z", false), ("1970-01-01T00:30:00+01:00", false),
        ("9999-12-31T23:59:59.999Z", true), ("0001-01-01T00:00:00Z", false),
    ])
    func acceptedRange(_ text: String, _ accepted: Bool) {
        #expect(RFC3339.parse(text) != nil, "well-formed either way")
        #expect((RFC3339.parseAccepted(text) != nil) == accepted)
    }

    @Test("a time whose UTC instant falls past 9999 is not parsed at all: it could not be written back")
    func pastYear9999() {
        #expect(RFC3339.parse("9999-12-31T23:59:59-00:01") == nil)
        #expect(RFC3339.parseAccepted("9999-12-31T23:59:59-00:01") == nil)
    }

    @Test("a fraction of 100,000 digits parses without trapping")
    func longFraction() throws {
        let text = "2026-01-01T00:00:00." + String(repeating: "9", count: 100_000) + "Z"
        let date = try #require(RFC3339.parse(text))
        #expect(abs(date.timeIntervalSince1970 - 1_767_225_601) < 0.001)
    }

    @Test("formatting an instant no parse produces is clamped to years 0000 and 9999, never a trap", arguments: [
        (1e300, "9999-12-31T23:59:59.999Z"), (Double.infinity, "9999-12-31T23:59:59.999Z"),
        (-1e300, "0000-01-01T00:00:00.000Z"), (Double.nan, "0000-01-01T00:00:00.000Z"),
        (253_402_300_799.999, "9999-12-31T23:59:59.999Z"),
    ])
    func formatClamps(_ seconds: Double, _ expected: String) {
        #expect(RFC3339.format(Date(timeIntervalSince1970: seconds)) == expected)
    }

    // MARK: - Alertmanager

    private func alertmanagerBody(startsAt: String = "2026-01-01T00:00:00Z", extra: String = "") -> [UInt8] {
        Array(#"{"version":"4","status":"firing","receiver":"r"\#(extra),"alerts":[{"labels":{"alertname":"A"},"startsAt":"\#(startsAt)"}]}"#.utf8)
    }

    @Test("Alertmanager numbers and times out of range are 400s naming the field", arguments: [
        (#"2026-01-01T00:00:00Z"#, #","truncatedAlerts":-1"#, "truncatedAlerts: must be a whole number from 0 to 1,000,000,000 (not -1)"),
        (#"2026-01-01T00:00:00Z"#, #","truncatedAlerts":1000000001"#, "truncatedAlerts: must be a whole number from 0 to 1,000,000,000"),
        (#"2026-01-01T00:00:00Z"#, #","truncatedAlerts":99999999999999999999"#, "truncatedAlerts: must be a whole number from 0 to 1,000,000,000 (not 1e+20)"),
        (#"2026-01-01T00:00:00Z"#, #","truncatedAlerts":2.5"#, "truncatedAlerts: must be a whole number from 0 to 1,000,000,000 (not 2.5)"),
        // Beyond Double, the strict JSON check refuses the body at the number's offset.
        (#"2026-01-01T00:00:00Z"#, #","truncatedAlerts":1e400"#, "number out of range at byte 66"),
        (#"1969-12-31T23:59:59Z"#, "", "alerts[0].startsAt: must be between the years 1970 and 9999"),
        (#"0001-01-01T00:00:00Z"#, "", "alerts[0].startsAt: must be between the years 1970 and 9999"),
    ])
    func alertmanagerRefuses(_ startsAt: String, _ extra: String, _ expected: String) {
        #expect {
            _ = try alertmanager.decode(alertmanagerBody(startsAt: startsAt, extra: extra))
        } throws: { error in
            guard let error = error as? IngestError else { return false }
            return error.httpStatus == 400 && error.message.contains(expected)
        }
    }

    @Test("Alertmanager at the edges: the epoch, year 9999, 1,000,000,000 truncated alerts")
    func alertmanagerAccepts() throws {
        let first = try alertmanager.decode(alertmanagerBody(startsAt: "1970-01-01T00:00:00Z", extra: #","truncatedAlerts":1000000000"#))
        #expect(first.alerts.first?.startsAt == Date(timeIntervalSince1970: 0))
        #expect(first.payload.truncatedAlerts == 1_000_000_000)
        let last = try alertmanager.decode(alertmanagerBody(startsAt: "9999-12-31T23:59:59.999Z"))
        #expect(last.alerts.first?.idempotencyKey.contains("9999-12-31T23:59:59.999Z") == true)
    }

    // MARK: - CloudWatch

    private func alarm(replacing original: String, with replacement: String) throws -> String {
        let directory = try #require(Bundle.module.url(forResource: "Fixtures", withExtension: nil))
        let fixture = try String(contentsOf: directory.appendingPathComponent("cloudwatch/metric-alarm.json"), encoding: .utf8)
        #expect(fixture.contains(original))
        return fixture.replacingOccurrences(of: original, with: replacement)
    }

    @Test("CloudWatch numbers and times out of range are refused naming the field", arguments: [
        (#""Period": 60"#, #""Period": 604801"#, "Message.Trigger.Period: must be a whole number from 1 to 604,800 (not 604801)"),
        (#""Period": 60"#, #""Period": 0"#, "Message.Trigger.Period: must be a whole number from 1 to 604,800 (not 0)"),
        (#""Period": 60"#, #""Period": 60.5"#, "Message.Trigger.Period: must be a whole number from 1 to 604,800 (not 60.5)"),
        (#""Period": 60"#, #""Period": 99999999999999999999"#, "Message.Trigger.Period: must be a whole number from 1 to 604,800 (not 1e+20)"),
        (#""EvaluationPeriods": 3"#, #""EvaluationPeriods": 604801"#, "Message.Trigger.EvaluationPeriods: must be a whole number from 1 to 604,800"),
        (#""EvaluationPeriods": 3"#, #""EvaluationPeriods": -1"#, "Message.Trigger.EvaluationPeriods: must be a whole number from 1 to 604,800"),
        (#""StateChangeTime": "2024-05-01T12:03:11.552+0000""#, #""StateChangeTime": "1969-12-31T23:59:59.000+0000""#,
         "Message.StateChangeTime: \"1969-12-31T23:59:59.000+0000\" must be between the years 1970 and 9999"),
    ])
    func cloudWatchRefuses(_ original: String, _ replacement: String, _ expected: String) throws {
        let broken = try alarm(replacing: original, with: replacement)
        let error = #expect(throws: IngestError.self) { try cloudWatch.parse(broken) }
        guard case .invalidField(let text) = error else { Issue.record("wrong error \(String(describing: error))"); return }
        #expect(text.hasPrefix(expected), "\(text)")
    }

    @Test("a Threshold beyond Double (1e400) makes the message unreadable as an alarm: not one, and no trap")
    func thresholdBeyondDouble() throws {
        #expect(try cloudWatch.parse(try alarm(replacing: #""Threshold": 80.0"#, with: #""Threshold": 1e400"#)) == nil)
    }

    @Test("a metric query's MetricStat.Period is held to the same range")
    func metricStatPeriod() throws {
        let directory = try #require(Bundle.module.url(forResource: "Fixtures", withExtension: nil))
        let fixture = try String(contentsOf: directory.appendingPathComponent("cloudwatch/metric-math-alarm.json"), encoding: .utf8)
        // Only the periods of the metric stats (indented under "MetricStat"), not the trigger's own.
        let nested = "          \"Period\": 60,"
        #expect(fixture.contains(nested))
        let broken = fixture.replacingOccurrences(of: nested, with: "          \"Period\": 604801,")
        let error = #expect(throws: IngestError.self) { try cloudWatch.parse(broken) }
        guard case .invalidField(let text) = error else { Issue.record("wrong error \(String(describing: error))"); return }
        #expect(text.hasPrefix("Message.Trigger.Metrics[1].MetricStat.Period: must be a whole number from 1 to 604,800 (not 604801)"), "\(text)")
    }

    @Test("CloudWatch at the edges: a seven-day period, 604,800 evaluation periods, year 9999")
    func cloudWatchAccepts() throws {
        var message = try alarm(replacing: #""Period": 60"#, with: #""Period": 604800"#)
        message = message.replacingOccurrences(of: #""EvaluationPeriods": 3"#, with: #""EvaluationPeriods": 604800"#)
        message = message.replacingOccurrences(of: "2024-05-01T12:03:11.552+0000", with: "9999-12-31T23:59:59.999+0000")
        let parsed = try #require(try cloudWatch.parse(message))
        #expect(parsed.period == 604_800 && parsed.evaluationPeriods == 604_800)
        #expect(RFC3339.format(parsed.stateChangeTime) == "9999-12-31T23:59:59.999Z")
    }

    // MARK: - SNS

    private func snsBody(timestamp: String) throws -> [UInt8] {
        let fields: [String: Any] = [
            "Type": "Notification", "MessageId": "m-1", "TopicArn": "arn:aws:sns:us-east-2:111122223333:alarms",
            "Message": "hi", "Timestamp": timestamp, "SignatureVersion": "1", "Signature": "AAAA",
            "SigningCertURL": "https://sns.us-east-2.amazonaws.com/SimpleNotificationService-x.pem",
        ]
        return Array(try JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys]))
    }

    @Test("an SNS Timestamp outside 1970–9999 is a 400 naming Timestamp; the edges are accepted")
    func snsTimestamp() throws {
        #expect(throws: IngestError.invalidField("Timestamp: \"1969-12-31T23:59:59.999Z\" must be between the years 1970 and 9999")) {
            try SNSMessage.decode(try snsBody(timestamp: "1969-12-31T23:59:59.999Z"))
        }
        #expect(try SNSMessage.decode(try snsBody(timestamp: "1970-01-01T00:00:00.000Z")).timestamp == Date(timeIntervalSince1970: 0))
        #expect(try SNSMessage.decode(try snsBody(timestamp: "9999-12-31T23:59:59.999Z")).timestampText == "9999-12-31T23:59:59.999Z")
    }

    @Test("the freshness message of a policy with an infinite age says so without trapping")
    func freshnessWithoutTrap() {
        let policy = SNSPolicy(allowedRegions: ["us-east-1"], allowedTopicArns: ["arn:aws:sns:us-east-1:1:t"], maxMessageAge: -.infinity)
        #expect(throws: IngestError.self) {
            try policy.checkFreshness(timestamp: Date(timeIntervalSince1970: 0), now: Date(timeIntervalSince1970: 253_402_300_799))
        }
    }
}
