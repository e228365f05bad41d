import Foundation
import ResponderCore
@testable import ResponderServer
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

    /// Where screenshots go: `.build/test-artifacts/` of the package.
    static var artifacts: String {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return root.appendingPathComponent(".build/test-artifacts").path
    }

    /// Runs headless Chromium with `arguments` and returns its stdout.
    static func chromium(_ arguments: [String]) throws -> String {
        guard let binary = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first(where: FileManager.default.isExecutableFile) else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSLocalizedDescriptionKey: "chromium is not installed (apt-get install chromium)"])
        }
        let profile = FileManager.default.temporaryDirectory.appendingPathComponent("chromium-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: profile) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                             "--user-data-dir=\(profile)", "--ignore-certificate-errors", "--virtual-time-budget=3000"] + arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
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
            let dom = try Self.chromium(["--dump-dom", url])
            #expect(dom.contains("Active runs (1)"))
            #expect(dom.contains("run-1") && dom.contains("queue-depth-workers"))
            #expect(dom.contains("last: step 0"), "the last step done")
            #expect(dom.range(of: #"in (9m|10m) [0-9]{2}s"#, options: .regularExpression) != nil,
                    "the countdown to the first ladder step, refreshed by the page's script")
            #expect(dom.contains("HighQueueDepth") && dom.contains("Recent alerts"))
            #expect(!dom.contains("data-action="), "no actions for an anonymous visitor")

            try FileManager.default.createDirectory(atPath: Self.artifacts, withIntermediateDirectories: true)
            let screenshot = Self.artifacts + "/status-page.png"
            try? FileManager.default.removeItem(atPath: screenshot)
            _ = try Self.chromium(["--screenshot=\(screenshot)", "--window-size=1280,900", url])
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

    @Test("countdown text and escaping")
    func rendering() {
        #expect(StatusPage.countdown(0) == "due now")
        #expect(StatusPage.countdown(42) == "in 42s")
        #expect(StatusPage.countdown(603) == "in 10m 03s")
        #expect(StatusPage.countdown(7500) == "in 2h 05m")
        #expect(StatusPage.escape(#"<script>alert("x")</script>&'"#) == "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;")
    }
}
