import Foundation
import ResponderCore
import ResponderStore
import ResponderTestSupport
import Testing

/// The real binary with its state folder on a 16 MiB tmpfs: `/readyz` and the log warn while space is low, a full
/// disk answers deliveries 503 (the process stays up, `/readyz` 503 saying the disk is full, `/metrics` the free
/// bytes), and once the ballast is deleted deliveries are taken again by themselves, nothing accepted before is lost
/// and the run engine acts on a new alert; a run whose writes failed while the disk was full finishes by itself.
@Suite("a full disk under the journal, against the real binary", .serialized)
struct DiskFullTests {
    @Test("low space warns, a full disk answers 503 and readyz says so, freeing space recovers without a restart")
    func fullAndBack() async throws {
        let setup = try PauseServeTests.Setup("disk-full")
        defer { setup.folders.remove() }
        let disk = try SmallFileSystem(at: setup.folders.state, size: "16m")
        defer { disk.unmount() }
        // 64 MiB is more than the whole file system, so the warning shows from the start.
        let server = try await LiveResponder.start(setup.folders, environment: ["RESPONDER_DISK_WARN_FREE_BYTES": "67108864"])
        do {
            try await Self.fullAndBack(server, setup, disk)
            await server.stop()
        } catch {
            await server.stop()
            throw error
        }
    }

    /// The steps of ``fullAndBack()`` on a started server.
    static func fullAndBack(_ server: LiveResponder, _ setup: PauseServeTests.Setup, _ disk: SmallFileSystem) async throws {
        let low = try await readyz(server)
        #expect(low.status == 200, "low space is a warning, still ready: \(low.disk)")
        #expect(low.disk.hasPrefix("warning: ") && low.disk.contains("of 16 MiB") && low.disk.contains(setup.folders.state),
                "\(low.disk)")
        #expect(low.disk.contains("below disk.warn_free_bytes (64 MiB)") && low.disk.contains("when the disk is full"))
        try await server.eventually("the low-space warning in the log") {
            server.process.stdout.contains("disk space under the journal is low") ? true : nil
        }

        var accepted: [String] = []
        for index in 0..<3 {
            let fingerprint = Self.fingerprint(index)
            let reply = try await server.postAlertmanager(body: Self.delivery(fingerprint))
            #expect(reply.status == 200, "\(reply.body)")
            accepted.append(fingerprint)
        }

        let ballast = try disk.fill("ballast")
        #expect(ballast > 8 << 20, "the ballast took the rest of the 16 MiB: \(ballast) bytes")
        // SQLite may still fit a delivery in pages its files already hold; large ones run out of them within a few.
        var refused: (status: UInt, body: String)?
        for index in 100..<160 {
            let fingerprint = Self.fingerprint(index)
            let reply = try await server.postAlertmanager(body: Self.delivery(fingerprint, padding: 200_000))
            if reply.status == 200 {
                accepted.append(fingerprint)
                continue
            }
            refused = reply
            break
        }
        let full = try #require(refused, "60 deliveries of 200 KB were all accepted on a full 16 MiB disk")
        #expect(full.status == 503, "a full disk is a 503, so Alertmanager retries: \(full.status) \(full.body)")
        #expect(full.body.contains("retry later"), "\(full.body)")
        #expect(full.body.contains("the disk holding the journal is full"), "the sender's log says why: \(full.body)")
        #expect(server.process.process.isRunning, "the process is still up")
        try await server.eventually("the failed write's log line to say the disk is full") {
            server.process.stdout.contains("the disk holding the journal is full (SQLITE_FULL)") ? true : nil
        }
        #expect(try await server.postAlertmanager(body: Self.delivery(Self.fingerprint(200), padding: 200_000)).status == 503)

