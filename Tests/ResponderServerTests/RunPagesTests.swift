import Foundation
import ResponderCore
import ResponderPlaybooks
import ResponderRuntime
@testable import ResponderServer
import ResponderTestSupport
import Testing

/// The run timeline on `GET /`, the run page `GET /runs/{id}` and the ended-runs page `GET /runs`, from a real server
/// over HTTPS on a manual clock, read in headless Chromium at a desktop and a phone width; screenshots are kept as
/// test artifacts (``artifacts``).
@Suite("run pages", .serialized)
struct RunPagesTests {
    /// The status page suite's playbook, plus an HTTP call whose Authorization header must never be shown.
    static let playbooks: PlaybookSet = {
        var set = StatusPageTests.playbooks
        set.playbooks[0].actions.append(.http(Action.HTTPCall(
            method: "POST", url: "https://cache.internal/warm?q=1&r=2", headers: ["Authorization": "Bearer hunter2-secret"],
            timeout: .seconds(5), expectStatus: [200])))
        return set
    }()

    /// Where screenshots go: `$RESPONDER_TEST_ARTIFACTS`, else `.build/artifacts/` of the package (ignored by git).
    static var artifacts: String {
        if let folder = ProcessInfo.processInfo.environment["RESPONDER_TEST_ARTIFACTS"], !folder.isEmpty { return folder }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return root.appendingPathComponent(".build/artifacts").path
    }

    /// Admin credentials.
    static let admin = [("Authorization", "Bearer \(TestServer.adminToken)")]

    /// Polls `probe` (the server handles alerts on its own tasks) until it answers, for at most 30 s.
    static func eventually<T>(_ what: String, _ probe: () async throws -> T?) async throws -> T {
        for _ in 0..<3000 {
            if let value = try await probe() { return value }
            try await Task.sleep(for: .milliseconds(10))
        }
        throw CocoaError(.coderValueNotFound, userInfo: [NSLocalizedDescriptionKey: "timed out waiting for \(what)"])
    }

    /// A run that fired at 00:00 and scaled, resolved at 00:04 and was acknowledged by alice at 00:05, seen at 00:06,
    /// its first ladder step due 10 minutes after the resolve; its messages go to a fake Slack through the outbox.
    static func withAcknowledgedRun(_ body: @Sendable (TestServer, Run) async throws -> Void) async throws {
        let clock = ManualClock(start: RunSamples.start)
        try await FakeSlack.with { slack, _ in
            let configure: @Sendable (inout ResponderConfig) -> Void = { config in
                config.slack.botToken = Secret(slack.token)
                config.slack.channel = "C0RESPONDER"
                config.slack.apiURL = slack.baseURL
            }
            try await TestServer.with(configure: configure, playbooks: { .success(Self.playbooks) }, clock: clock, runs: true,
                                      notifications: true) { server in
                #expect(try await server.postAlertmanager(try Fixture.bytes("v4_firing_minimal.json")).status == 200)
                _ = try await eventually("the actions to run") {
                    try await server.runs?.run(id: "run-1").flatMap { run in
                        run.steps.filter { $0.phase == .actions }.allSatisfy { $0.status.isFinished } ? run : nil
                    }
                }
                clock.advance(by: .seconds(240))
                #expect(try await server.postAlertmanager(try Fixture.bytes("v4_resolved_minimal.json")).status == 200)
                _ = try await eventually("the resolve") {
                    try await server.runs?.run(id: "run-1").flatMap { $0.resolvedAt == nil ? nil : $0 }
                }
                clock.advance(by: .seconds(60))
                #expect(try await server.send(.POST, "/api/runs/run-1/ack?actor=alice", headers: Self.admin).status == 200)
                let run = try await eventually("the ack") {
                    try await server.runs?.run(id: "run-1").flatMap { $0.acknowledgedBy == nil ? nil : $0 }
                }
                clock.advance(by: .seconds(60))
                try await body(server, run)
            }
        }
    }

