import Foundation
import ResponderCore
import ResponderExecutors
import Testing

/// Every write names Responder's field manager, and the fake records it in managedFields as the API server does, so
/// Argo CD's `managedFieldsManagers` and Flux's ignore rules can recognise Responder's changes.
@Suite("Kubernetes writes name the field manager, recorded in managedFields")
struct KubernetesFieldManagerTests {
    typealias F = KubernetesFixtures
    static let replicas = ["f:spec", "f:replicas"]

    static func entry(_ manager: String, of object: FakeJSON?) -> FakeJSON? {
        object?[path: "metadata.managedFields"]?.array?.first { $0["manager"]?.string == manager }
    }

    @Test("scaling a Deployment and changing its HPA: responder owns spec.replicas and the HPA bounds, the GitOps tool no longer")
    func scaleAndAutoscaler() async throws {
        try await F.withBackend { backend, api async throws in
            let before = api.object(FakeKubernetesAPI.deployments, "prod", "api")
            #expect(FakeManagedFields.owners(of: Self.replicas, in: try #require(before)) == [F.gitOps])
            try await backend.setReplicas(9)
            try await backend.setAutoscaler(min: 6, max: 20)

            let deployment = try #require(api.object(FakeKubernetesAPI.deployments, "prod", "api"))
            #expect(FakeManagedFields.owners(of: Self.replicas, in: deployment) == ["responder"])
            let scale = try #require(Self.entry("responder", of: deployment))
            #expect(scale["operation"] == "Update" && scale["subresource"] == "scale" && scale["apiVersion"] == "apps/v1")
            #expect(scale["fieldsType"] == "FieldsV1" && scale["fieldsV1"] == ["f:spec": ["f:replicas": [:]]])
            #expect(scale["time"]?.string.flatMap { ISO8601DateFormatter().date(from: $0) } != nil)
            #expect(Self.entry(F.gitOps, of: deployment)?["fieldsV1"] == ["f:metadata": ["f:annotations": ["f:team": [:]]]],
                    "the GitOps tool keeps what Responder did not change")

            let hpa = try #require(api.object(FakeKubernetesAPI.hpas, "prod", "api-hpa"))
            for field in ["f:minReplicas", "f:maxReplicas"] {
                #expect(FakeManagedFields.owners(of: ["f:spec", field], in: hpa) == ["responder"], "\(field)")
            }
            let bounds = try #require(Self.entry("responder", of: hpa))
            #expect(bounds["operation"] == "Update" && bounds.object?.keys.contains("subresource") == false && bounds["apiVersion"] == "autoscaling/v2")
            #expect(Self.entry(F.gitOps, of: hpa) == Optional<FakeJSON>.none, "an entry left without fields is dropped")

            let writes = api.requests.filter { $0.method == "PATCH" }
            #expect(writes.count == 2 && writes.allSatisfy { $0.query == "fieldManager=responder" })
            #expect(api.requests.filter { $0.method == "GET" }.allSatisfy { $0.query == nil }, "reads name no manager")
        }
    }

    @Test("a configured field manager is percent-encoded on the wire and recorded as written")
    func configuredName() async throws {
        let name = "ops team/responder+eu&x=1"
        try await F.withBackend(fieldManager: name) { backend, api async throws in
            try await backend.setReplicas(5)
            try await backend.setAnnotations(on: .workload, ["responder.io/reason": "spike"])
            let deployment = try #require(api.object(FakeKubernetesAPI.deployments, "prod", "api"))
            #expect(FakeManagedFields.owners(of: Self.replicas, in: deployment) == [name])
            #expect(FakeManagedFields.owners(of: ["f:metadata", "f:annotations", "f:responder.io/reason"], in: deployment) == [name])
            let entries = deployment[path: "metadata.managedFields"]?.array?.filter { $0["manager"]?.string == name }
            #expect(entries?.count == 2, "the scale subresource and the object itself are separate entries")
            #expect(api.requests.filter { $0.method == "PATCH" }.allSatisfy {
                $0.query == "fieldManager=ops%20team%2Fresponder%2Beu%26x%3D1"
            })
        }
    }

    @Test("env changes are owned per container and per variable")
    func environment() async throws {
        try await F.withBackend { backend, api async throws in
            try await backend.setEnvironment(["NEW_FLAG": "on", "LOG_LEVEL": "debug"])
            let deployment = try #require(api.object(FakeKubernetesAPI.deployments, "prod", "api"))
            let app = ["f:spec", "f:template", "f:spec", "f:containers", #"k:{"name":"app"}"#, "f:env"]
            #expect(FakeManagedFields.owners(of: app + [#"k:{"name":"NEW_FLAG"}"#, "."], in: deployment) == ["responder"])
            #expect(FakeManagedFields.owners(of: app + [#"k:{"name":"LOG_LEVEL"}"#, "f:value"], in: deployment) == ["responder"])
            #expect(FakeManagedFields.owners(of: app + [#"k:{"name":"FEATURE_X"}"#, "f:value"], in: deployment).isEmpty,
                    "a variable Responder did not change is not claimed")
        }
    }

    @Test("a field manager the API server refuses is a permanent 422 naming the cluster")
    func refusedName() async throws {
        try await F.withBackend(fieldManager: String(repeating: "r", count: 129)) { backend, api async throws in
            let error = await #expect(throws: BackendError.self) { try await backend.setReplicas(4) }
            #expect(error?.retryable == false)
            #expect(error?.message.hasPrefix("cluster default: ") == true, "\(String(describing: error))")
            #expect(error?.message.contains("fieldManager: Too long: may not be more than 128 bytes") == true)
            #expect(api.object(FakeKubernetesAPI.deployments, "prod", "api")?[path: "spec.replicas"] == 3)
        }
    }
}
