import AsyncHTTPClient
import Foundation
import NIOCore
import NIOSSL
import ResponderCore
import ResponderStore
import ResponderTestSupport
import Testing

/// A real Prometheus Alertmanager notifying the real `responder serve` binary over HTTPS, the way production is
/// wired (`deploy/alertmanager/receiver.yaml`): bearer token from a file, the generated certificate as the CA file,
/// `send_resolved: true`. The alert comes from `amtool`, matches a default playbook copied from `Playbooks/`, runs in
/// dry-run, and Slack and PagerDuty are local fakes.
@Suite("Alertmanager end to end: a real Alertmanager delivers to the real responder binary")
struct AlertmanagerEndToEndTests {
    /// The repository root, from this file's path (`Tests/ResponderServerTests/EndToEnd/<file>`).
    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Labels of `samples/alerts/hyperverge-emergency-scale.json`: they match the default playbook
    /// `hyperverge-emergency-scale` (Playbooks/hyperverge-emergency-scale.yaml), an emergency-scale that pages.
    static let spikeLabels = ["ecs_cluster": "hyperverge-prod", "service": "api", "severity": "critical"]
    /// Its `summary` annotation, rendered into the playbook's notify step.
    static let spikeSummary = "API request rate 4.3x its 7-day baseline"
    /// The fingerprint Alertmanager computes for `alertname=TrafficSpike` + `spikeLabels` (as in the sample).
    static let spikeFingerprint = "65bcef474a7e67ad"
    /// The Slack channel Responder posts to (one the fake knows).
    static let channel = "C0RESPONDER"

    /// The whole path of a firing alert and its resolve by expiry.
    @Test("amtool alert → Alertmanager → HTTPS webhook → journal, dry-run run of hyperverge-emergency-scale, Slack message, PagerDuty trigger → resolved by expiry → ladder scheduled")
    func firingThenResolved() async throws {
        try await FakeSlack.with { slack, _ in
            try await FakePagerDuty.with { pagerDuty, _ in
                try await AlertmanagerStack.with("am-e2e", slack: slack, pagerDuty: pagerDuty) { stack in
                    try await Self.firingThenResolved(stack, slack: slack, pagerDuty: pagerDuty)
                }
            }
        }
    }

    /// The steps and checks of ``firingThenResolved()`` on a running stack.
    static func firingThenResolved(_ stack: AlertmanagerStack, slack: FakeSlack, pagerDuty: FakePagerDuty) async throws {
        // Firing: group_wait (1 s) after amtool, Alertmanager sends it; it expires 3 s after amtool starts, and the
        // next group_interval flush (1 s) after that sends the resolved notification.
        let end = Date().addingTimeInterval(3)
        try await stack.alertmanager.addAlert("TrafficSpike", labels: spikeLabels, annotations: ["summary": spikeSummary], end: end)
        let inAlertmanager = try await stack.alertmanager.get("/api/v2/alerts")
        #expect(inAlertmanager.contains(#""fingerprint":"\#(spikeFingerprint)""#), "Alertmanager holds the alert: \(inAlertmanager)")

        // The firing notification is journaled and starts a run of the default playbook.
        let run = try await stack.eventually("a run of hyperverge-emergency-scale with its four actions done") { () -> AlertmanagerStack.RunDetailJSON? in
            guard let summary = try await stack.runs().first(where: { $0.playbook == "hyperverge-emergency-scale" }) else { return nil }
            let detail = try await stack.run(summary.id)
            return detail.run.steps.filter { $0.phase == "actions" }.allSatisfy { $0.status == "done" } ? detail : nil
        }
        #expect(run.summary.kind == "emergency-scale")
        #expect(run.summary.alert == "TrafficSpike")
        #expect(run.summary.status == "active")
        #expect(run.summary.targets == ["hyperverge-api", "hyperverge-worker"])
        let firingAlerts = try await stack.alertsCommand()
        #expect(firingAlerts.contains("alertmanager firing TrafficSpike fingerprint=\(spikeFingerprint) delivery=1 playbooks=hyperverge-emergency-scale"),
                "responder alerts: \(firingAlerts)")

