import ResponderCore
import ResponderExecutors
import Testing

@Suite("Kubernetes API failures map to typed, actionable errors")
struct KubernetesErrorTests {
    typealias F = KubernetesFixtures

    static func kubernetesError(_ body: () async throws(KubernetesError) -> Void) async -> KubernetesError? {
        do {
            try await body()
            return nil
        } catch {
            return error
        }
    }

    @Test("401: a rejected token is a permanent credentials error that never shows the token")
    func unauthorized() async throws {
        try await FakeKubernetesServer.with(F.cluster(token: "the-right-one")) { port async throws in
            let client = KubernetesClient(connection: try F.connection(port: port))
            let backend = KubernetesBackend(F.apiTarget, client: client)
            let error = await #expect(throws: BackendError.self) { _ = try await backend.replicas() }
            try await client.shutdown()
            #expect(error?.retryable == false)
            #expect(error?.message.contains("rejected Responder's credentials (HTTP 401)") == true)
            #expect(error?.message.contains(F.token) == false)
        }
    }

    @Test("403: names the verb, resource, namespace and the RBAC rule to add, with the API's message")
    func forbidden() async throws {
        let api = F.cluster()
        api.deny("patch", "deployments/scale", in: "prod")
        try await FakeKubernetesServer.with(api) { port async throws in
            let client = KubernetesClient(connection: try F.connection(port: port))
            #expect(try await client.replicas(of: .init(.deployments, namespace: "prod", name: "api")) == 3, "get is allowed")
            let error = await Self.kubernetesError { () throws(KubernetesError) in
                try await client.setReplicas(of: .init(.deployments, namespace: "prod", name: "api"), to: 5)
            }
            try await client.shutdown()
            let denied = try #require(error)
            #expect(denied.kind == .forbidden)
            #expect(denied.statusCode == 403)
            #expect(!denied.retryable && !denied.backendError.retryable)
            let message = denied.message
            #expect(message.contains(#"forbids Responder to patch deployments/scale "api" in namespace "prod""#))
            #expect(message.contains(#"apiGroups: ["apps"], resources: ["deployments/scale"], verbs: ["patch"]"#))
            #expect(message.contains(#"API: deployments.apps "api" is forbidden: User "system:serviceaccount:responder:responder" "#
                + #"cannot patch resource "deployments/scale" in API group "apps" in the namespace "prod""#))
            #expect(!message.contains(F.token))
        }
    }

