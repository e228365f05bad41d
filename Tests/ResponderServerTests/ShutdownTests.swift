import Foundation
import NIOHTTP1
import ResponderTestSupport
import Testing

/// SIGTERM on the real binary: the services stop in the order that loses nothing, and the process ends within 10 s
/// even when the database does not answer.
@Suite("shutdown on SIGTERM")
struct ShutdownTests {
    /// Responder's own services, as `serve` names them.
    static let named: Set = ["database pool", "http client", "notifications", "run timers", "playbook reload", "retention", "https server"]

    /// The `sl-service` values of swift-service-lifecycle's "Triggering graceful shutdown" log lines for Responder's own
    /// services (not the ones inside Hummingbird's application), in order.
    static func shutdownOrder(_ output: String) -> [String] {
        output.split(separator: "\n").compactMap { line -> String? in
            guard line.contains("Triggering graceful shutdown for service"),
                  let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else { return nil }
            return (object["sl-service"] as? String).flatMap { named.contains($0) ? $0 : nil }
        }
    }

    @Test("the HTTPS server stops first, then reloads, retention, run timers, notifications, and the HTTP client they use last")
    func order() async throws {
        let folders = try ServeFolders("shutdown-order")
        defer { folders.remove() }
        let (serve, _, _) = try await ResponderProcess.serve(
            folders.serveArguments, environment: ["RESPONDER_LOG_LEVEL": "debug"], logs: true
        )
        serve.process.terminate()
        #expect(try await serve.waitForExit() == 0)
        #expect(Self.shutdownOrder(serve.stdout) == ["https server", "playbook reload", "retention", "run timers", "notifications",
                                                   "http client"])
    }

    /// Sends `file` until it is accepted (at most 60 s).
    static func deliver(_ file: String, to replica: MultiReplicaTests.Replica) async throws {
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            if let status = try? await MultiReplicaTests.send(file, to: replica, timeout: .seconds(10)), status == .ok { return }
            try await Task.sleep(for: .milliseconds(200))
        }
        Issue.record("\(file) was not accepted within 60 s")
    }

    @Test("a replica whose database became a black hole in the middle of a ladder still ends within 10 s of SIGTERM")
    func blackHoledDatabase() async throws {
        let server = try await PostgresServer.shared()
        let direct = try await server.createDatabase()
        let proxy = try await BlackHoleProxy(upstreamPort: server.port)
        let database = direct.replacingOccurrences(of: ":\(server.port)/", with: ":\(proxy.port)/")
        let folders = try ServeFolders("shutdown-blackhole")
        defer { folders.remove() }
        try CrashRecoveryTests.playbook.write(toFile: folders.playbooks + "/fast.yaml", atomically: true, encoding: .utf8)
        let replica = try await MultiReplicaTests.start(folders, name: "replica", database: database, logs: true,
                                                   operationTimeout: "1")
        // The replica runs with a 1 s store limit, so on a loaded machine a setup delivery may get 503: resend it,
        // as Alertmanager does.
        try await Self.deliver("v4_firing_minimal.json", to: replica)
        try await Self.deliver("v4_resolved_minimal.json", to: replica)

        proxy.blackHole()
        // A delivery arrives while the database does not answer, and is still in flight at SIGTERM.
        let sent = ContinuousClock.now
        async let late = try? await (MultiReplicaTests.send("v4_firing_minimal.json", to: replica, timeout: .seconds(20)),
                                     ContinuousClock.now - sent)
        // SIGTERM once the server is handling it: a connection whose request has not been read when the server
        // quiesces is closed unanswered (the sender retries), which is not what this test is about.
        let handling = #"responder_http_requests_in_flight{route="/hooks/alertmanager"}"#
        var inFlight = false
        for _ in 0..<200 where !inFlight {
            inFlight = AlertmanagerProcess.sample(handling, in: try await MultiReplicaTests.metrics(of: replica)) ?? 0 >= 1
            if !inFlight { try await Task.sleep(for: .milliseconds(25)) }
        }
        #expect(inFlight, "the delivery reached the server's handler")
        let handled = ContinuousClock.now
        let signalled = ContinuousClock.now
        replica.process.process.terminate()
        let status = try await replica.process.waitForExit(limit: .seconds(20))
        let took = ContinuousClock.now - signalled
        let answer = await late
        print("black-holed database: exit \(took) after SIGTERM, status \(status); delivery answer \(String(describing: answer))")
        #expect(took < .seconds(10), "ended \(took) after SIGTERM")
        // Either every service ended in time, or the deadline ended the process and said so.
        let forced = replica.process.stdout.contains("shutdown did not finish within")
        #expect(status == (forced ? 1 : 0), "exit status \(status)")
        #expect(Self.shutdownOrder(replica.process.stdout).first == "https server")
        // The store's operation limit (1 s here) ends the query the black hole holds and closes its connection (the
        // pool's own, so the query can no longer hang until the deadline: the replica exits in about 1.5 s); the HTTPS
        // server, stopped first, waits for the request it is handling, which gets its 503.
        // Counted from when the handler was seen holding the delivery, not from the send: on a loaded machine the
        // TLS handshake before it took several tenths of a second (a clean-clone run measured 2.3 s from the send).
        let answered = answer.map { sent + $0.1 - handled } ?? .seconds(99)
        #expect(answered < .seconds(2), "a delivery the database cannot take is answered within 2 s of reaching the handler")
        #expect(answer?.0 == .serviceUnavailable, "the delivery the database never saw was refused, so the sender retries")
        await proxy.close()
    }
}