        // Dry-run: every action recorded once in executor_call, with its target and value.
        let calls = try await stack.executorCalls(runID: run.summary.id)
        #expect(calls.map(\.step) == [0, 1, 2, 3], "\(calls)")
        #expect(calls.map(\.action) == ["notify", "autoscaler", "scale", "scale"])
        let notify = try #require(calls.first)
        #expect(notify.request.contains("Traffic spike on hyperverge-prod (\(spikeSummary))"), "the notify step rendered the alert's annotation: \(notify.request)")
        #expect(calls[1].target == "hyperverge-worker" && calls[1].request.contains("min 5, max 20"), "\(calls[1])")
        #expect(calls[2].target == "hyperverge-api" && calls[2].value == 10, "api scaled to its ceiling: \(calls[2])")
        #expect(calls[3].target == "hyperverge-worker" && calls[3].value == 20, "worker scaled to its ceiling: \(calls[3])")
        // On a loaded machine the resolve (3 s after amtool) can be handled before the actions were seen done.
        if run.run.resolvedAt == nil {
            #expect(run.run.steps.filter { $0.phase == "ladder" }.allSatisfy { $0.due == nil && $0.status == "pending" },
                    "the ladder waits for the resolve")
        }

        // Slack: one chat.postMessage to the channel for the run, carrying signed links on links.base_url.
        let message = try await stack.eventually("the run's Slack message") { () -> FakeSlack.Message? in
            slack.messages.first { $0.threadTS == nil && $0.channel == channel && !$0.text.hasPrefix("Event evt-") }
        }
        #expect(slack.acceptedCalls.contains { $0.method == "chat.postMessage" && $0.channel == channel && $0.threadTS == nil })
        let rendered = message.text + "\(message.blocks ?? .null)"
        #expect(rendered.contains("TrafficSpike") || rendered.contains("hyperverge-emergency-scale"), "\(rendered)")
        #expect(rendered.contains("https://responder.test/actions/"), "links on links.base_url: \(rendered)")
        let refusedSlack = slack.calls.filter { !$0.accepted }
        #expect(refusedSlack.isEmpty, "the fake refused a call: \(refusedSlack)")

        // PagerDuty: the playbook pages, so a trigger on the run's dedup key.
        let dedupKey = "responder-\(run.summary.id)"
        let trigger = try await stack.eventually("a PagerDuty trigger") { pagerDuty.events.first { $0.eventAction == "trigger" } }
        #expect(trigger.dedupKey == dedupKey)
        #expect(pagerDuty.alert(dedupKey) == .triggered)
        let refusedPagerDuty = pagerDuty.calls.filter { !$0.accepted }
        #expect(refusedPagerDuty.isEmpty, "the fake refused a call: \(refusedPagerDuty)")

        // Resolved: after the end time Alertmanager sends the resolved notification; the ladder is scheduled from it.
        let resolved = try await stack.eventually("the resolved notification handled (run resolvedAt set)") { () -> AlertmanagerStack.RunDetailJSON? in
            let detail = try await stack.run(run.summary.id)
            return detail.run.resolvedAt == nil ? nil : detail
        }
        let resolvedAt = try #require(resolved.run.resolvedAt.flatMap(RFC3339.parse))
        #expect(resolvedAt >= end.addingTimeInterval(-0.05), "Alertmanager sent the resolve only after the alert's end (\(RFC3339.format(end)))")
        #expect(resolvedAt.timeIntervalSince(end) < 10, "and soon after it")
        #expect(resolved.run.history.contains { $0.message.contains("TrafficSpike resolved: step-down ladder scheduled") },
                "\(resolved.run.history.map(\.message))")
        #expect(resolved.summary.status == "active", "the ladder is still to come")
        let ladder = resolved.run.steps.filter { $0.phase == "ladder" }
        #expect(ladder.count == 7, "api [5, 3, floor], worker [10, 5, floor], restore: \(ladder.map(\.detail))")
        #expect(ladder.allSatisfy { $0.anchor == "resolve" && $0.due != nil && $0.status == "pending" })
        let firstDue = try #require(ladder.first?.due.flatMap(RFC3339.parse))
        #expect(abs(firstDue.timeIntervalSince(resolvedAt) - 15 * 60) < 0.01, "hold: 15m from the resolve")
        #expect(resolved.summary.nextDue.flatMap(RFC3339.parse) == firstDue)
        #expect(try await stack.executorCalls(runID: run.summary.id).count == 4, "nothing of the ladder ran early")
        let bothAlerts = try await stack.alertsCommand()
        #expect(bothAlerts.contains("alertmanager resolved TrafficSpike fingerprint=\(spikeFingerprint) delivery=2"), "responder alerts: \(bothAlerts)")
        #expect(!bothAlerts.contains("delivery=3"), "one firing and one resolved delivery, nothing repeated: \(bothAlerts)")
        try await stack.eventually("a Slack thread reply about the resolve") {
            slack.acceptedCalls.contains { $0.threadTS != nil && ($0.text ?? "").contains("resolved") } ? true : nil
        }
        // The default playbooks' recurring window (labelmint-peak-hours) also announces its events: messages of their own.
        let runMessages = slack.messages.filter { $0.threadTS == nil && !$0.text.hasPrefix("Event evt-") }
        #expect(runMessages.count == 1, "one message per run, updated in place")
    }

    /// Alertmanager sending a token Responder does not know.
    @Test("a wrong bearer token: Responder answers 401, Alertmanager records a failed webhook notification, nothing is journaled")
    func wrongBearerToken() async throws {
        try await AlertmanagerStack.with("am-e2e-401", alertmanagerCredential: "not-the-token") { stack in
            try await stack.alertmanager.addAlert("TrafficSpike", labels: Self.spikeLabels, annotations: ["summary": Self.spikeSummary])
            let unauthorized = #"responder_deliveries_total{source="alertmanager",outcome="unauthorized"}"#
            try await stack.eventually("Responder to count an unauthorized Alertmanager delivery") {
                AlertmanagerProcess.sample(unauthorized, in: try await stack.responderMetrics()).flatMap { $0 >= 1 ? true : nil }
            }
            try await stack.eventually("Alertmanager to count a failed webhook notification") {
                try await stack.alertmanager.metric(#"alertmanager_notifications_failed_total{integration="webhook"}"#).flatMap { $0 >= 1 ? true : nil }
            }
            #expect(stack.alertmanager.process.output.contains("unexpected status code 401"), "\(stack.alertmanager.process.tail())")
            #expect(stack.alertmanager.process.output.contains("missing or invalid credentials"), "Responder's answer says what is wrong")
            #expect(AlertmanagerProcess.sample(#"responder_deliveries_total{source="alertmanager",outcome="accepted"}"#,
                                               in: try await stack.responderMetrics()) ?? 0 == 0)
            // Only the refused deliveries' playbooks: the default set's recurring window (labelmint-peak-hours) may
            // prepare on its own when the test runs at 08:00 UTC.
            #expect(try await stack.runs().filter { $0.playbook != "labelmint-peak-hours" }.isEmpty)
            let alerts = try await stack.alertsCommand()
            #expect(!alerts.contains(" alertmanager "), "responder alerts: \(alerts)")
        }
    }
}

