import AsyncHTTPClient
import Foundation
import NIOConcurrencyHelpers
import NIOSSL
import ResponderTestSupport
import Testing

/// Load checks end to end through the real `responder serve`: a real Prometheus (Debian's `/usr/bin/prometheus`)
/// scrapes a local gauge the test sets, the playbook's ladder is gated on `max(last_over_time(test_load[15s])) below
/// 100`, and the test
/// watches the run through `GET /api/runs/{id}`, the status page and the fake Slack. The executors stay in their
/// default dry-run mode: load checks gate dry-run steps too, so no backend is needed.
@Suite("load checks through serve: a real Prometheus gates the ladder", .timeLimit(.minutes(2)))
struct LoadCheckServeTests {
    /// Scale `worker` to 12, then a ladder 8, 4 one second apart after a 1 s hold, each ladder step gated on the gauge.
    /// The query reads the gauge's last sample within 15 s: on a loaded machine a 1 s scrape can time out, and a failed
    /// scrape marks a plain selector stale ("the query returned no samples"; seen in CI with every core busy).
    static let playbook = FastLadder.yaml(levels: [8, 4], name: "gated-ladder", gates: """
              checks:
                - {name: load, prometheus: 'max(last_over_time(test_load[15s]))', below: 100, for: 0s, recheck: 10s, max_wait: 10m}
        """)

    /// A failure with both processes' output.
    struct Failure: Error, CustomStringConvertible {
        /// What went wrong, with the output.
        let description: String
    }

    /// Prometheus, the gauge it scrapes, `responder serve` configured to read it, and a client for its admin API.
    struct Stack: Sendable {
        let folders: ServeFolders
        let gauge: NIOLockedValueBox<Double>
        let prometheus: PrometheusProcess
        let responder: ResponderProcess
        let port: Int
        let client: HTTPClient
        let adminToken: String
        let slack: FakeSlack

        /// `GET path` with the admin token (or anonymously); the status and body.
        func get(_ path: String, admin: Bool = true) async throws -> (status: UInt, body: String) {
            var request = HTTPClientRequest(url: "https://localhost:\(port)" + path)
            if admin { request.headers.add(name: "Authorization", value: "Bearer \(adminToken)") }
            let response = try await client.execute(request, timeout: .seconds(10))
            let body = try await response.body.collect(upTo: 4 << 20)
            return (response.status.code, String(buffer: body))
        }

        /// `GET /api/runs/run-1` decoded: the `run` object of the detail.
        func run() async throws -> [String: Any]? {
            let (status, body) = try await get("/api/runs/run-1")
            guard status == 200 else { return nil }
            let object = try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any]
            return object?["run"] as? [String: Any]
        }

        /// Step `index` of run-1, as the runs API shows it.
        func step(_ index: Int) async throws -> [String: Any]? {
            guard let steps = try await run()?["steps"] as? [[String: Any]], steps.indices.contains(index) else { return nil }
            return steps[index]
        }

        /// The tail of both processes' output, for failure messages.
        var diagnostics: String {
            "responder (last lines):\n\(responder.stdout.split(separator: "\n").suffix(40).joined(separator: "\n"))\n"
                + "prometheus:\n\(prometheus.output.suffix(3000))\n"
                + "slack calls:\n" + slack.calls.map { "\($0)" }.joined(separator: "\n")
        }

