import Foundation
import ResponderCore
import ResponderExecutors

/// A small cluster for the fake API and helpers to reach it.
enum KubernetesFixtures {
    static let token = "tok-3f9a1c7e5b2d4a60-SECRET"

    static func deployment(_ namespace: String, _ name: String, replicas: Int, containers: FakeJSON,
                           annotations: FakeJSON = [:]) -> FakeJSON {
        [
            "apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": ["name": .string(name), "namespace": .string(namespace), "annotations": annotations],
            "spec": ["replicas": .int(replicas), "template": ["spec": ["containers": containers]]],
        ]
    }

    /// An entry of metadata.managedFields: what a GitOps tool's server-side apply leaves on the objects it syncs.
    static func applied(by manager: String, _ apiVersion: String, _ fields: FakeJSON) -> FakeJSON {
        ["manager": .string(manager), "operation": "Apply", "apiVersion": .string(apiVersion), "time": "2026-12-01T09:00:00Z",
         "fieldsType": "FieldsV1", "fieldsV1": fields]
    }

    /// The manager that applied the fixtures, as Argo CD names itself.
    static let gitOps = "argocd-controller"

    /// prod/api (app + sidecar, 3 replicas) with HPA prod/api-hpa (2..10, wants 4) and HPA prod/bare (no
    /// minReplicas, no status); StatefulSet prod/db (2 replicas). prod/api and prod/api-hpa were applied by
    /// ``gitOps``, which owns their replicas, the team annotation and the HPA bounds.
    static func cluster(token: String? = KubernetesFixtures.token) -> FakeKubernetesAPI {
        let api = FakeKubernetesAPI(token: token)
        var workload = deployment("prod", "api", replicas: 3, containers: [
            ["name": "app", "image": "registry/api:1.4", "env": [
                ["name": "LOG_LEVEL", "value": "info"],
                ["name": "FEATURE_X", "value": "off"],
                ["name": "EMPTY"],
                ["name": "DB_PASSWORD", "valueFrom": ["secretKeyRef": ["name": "db", "key": "password"]]],
            ]],
            ["name": "sidecar", "image": "registry/proxy:2", "env": [["name": "SIDECAR_MODE", "value": "proxy"]]],
        ], annotations: ["team": "payments"])
        workload["metadata"]?["managedFields"] = [applied(by: gitOps, "apps/v1", [
            "f:metadata": ["f:annotations": ["f:team": [:]]], "f:spec": ["f:replicas": [:]],
        ])]
        api.put(FakeKubernetesAPI.deployments, workload)
        var db = deployment("prod", "db", replicas: 2, containers: [["name": "postgres", "image": "postgres:17"]])
        db["kind"] = "StatefulSet"
        api.put(FakeKubernetesAPI.statefulSets, db)
        api.put(FakeKubernetesAPI.hpas, [
            "apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler",
            "metadata": ["name": "api-hpa", "namespace": "prod", "annotations": ["owner": "sre"], "managedFields": [
                applied(by: gitOps, "autoscaling/v2", ["f:spec": ["f:minReplicas": [:], "f:maxReplicas": [:]]]),
            ]],
            "spec": ["minReplicas": 2, "maxReplicas": 10,
                     "scaleTargetRef": ["apiVersion": "apps/v1", "kind": "Deployment", "name": "api"]],
            "status": ["currentReplicas": 3, "desiredReplicas": 4],
        ])
        api.put(FakeKubernetesAPI.hpas, [
            "apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler",
            "metadata": ["name": "bare", "namespace": "prod"],
            "spec": ["maxReplicas": 5, "scaleTargetRef": ["apiVersion": "apps/v1", "kind": "Deployment", "name": "api"]],
        ])
        return api
    }

    static func connection(port: Int, authentication: KubernetesAuthentication = .token(token)) throws -> KubernetesConnection {
        let tls = try KubernetesTLS.configuration(authority: .pem(Array(TestPKI.shared.caPEM.utf8), origin: "test CA"), identity: nil)
        return KubernetesConnection(server: "https://127.0.0.1:\(port)", tls: tls, authentication: authentication)
    }

    static let apiTarget = Target.Kubernetes(kind: .deployment, namespace: "prod", name: "api", hpa: "api-hpa")

    /// Runs `body` with a backend for `target` against a fresh fake cluster (or `api`), writing as `fieldManager`.
    static func withBackend(
        _ target: Target.Kubernetes = apiTarget, api: FakeKubernetesAPI = cluster(), fieldManager: String = "responder",
        _ body: @Sendable (KubernetesBackend, FakeKubernetesAPI) async throws -> Void
    ) async throws {
        try await FakeKubernetesServer.with(api) { port in
            let client = KubernetesClient(connection: try connection(port: port), fieldManager: fieldManager)
            do {
                try await body(KubernetesBackend(target, client: client), api)
            } catch {
                try? await client.shutdown()
                throw error
            }
            try await client.shutdown()
        }
    }

    /// A fresh temporary folder, removed by the caller.
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("k8s-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