// MARK: - The running stack

/// `responder serve` (real binary, dry-run, default playbooks, Slack/PagerDuty fakes when given) and an Alertmanager
/// pointed at it, with an HTTPS client trusting the generated certificate.
struct AlertmanagerStack: Sendable {
    /// The temp state and playbooks folders (and the config files, tokens and Alertmanager storage beside them).
    let folders: ServeFolders
    /// `responder serve`.
    let responder: ResponderProcess
    /// Its HTTPS port on 127.0.0.1.
    let responderPort: Int
    /// The Alertmanager notifying it.
    let alertmanager: AlertmanagerProcess
    /// An HTTPS client trusting `<state>/tls/cert.pem`.
    let client: HTTPClient
    /// The generated admin token (`<state>/admin-token`).
    let adminToken: String

    /// `https://127.0.0.1:PORT`.
    var baseURL: String { "https://127.0.0.1:\(responderPort)" }
    /// The state folder.
    var state: String { folders.state }

    /// Starts everything, runs `body`, and stops both processes and removes the folders whatever happens.
    /// `alertmanagerCredential` is what Alertmanager sends as its bearer token (default: Responder's token).
    static func with<T: Sendable>(
        _ prefix: String, slack: FakeSlack? = nil, pagerDuty: FakePagerDuty? = nil, alertmanagerCredential: String? = nil,
        _ body: @Sendable (AlertmanagerStack) async throws -> T
    ) async throws -> T {
        let folders = try ServeFolders(prefix)
        var responder: ResponderProcess?
        var alertmanager: AlertmanagerProcess?
        var client: HTTPClient?
        do {
            let root = folders.temporary.path
            try FileManager.default.removeItem(atPath: folders.playbooks)
            try FileManager.default.copyItem(atPath: AlertmanagerEndToEndTests.repositoryRoot.appendingPathComponent("Playbooks").path,
                                             toPath: folders.playbooks)
            let token = "am-" + UUID().uuidString
            try token.write(toFile: root + "/alertmanager-token", atomically: true, encoding: .utf8)
            try (alertmanagerCredential ?? token).write(toFile: root + "/alertmanager-credentials", atomically: true, encoding: .utf8)
            var config = """
                log_level: info
                alertmanager:
                  bearer_token_file: "\(root)/alertmanager-token"
                links:
                  base_url: https://responder.test

                """
            if let slack {
                try slack.token.write(toFile: root + "/slack-bot-token", atomically: true, encoding: .utf8)
                config += """
                    slack:
                      bot_token_file: "\(root)/slack-bot-token"
                      channel: \(AlertmanagerEndToEndTests.channel)
                      api_url: "\(slack.baseURL)"

                    """
            }
            if let pagerDuty {
                try pagerDuty.routingKey.write(toFile: root + "/pagerduty-routing-key", atomically: true, encoding: .utf8)
                config += """
                    pagerduty:
                      routing_key_file: "\(root)/pagerduty-routing-key"
                      events_url: "\(pagerDuty.baseURL)"

                    """
            }
            try config.write(toFile: root + "/responder.yaml", atomically: true, encoding: .utf8)

            let process = try ResponderProcess(arguments: folders.serveArguments + ["--config", root + "/responder.yaml"])
            responder = process
            let line = try await process.waitForLine(containing: "Responder listening on https://127.0.0.1:")
            guard let match = line.firstMatch(of: /https:\/\/127\.0\.0\.1:(\d+)/), let port = Int(match.1) else {
                throw AlertmanagerEndToEndFailure(description: "no port in: \(line)")
            }
            let certificate = folders.state + "/tls/cert.pem"
            var tls = TLSConfiguration.makeClientConfiguration()
            tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(certificate))
            client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(tlsConfiguration: tls, redirectConfiguration: .disallow))
            let adminToken = try String(contentsOfFile: folders.state + "/admin-token", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)

