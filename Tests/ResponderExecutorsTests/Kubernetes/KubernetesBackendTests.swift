import ResponderCore
import ResponderExecutors
import Testing

@Suite("Kubernetes backend against the fake API server: scale, HPA, env, annotations")
struct KubernetesBackendTests {
    typealias F = KubernetesFixtures

    @Test("a Deployment's replicas are read and set through the scale subresource and read back")
    func deploymentScale() async throws {
        try await F.withBackend { backend, api async throws in
            #expect(try await backend.replicas() == 3)
            try await backend.setReplicas(9)
            #expect(try await backend.replicas() == 9)
            #expect(api.object(FakeKubernetesAPI.deployments, "prod", "api")?[path: "spec.replicas"] == 9)
            let patch = try #require(api.requests.first { $0.method == "PATCH" })
            #expect(patch.path == "/apis/apps/v1/namespaces/prod/deployments/api/scale")
            #expect(patch.contentType == "application/merge-patch+json")
            #expect(patch.body == #"{"spec":{"replicas":9}}"#)
            for request in api.requests {
                #expect(request.authorization == "Bearer \(F.token)")
                #expect(request.accept == "application/json")
                #expect(request.userAgent == "responder")
            }
        }
    }

    @Test("a StatefulSet scales to zero and back (the API omits replicas 0 from the Scale)")
    func statefulSetScale() async throws {
        try await F.withBackend(Target.Kubernetes(kind: .statefulSet, namespace: "prod", name: "db")) { backend, api async throws in
            #expect(try await backend.replicas() == 2)
            try await backend.setReplicas(0)
            #expect(try await backend.replicas() == 0)
            try await backend.setReplicas(4)
            #expect(try await backend.replicas() == 4)
            #expect(api.requests.allSatisfy { $0.path == "/apis/apps/v1/namespaces/prod/statefulsets/db/scale" })
        }
    }

    @Test("HPA bounds read back after a patch that carries the resourceVersion just read")
    func autoscalerPatch() async throws {
        try await F.withBackend { backend, api async throws in
            #expect(try await backend.autoscaler() == AutoscalerState(min: 2, max: 10, desired: 4))
            let before = try #require(api.object(FakeKubernetesAPI.hpas, "prod", "api-hpa")?[path: "metadata.resourceVersion"]?.string)
            try await backend.setAutoscaler(min: 6, max: 20)
            #expect(try await backend.autoscaler() == AutoscalerState(min: 6, max: 20, desired: 4))
            let patch = try #require(api.requests.first { $0.method == "PATCH" })
            #expect(patch.path == "/apis/autoscaling/v2/namespaces/prod/horizontalpodautoscalers/api-hpa")
            #expect(patch.contentType == "application/merge-patch+json")
            #expect(patch.body == #"{"metadata":{"resourceVersion":"\#(before)"},"spec":{"maxReplicas":20,"minReplicas":6}}"#)
            let after = api.object(FakeKubernetesAPI.hpas, "prod", "api-hpa")?[path: "metadata.resourceVersion"]?.string
            #expect(after != before, "every write gets a new resourceVersion")
            #expect(api.object(FakeKubernetesAPI.hpas, "prod", "api-hpa")?[path: "spec.scaleTargetRef.name"] == "api")
        }
    }

    @Test("replica counts read back outside 0 to 100,000 are permanent errors naming the object and the field")
    func countsOutsideTheRange() async throws {
        try await F.withBackend { backend, api async throws in
            var deployment = try #require(api.object(FakeKubernetesAPI.deployments, "prod", "api"))
            deployment["spec"]?["replicas"] = .int(100_000)
            api.put(FakeKubernetesAPI.deployments, deployment)
            #expect(try await backend.replicas() == 100_000)
            deployment["spec"]?["replicas"] = .int(100_001)
            api.put(FakeKubernetesAPI.deployments, deployment)
            let replicas = await #expect(throws: BackendError.self) { try await backend.replicas() }
            #expect(replicas?.retryable == false)
            #expect(replicas?.message.hasPrefix("Kubernetes Deployment prod/api reported spec.replicas 100001, outside the 0 to 100,000") == true)
            var hpa = try #require(api.object(FakeKubernetesAPI.hpas, "prod", "api-hpa"))
            hpa["spec"]?["maxReplicas"] = .int(Int.max)
            api.put(FakeKubernetesAPI.hpas, hpa)
            let bounds = await #expect(throws: BackendError.self) { try await backend.autoscaler() }
            #expect(bounds?.message.contains("HPA reported spec.maxReplicas 9223372036854775807, outside") == true, "\(String(describing: bounds))")
        }
    }