        // `/readyz` reads the disk at most once a second, so its first answer after the fill may be the reading before.
        let notReady = try await server.eventually("/readyz to answer 503", limit: .seconds(5)) {
            let reply = try await readyz(server)
            return reply.status == 503 ? reply : nil
        }
        #expect(notReady.disk.hasPrefix("full: ") && notReady.disk.contains("deliveries are answered 503")
                && notReady.disk.contains("resumes by itself"), "\(notReady.disk)")
        try await server.eventually("the full disk in the log") {
            server.process.stdout.contains("the disk holding the journal is full:") ? true : nil
        }
        let metrics = try await server.eventually("/metrics to show the full disk", limit: .seconds(15)) {
            let text = try await server.admin(.GET, "/metrics").body
            return (Self.gauge("responder_disk_free_bytes", in: text) ?? .infinity) < Double(1 << 20) ? text : nil
        }
        #expect(Self.gauge("responder_disk_size_bytes", in: metrics) == Double(16 << 20), "\(metrics)")

        try FileManager.default.removeItem(atPath: disk.path + "/ballast")
        let started = ContinuousClock.now
        try await server.eventually("a delivery to be accepted again once space is back", limit: .seconds(10)) {
            try await server.postAlertmanager(body: Self.delivery(Self.fingerprint(300))).status == 200 ? true : nil
        }
        #expect(ContinuousClock.now - started < .seconds(10))
        accepted.append(Self.fingerprint(300))
        let back = try await server.eventually("/readyz to be ready again", limit: .seconds(10)) {
            let reply = try await readyz(server)
            return reply.status == 200 ? reply : nil
        }
        #expect(back.disk.hasPrefix("warning: "), "still below the 64 MiB warning: \(back.disk)")
        try await server.eventually("the recovery in the log") {
            server.process.stdout.contains("the disk holding the journal is no longer full") ? true : nil
        }

        let journal = try SQLiteJournal(path: setup.folders.state + "/responder.sqlite")
        let stored = Set(try await journal.recentAlerts(limit: 500).map(\.alert.fingerprint))
        let missing = Set(accepted).subtracting(stored).sorted()
        #expect(missing.isEmpty, "every accepted alert is still in the journal; missing \(missing)")
        #expect(!stored.contains(Self.fingerprint(200)), "a refused delivery left nothing")

        #expect(try await server.postAlertmanager("v4_firing_minimal.json") == 200)
        try await server.eventually("the run engine to act on an alert after the recovery") {
            setup.replicas == "12" ? true : nil
        }
        #expect(server.process.process.isRunning)
    }

    @Test("a run whose ladder falls due while the disk is full finishes by itself once space is back")
    func runThroughFullDisk() async throws {
        let setup = try PauseServeTests.Setup("disk-full-run")
        defer { setup.folders.remove() }
        // The ladder's first step comes 10 s after the resolve, so the disk is full before it falls due: filling 16 MiB
        // took up to 3 s on a loaded machine, and with a 1 s hold the whole ladder had run before the disk was full.
        try FastLadder.yaml(levels: [6, 4], name: "emergency", target: setup.target.yaml)
            .replacingOccurrences(of: "hold: 1s", with: "hold: 10s")
            .write(toFile: setup.folders.playbooks + "/emergency.yaml", atomically: true, encoding: .utf8)
        let disk = try SmallFileSystem(at: setup.folders.state, size: "16m")
        defer { disk.unmount() }
        let server = try await LiveResponder.start(setup.folders)
        do {
            #expect(try await server.postAlertmanager("v4_firing_minimal.json") == 200)
            try await server.eventually("the scale-up") { setup.replicas == "12" ? true : nil }
            let id = try await server.eventually("the run") { try await server.latestRunID() }
            #expect(try await server.postAlertmanager("v4_resolved_minimal.json") == 200)
            try await server.eventually("the resolve to be handed to the run") {
                server.process.stdout.contains("step-down ladder scheduled") ? true : nil
            }
            _ = try disk.fill("ballast")
            #expect(setup.replicas == "12", "the disk was full before the first ladder step fell due")
            // The first ladder step falls due while the disk is full: claiming it is a write the full disk refuses; the
            // engine tries again at its next tick.
            try await server.eventually("the run engine to meet the full disk", limit: .seconds(15)) {
                server.process.stdout.contains("the disk holding the journal is full (SQLITE_FULL)") ? true : nil
            }
            #expect(server.process.process.isRunning)
            try FileManager.default.removeItem(atPath: disk.path + "/ballast")
            try await server.eventually("the ladder to finish once space is back", limit: .seconds(40)) {
                setup.replicas == "4" ? true : nil
            }
            let run = try await server.eventually("the run to end") {
                let run = try await server.run(id).run
                return run.status == .completed ? run : nil
            }
            #expect(run.steps.allSatisfy { $0.status == .done || $0.status == .skipped }, "\(run.steps.map { ($0.index, $0.status, $0.outcome ?? "") })")
            await server.stop()
        } catch {
            await server.stop()
            throw error
        }
    }

    /// `GET /readyz`: the status and the `disk` check.
    static func readyz(_ server: LiveResponder) async throws -> (status: UInt, disk: String) {
        let reply = try await server.admin(.GET, "/readyz")
        let object = try JSONSerialization.jsonObject(with: Data(reply.body.utf8)) as? [String: Any]
        let checks = object?["checks"] as? [String: String]
        return (reply.status, checks?["disk"] ?? "(no disk check in \(reply.body))")
    }

    /// The value of the unlabelled gauge `name` in a Prometheus text exposition.
    static func gauge(_ name: String, in text: String) -> Double? {
        text.split(separator: "\n").first { $0.hasPrefix(name + " ") }.flatMap { Double($0.split(separator: " ")[1]) }
    }

    /// A distinct fingerprint per `index`, so each delivery carries a new alert.
    static func fingerprint(_ index: Int) -> String {
        String(format: "d15cf011%08x", index)
    }

    /// An Alertmanager delivery of one firing alert no playbook matches, with `padding` bytes in its summary.
    static func delivery(_ fingerprint: String, padding: Int = 0) -> String {
        """
        {"version": "4", "groupKey": "{}:{alertname=\\"DiskFillProbe\\"}", "truncatedAlerts": 0, "status": "firing",
         "receiver": "scaler", "groupLabels": {"alertname": "DiskFillProbe"}, "commonLabels": {"alertname": "DiskFillProbe"},
         "commonAnnotations": {}, "externalURL": "http://alertmanager:9093",
         "alerts": [{"status": "firing", "labels": {"alertname": "DiskFillProbe", "probe": "\(fingerprint)"},
                     "annotations": {"summary": "\(String(repeating: "x", count: padding))"},
                     "startsAt": "2026-01-01T00:00:00Z", "endsAt": "0001-01-01T00:00:00Z",
                     "generatorURL": "http://prometheus:9090/graph", "fingerprint": "\(fingerprint)"}]}
        """
    }
}