        /// Polls `probe` every 200 ms until it returns a value; fails after `limit` with the processes' output.
        @discardableResult
        func eventually<T>(_ what: String, limit: Duration, _ probe: () async throws -> T?) async throws -> T {
            let deadline = ContinuousClock.now + limit
            while ContinuousClock.now < deadline {
                if let value = try await probe() { return value }
                guard responder.process.isRunning else { break }
                try await Task.sleep(for: .milliseconds(200))
            }
            throw Failure(description: "timed out after \(limit) waiting for \(what)\n\(diagnostics)")
        }
    }

    /// Starts the gauge (at `load`), Prometheus scraping it and `responder serve` with `prometheus.url` and the fake
    /// Slack; runs `body`; stops everything and removes the folders whatever happens.
    static func with(_ prefix: String, load: Double, _ body: @Sendable (Stack) async throws -> Void) async throws {
        let folders = try ServeFolders(prefix)
        defer { folders.remove() }
        let gauge = NIOLockedValueBox(load)
        try await GateEndpoint.with({ _ in
            (200, "text/plain; version=0.0.4", "# TYPE test_load gauge\ntest_load \(gauge.withLockedValue { $0 })\n")
        }) { gaugePort, _ in
            let prometheus = try await PrometheusProcess.start(scraping: gaugePort, in: folders.temporary.path)
            defer { if prometheus.process.isRunning { prometheus.process.terminate() } }
            guard await prometheus.waitFor("max(test_load)", limit: .seconds(20), until: { $0 == load }) else {
                throw Failure(description: "Prometheus did not scrape the gauge:\n\(prometheus.output)")
            }
            try await FakeSlack.with { slack, _ in
                try Self.playbook.write(toFile: folders.playbooks + "/gated.yaml", atomically: true, encoding: .utf8)
                let config = try slack.writeServeConfiguration(in: folders.temporary.path)
                let slackConfig = try String(contentsOfFile: config, encoding: .utf8)
                try (slackConfig + "\nprometheus:\n  url: \(prometheus.url)\n").write(toFile: config, atomically: true, encoding: .utf8)
                let (responder, port, _) = try await ResponderProcess.serve(folders.serveArguments + ["--config", config], logs: true)
                var tls = TLSConfiguration.makeClientConfiguration()
                tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(folders.state + "/tls/cert.pem"))
                let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(tlsConfiguration: tls))
                let stack = Stack(
                    folders: folders, gauge: gauge, prometheus: prometheus, responder: responder, port: port, client: client,
                    adminToken: try String(contentsOfFile: folders.state + "/admin-token", encoding: .utf8)
                        .trimmingCharacters(in: .whitespacesAndNewlines),
                    slack: slack)
                do {
                    try await body(stack)
                } catch {
                    try? await client.shutdown()
                    responder.process.terminate()
                    _ = try? await responder.waitForExit(limit: .seconds(15))
                    await prometheus.stop()
                    throw error
                }
                try await client.shutdown()
                responder.process.terminate()
                _ = try await responder.waitForExit(limit: .seconds(15))
                await prometheus.stop()
            }
        }
    }

    /// Fires and resolves the alert; the ladder starts 1 s after the resolve.
    static func fireAndResolve(_ stack: Stack) async throws {
        #expect(try await stack.folders.postAlertmanager("v4_firing_minimal.json", port: stack.port) == 200)
        try await stack.eventually("the run's action step", limit: .seconds(10)) {
            try await stack.step(0)?["status"] as? String == "done" ? true : nil
        }
        #expect(try await stack.folders.postAlertmanager("v4_resolved_minimal.json", port: stack.port) == 200)
    }

    /// The step's wait: `{since, lastChecked, until, checks, last: {check, reason, value, recheck, maxWait}}`.
    static func wait(_ step: [String: Any]?) -> [String: Any]? { step?["wait"] as? [String: Any] }

    @Test("while the gauge is 500 the first ladder step stays pending, waiting with the value; once it is 20 the step runs within two re-checks and the run completes; chat is told once")
    func waitsThenRuns() async throws {
        try await Self.with("gate-serve", load: 500) { stack in
            try await Self.fireAndResolve(stack)

            // The first ladder step (index 1) comes due 1 s after the resolve and waits.
            let first = try await stack.eventually("the first ladder step to wait", limit: .seconds(15)) {
                try await stack.step(1).flatMap { Self.wait($0) != nil ? $0 : nil }
            }
            #expect(first["status"] as? String == "pending")
            let last = Self.wait(first)?["last"] as? [String: Any]
            #expect(last?["check"] as? String == "load below 100")
            #expect(last?["reason"] as? String == "500 is not below 100", "\(first)")
            #expect(last?["value"] as? Double == 500)
            #expect(Self.wait(first)?["until"] == nil)
            #expect((first["outcome"] as? String)?.contains("500 is not below 100") == true)
            #expect(try await stack.step(2)?["status"] as? String == "pending", "the next step waits behind it")

            // The page shows why the step waits.
            let page = try await stack.get("/", admin: false)
            #expect(page.body.contains(#"<b class="gate">waiting for load below 100: 500 is not below 100</b>"#), "\(page.body)")

            // A re-check 10 s later still finds 500: the step is still pending.
            let rechecked = try await stack.eventually("the second check", limit: .seconds(20)) {
                try await stack.step(1).flatMap { (Self.wait($0)?["checks"] as? Int ?? 0) >= 2 ? $0 : nil }
            }
            #expect(rechecked["status"] as? String == "pending")
            #expect((Self.wait(rechecked)?["last"] as? [String: Any])?["value"] as? Double == 500)
            #expect(try await stack.run()?["status"] as? String == "active")

            // The load drops: the step runs at the next re-check (within about two, 10 s apart), the ladder goes on.
            stack.gauge.withLockedValue { $0 = 20 }
            #expect(await stack.prometheus.waitFor("max(test_load)", limit: .seconds(10)) { $0 == 20 })
            let dropped = ContinuousClock.now
            let ran = try await stack.eventually("the first ladder step to run", limit: .seconds(25)) {
                try await stack.step(1).flatMap { $0["status"] as? String == "done" ? $0 : nil }
            }
            #expect(ContinuousClock.now - dropped < .seconds(25))
            #expect(Self.wait(ran)?["until"] is String, "the wait ended and is kept for the report")
            #expect((ran["outcome"] as? String)?.contains("load below 100: 20") == true, "\(ran)")
            let run = try await stack.eventually("the run to complete", limit: .seconds(15)) {
                try await stack.run().flatMap { $0["status"] as? String == "completed" ? $0 : nil }
            }
            let steps = run["steps"] as? [[String: Any]] ?? []
            #expect(steps.map { $0["status"] as? String } == ["done", "done", "done"])
            let history = (run["history"] as? [[String: Any]] ?? []).compactMap { $0["message"] as? String }
            #expect(history.contains { $0.hasPrefix("step 1 waits for its load check: load below 100: 500 is not below 100") }, "\(history)")
            #expect(history.contains { $0.hasPrefix("step 1 waited ") && $0.contains("the 1 step(s) after it move as much later") }, "\(history)")

            // Chat heard of the wait once, however many re-checks there were: the run's history lines are its thread
            // replies, and the wait is recorded when it begins (the engine's own "waits:" notice only goes to the log).
            try await stack.eventually("the Slack reply for the run's end", limit: .seconds(10)) {
                stack.slack.messages.contains { $0.text.hasSuffix(" completed") } ? true : nil
            }
            let replies = stack.slack.messages.map(\.text)
            let waits = replies.filter { $0.contains("step 1 waits for its load check: ") }
            #expect(waits.count == 1, "\(replies)")
            #expect(waits.first?.contains("load below 100: 500 is not below 100; checking again every 10s") == true)
            #expect(replies.filter { $0.contains("step 1 done: ") }.count == 1)
            // A re-check is not news: one "started" when the step first ran, none per re-check (was one per re-check).
            #expect(replies.filter { $0.contains("step 1 started: ") }.count == 1, "\(replies)")
            #expect(waits.first?.contains("holding the run after 10m") == true, "chat is told when the run will be held")
        }
    }

    @Test("with Prometheus killed the step waits, saying the check cannot be evaluated (connection refused), and never runs")
    func prometheusDown() async throws {
        try await Self.with("gate-serve-down", load: 20) { stack in
            await stack.prometheus.kill()
            #expect(!stack.prometheus.process.isRunning)
            try await Self.fireAndResolve(stack)

            let first = try await stack.eventually("the first ladder step to wait", limit: .seconds(15)) {
                try await stack.step(1).flatMap { Self.wait($0) != nil ? $0 : nil }
            }
            #expect(first["status"] as? String == "pending")
            let last = Self.wait(first)?["last"] as? [String: Any]
            let reason = last?["reason"] as? String ?? ""
            #expect(reason.hasPrefix("cannot be evaluated: Prometheus at \(stack.prometheus.url)"), "\(reason)")
            #expect(reason.hasSuffix("unreachable: connection refused"), "\(reason)")
            #expect(last?["value"] == nil, "no value when nothing could be read")

            // However often it is checked again, the step does not run.
            let rechecked = try await stack.eventually("the second check", limit: .seconds(20)) {
                try await stack.step(1).flatMap { (Self.wait($0)?["checks"] as? Int ?? 0) >= 2 ? $0 : nil }
            }
            #expect(rechecked["status"] as? String == "pending")
            #expect(((Self.wait(rechecked)?["last"] as? [String: Any])?["reason"] as? String)?.contains("connection refused") == true)
            let run = try #require(try await stack.run())
            #expect(run["status"] as? String == "active")
            #expect((run["steps"] as? [[String: Any]] ?? []).map { $0["status"] as? String } == ["done", "pending", "pending"])
            let page = try await stack.get("/", admin: false)
            #expect(page.body.contains("waiting for load below 100: cannot be evaluated: Prometheus at "), "\(page.body)")
        }
    }
}
