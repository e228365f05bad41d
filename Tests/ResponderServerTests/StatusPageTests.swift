import Foundation
import ResponderCore
import ResponderPlaybooks
import ResponderRuntime
@testable import ResponderServer
import ResponderTestSupport
import Testing

/// `GET /` in a real browser: Debian's Chromium, headless, loads the page over HTTPS from a real server, and the test
/// reads the DOM it built (after the countdown script ran) and saves a screenshot as a test artifact.
@Suite("status page", .serialized)
struct StatusPageTests {
    static let location = FileLocation(file: "Playbooks/workers.yaml", line: 1)
    static let playbooks = PlaybookSet(
        targets: ["worker": Target(name: "worker", backend: .compose(.init(project: "demo", service: "worker")),
                                   bounds: .init(floor: 2, ceiling: 20), location: location)],
        playbooks: [Playbook(
            name: "queue-depth-workers", kind: .emergencyScale,
            match: .init(matchers: [AlertMatcher(name: "alertname", op: .equal, value: "HighQueueDepth")]),
            actions: [.scale(target: "worker", change: .by(5))],
            ladder: .init(hold: .seconds(600), every: .seconds(1800), levels: [("worker", [.replicas(4), .floor])]),
            location: location
        )],
        files: ["workers.yaml"])

    /// Where screenshots go: the run pages' folder (`$RESPONDER_TEST_ARTIFACTS`, else `.build/artifacts/`).
    static var artifacts: String { RunPagesTests.artifacts }