    /// The facts a person must see for `run` (as the page states them): the worker's current count, and its next step
    /// with its due time.
    static func facts(_ run: Run) throws -> (current: Int, due: Date) {
        let current = try #require(run.steps.last { $0.target == "worker" && $0.status == .done && $0.to != nil }?.to)
        let next = try #require(run.steps.first { !$0.status.isFinished && $0.phase != .undo && $0.target == "worker" })
        let due = try #require(next.due, "the first ladder step has a due time once the alert resolved")
        #expect(due == run.resolvedAt?.addingTimeInterval(600))
        #expect(due > RunSamples.start.addingTimeInterval(360), "due after the page's time")
        return (current, due)
    }

    /// Loads `path` in Chromium at `width` x `height`: a screenshot saved as `name`, and the DOM after the page's script ran.
    static func look(_ server: TestServer, _ path: String, width: Int, height: Int, name: String) async throws -> String {
        try FileManager.default.createDirectory(atPath: artifacts, withIntermediateDirectories: true)
        let screenshot = artifacts + "/" + name
        try? FileManager.default.removeItem(atPath: screenshot)
        let url = server.baseURL + path
        _ = try await StatusPageTests.chromium(["--screenshot=\(screenshot)", "--window-size=\(width),\(height)", "--hide-scrollbars", url])
        let png = try #require(FileManager.default.contents(atPath: screenshot), "screenshot \(name)")
        #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]))
        return try await StatusPageTests.chromium(["--dump-dom", "--window-size=\(width),\(height)", url])
    }

