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

        /// The step's failure: whether it is retryable, and its message; nil when it did not fail.
        func failure(scaling target: String) async -> (retryable: Bool, message: String)? {
            let step = RunStep(index: 1, phase: .actions, anchor: .now, offsetSeconds: 0, due: nil,
                               work: .action(.scale(target: target, change: .to(3))), target: target, to: 3, detail: "up")
            switch await live.executor.execute(step, runID: "r", snapshot: [:], dryRun: false) {
            case .retryable(let message): return (true, message)
            case .permanent(let message): return (false, message)
            case .success, .waiting: return nil
            }
        }
        let onEU = await failure(scaling: "api-eu")
        let onHome = await failure(scaling: "api-home")
        await live.shutdown()
        #expect(onEU?.retryable == true, "an unreachable server is a transport failure")
        #expect(onEU?.message.contains("cluster eu-west: Could not reach the Kubernetes API on GET https://127.0.0.1:1/apis/apps/v1/") == true,
                "\(String(describing: onEU))")
        #expect(onEU?.message.contains("tok-eu-secret") == false)
        #expect(onHome?.retryable == false)
        #expect(onHome?.message.hasPrefix("target api-home: cluster default: no Kubernetes credentials were found") == true,
                "\(String(describing: onHome))")

        func refusal(_ cluster: ResponderConfig.Kubernetes.Cluster) async -> String {
            var broken = config
            broken.kubernetes.clusters["us-east"] = cluster
            do {
                let assembly = try ExecutorAssembly.make(config: broken, journal: journal, registry: registry, httpClient: HTTPClient.shared,
                                                         environment: ["HOME": folder.path], logger: Logger(label: "t"))
                await assembly.shutdown()
                return "accepted"
            } catch {
                return "\(error)"
            }
        }
        let missing = await refusal(.kubeconfig(folder.path + "/missing", context: nil))
        #expect(missing.hasPrefix("kubernetes.clusters.us-east: The kubeconfig \(folder.path)/missing is missing"), "\(missing)")
        let context = await refusal(.kubeconfig(folder.path + "/eu-west", context: "nope"))
        #expect(context.hasPrefix("kubernetes.clusters.us-east: ") && context.contains(#"no context "nope""#), "\(context)")
    }
}
