import Foundation
import ResponderCore
import Testing

@Suite("plan support: templates, alert files, text rendering")
struct PlanSupportTests {
    typealias F = PlannerFixtures

    @Test("templates expand alert fields and nothing else")
    func templates() {
        let alert = F.alert("HighQueueDepth", labels: ["deployment": "$(id)"], annotations: ["summary": "queue high"])
        let template = AlertTemplate(alert: alert, playbook: "workers")
        #expect(template.render("${labels.alertname} on ${labels.deployment}: ${annotations.summary} [${alert.status}] by ${playbook}")
                == "HighQueueDepth on $(id): queue high [firing] by workers")
        #expect(template.render("${labels.missing}|${nonsense}|${unterminated") == "||${unterminated")
        #expect(template.render("no references") == "no references")
    }

    @Test("alert files: Alertmanager bodies, SNS deliveries and bare CloudWatch alarms")
    func alertFiles() throws {
        let am = try AlertFileReader.alerts(in: try Fixture.bytes("alertmanager/v4_adversarial_labels.json"))
        #expect(am.count == 10)
        let alarm = String(decoding: try Fixture.bytes("cloudwatch/metric-alarm.json"), as: UTF8.self)
        let bare = try AlertFileReader.alerts(in: Array(alarm.utf8))
        #expect(bare.first?.labels["alarm_name"] == "prod-api-high-cpu")
        let envelope: [String: String] = [
            "Type": "Notification", "MessageId": "m-1", "TopicArn": "arn:aws:sns:us-east-2:111122223333:alarms",
            "Message": alarm, "Timestamp": "2024-05-01T12:03:12.000Z", "SignatureVersion": "2", "Signature": "AA==",
            "SigningCertURL": "https://sns.us-east-2.amazonaws.com/x.pem",
        ]
        let sns = try AlertFileReader.alerts(in: Array(try JSONSerialization.data(withJSONObject: envelope)))
        #expect(sns.first?.source == .cloudwatch)
        #expect(throws: IngestError.self) { _ = try AlertFileReader.alerts(in: Array(#"{"hello":"world"}"#.utf8)) }
    }

    @Test("the text form names the alert, every playbook's verdict, and each step with its notes")
    func text() throws {
        let emergency = F.playbook(
            "workers", kind: .emergencyScale, alertname: "HighQueueDepth",
            actions: [.scale(target: "worker", change: .by(5))],
            ladder: .init(hold: .seconds(1800), every: .seconds(1800), levels: [("worker", [.replicas(4)])])
        )
        let other = F.playbook("api", kind: .emergencyScale, alertname: "TrafficSpike", actions: [])
        let plan = Planner.plan(PlanInput(
            alert: F.alert("HighQueueDepth"), playbooks: F.set([emergency, other], targets: [F.target("worker", floor: 2, ceiling: 20)]),
            replicas: ["worker": 4], now: F.now
        ))
        let text = PlanTextRenderer.render(plan)
        #expect(text.contains("Alert HighQueueDepth (alertmanager, firing, fingerprint 00aa)"))
        #expect(text.contains("MATCH workers (emergency-scale)"))
        #expect(text.contains("no    api: alertname=\"TrafficSpike\" did not match (alertname=\"HighQueueDepth\")"))
        #expect(text.contains("2026-01-01T00:00:00.000Z"))
        #expect(text.contains("scale worker: replicas 4 -> 9"))
        #expect(text.contains("(after the resolve)"))
        #expect(text.contains("resolve +30m"))
        #expect(text.contains("scale worker: replicas 9 -> 4"))
    }
}