    @Test("at 1280 px and 375 px, the status page and the run page show the timeline with the current count, the next due time and who acknowledged")
    func inChromium() async throws {
        try await Self.withAcknowledgedRun { server, run in
            let (current, due) = try Self.facts(run)
            for (width, height) in [(1280, 900), (375, 800)] {
                for (path, name) in [("/", "status-page"), ("/runs/run-1", "run-page")] {
                    let dom = try await Self.look(server, path, width: width, height: height, name: "\(name)-\(width).png")
                    #expect(dom.contains(#"<svg class="timeline-svg""#) && dom.contains(#"role="img""#), "\(path) at \(width)")
                    #expect(dom.contains(#"aria-labelledby="tl-run-1-title tl-run-1-desc""#))
                    #expect(dom.contains("<td class=\"current\">\(current)</td>"), "the current count, \(path) at \(width)")
                    #expect(dom.contains("<span class=\"due-at\">\(StatusPage.human(due))</span>"), "the next due time, \(path) at \(width)")
                    #expect(dom.range(of: "<time class=\"countdown\" datetime=\"\(StatusPage.stamp(due))\">in [0-9]+m [0-9]{2}s</time>",
                                      options: .regularExpression) != nil, "the live countdown, \(path) at \(width)")
                    #expect(dom.contains(#"Acknowledged by <b class="acked-by">alice</b>"#), "who acknowledged, \(path) at \(width)")
                    #expect(dom.contains(#"<g class="marker ack">"#) && dom.contains(#"<g class="marker resolve">"#))
                    #expect(dom.contains(#"<path class="line-planned""#) && dom.contains(#"<path class="line-done""#))
                }
            }
            let page = try await server.send(.GET, "/runs/run-1")
            #expect(page.headers["Content-Security-Policy"].first == StatusRoutes.contentSecurityPolicy)
            #expect(page.body.components(separatedBy: "<script").count == 2, "the only script is the page's own")
        }
    }

    @Test("the run page: history for anyone; notifications with their delivery state and the requests made for a signed-in user, secrets redacted; bad ids answered")
    func runPage() async throws {
        try await Self.withAcknowledgedRun { server, run in
            let anonymous = try await server.send(.GET, "/runs/run-1")
            #expect(anonymous.status == 200)
            #expect(anonymous.body.contains("<section id=\"history\"><h2>History (\(run.history.count))</h2>"))
            #expect(anonymous.body.contains("acknowledged by alice") && anonymous.body.contains("started by alert HighQueueDepth"))
            #expect(!anonymous.body.contains("id=\"notifications\"") && !anonymous.body.contains("id=\"requests\""))
            #expect(anonymous.body.contains(#"<a href="/runs/run-1?sign-in=1">Sign in</a>"#))
            #expect(try await server.send(.GET, "/runs/run-1?sign-in=1").status == 401)

            // The run's Slack messages go through the outbox to the fake Slack.
            _ = try await Self.eventually("the notifications delivered") {
                let items = try await server.journal.notifications(runID: "run-1")
                return !items.isEmpty && items.allSatisfy { $0.status == .delivered } ? items : nil
            }
            let signedIn = try await server.send(.GET, "/runs/run-1", headers: Self.admin)
            #expect(signedIn.status == 200)
            #expect(signedIn.body.contains(#"<section id="notifications"><h2>Notifications ("#))
            let section = signedIn.body.components(separatedBy: #"<section id="notifications">"#).last ?? ""
            #expect(section.contains(#"<td class="delivery">sent</td>"#), "\(section.prefix(3000))")
            #expect(signedIn.body.contains(#"<section id="requests"><h2>Requests made ("#))
            #expect(signedIn.body.contains("POST https://cache.internal/warm?q=1&amp;r=2"), "the exact request, escaped")
            #expect(signedIn.body.contains("Authorization: &lt;redacted&gt;") && !signedIn.body.contains("hunter2"))

            let unknown = try await server.send(.GET, "/runs/run-999")
            #expect(unknown.status == 404 && unknown.body.contains("There is no run run-999."))
            for bad in ["/runs/%3Cscript%3E", "/runs/" + String(repeating: "a", count: 101), "/runs/run-1%00"] {
                let answer = try await server.send(.GET, bad)
                #expect(answer.status == 400 && answer.body.contains("Malformed run id"), "\(bad)")
                #expect(answer.body.components(separatedBy: "<script").count == 2 && !answer.body.contains("aaaa"),
                        "the page's own script only; the id is not echoed")
            }
        }
    }

    @Test("ended runs: filtered by playbook, target, status and time, paged; a bad filter is a 400 that says why")
    func endedRuns() async throws {
        try await Self.withAcknowledgedRun { server, _ in
            #expect(try await server.send(.GET, "/runs").body.contains("No ended runs match."), "an open run is not listed")
            #expect(try await server.send(.POST, "/api/runs/run-1/abort?actor=alice", headers: Self.admin).status == 200)
            _ = try await Self.eventually("the end") { try await server.runs?.run(id: "run-1").flatMap { $0.isOpen ? nil : $0 } }
            let listed = try await server.send(.GET, "/runs?playbook=queue-depth-workers&target=worker&status=aborted&since=2026-01-01")
            #expect(listed.status == 200)
            #expect(listed.body.contains(#"<tr class="ended-run"><td><a href="/runs/run-1">run-1</a></td>"#))
            #expect(listed.body.contains("<td>alice</td>"))
            for query in ["playbook=other", "target=api", "status=completed", "until=2025-12-31", "since=2026-01-02T00:00:00Z"] {
                #expect(try await server.send(.GET, "/runs?" + query).body.contains("No ended runs match."), "\(query)")
            }
            let page2 = try await server.send(.GET, "/runs?limit=1&page=2")
            #expect(page2.status == 200 && page2.body.contains("No ended runs match.") && page2.body.contains(#"rel="prev""#))
            let bad = try await server.send(.GET, "/runs?since=last%20tuesday")
            #expect(bad.status == 400)
            #expect(bad.body.contains("since: must be an ISO-8601 date-time with a zone, such as 2026-01-01T00:00:00Z"))
            #expect(try await server.send(.GET, "/runs?limit=abc").status == 400)
            #expect(try await server.send(.GET, "/runs?status=active").status == 400)
        }
    }
}
