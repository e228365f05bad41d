import Foundation
import ResponderCore
import ResponderServer
import Testing

@Suite("health, readiness and metrics")
struct HealthRoutesTests {
    @Test("healthz answers, readyz reports store and playbooks")
    func probes() async throws {
        try await TestServer.with { server in
            let health = try await server.send(.GET, "/healthz")
            #expect(health.status == 200)
            let ready = try await server.send(.GET, "/readyz")
            #expect(ready.status == 200)
            #expect(ready.body.contains(#""store":"ok""#))
            #expect(ready.body.contains(#""ready":true"#))
        }
    }

    @Test("readyz is 503 while the playbooks cannot be loaded")
    func playbooksNotLoaded() async throws {
        try await TestServer.with(playbooks: { .failure(ConfigError("Playbooks/x.yaml:3: YAML aliases are not allowed")) as Result<PlaybookSet, any Error> }) {
            server in
            let ready = try await server.send(.GET, "/readyz")
            #expect(ready.status == 503)
            #expect(ready.body.contains("aliases are not allowed"))
        }
    }

    @Test("metrics count deliveries by source and outcome and time requests by route")
    func metrics() async throws {
        try await TestServer.with { server in
            let body = try Fixture.bytes("v4_firing_minimal.json")
            _ = try await server.postAlertmanager(body)
            _ = try await server.postAlertmanager(body)
            _ = try await server.postAlertmanager(Array("{".utf8))
            _ = try await server.postAlertmanager(body, token: "wrong")
            let metrics = try await server.send(.GET, "/metrics")
            #expect(metrics.status == 200)
            #expect(metrics.headers["Content-Type"].first?.hasPrefix("text/plain") == true)
            let text = metrics.body
            #expect(text.contains(#"responder_deliveries_total{source="alertmanager",outcome="accepted"} 1"#))
            #expect(text.contains(#"responder_deliveries_total{source="alertmanager",outcome="duplicate"} 1"#))
            #expect(text.contains(#"responder_deliveries_total{source="alertmanager",outcome="rejected"} 1"#))
            #expect(text.contains(#"responder_deliveries_total{source="alertmanager",outcome="unauthorized"} 1"#))
            #expect(text.contains(#"responder_alerts_recorded_total{source="alertmanager"} 1"#))
            #expect(text.contains(#"responder_http_request_duration_seconds_count{route="/hooks/alertmanager",method="POST",status="200"} 2"#))
        }
    }
}
