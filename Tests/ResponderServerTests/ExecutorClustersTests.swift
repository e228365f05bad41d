import AsyncHTTPClient
import Foundation
import Logging
import ResponderCore
import ResponderRuntime
import ResponderServer
import ResponderStore
import ResponderTestSupport
import Testing

/// `kubernetes.clusters` through the assembly `serve` uses: one client per cluster at start-up, a bad entry stops
/// start-up naming it, and a step's failure names the cluster of its target.
@Suite("live executors on several Kubernetes clusters")
struct ExecutorClustersTests {
    static let location = FileLocation(file: "Playbooks/clusters.yaml", line: 1)

    static func target(_ name: String, cluster: String?) -> Target {
        Target(name: name, backend: .kubernetes(.init(kind: .deployment, namespace: "prod", name: "api", cluster: cluster)),
               bounds: .init(floor: 1, ceiling: 5), location: location)
    }

    /// A kubeconfig for a server nothing listens on (port 1 refuses at once).
    static let kubeconfig = """
        apiVersion: v1
        kind: Config
        current-context: eu
        clusters:
        - name: eu
          cluster: {server: "https://127.0.0.1:1", insecure-skip-tls-verify: true}
        contexts:
        - name: eu
          context: {cluster: eu, user: responder}
        users:
        - name: responder
          user: {token: tok-eu-secret}
        """

    @Test("a cluster gets its own client; failures name the cluster; a bad entry stops start-up naming it")
    func clusters() async throws {
        let folder = try TemporaryFolder("clusters")
        defer { folder.remove() }
        try Self.kubeconfig.write(toFile: folder.path + "/eu-west", atomically: true, encoding: .utf8)
        let journal = try SQLiteJournal(path: folder.path + "/j.sqlite")
        let set = PlaybookSet(targets: ["api-eu": Self.target("api-eu", cluster: "eu-west"), "api-home": Self.target("api-home", cluster: nil)],
                              playbooks: [], files: ["clusters.yaml"])
        let registry = PlaybookRegistry(logger: Logger(label: "t")) { .success(set) }
        var config = ResponderConfig()
        config.executors.dryRun = false
        config.kubernetes.clusters = ["eu-west": .kubeconfig(folder.path + "/eu-west", context: nil)]
        let live = try ExecutorAssembly.make(config: config, journal: journal, registry: registry, httpClient: HTTPClient.shared,
                                             environment: ["HOME": folder.path], logger: Logger(label: "t"))
        #expect(live.summary.hasPrefix("Executors: live (Kubernetes eu-west https://127.0.0.1:1; AWS"), "\(live.summary)")

        func scale(_ target: String) async -> StepResult {
            let step = RunStep(index: 1, phase: .actions, anchor: .now, offsetSeconds: 0, due: nil,
                               work: .action(.scale(target: target, change: .to(3))), target: target, to: 3, detail: "up")
            return await live.executor.execute(step, runID: "r", snapshot: [:], dryRun: false)
        }
        let onEU = await scale("api-eu")
        guard case .retryable(let message) = onEU else {
            Issue.record("expected a retryable transport failure, got \(onEU)")
            await live.shutdown()
            return
        }
        #expect(message.contains("cluster eu-west: Could not reach the Kubernetes API on GET https://127.0.0.1:1/apis/apps/v1/"), "\(message)")
        #expect(!message.contains("tok-eu-secret"))
        let onHome = await scale("api-home")
        guard case .permanent(let reason) = onHome else {
            Issue.record("expected a permanent failure, got \(onHome)")
            await live.shutdown()
            return
        }
        #expect(reason.hasPrefix("target api-home: cluster default: no Kubernetes credentials were found"), "\(reason)")
        await live.shutdown()

        config.kubernetes.clusters["us-east"] = .kubeconfig(folder.path + "/missing", context: nil)
        #expect { try ExecutorAssembly.make(config: config, journal: journal, registry: registry, httpClient: HTTPClient.shared,
                                            environment: ["HOME": folder.path], logger: Logger(label: "t")) } throws: { error in
            "\(error)".hasPrefix("kubernetes.clusters.us-east: The kubeconfig \(folder.path)/missing is missing")
        }
        config.kubernetes.clusters["us-east"] = .kubeconfig(folder.path + "/eu-west", context: "nope")
        #expect { try ExecutorAssembly.make(config: config, journal: journal, registry: registry, httpClient: HTTPClient.shared,
                                            environment: ["HOME": folder.path], logger: Logger(label: "t")) } throws: { error in
            "\(error)".hasPrefix("kubernetes.clusters.us-east: ") && "\(error)".contains(#"no context "nope""#)
        }
    }
}
