import NIOSSL
import ResponderCore
import ResponderExecutors
import Testing

@Suite("Kubernetes dry-run request text: exactly what would be sent, without I/O")
struct KubernetesRequestTextTests {
    static func backend(_ target: Target.Kubernetes) -> (KubernetesBackend, KubernetesClient) {
        let connection = KubernetesConnection(
            server: "https://host:6443", tls: TLSConfiguration.makeClientConfiguration(), authentication: .token("do-not-print"))
        let client = KubernetesClient(connection: connection)
        return (KubernetesBackend(target, client: client), client)
    }

    @Test("label names the kind, namespace and name")
    func label() async throws {
        let (backend, client) = Self.backend(Target.Kubernetes(kind: .statefulSet, namespace: "data", name: "db"))
        #expect(backend.label == "Kubernetes StatefulSet data/db")
        try await client.shutdown()
        let (other, otherClient) = Self.backend(Target.Kubernetes(kind: .deployment, namespace: "prod", name: "api", cluster: "eu-west"))
        #expect(other.label == "Kubernetes Deployment prod/api (cluster eu-west)")
        try await otherClient.shutdown()
    }

    @Test("each operation renders its method, URL with the field manager, content type and sorted JSON body")
    func texts() async throws {
        let (backend, client) = Self.backend(Target.Kubernetes(kind: .deployment, namespace: "prod", name: "api", hpa: "api-hpa", container: "app"))
        let base = "https://host:6443/apis/apps/v1/namespaces/prod/deployments/api"
        let hpa = "https://host:6443/apis/autoscaling/v2/namespaces/prod/horizontalpodautoscalers/api-hpa?fieldManager=responder"
        #expect(backend.request(for: .setReplicas(9))
                == #"PATCH \#(base)/scale?fieldManager=responder (application/merge-patch+json) {"spec":{"replicas":9}}"#)
        #expect(backend.request(for: .setAutoscaler(min: 4, max: 12))
                == #"PATCH \#(hpa) (application/merge-patch+json) {"spec":{"maxReplicas":12,"minReplicas":4}}"#)
        #expect(backend.request(for: .setEnvironment(["B": nil, "A": "1"]))
                == #"PATCH \#(base)?fieldManager=responder (application/strategic-merge-patch+json) {"spec":{"template":{"spec":{"containers":"#
                + #"[{"env":[{"name":"A","value":"1"},{"$patch":"delete","name":"B"}],"name":"app"}]}}}}"#)
        #expect(backend.request(for: .setAnnotations(.workload, ["example.com/why": "spike", "old": nil]))
                == #"PATCH \#(base)?fieldManager=responder (application/merge-patch+json) {"metadata":{"annotations":{"example.com/why":"spike","old":null}}}"#)
        #expect(backend.request(for: .setAnnotations(.hpa, ["k": "v"]))
                == #"PATCH \#(hpa) (application/merge-patch+json) {"metadata":{"annotations":{"k":"v"}}}"#)
        for operation in [BackendOperation.setReplicas(1), .setEnvironment(["A": "1"])] {
            #expect(!backend.request(for: operation).contains("do-not-print"))
        }
        try await client.shutdown()
    }

    @Test("without container the first container is a placeholder; without hpa HPA operations say so")
    func placeholders() async throws {
        let (backend, client) = Self.backend(Target.Kubernetes(kind: .deployment, namespace: "prod", name: "api"))
        #expect(backend.request(for: .setEnvironment(["A": "1"])).contains(#""name":"<first container>""#))
        #expect(backend.request(for: .setAutoscaler(min: 1, max: 2)).contains("has no HPA configured"))
        #expect(backend.request(for: .setAnnotations(.hpa, ["k": "v"])).contains("has no HPA configured"))
        try await client.shutdown()
    }

    @Test("a configured field manager is one percent-encoded query value; reads carry none")
    func fieldManagerEscaping() async throws {
        let connection = KubernetesConnection(
            server: "https://host:6443", tls: TLSConfiguration.makeClientConfiguration(), authentication: .none)
        let client = KubernetesClient(connection: connection, fieldManager: "ops team/responder+1&x=y")
        let workload = KubernetesObjectReference(.deployments, namespace: "prod", name: "api")
        #expect(client.text(of: KubernetesPatches.scale(workload, replicas: 2)).hasPrefix(
            "PATCH https://host:6443/apis/apps/v1/namespaces/prod/deployments/api/scale?fieldManager=ops%20team%2Fresponder%2B1%26x%3Dy "))
        #expect(client.text(of: .get(workload)) == "GET https://host:6443/apis/apps/v1/namespaces/prod/deployments/api")
        try await client.shutdown()
    }

    @Test("names that are not path-safe are escaped, never able to reach another path")
    func escaping() {
        #expect(KubernetesObjectReference(.deployments, namespace: "prod", name: "../secrets").path
                == "/apis/apps/v1/namespaces/prod/deployments/..%2Fsecrets")
        #expect(KubernetesObjectReference(.deployments, namespace: "..", name: "api").path
                == "/apis/apps/v1/namespaces/%2E%2E/deployments/api")
    }
}
