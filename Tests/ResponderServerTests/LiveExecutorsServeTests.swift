import AsyncHTTPClient
import Foundation
import ResponderTestSupport
import Logging
import ResponderCore
import ResponderRuntime
import ResponderServer
import ResponderStore
import Testing

/// `executors.dry_run: false` through the same assembly `serve` uses: an alert over HTTPS acts on a command-pair
/// target and calls an HTTP endpoint with the alert's labels; a dry-run playbook beside it is only recorded, with the
/// exact request; a broken executor configuration stops start-up with a message saying what to fix.
@Suite("live executors behind serve")
struct LiveExecutorsServeTests {
    static let location = FileLocation(file: "Playbooks/workers.yaml", line: 1)

    /// A command-pair target whose `get` prints the count in `state` and whose `set` writes it.
    static func playbooks(script: String, endpoint: Int) -> PlaybookSet {
        PlaybookSet(
            targets: [
                "worker": Target(name: "worker", backend: .command(.init(get: [script, "get"], set: [script, "set", "{replicas}"])),
                                 bounds: .init(floor: 2, ceiling: 20), location: location),
                "shadow": Target(name: "shadow", backend: .command(.init(get: nil, set: [script, "shadow", "{replicas}"])),
                                 bounds: .init(floor: 1, ceiling: 4), location: location),
            ],
            playbooks: [
                Playbook(
                    name: "queue-depth-workers", kind: .emergencyScale,
                    match: .init(matchers: [AlertMatcher(name: "alertname", op: .equal, value: "HighQueueDepth")]),
                    actions: [
                        .scale(target: "worker", change: .by(5)),
                        .http(.init(method: "POST", url: "http://127.0.0.1:\(endpoint)/warm/${labels.namespace}",
                                    json: .object([JSONMember(key: "deployment", value: .string("${labels.deployment}"))]))),
                    ],
                    location: location
                ),
                Playbook(
                    name: "shadow-rehearsal", kind: .emergencyScale,
                    match: .init(matchers: [AlertMatcher(name: "alertname", op: .equal, value: "HighQueueDepth")]),
                    actions: [.scale(target: "shadow", change: .toMax)], dryRun: true, location: location
                ),
            ],
            files: ["workers.yaml"]
        )
    }