    @Test("an HPA without minReplicas reads as min 1 and no desired count")
    func autoscalerDefaults() async throws {
        let target = Target.Kubernetes(kind: .deployment, namespace: "prod", name: "api", hpa: "bare")
        try await F.withBackend(target) { backend, _ async throws in
            #expect(try await backend.autoscaler() == AutoscalerState(min: 1, max: 5, desired: nil))
        }
    }

    @Test("an HPA changed between read and patch is a 409 conflict, retryable, and the other change survives")
    func autoscalerConflict() async throws {
        try await F.withBackend { backend, api async throws in
            api.changeAfterNextRead(FakeKubernetesAPI.hpas, "prod", "api-hpa") { $0["spec"]?["maxReplicas"] = 30 }
            let error = await #expect(throws: BackendError.self) { try await backend.setAutoscaler(min: 6, max: 20) }
            #expect(error?.retryable == true)
            #expect(error?.message.contains("HorizontalPodAutoscaler \"api-hpa\" in namespace \"prod\" changed") == true)
            #expect(error?.message.contains("the object has been modified") == true, "the API's Status message is kept")
            #expect(try await backend.autoscaler() == AutoscalerState(min: 2, max: 30, desired: 4))
            try await backend.setAutoscaler(min: 6, max: 20)
            #expect(try await backend.autoscaler() == AutoscalerState(min: 6, max: 20, desired: 4), "a retry reads again and wins")
        }
    }

    @Test("without an hpa the autoscaler is nil and changing it or its annotations is a permanent error")
    func noHPA() async throws {
        try await F.withBackend(Target.Kubernetes(kind: .deployment, namespace: "prod", name: "api")) { backend, api async throws in
            #expect(try await backend.autoscaler() == nil)
            let set = await #expect(throws: BackendError.self) { try await backend.setAutoscaler(min: 1, max: 2) }
            #expect(set?.retryable == false)
            #expect(set?.message.contains("has no HPA configured") == true)
            let annotate = await #expect(throws: BackendError.self) { try await backend.setAnnotations(on: .hpa, ["a": "b"]) }
            #expect(annotate?.retryable == false)
            #expect(api.requests.isEmpty, "nothing was sent")
        }
    }

