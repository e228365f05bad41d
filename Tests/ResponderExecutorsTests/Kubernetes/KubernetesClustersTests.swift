import ResponderCore
import ResponderExecutors
import Testing

/// Two fake clusters at once, each with its own CA and token: a target's `cluster:` decides which API server gets
/// the request and which credentials it carries, and errors say which cluster answered.
@Suite("Several Kubernetes clusters: a target reaches its own cluster with that cluster's credentials")
struct KubernetesClustersTests {
    typealias F = KubernetesFixtures
    static let tokenA = "tok-a-0d6e1b9c"
    static let tokenB = "tok-b-7f2c48a1"

    /// Runs `body` with fake clusters `default` (the shared test CA, token A, from a connection) and `b` (its own
    /// CA, token B, from a kubeconfig as the configuration names it).
    static func withTwoClusters(_ body: @Sendable (KubernetesClusters, FakeKubernetesAPI, FakeKubernetesAPI) async throws -> Void) async throws {
        let a = F.cluster(token: tokenA)
        let b = F.cluster(token: tokenB)
        let pkiB = try TestPKI()
        try await FakeKubernetesServer.with(a) { portA in
            try await FakeKubernetesServer.with(b, pki: pkiB) { portB in
                let kubeconfigB = KubernetesConnectionTests.kubeconfig(
                    server: "https://127.0.0.1:\(portB)", user: "    token: \(tokenB)",
                    cluster: "    certificate-authority-data: \(TestPKI.base64(pkiB.caPEM))")
                let clusters = KubernetesClusters(clients: [
                    "default": KubernetesClient(connection: try F.connection(port: portA, authentication: .token(tokenA))),
                    "b": KubernetesClient(
                        connection: try KubeconfigLoader.connection(yaml: kubeconfigB, directory: "/", origin: "b.kubeconfig"),
                        cluster: "b"),
                ])
                do {
                    try await body(clusters, a, b)
                } catch {
                    await clusters.shutdown()
                    throw error
                }
                await clusters.shutdown()
            }
        }
    }

    static func replicas(_ api: FakeKubernetesAPI) -> Int? {
        api.object(FakeKubernetesAPI.deployments, "prod", "api")?[path: "spec.replicas"]?.int
    }

    @Test("cluster: b goes to b with b's token and CA; a target without cluster: goes to the default cluster")
    func routing() async throws {
        try await Self.withTwoClusters { clusters, a, b async throws in
            let onB = try clusters.backend(for: Target.Kubernetes(kind: .deployment, namespace: "prod", name: "api", hpa: "api-hpa", cluster: "b"))
            try await onB.setReplicas(7)
            try await onB.setAutoscaler(min: 7, max: 14)
            #expect(Self.replicas(b) == 7 && Self.replicas(a) == 3)
            #expect(b.object(FakeKubernetesAPI.hpas, "prod", "api-hpa")?[path: "spec.minReplicas"] == 7)
            #expect(a.object(FakeKubernetesAPI.hpas, "prod", "api-hpa")?[path: "spec.minReplicas"] == 2)
            #expect(a.requests.isEmpty, "nothing reached cluster a")
            #expect(!b.requests.isEmpty && b.requests.allSatisfy { $0.authorization == "Bearer \(Self.tokenB)" })

            let onDefault = try clusters.backend(for: Target.Kubernetes(kind: .deployment, namespace: "prod", name: "api"))
            try await onDefault.setReplicas(5)
            #expect(Self.replicas(a) == 5 && Self.replicas(b) == 7)
            #expect(a.requests.allSatisfy { $0.authorization == "Bearer \(Self.tokenA)" })
            #expect(!b.requests.contains { $0.authorization == "Bearer \(Self.tokenA)" }, "a's token never went to b")
        }
    }

    @Test("errors name the cluster that answered; an unknown or unavailable cluster is a permanent error naming it")
    func errors() async throws {
        try await Self.withTwoClusters { clusters, _, _ async throws in
            let missing = try clusters.backend(for: Target.Kubernetes(kind: .deployment, namespace: "prod", name: "gone", cluster: "b"))
            let error = await #expect(throws: BackendError.self) { _ = try await missing.replicas() }
            #expect(error?.message.hasPrefix(#"cluster b: Deployment "gone" in namespace "prod" not found"#) == true,
                    "\(String(describing: error))")
            #expect(error?.message.contains(#"API: deployments.apps "gone" not found"#) == true)

            let unknown = #expect(throws: BackendError.self) {
                _ = try clusters.backend(for: Target.Kubernetes(kind: .deployment, namespace: "prod", name: "api", cluster: "c"))
            }
            #expect(unknown?.retryable == false)
            #expect(unknown?.message == "cluster c is not configured (Responder has b, default): add it to kubernetes.clusters in the configuration")
        }
        let none = KubernetesClusters(clients: [:], unavailable: ["default": "no Kubernetes credentials were found"])
        let unavailable = #expect(throws: BackendError.self) {
            _ = try none.backend(for: Target.Kubernetes(kind: .deployment, namespace: "prod", name: "api"))
        }
        #expect(unavailable?.message == "cluster default: no Kubernetes credentials were found")
    }
}