            let started = try await AlertmanagerProcess.start(
                config: Self.alertmanagerConfig(responderPort: port, credentialsFile: root + "/alertmanager-credentials", caFile: certificate),
                in: root
            )
            alertmanager = started
            let stack = AlertmanagerStack(folders: folders, responder: process, responderPort: port, alertmanager: started,
                              client: try #require(client), adminToken: adminToken)
            let result = try await body(stack)
            await tearDown(folders: folders, responder: responder, alertmanager: alertmanager, client: client)
            return result
        } catch {
            let output = "responder stdout (last lines):\n\(AlertmanagerCapturedProcess.tail(responder?.stdout ?? ""))\n"
                + "alertmanager output (last lines):\n\(alertmanager?.process.tail() ?? "")"
            await tearDown(folders: folders, responder: responder, alertmanager: alertmanager, client: client)
            if error is AlertmanagerEndToEndFailure { throw error }
            throw AlertmanagerEndToEndFailure(description: "\(error)\n\(output)")
        }
    }

    /// The Alertmanager configuration: one receiver, a webhook to Responder with the bearer token from a file and
    /// Responder's generated certificate as the CA; groups flushed after 1 s so the test stays short.
    static func alertmanagerConfig(responderPort: Int, credentialsFile: String, caFile: String) -> String {
        """
        route:
          receiver: responder
          group_by: ['alertname']
          group_wait: 1s
          group_interval: 1s
          repeat_interval: 1h
        receivers:
          - name: responder
            webhook_configs:
              - url: https://127.0.0.1:\(responderPort)/hooks/alertmanager
                send_resolved: true
                http_config:
                  authorization:
                    type: Bearer
                    credentials_file: "\(credentialsFile)"
                  tls_config:
                    ca_file: "\(caFile)"

        """
    }

    /// Shuts the client down, stops both processes (SIGTERM, then SIGKILL) and removes the folders.
    static func tearDown(folders: ServeFolders, responder: ResponderProcess?, alertmanager: AlertmanagerProcess?, client: HTTPClient?) async {
        try? await client?.shutdown()
        await alertmanager?.stop()
        if let responder { await AlertmanagerCapturedProcess.stop(responder.process) }
        folders.remove()
    }

    /// The tail of both processes' output, for failure messages.
    func diagnostics() -> String {
        let running = "responder running: \(responder.process.isRunning), alertmanager running: \(alertmanager.process.process.isRunning)"
        return "\(running)\nresponder stdout (last lines):\n\(AlertmanagerCapturedProcess.tail(responder.stdout))\n"
            + "alertmanager output (last lines):\n\(alertmanager.process.tail())"
    }

    /// Polls `probe` every 50 ms until it returns a value; fails after `limit` (or as soon as a process exits) with
    /// both processes' output.
    @discardableResult
    func eventually<T>(_ what: String, limit: Duration = .seconds(30), _ probe: () async throws -> T?) async throws -> T {
        let deadline = ContinuousClock.now + limit
        while ContinuousClock.now < deadline {
            if let value = try await probe() { return value }
            guard responder.process.isRunning, alertmanager.process.process.isRunning else {
                throw AlertmanagerEndToEndFailure(description: "a process exited while waiting for \(what)\n\(diagnostics())")
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw AlertmanagerEndToEndFailure(description: "timed out after \(limit) waiting for \(what)\n\(diagnostics())")
    }

    /// GETs `path` of Responder over HTTPS (with the admin token when `admin`); the body, or a failure on a non-200.
    func get(_ path: String, admin: Bool = true) async throws -> String {
        var request = HTTPClientRequest(url: baseURL + path)
        if admin { request.headers.add(name: "Authorization", value: "Bearer \(adminToken)") }
        let response = try await client.execute(request, timeout: .seconds(10))
        let body = String(buffer: try await response.body.collect(upTo: 4 << 20))
        guard response.status == .ok else {
            throw AlertmanagerEndToEndFailure(description: "GET \(path): \(response.status.code) \(body)\n\(diagnostics())")
        }
        return body
    }

    /// `GET /api/runs`, newest first.
    func runs() async throws -> [RunSummaryJSON] {
        try Self.decoder.decode(RunListJSON.self, from: Data(try await get("/api/runs").utf8)).runs
    }

    /// `GET /api/runs/{id}`.
    func run(_ id: String) async throws -> AlertmanagerStack.RunDetailJSON {
        try Self.decoder.decode(AlertmanagerStack.RunDetailJSON.self, from: Data(try await get("/api/runs/\(id)").utf8))
    }

    /// `GET /metrics` of Responder.
    func responderMetrics() async throws -> String {
        try await get("/metrics", admin: false)
    }

    /// The output of `responder alerts --state <state>`.
    func alertsCommand() async throws -> String {
        let alerts = try ResponderProcess(arguments: ["alerts", "--state", state])
        let status = try await alerts.waitForExit(limit: .seconds(15))
        guard status == 0 else { throw AlertmanagerEndToEndFailure(description: "responder alerts exited \(status): \(alerts.stdout)") }
        return alerts.stdout
    }

    /// What the dry-run executor recorded in the journal's `executor_call` table for `runID`.
    func executorCalls(runID: String) async throws -> [RecordedCall] {
        let journal = try SQLiteJournal(path: state + "/responder.sqlite")
        return try await RecordingExecutor(journal: journal).calls(runID: runID)
    }

    /// Decodes the runs API (snake_case keys).
    static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return decoder
    }()
}