    @Test("an alert scales a command-pair target for real and calls the HTTP endpoint; the dry-run playbook is recorded only")
    func liveRun() async throws {
        let folder = try TemporaryFolder("live")
        defer { folder.remove() }
        let target = try CommandPairTarget(folder: folder.path)
        let (state, script) = (target.replicasFile, target.script)
        let endpoint = FakeHTTPEndpoint()
        try await endpoint.run { port in
            let playbooks = Self.playbooks(script: script, endpoint: port)
            try await TestServer.with(
                configure: { $0.executors.dryRun = false }, playbooks: { .success(playbooks) }, runs: true,
                executor: { journal, registry, config in
                    try ExecutorAssembly.make(config: config, journal: journal, registry: registry, httpClient: HTTPClient.shared,
                                              environment: ["PATH": "/usr/bin:/bin"], logger: Logger(label: "test")).executor
                }
            ) { server in
                #expect(try await server.postAlertmanager(try Fixture.bytes("v4_firing_minimal.json")).status == 200)
                var runs: [Run] = []
                for _ in 0..<300 {
                    runs = try await server.runs?.recentRuns(limit: 5) ?? []
                    if runs.count == 2, runs.allSatisfy({ $0.steps.allSatisfy(\.status.isFinished) }) { break }
                    try await Task.sleep(for: .milliseconds(10))
                }
                let live = try #require(runs.first { $0.playbook == "queue-depth-workers" })
                #expect(live.steps.map(\.status) == [.done, .done], "outcomes: \(live.steps.map { $0.outcome ?? "" })")
                #expect(try String(contentsOfFile: state, encoding: .utf8) == "8\n", "3 read by `get`, +5 set by `set`")
                #expect(live.steps[0].outcome == "command target worker: replicas 3 → 8")
                let hit = try #require(endpoint.recorded.first)
                #expect(hit.method == "POST" && hit.path == "/warm/prod")
                #expect(hit.body == #"{"deployment":"worker"}"#)
                #expect(hit.contentType == "application/json")
                // The live HTTP call is kept on its step, for the run's page; the command pair made no request.
                #expect(live.steps[1].requests == ["attempt 1: POST http://127.0.0.1:\(port)/warm/prod → HTTP 200"],
                        "\(live.steps[1].requests ?? [])")
                #expect(live.steps[0].requests == nil)

                let rehearsal = try #require(runs.first { $0.playbook == "shadow-rehearsal" })
                #expect(rehearsal.dryRun)
                let calls = try await RecordingExecutor(journal: server.journal).calls(runID: rehearsal.id)
                #expect(calls.map(\.request) == [#"["\#(script)","shadow","4"]"#], "the exact argv it would have run")
                let recorded = try await RecordingExecutor(journal: server.journal).calls(runID: live.id)
                #expect(recorded.isEmpty, "live steps are not recorded as dry-run calls")
            }
        }
    }

    @Test("a broken executor configuration stops start-up with what to fix; the default is dry-run")
    func configurationErrors() async throws {
        let folder = try TemporaryFolder("assembly")
        defer { folder.remove() }
        let journal = try SQLiteJournal(path: folder.path + "/j.sqlite")
        let registry = PlaybookRegistry(logger: Logger(label: "t")) { .success(PlaybookSet(targets: [:], playbooks: [], files: [])) }
        var config = ResponderConfig()
        let dry = try ExecutorAssembly.make(config: config, journal: journal, registry: registry, httpClient: HTTPClient.shared,
                                            environment: [:], logger: Logger(label: "t"))
        #expect(dry.summary.hasPrefix("Executors: dry-run"))
        var step = RunStep(index: 1, phase: .ladder, anchor: .resolve, offsetSeconds: 0, due: nil,
                           work: .action(.scale(target: "worker", change: .to(2))), target: "worker", to: 2, detail: "down")
        step.checks = [LoadCheck(name: "rps", source: .prometheus(query: "sum(rate(x[5m]))", url: nil), comparison: .below, threshold: 1)]
        // Dry-run steps are gated by their load checks too.
        let gated = await dry.executor.execute(step, runID: "r", snapshot: [:], dryRun: true)
        #expect(gated == .waiting(GateWait(check: "rps below 1", reason: "cannot be evaluated: prometheus.url is not configured",
                                           value: nil, recheck: .seconds(60), maxWait: .seconds(7_200))))
        var withCA = config
        withCA.prometheus.caFile = folder.path + "/missing-ca.pem"
        #expect { try ExecutorAssembly.make(config: withCA, journal: journal, registry: registry, httpClient: HTTPClient.shared,
                                            environment: [:], logger: Logger(label: "t")) } throws: { error in
            "\(error)".contains("prometheus.ca_file") && "\(error)".contains("missing-ca.pem")
        }

        config.executors.dryRun = false
        config.kubernetes.kubeconfig = folder.path + "/missing-kubeconfig"
        #expect { try ExecutorAssembly.make(config: config, journal: journal, registry: registry, httpClient: HTTPClient.shared,
                                            environment: [:], logger: Logger(label: "t")) } throws: { error in
            "\(error)".hasPrefix("kubernetes: ") && "\(error)".contains("missing-kubeconfig")
        }
        config.kubernetes.kubeconfig = nil
        config.aws.endpointURL = "ftp://moto"
        #expect { try ExecutorAssembly.make(config: config, journal: journal, registry: registry, httpClient: HTTPClient.shared,
                                            environment: [:], logger: Logger(label: "t")) } throws: { error in
            "\(error)".contains("aws.endpoint_url")
        }
        config.aws.endpointURL = nil
        config.aws.region = "eu-west-1"
        let live = try ExecutorAssembly.make(config: config, journal: journal, registry: registry, httpClient: HTTPClient.shared,
                                             environment: ["HOME": folder.path], logger: Logger(label: "t"))
        #expect(live.summary == "Executors: live (AWS region eu-west-1)", "no Kubernetes credentials found is not an error")
    }
}