    @Test("404: names the missing object and namespace and what to check", arguments: [
        (Target.Kubernetes(kind: .deployment, namespace: "prod", name: "apii"), #"Deployment "apii" in namespace "prod" not found"#),
        (Target.Kubernetes(kind: .statefulSet, namespace: "prod", name: "api"), #"StatefulSet "api" in namespace "prod" not found"#),
        (Target.Kubernetes(kind: .deployment, namespace: "stage", name: "api"), #"Deployment "api" in namespace "stage" not found"#),
    ])
    func notFound(_ target: Target.Kubernetes, _ expected: String) async throws {
        try await F.withBackend(target) { backend, _ async throws in
            let error = await #expect(throws: BackendError.self) { _ = try await backend.replicas() }
            #expect(error?.retryable == false)
            #expect(error?.message.contains(expected) == true, "\(error?.message ?? "")")
            #expect(error?.message.contains("check the target's name, namespace and kind") == true)
            #expect(error?.message.contains(F.token) == false)
        }
    }

    @Test("404 of an HPA points at the target's hpa name")
    func hpaNotFound() async throws {
        try await F.withBackend(Target.Kubernetes(kind: .deployment, namespace: "prod", name: "api", hpa: "nope")) { backend, _ async throws in
            let error = await #expect(throws: BackendError.self) { _ = try await backend.autoscaler() }
            #expect(error?.message.contains(#"HorizontalPodAutoscaler "nope" in namespace "prod" not found"#) == true)
            #expect(error?.message.contains("check the target's hpa name") == true)
        }
    }

    @Test("422: negative replicas and min above max are permanent, with the API's validation message")
    func invalid() async throws {
        try await F.withBackend { backend, api async throws in
            let negative = await #expect(throws: BackendError.self) { try await backend.setReplicas(-1) }
            #expect(negative?.retryable == false)
            #expect(negative?.message.contains("spec.replicas: Invalid value: -1: must be greater than or equal to 0") == true)
            let inverted = await #expect(throws: BackendError.self) { try await backend.setAutoscaler(min: 12, max: 4) }
            #expect(inverted?.retryable == false)
            #expect(inverted?.message.contains(#"refused the change to HorizontalPodAutoscaler "api-hpa""#) == true)
            #expect(inverted?.message.contains("must be greater than or equal to `minReplicas`") == true)
            #expect(try await backend.autoscaler() == AutoscalerState(min: 2, max: 10, desired: 4), "nothing changed")
            #expect(api.object(FakeKubernetesAPI.deployments, "prod", "api")?[path: "spec.replicas"] == 3)
        }
    }

    @Test("throttling and server errors are retryable; an unparsable answer is permanent", arguments: [
        (429, "{}", true, KubernetesError.Kind.throttled),
        (503, #"{"kind":"Status","message":"etcdserver: leader changed","code":503}"#, true, .serverError),
        (500, "<html>oops</html>", true, .serverError),
        (200, "<html>not kubernetes</html>", false, .unparsableResponse),
        (415, "{}", false, .unexpectedStatus),
    ])
    func classification(_ status: Int, _ body: String, _ retryable: Bool, _ kind: KubernetesError.Kind) async throws {
        let api = F.cluster()
        api.failNext(status: status, body: body)
        try await FakeKubernetesServer.with(api) { port async throws in
            let client = KubernetesClient(connection: try F.connection(port: port))
            let error = await Self.kubernetesError { () throws(KubernetesError) in
                _ = try await client.replicas(of: .init(.deployments, namespace: "prod", name: "api"))
            }
            try await client.shutdown()
            #expect(error?.kind == kind)
            #expect(error?.retryable == retryable)
            #expect(error?.backendError.retryable == retryable)
            if status == 503 {
                #expect(error?.message.contains("etcdserver: leader changed") == true)
            }
        }
    }

    @Test("an unreachable API server is a retryable transport error")
    func unreachable() async throws {
        // Nothing listens on port 1: the refused connection fails the request at once (no connection retries).
        let client = KubernetesClient(connection: try F.connection(port: 1))
        let error = await Self.kubernetesError { () throws(KubernetesError) in
            _ = try await client.replicas(of: .init(.deployments, namespace: "prod", name: "api"))
        }
        try await client.shutdown()
        #expect(error?.kind == .transport)
        #expect(error?.retryable == true)
        #expect(error?.message.contains("https://127.0.0.1:1/apis/apps/v1/namespaces/prod/deployments/api/scale") == true)
    }

    @Test("a server certificate from another CA fails TLS with a message pointing at the CA")
    func wrongCA() async throws {
        try await FakeKubernetesServer.with(F.cluster()) { port async throws in
            let tls = try KubernetesTLS.configuration(authority: .pem(Array(TestPKI.shared.otherCAPEM.utf8), origin: "x"), identity: nil)
            let connection = KubernetesConnection(server: "https://127.0.0.1:\(port)", tls: tls, authentication: .token(F.token))
            let client = KubernetesClient(connection: connection)
            let error = await Self.kubernetesError { () throws(KubernetesError) in
                _ = try await client.replicas(of: .init(.deployments, namespace: "prod", name: "api"))
            }
            try await client.shutdown()
            #expect(error?.kind == .transport)
            #expect(error?.message.contains("check the cluster CA") == true, "\(error?.message ?? "")")
            #expect(error?.message.contains(F.token) == false)
        }
    }
}