// MARK: - Runs API shapes (only what the tests read)

extension AlertmanagerStack {
    /// `GET /api/runs`.
    struct RunListJSON: Decodable {
        /// The runs, newest first.
        var runs: [RunSummaryJSON]
    }

    /// One run summary of the runs API.
    struct RunSummaryJSON: Decodable {
        /// `run-N`.
        var id: String
        /// The playbook's name.
        var playbook: String
        /// The playbook's kind.
        var kind: String
        /// `active`, `held`, `completed`...
        var status: String
        /// Targets the run touches.
        var targets: [String]
        /// The alert's name.
        var alert: String?
        /// Due time of the next step (RFC 3339), while the run is open.
        var nextDue: String?
    }

    /// `GET /api/runs/{id}`.
    struct RunDetailJSON: Decodable {
        /// The summary, as in the list.
        var summary: RunSummaryJSON
        /// The run itself.
        var run: RunBodyJSON

        /// The run itself: when it resolved, its steps and history.
        struct RunBodyJSON: Decodable {
            /// When the alert's resolve was handled (RFC 3339).
            var resolvedAt: String?
            /// Every step.
            var steps: [StepJSON]
            /// Every event, oldest first.
            var history: [EventJSON]
        }

        /// One step of a run.
        struct StepJSON: Decodable {
            /// Position in the run.
            var index: Int
            /// `actions` or `ladder`.
            var phase: String
            /// What the due time counts from.
            var anchor: String
            /// Due time (RFC 3339), nil while the anchor's time is unknown.
            var due: String?
            /// `pending`, `done`...
            var status: String
            /// Human-readable description.
            var detail: String
        }

        /// One history line of a run.
        struct EventJSON: Decodable {
            /// When (RFC 3339).
            var at: String
            /// What happened.
            var message: String
        }
    }
}
