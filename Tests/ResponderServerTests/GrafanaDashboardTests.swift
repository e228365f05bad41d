import Foundation
import ResponderCore
import ResponderTestSupport
import Testing
import Yams

/// `deploy/grafana/`: the dashboard is well formed (a Prometheus data source variable, every query on it), its
/// provisioning files are what Grafana loads, and every query names a metric the real server exports, which a real
/// Prometheus scraping that server over HTTPS evaluates without an error.
@Suite("the Grafana dashboard against the real server and a real Prometheus", .serialized)
struct GrafanaDashboardTests {
    @Test("metric names are read out of PromQL: functions, labels, ranges and grouping left out")
    func namesOfQueries() {
        #expect(PromQLMetricNames.names(in: #"histogram_quantile(0.99, sum by (le, route) (rate(responder_http_request_duration_seconds_bucket{instance=~"$instance"}[$__rate_interval])))"#)
            == ["responder_http_request_duration_seconds_bucket"])
        #expect(PromQLMetricNames.names(in: "sum(rate(a_sum[5m])) / sum(rate(a_count[5m])) > bool 1e3")
            == ["a_sum", "a_count"])
        #expect(PromQLMetricNames.names(in: "label_values(responder_http_requests_in_flight, instance)")
            == ["responder_http_requests_in_flight"])
        #expect(PromQLMetricNames.names(in: #"max by (scope) (responder_paused) or on (scope) vector(0)"#) == ["responder_paused"])
        #expect(PromQLMetricNames.base(of: "responder_timer_lateness_seconds_bucket") == "responder_timer_lateness_seconds")
    }

    @Test("the dashboard asks for a Prometheus data source and every query uses it; the provisioning files load it")
    func wellFormed() throws {
        let dashboard = try GrafanaDashboard()
        #expect((dashboard.object["schemaVersion"] as? Int ?? 0) >= 36)
        #expect(dashboard.object["uid"] as? String == "responder-overview")
        let datasource = try #require(dashboard.variables.first { $0["name"] as? String == "datasource" })
        #expect(datasource["type"] as? String == "datasource" && datasource["query"] as? String == "prometheus")
        #expect(dashboard.queries.count >= 15)
        for panel in dashboard.panels where panel["type"] as? String != "row" {
            let source = panel["datasource"] as? [String: Any]
            #expect(source?["uid"] as? String == "${datasource}", "\(panel["title"] ?? "?") must use ${datasource}")
        }
        for wanted in ["responder_deliveries_total", "responder_runs", "responder_step_duration_seconds_bucket",
                       "responder_timer_lateness_seconds_bucket", "responder_outbox_pending",
                       "responder_outbox_oldest_pending_seconds", "responder_paused", "responder_disk_free_bytes",
                       "responder_store_bytes", "responder_retention_deleted_total", "responder_alerts_recorded_total",
                       "responder_http_request_duration_seconds_bucket"] {
            #expect(dashboard.metricNames.contains(wanted), "no panel charts \(wanted)")
        }
        let provider = try #require(try Yams.load(yaml: String(contentsOfFile: GrafanaDashboard.folder
            + "/provisioning/dashboards/responder.yaml", encoding: .utf8)) as? [String: Any])
        let providers = provider["providers"] as? [[String: Any]] ?? []
        #expect(providers.first?["type"] as? String == "file")
        #expect((providers.first?["options"] as? [String: Any])?["path"] as? String == "/var/lib/grafana/dashboards/responder")
        let sources = try #require(try Yams.load(yaml: String(contentsOfFile: GrafanaDashboard.folder
            + "/provisioning/datasources/prometheus.yaml", encoding: .utf8)) as? [String: Any])
        #expect((sources["datasources"] as? [[String: Any]])?.first?["type"] as? String == "prometheus")
    }

    @Test("every metric a dashboard query names is in the real server's /metrics, and Prometheus evaluates every query")
    func queriesAgainstServer() async throws {
        let folders = try ServeFolders("grafana-dashboard")
        defer { folders.remove() }
        let target = try CommandPairTarget(folder: folders.temporary.path)
        try FastLadder.yaml(levels: [6, 4], name: "emergency", target: target.yaml)
            .write(toFile: folders.playbooks + "/emergency.yaml", atomically: true, encoding: .utf8)
        let server = try await LiveResponder.start(folders)
        do {
            try await Self.checkNames(server)
        } catch {
            await server.stop()
            throw error
        }
        let prometheus: PrometheusProcess
        do {
            prometheus = try await PrometheusProcess.start(scraping: server.port, in: folders.temporary.path, https: true)
        } catch {
            await server.stop()
            throw error
        }
        await Self.evaluate(prometheus)
        await prometheus.stop()
        await server.stop()
    }

    /// Drives an alert through the playbook and checks every name the dashboard queries against `/metrics`.
    static func checkNames(_ server: LiveResponder) async throws {
        let dashboard = try GrafanaDashboard()
        #expect(try await server.postAlertmanager("v4_firing_minimal.json") == 200)
        let id = try await server.eventually("the run to start") { try await server.latestRunID() }
        try await server.eventually("the first step to be done") {
            try await server.run(id).run.steps.first?.status == .done ? true : nil
        }
        // The run driver counts runs and the outbox service its backlog every 5 s: wait for both readings.
        let text = try await server.eventually("the run and outbox gauges") { () -> String? in
            let body = try await server.admin(.GET, "/metrics").body
            return body.contains(#"responder_runs{status="active"} 1"#) && body.contains("responder_outbox_pending{") ? body : nil
        }
        let exported = Self.exported(text)
        for name in dashboard.metricNames.sorted() {
            #expect(exported.samples.contains(name), "the dashboard queries \(name), which the server does not export")
            let base = PromQLMetricNames.base(of: name)
            if base != name {
                #expect(exported.histograms.contains(base), "\(name): \(base) is not a histogram the server exports")
            }
        }
        #expect(text.contains("responder_timer_lateness_seconds_count 1"), "the step's lateness was recorded")
        #expect(text.contains(#"responder_step_duration_seconds_count{outcome="success"} 1"#), "the step's duration was recorded")
    }

    /// Waits for `prometheus` to have scraped the server, then evaluates every query of the dashboard and looks for a
    /// series of every metric it names.
    static func evaluate(_ prometheus: PrometheusProcess) async {
        let dashboard: GrafanaDashboard
        do { dashboard = try GrafanaDashboard() } catch {
            Issue.record(error)
            return
        }
        let scraped = await prometheus.waitFor(#"count(responder_runs{status="active"} == 1)"#, limit: .seconds(30)) { $0 >= 1 }
        #expect(scraped, "Prometheus did not scrape the server over HTTPS:\n\(prometheus.output)")
        for (panel, expr) in dashboard.queries {
            let query = GrafanaDashboard.evaluable(expr)
            let answer = await prometheus.query(query)
            #expect(answer?["status"] as? String == "success",
                    "\(panel): \(query) → \(answer.map { "\($0["errorType"] ?? "") \($0["error"] ?? "")" } ?? "no answer")")
        }
        for name in dashboard.metricNames.sorted() {
            let answer = await prometheus.query("count(\(name))")
            let result = (answer?["data"] as? [String: Any])?["result"] as? [Any]
            #expect(!(result ?? []).isEmpty, "Prometheus has no series of \(name)")
        }
    }

    /// The sample names of a Prometheus text exposition, and the names its `# TYPE` lines call histograms.
    static func exported(_ text: String) -> (samples: Set<String>, histograms: Set<String>) {
        var samples = Set<String>()
        var histograms = Set<String>()
        for line in text.split(separator: "\n") {
            if line.hasPrefix("# TYPE ") {
                let parts = line.split(separator: " ")
                if parts.count == 4, parts[3] == "histogram" { histograms.insert(String(parts[2])) }
            } else if !line.hasPrefix("#") {
                samples.insert(String(line.prefix { $0 != "{" && $0 != " " }))
            }
        }
        return (samples, histograms)
    }
}
