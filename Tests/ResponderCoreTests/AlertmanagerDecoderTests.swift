import Foundation
import ResponderCore
import Testing

@Suite("Alertmanager v4 decoding")
struct AlertmanagerDecoderTests {
    let decoder = AlertmanagerDecoder()

    @Test("a firing alert is normalized")
    func firing() throws {
        let (payload, alerts) = try decoder.decode(try Fixture.bytes("alertmanager/v4_firing_minimal.json"))
        #expect(payload.receiver == "scaler")
        let alert = try #require(alerts.first)
        #expect(alerts.count == 1)
        #expect(alert.source == .alertmanager)
        #expect(alert.status == .firing)
        #expect(alert.fingerprint == "a1b2c3d4e5f60718")
        #expect(alert.labels["deployment"] == "worker")
        #expect(alert.annotations["summary"] == "queue depth high")
        #expect(alert.startsAt == RFC3339.parse("2026-01-01T00:00:00Z"))
        #expect(alert.endsAt == nil, "Go's zero time means not ended")
        #expect(alert.groupKey == #"{}/{severity="critical"}:{alertname="HighQueueDepth"}"#)
        #expect(alert.receiver == "scaler")
        #expect(alert.generatorURL == "http://prometheus:9090/graph?g0.expr=queue_depth+%3E+1000")
        #expect(alert.idempotencyKey == "alertmanager:a1b2c3d4e5f60718|2026-01-01T00:00:00.000Z|firing")
    }

    @Test("the resolved notification of the same alert has another idempotency key and an end")
    func resolved() throws {
        let firing = try decoder.decode(try Fixture.bytes("alertmanager/v4_firing_minimal.json")).alerts[0]
        let resolved = try decoder.decode(try Fixture.bytes("alertmanager/v4_resolved_minimal.json")).alerts[0]
        #expect(resolved.status == .resolved)
        #expect(resolved.fingerprint == firing.fingerprint)
        #expect(resolved.endsAt == RFC3339.parse("2026-01-01T00:10:00Z"))
        #expect(resolved.idempotencyKey != firing.idempotencyKey)
    }

    @Test("hostile label values are kept as data, byte for byte")
    func adversarial() throws {
        let (_, alerts) = try decoder.decode(try Fixture.bytes("alertmanager/v4_adversarial_labels.json"))
        let values = alerts.map { $0.labels["deployment"] ?? "" }
        #expect(alerts.count == 10)
        #expect(values.contains("worker; rm -rf /"))
        #expect(values.contains("$(id)"))
        #expect(values.contains("worker\nkubectl delete ns prod"))
        #expect(values.contains("w\u{202E}orker"))
        #expect(values.contains { $0.count > 5000 })
        #expect(Set(alerts.map(\.idempotencyKey)).count == 10)
    }

