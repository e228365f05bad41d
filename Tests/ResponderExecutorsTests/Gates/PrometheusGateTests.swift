import AsyncHTTPClient
import Foundation
import NIOConcurrencyHelpers
import ResponderCore
import ResponderExecutors
import ResponderTestSupport
import Testing

@Suite("Load checks against a real Prometheus")
struct PrometheusGateTests {
    @Test("a step waits while the gauge is high and runs once it has stayed low for the window", .timeLimit(.minutes(1)))
    func waitsThenHolds() async throws {
        let folder = try TemporaryFolder("prometheus-gate")
        defer { folder.remove() }
        let value = NIOLockedValueBox(412.0)
        try await GateEndpoint.with({ _ in
            (200, "text/plain; version=0.0.4", "# TYPE gate_load gauge\ngate_load \(value.withLockedValue { $0 })\n")
        }) { port, _ in
            let prometheus = try await PrometheusProcess.start(scraping: port, in: folder.path)
            do {
                try await Self.scenario(prometheus, value: value)
            } catch {
                await prometheus.stop()
                throw error
            }
            await prometheus.stop()
        }
    }

    private static func scenario(_ prometheus: PrometheusProcess, value: NIOLockedValueBox<Double>) async throws {
        let scraped = await prometheus.waitFor("gate_load", limit: .seconds(15)) { $0 == 412 }
        #expect(scraped, "Prometheus did not scrape the gauge: \(prometheus.output)")
        guard scraped else { return }
        let inner = RecordingInner()
        let reader = try PrometheusReader(settings: PrometheusSettings(url: prometheus.url), client: HTTPClient.shared)
        // The gate's clock is injected: it starts at the wall clock (Prometheus's samples are stamped with it) and the
        // test moves it past the check's window instead of waiting for the window to pass.
        let clock = NIOLockedValueBox(Date())
        let gated = GatedExecutor(inner, reader: MetricRouter(prometheus: reader, cloudWatch: nil), now: { clock.withLockedValue { $0 } })
        let step = gatedStep([requestsCheck(window: .seconds(3), query: "max(gate_load)")])
        let high = await gated.execute(step, runID: "r", snapshot: [:], dryRun: false)
        guard case .waiting(let wait) = high else { Issue.record("expected waiting, got \(high)"); return }
        #expect(wait.reason == "412 is not below 300 (within the last 3s)")
        #expect(wait.value == 412)
        #expect(inner.executed.isEmpty)

        value.withLockedValue { $0 = 120 }
        #expect(await prometheus.waitFor("gate_load", limit: .seconds(10)) { $0 == 120 })
        // The check needs every point of its window plus one resolution (15 s) low: the gate's clock moves past that,
        // and the real Prometheus evaluates the range there from its last sample (120).
        let seen = Date()
        clock.withLockedValue { $0 = seen.addingTimeInterval(3 + 15 + 1) }
        let last = await gated.execute(step, runID: "r", snapshot: [:], dryRun: false)
        guard case .success(let detail, _) = last else { Issue.record("the check did not hold: \(last)"); return }
        #expect(detail == "scaled worker to 4 (checks held: requests below 300 for 3s: max 120)")
        #expect(inner.executed.map(\.0) == [3])
    }

    @Test("a query returning two series is refused by the real Prometheus reader", .timeLimit(.minutes(1)))
    func twoSeries() async throws {
        let folder = try TemporaryFolder("prometheus-series")
        defer { folder.remove() }
        try await GateEndpoint.with({ _ in (200, "text/plain; version=0.0.4", "gate_load{a=\"1\"} 1\ngate_load{a=\"2\"} 2\n") }) { port, _ in
            let prometheus = try await PrometheusProcess.start(scraping: port, in: folder.path)
            let scraped = await prometheus.waitFor("count(gate_load)", limit: .seconds(15)) { $0 == 2 }
            let reader = try PrometheusReader(settings: PrometheusSettings(url: prometheus.url), client: HTTPClient.shared)
            let now = Date()
            let reading = await reader.read(requestsCheck(query: "gate_load"), from: now.addingTimeInterval(-15), to: now)
            await prometheus.stop()
            #expect(scraped)
            #expect(reading == .unavailable("the query returned 2 series; a load check needs one (wrap it in sum(...) or max(...))"))
        }
    }
}