    /// Runs headless Chromium with `arguments` and returns its stdout. It waits without blocking a thread: the server
    /// the browser loads from answers on the same cooperative pool, which two blocked browser runs (two suites at once
    /// on a 2-core machine) would use up, leaving the page unanswered and both browsers waiting forever.
    static func chromium(_ arguments: [String]) async throws -> String {
        guard let binary = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first(where: FileManager.default.isExecutableFile) else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSLocalizedDescriptionKey: "chromium is not installed (apt-get install chromium)"])
        }
        let profile = FileManager.default.temporaryDirectory.appendingPathComponent("chromium-\(UUID().uuidString)").path
        let outputPath = profile + ".out"
        defer {
            try? FileManager.default.removeItem(atPath: profile)
            try? FileManager.default.removeItem(atPath: outputPath)
        }
        guard FileManager.default.createFile(atPath: outputPath, contents: nil) else { throw CocoaError(.fileWriteUnknown) }
        let output = try FileHandle(forWritingTo: URL(fileURLWithPath: outputPath))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                             "--user-data-dir=\(profile)", "--ignore-certificate-errors", "--virtual-time-budget=3000"] + arguments
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try await withCheckedThrowingContinuation { (finished: CheckedContinuation<Void, any Error>) in
            process.terminationHandler = { _ in finished.resume() }
            do {
                try process.run()
            } catch {
                process.terminationHandler = nil
                finished.resume(throwing: error)
            }
        }
        try output.close()
        return String(decoding: FileManager.default.contents(atPath: outputPath) ?? Data(), as: UTF8.self)
    }

    @Test("a real browser shows the active run with its last and next steps and countdowns, and recent alerts; only a signed-in user gets actions")
    func inChromium() async throws {
        try await TestServer.with(playbooks: { .success(Self.playbooks) }, runs: true, notifications: true) { server in
            #expect(try await server.postAlertmanager(try Fixture.bytes("v4_firing_minimal.json")).status == 200)
            #expect(try await server.postAlertmanager(try Fixture.bytes("v4_resolved_minimal.json")).status == 200)
            for _ in 0..<300 {
                if let run = try await server.runs?.run(id: "run-1"), run.resolvedAt != nil, run.steps.first?.status == .done { break }
                try await Task.sleep(for: .milliseconds(10))
            }
            let url = "https://localhost:\(server.port)/"
            let dom = try await Self.chromium(["--dump-dom", url])
            #expect(dom.contains("Active runs (1)"))
            #expect(dom.contains("run-1") && dom.contains("queue-depth-workers"))
            #expect(dom.contains("last: step 0"), "the last step done")
            #expect(dom.range(of: #"in (9m|10m) [0-9]{2}s"#, options: .regularExpression) != nil,
                    "the countdown to the first ladder step, refreshed by the page's script")
            #expect(dom.contains("HighQueueDepth") && dom.contains("Recent alerts"))
            #expect(dom.contains("Upcoming events (0)") && dom.contains("No upcoming events."))
            #expect(!dom.contains("data-action="), "no actions for an anonymous visitor")

            try FileManager.default.createDirectory(atPath: Self.artifacts, withIntermediateDirectories: true)
            let screenshot = Self.artifacts + "/status-page-basic.png"
            try? FileManager.default.removeItem(atPath: screenshot)
            _ = try await Self.chromium(["--screenshot=\(screenshot)", "--window-size=1280,900", url])
            let png = try #require(FileManager.default.contents(atPath: screenshot))
            #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]), "a PNG screenshot is saved as a test artifact")

            let signedIn = try await server.send(.GET, "/", headers: [("Authorization", "Bearer \(TestServer.adminToken)")])
            #expect(signedIn.status == 200)
            for action in ["ack", "hold", "abort"] { #expect(signedIn.body.contains("data-action=\"\(action)\"")) }
            let csp = signedIn.headers["Content-Security-Policy"].first ?? ""
            #expect(csp.contains("script-src 'sha256-") && csp.contains("form-action 'self'"))
            #expect(try await server.send(.GET, "/?sign-in=1").status == 401)

            // The page's Hold form acts like a chat link: once, recorded as the status page.
            let form = try #require(signedIn.body.range(of: #"action="/actions/[^"]+"><input type="hidden" name="actor" value="status page"><button type="submit" class="hold""#,
                                                        options: .regularExpression))
            let path = String(signedIn.body[form].dropFirst(#"action=""#.count).prefix { $0 != "\"" })
            let held = try await server.send(.POST, path, body: Array("actor=status+page".utf8),
                                             headers: [("Content-Type", "application/x-www-form-urlencoded")])
            #expect(held.status == 200)
            #expect(try await server.runs?.run(id: "run-1")?.status == .held)
        }
    }

    /// The admin token and a JSON body, for the events API.
    static let admin = [("Authorization", "Bearer \(TestServer.adminToken)"), ("Content-Type", "application/json")]

    /// Schedules an event through `POST /api/events` and returns its id.
    static func schedule(_ server: TestServer, _ json: String) async throws -> String {
        let answer = try await server.send(.POST, "/api/events", body: Array(json.utf8), headers: admin)
        #expect(answer.status == 201, "\(answer.body)")
        let object = try JSONSerialization.jsonObject(with: Data(answer.body.utf8)) as? [String: Any]
        return try #require(object?["id"] as? String)
    }

    /// The rows of the upcoming-events table in `html`, in page order: each event's id and the row's HTML.
    static func eventRows(_ html: String) -> [(id: String, html: String)] {
        html.components(separatedBy: #"<tr class="event" id="event-"#).dropFirst().map { chunk in
            (String(chunk.prefix { $0 != "\"" }), chunk.components(separatedBy: "</tr>").first ?? "")
        }
    }

    @Test("upcoming events: soonest first, with a countdown from the server's clock; names escaped, cancelled events left out; the browser keeps counting from the server's time")
    func upcomingEvents() async throws {
        let clock = ManualClock(start: RunSamples.start)  // 2026-01-01T00:00:00Z
        let set = try PlaybookLoader.load(files: [("events.yaml", LaunchPlaybook.yaml(lead: "1h", hold: "30m", every: "10m"))]).get()
        try await TestServer.with(playbooks: { .success(set) }, clock: clock, runs: true) { server in
            let hostile = try await Self.schedule(server, """
                {"playbook":"launch","name":"<script>alert(1)</script>","start":"2026-01-02T00:12:00Z","end":"2026-01-02T02:00:00Z"}
                """)
            let berlin = try await Self.schedule(server, """
                {"playbook":"launch","name":"Friday launch","start":"2026-01-01T18:30","end":"2026-01-01T20:00","time_zone":"Europe/Berlin"}
                """)
            let dropped = try await Self.schedule(server, """
                {"playbook":"launch","name":"Dropped sale","start":"2026-01-01T12:00:00Z","end":"2026-01-01T13:00:00Z"}
                """)
            #expect(try await server.send(.DELETE, "/api/events/\(dropped)", headers: Self.admin).status == 200)

            let page = try await server.send(.GET, "/")
            #expect(page.status == 200)
            #expect(page.body.contains("Upcoming events (2)"))
            let rows = Self.eventRows(page.body)
            // The hostile one was scheduled first; the Berlin launch starts sooner (17:30 UTC); the cancelled one sooner still.
            #expect(rows.map(\.id) == [berlin, hostile])
            #expect(!page.body.contains("Dropped sale"))
            let first = try #require(rows.first?.html)
            let second = try #require(rows.last?.html)
            // Preparation is the start − the 1 h lead: 16:30 and 23:12 UTC, seen at 00:00 UTC.
            #expect(first.contains(">prepares in 16 h 30 min</span>"), "\(first)")
            #expect(first.contains(#"data-at="2026-01-01T16:30:00.000Z""#))
            #expect(first.contains("<b class=\"event-name\">Friday launch</b>") && first.contains(">launch<"))
            #expect(first.contains(#"<time datetime="2026-01-01T17:30:00.000Z">2026-01-01T17:30:00Z</time>"#))
            #expect(first.contains("2026-01-01T18:30 Europe/Berlin") && first.contains("2026-01-01T17:30 Europe/Berlin"),
                    "start and preparation in the event's zone too")
            #expect(second.contains(">prepares in 23 h 12 min</span>"), "\(second)")
            #expect(second.contains(#"<b class="event-name">&lt;script&gt;alert(1)&lt;/script&gt;</b>"#))
            #expect(!page.body.contains("<script>alert(1)") && page.body.components(separatedBy: "<script").count == 2,
                    "the only script is the page's own")

            // Preparing 1 s after the page's time: after Chromium's 3 s of virtual time the page's script says it is due,
            // while the others still count from the server's manual clock, not the browser's own (a real date).
            let soon = try await Self.schedule(server, """
                {"playbook":"launch","name":"Soon","start":"2026-01-01T01:00:01Z","end":"2026-01-01T01:30:00Z"}
                """)
            let dom = try await Self.chromium(["--dump-dom", server.baseURL + "/"])
            let shown = Dictionary(Self.eventRows(dom).map { ($0.id, $0.html) }, uniquingKeysWith: { first, _ in first })
            #expect(Self.eventRows(dom).map(\.id) == [soon, berlin, hostile])
            #expect(shown[soon]?.contains(#"class="event-countdown""#) == true)
            #expect(shown[soon]?.contains(">preparation due</span>") == true, "\(shown[soon] ?? dom)")
            #expect(shown[berlin]?.contains(">prepares in 16 h 30 min</span>") == true, "\(shown[berlin] ?? dom)")
            #expect(shown[hostile]?.contains("&lt;script&gt;alert(1)&lt;/script&gt;") == true)
        }
    }

    @Test("countdown text and escaping")
    func rendering() {
        #expect(StatusPage.countdown(0) == "due now")
        #expect(StatusPage.countdown(42) == "in 42s")
        #expect(StatusPage.countdown(603) == "in 10m 03s")
        #expect(StatusPage.countdown(7500) == "in 2h 05m")
        #expect(StatusPage.escape(#"<script>alert("x")</script>&'"#) == "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;")
    }

    @Test("a step its load check holds back says so on its line, escaped; once it ran, nothing is left of the wait")
    func loadCheckWait() throws {
        let now = RunSamples.start.addingTimeInterval(30)
        var step = RunSamples.step(1, .action(.scale(target: "worker", change: .to(4))), target: "worker", to: 4,
                                   phase: .ladder, due: now.addingTimeInterval(10))
        step.wait = RunStep.StepWait(since: RunSamples.start, last: GateWait(
            check: "max(load{pod=\"<a&b>\"}) below 100", reason: "500 is not below 100", value: 500,
            recheck: .seconds(10), maxWait: .seconds(600)))
        let run = RunSamples.run("run-1", steps: [step])
        let html = StatusPage.render(.init(runs: [run], recentRuns: [], alerts: [], now: now, links: [:], signedIn: false))
        let line = try #require(html.range(of: #"<li value="1">[^\n]*?</li>"#, options: .regularExpression).map { String(html[$0]) })
        #expect(line.contains(#"<time class="countdown""#) && line.contains("in 10s"), "the countdown to the next re-check: \(line)")
        #expect(line.contains(#"<b class="gate">waiting for max(load{pod=&quot;&lt;a&amp;b&gt;&quot;}) below 100: 500 is not below 100</b>"#),
                "\(line)")
        #expect(!html.contains("<a&b>"), "the check's text is escaped")

        var ran = run
        ran.steps[0].wait?.until = now
        let after = StatusPage.render(.init(runs: [ran], recentRuns: [], alerts: [], now: now, links: [:], signedIn: false))
        #expect(!after.contains("class=\"gate\""), "a wait that ended is not shown as waiting")
    }
}