    @Test("env set then read back; the other container and other variables are untouched; removal works")
    func environment() async throws {
        try await F.withBackend { backend, api async throws in
            #expect(try await backend.environment(["LOG_LEVEL", "EMPTY", "MISSING"]) == ["LOG_LEVEL": "info", "EMPTY": ""])
            try await backend.setEnvironment(["LOG_LEVEL": "debug", "NEW_FLAG": "on", "FEATURE_X": nil])
            #expect(try await backend.environment(["LOG_LEVEL", "NEW_FLAG", "FEATURE_X", "EMPTY"])
                    == ["LOG_LEVEL": "debug", "NEW_FLAG": "on", "EMPTY": ""])
            let stored = try #require(api.object(FakeKubernetesAPI.deployments, "prod", "api"))
            let containers = try #require(stored[path: "spec.template.spec.containers"]?.array)
            #expect(containers.count == 2)
            #expect(containers[0]["image"] == "registry/api:1.4")
            #expect(containers[0]["env"]?.array?.contains(["name": "DB_PASSWORD", "valueFrom": ["secretKeyRef": ["name": "db", "key": "password"]]]) == true)
            #expect(containers[1] == ["name": "sidecar", "image": "registry/proxy:2", "env": [["name": "SIDECAR_MODE", "value": "proxy"]]])
            let patch = try #require(api.requests.first { $0.method == "PATCH" })
            #expect(patch.path == "/apis/apps/v1/namespaces/prod/deployments/api")
            #expect(patch.contentType == "application/strategic-merge-patch+json")
            #expect(patch.body == #"{"spec":{"template":{"spec":{"containers":[{"env":[{"$patch":"delete","name":"FEATURE_X"},"#
                + #"{"name":"LOG_LEVEL","value":"debug"},{"name":"NEW_FLAG","value":"on"}],"name":"app"}]}}}}"#)
            try await backend.setEnvironment(["NEW_FLAG": nil])
            #expect(try await backend.environment(["NEW_FLAG", "LOG_LEVEL"]) == ["LOG_LEVEL": "debug"])
        }
    }

    @Test("env of a named container; an unknown container names the ones that exist")
    func namedContainer() async throws {
        let sidecar = Target.Kubernetes(kind: .deployment, namespace: "prod", name: "api", container: "sidecar")
        try await F.withBackend(sidecar) { backend, api async throws in
            try await backend.setEnvironment(["SIDECAR_MODE": "direct"])
            #expect(try await backend.environment(["SIDECAR_MODE", "LOG_LEVEL"]) == ["SIDECAR_MODE": "direct"])
            #expect(api.object(FakeKubernetesAPI.deployments, "prod", "api")?[path: "spec.template.spec"]?["containers"]?
                .array?.first?["env"]?.array?.first == ["name": "LOG_LEVEL", "value": "info"])
        }
        let wrong = Target.Kubernetes(kind: .deployment, namespace: "prod", name: "api", container: "web")
        try await F.withBackend(wrong) { backend, api async throws in
            let error = await #expect(throws: BackendError.self) { try await backend.setEnvironment(["A": "1"]) }
            #expect(error?.retryable == false)
            #expect(error?.message.contains(#"no container "web"; its containers are "app", "sidecar""#) == true)
            #expect(!api.requests.contains { $0.method == "PATCH" })
        }
    }

    @Test("a valueFrom variable is neither reported nor overwritten")
    func valueFrom() async throws {
        try await F.withBackend { backend, api async throws in
            let read = await #expect(throws: BackendError.self) { _ = try await backend.environment(["DB_PASSWORD"]) }
            #expect(read?.message.contains("comes from secret db/password (valueFrom)") == true)
            #expect(read?.retryable == false)
            let write = await #expect(throws: BackendError.self) { try await backend.setEnvironment(["DB_PASSWORD": "x"]) }
            #expect(write?.retryable == false)
            #expect(!api.requests.contains { $0.method == "PATCH" })
        }
    }

    @Test("annotations are set and removed on the workload and on its HPA, others kept", arguments: Action.AnnotatedObject.allCases)
    func annotations(_ object: Action.AnnotatedObject) async throws {
        try await F.withBackend { backend, api async throws in
            let existing = object == .workload ? "team" : "owner"
            try await backend.setAnnotations(on: object, ["responder.io/reason": "QueueDepthHigh", "gone": "soon"])
            #expect(try await backend.annotations(on: object, keys: ["responder.io/reason", "gone", existing, "x"])
                    == ["responder.io/reason": "QueueDepthHigh", "gone": "soon", existing: object == .workload ? "payments" : "sre"])
            try await backend.setAnnotations(on: object, ["gone": nil])
            #expect(try await backend.annotations(on: object, keys: ["responder.io/reason", "gone"]) == ["responder.io/reason": "QueueDepthHigh"])
            let patches = api.requests.filter { $0.method == "PATCH" }
            let path = object == .workload ? "/apis/apps/v1/namespaces/prod/deployments/api"
                : "/apis/autoscaling/v2/namespaces/prod/horizontalpodautoscalers/api-hpa"
            #expect(patches.allSatisfy { $0.path == path && $0.contentType == "application/merge-patch+json" })
            #expect(patches.last?.body == #"{"metadata":{"annotations":{"gone":null}}}"#)
        }
    }
}