    @Test("a body whose meaning depends on a duplicated key is refused")
    func duplicateKey() {
        #expect {
            _ = try decoder.decode(try Fixture.bytes("alertmanager/v4_duplicate_status_key.json"))
        } throws: { error in
            guard case IngestError.malformedJSON(let message) = error else { return false }
            return message.contains("duplicate key \"status\"")
        }
    }

    @Test("a legacy payload without version is refused, naming the field")
    func legacy() {
        #expect {
            _ = try decoder.decode(try Fixture.bytes("alertmanager/imgix_alert_payload.json"))
        } throws: { error in
            (error as? IngestError) == .invalidField("version: required field is missing")
        }
    }

    @Test("alerts without status or fingerprint inherit the group status and get Alertmanager's fingerprint")
    func msteamsShape() throws {
        let (_, alerts) = try decoder.decode(try Fixture.bytes("alertmanager/msteams_prom_post_request.json"))
        #expect(!alerts.isEmpty)
        for alert in alerts {
            #expect(alert.status == .firing)
            #expect(alert.fingerprint == AlertmanagerFingerprint.of(alert.labels))
            #expect(alert.fingerprint.count == 16)
        }
    }

    @Test("Alertmanager's fingerprint: FNV-1a 64 over sorted names and values with 0xFF separators")
    func fingerprint() {
        // Independent computation of the same definition for {a="b"}: bytes "a" 0xFF "b" 0xFF.
        var hash: UInt64 = 14_695_981_039_346_656_037
        for byte: UInt8 in [0x61, 0xFF, 0x62, 0xFF] {
            hash ^= UInt64(byte)
            hash &*= 1_099_511_628_211
        }
        #expect(AlertmanagerFingerprint.of(["a": "b"]) == String(format: "%016llx", hash))
        #expect(AlertmanagerFingerprint.of([:]) == "cbf29ce484222325")
        // Read back from Debian's prometheus-alertmanager after `amtool alert add HighQueueDepth severity=critical
        // namespace=prod deployment=worker` (GET /api/v2/alerts).
        let real = ["alertname": "HighQueueDepth", "severity": "critical", "namespace": "prod", "deployment": "worker"]
        #expect(AlertmanagerFingerprint.of(real) == "016f2fa7c512cde9")
        #expect(AlertmanagerFingerprint.of(["b": "1", "a": "2"]) == AlertmanagerFingerprint.of(["a": "2", "b": "1"]))
        #expect(AlertmanagerFingerprint.of(["a": "bc"]) != AlertmanagerFingerprint.of(["ab": "c"]))
    }

    @Test("bad payloads are refused with a message naming what is wrong", arguments: [
        (#"{"version":"3","status":"firing","receiver":"r","alerts":[]}"#, "only version \"4\" is accepted"),
        (#"{"version":4,"status":"firing","receiver":"r","alerts":[]}"#, "version: expected a string"),
        (#"{"version":"4","status":"firing","receiver":"r"}"#, "alerts: required field is missing"),
        (#"{"version":"4","status":"pending","receiver":"r","alerts":[]}"#, "status: must be"),
        (#"{"version":"4","status":"firing","receiver":"r","alerts":{}}"#, "alerts: expected an array"),
        (#"{"version":"4","status":"firing","receiver":"r","alerts":[{"status":"firing","labels":{"a":1},"startsAt":"2026-01-01T00:00:00Z"}]}"#,
         "alerts[0].labels.a: expected a string"),
        (#"{"version":"4","status":"firing","receiver":"r","alerts":[{"status":"firing","labels":{},"startsAt":"soon"}]}"#,
         "alerts[0].startsAt: must be an RFC 3339 timestamp"),
        // A leap second that rolls into the year 10000 (found by the rfc3339 fuzz target).
        (#"{"version":"4","status":"firing","receiver":"r","alerts":[{"status":"firing","labels":{},"startsAt":"9999-12-31T23:59:60.9Z"}]}"#,
         "alerts[0].startsAt: must be an RFC 3339 timestamp"),
        (#"{"version":"4","status":"firing","receiver":"r","alerts":[{"status":"firing","labels":{},"startsAt":"2026-01-01T00:00:00Z","fingerprint":"xyz"}]}"#,
         "alerts[0].fingerprint: must be"),
        (#"{"version":"4","status":"firing","receiver":"r","alerts":[{"status":"bad","labels":{},"startsAt":"2026-01-01T00:00:00Z"}]}"#,
         "alerts[0].status: must be"),
        (#"["not","an","object"]"#, "expected"),
    ])
    func refuses(_ body: String, _ expected: String) {
        #expect {
            _ = try decoder.decode(Array(body.utf8))
        } throws: { error in
            guard let error = error as? IngestError else { return false }
            return error.httpStatus == 400 && error.message.contains(expected)
        }
    }

    @Test("equal instants written with different offsets share one idempotency key")
    func keyNormalization() throws {
        func body(_ startsAt: String) -> [UInt8] {
            Array(#"{"version":"4","status":"firing","receiver":"r","alerts":[{"status":"firing","labels":{"a":"b"},"startsAt":"\#(startsAt)","fingerprint":"00ff"}]}"#.utf8)
        }
        let utc = try decoder.decode(body("2026-01-01T00:00:00Z")).alerts[0]
        let offset = try decoder.decode(body("2026-01-01T01:00:00+01:00")).alerts[0]
        #expect(utc.idempotencyKey == offset.idempotencyKey)
    }
}
