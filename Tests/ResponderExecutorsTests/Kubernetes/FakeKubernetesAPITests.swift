import Testing

/// The fake must refuse what the real API refuses, or the backend tests would prove nothing.
@Suite("The fake Kubernetes API enforces the contract")
struct FakeKubernetesAPITests {
    typealias F = KubernetesFixtures
    static let auth = ["authorization": "Bearer \(KubernetesFixtures.token)"]
    static let deployment = "/apis/apps/v1/namespaces/prod/deployments/api"
    static let hpa = "/apis/autoscaling/v2/namespaces/prod/horizontalpodautoscalers/api-hpa"

    static func patch(_ api: FakeKubernetesAPI, _ path: String, _ type: String, _ body: String) -> FakeKubernetesAPI.Reply {
        api.handle(method: "PATCH", path: path, headers: auth.merging(["content-type": type]) { $1 }, body: Array(body.utf8))
    }

    static func reason(_ reply: FakeKubernetesAPI.Reply) -> String? {
        FakeJSON.parse(Array(reply.body.utf8))?["reason"]?.string
    }

    @Test("unknown paths, verbs and tokens are refused with Status bodies")
    func refusals() {
        let api = F.cluster()
        let unknown = api.handle(method: "GET", path: "/apis/apps/v1/namespaces/prod/replicasets/api", headers: Self.auth, body: [])
        #expect(unknown.status == 404 && Self.reason(unknown) == "NotFound")
        let hpaScale = api.handle(method: "GET", path: Self.hpa + "/scale", headers: Self.auth, body: [])
        #expect(hpaScale.status == 404)
        let put = api.handle(method: "PUT", path: Self.deployment, headers: Self.auth, body: [])
        #expect(put.status == 405)
        let anonymous = api.handle(method: "GET", path: Self.deployment, headers: [:], body: [])
        #expect(anonymous.status == 401 && Self.reason(anonymous) == "Unauthorized")
        let wrong = api.handle(method: "GET", path: Self.deployment, headers: ["authorization": "Bearer nope"], body: [])
        #expect(wrong.status == 401)
    }

    @Test("content types are pinned: merge patch for scale and HPA, strategic merge for a workload's spec")
    func contentTypes() {
        let api = F.cluster()
        let merge = "application/merge-patch+json"
        let strategic = "application/strategic-merge-patch+json"
        #expect(Self.patch(api, Self.deployment + "/scale", "application/json", #"{"spec":{"replicas":1}}"#).status == 415)
        #expect(Self.patch(api, Self.deployment + "/scale", strategic, #"{"spec":{"replicas":1}}"#).status == 415)
        #expect(Self.patch(api, Self.hpa, strategic, #"{"spec":{"maxReplicas":3}}"#).status == 415)
        #expect(Self.patch(api, Self.deployment, merge, #"{"spec":{"template":{"spec":{"containers":[]}}}}"#).status == 415)
        #expect(Self.patch(api, Self.deployment, "application/json-patch+json", "[]").status == 415)
        #expect(Self.patch(api, Self.deployment, merge, "not json").status == 400)
        #expect(Self.patch(api, Self.deployment, merge, #"{"metadata":{"annotations":{"a":"b"}}}"#).status == 200)
    }

    @Test("a stale resourceVersion is a 409; every write takes a new resourceVersion")
    func resourceVersions() throws {
        let api = F.cluster()
        let before = try #require(api.object(FakeKubernetesAPI.hpas, "prod", "api-hpa")?[path: "metadata.resourceVersion"]?.string)
        let merge = "application/merge-patch+json"
        let first = Self.patch(api, Self.hpa, merge, #"{"metadata":{"resourceVersion":"\#(before)"},"spec":{"maxReplicas":11}}"#)
        #expect(first.status == 200)
        let after = try #require(api.object(FakeKubernetesAPI.hpas, "prod", "api-hpa")?[path: "metadata.resourceVersion"]?.string)
        #expect(after != before)
        let stale = Self.patch(api, Self.hpa, merge, #"{"metadata":{"resourceVersion":"\#(before)"},"spec":{"maxReplicas":12}}"#)
        #expect(stale.status == 409 && Self.reason(stale) == "Conflict")
        #expect(api.object(FakeKubernetesAPI.hpas, "prod", "api-hpa")?[path: "spec.maxReplicas"] == 11)
    }

    @Test("validation: min above max, a container without image, value with valueFrom are 422")
    func validation() {
        let api = F.cluster()
        let strategic = "application/strategic-merge-patch+json"
        #expect(Self.patch(api, Self.hpa, "application/merge-patch+json", #"{"spec":{"minReplicas":20}}"#).status == 422)
        let newContainer = Self.patch(api, Self.deployment, strategic, #"{"spec":{"template":{"spec":{"containers":[{"name":"web"}]}}}}"#)
        #expect(newContainer.status == 422 && newContainer.body.contains("containers[2].image: Required value"))
        let both = Self.patch(api, Self.deployment, strategic,
                              #"{"spec":{"template":{"spec":{"containers":[{"name":"app","env":[{"name":"DB_PASSWORD","value":"x"}]}]}}}}"#)
        #expect(both.status == 422 && both.body.contains("may not be specified when `value` is not empty"))
    }

    @Test("fieldManager: at most 128 printable characters, else 422; without it the User-Agent names the writer")
    func fieldManagers() throws {
        let merge = "application/merge-patch+json"
        func patch(_ query: String?, agent: String = "kubectl/v1.31.0 (linux/amd64)") -> FakeKubernetesAPI.Reply {
            let api = F.cluster()
            let headers = Self.auth.merging(["content-type": merge, "user-agent": agent]) { $1 }
            let reply = api.handle(method: "PATCH", path: Self.deployment + "/scale", query: query, headers: headers,
                                   body: Array(#"{"spec":{"replicas":5}}"#.utf8))
            let stored = api.object(FakeKubernetesAPI.deployments, "prod", "api") ?? [:]
            return FakeKubernetesAPI.Reply(status: reply.status, body: reply.status == 200
                ? FakeManagedFields.owners(of: ["f:spec", "f:replicas"], in: stored).joined(separator: ",") : reply.body)
        }
        #expect(patch("fieldManager=" + String(repeating: "a", count: 128)).body == String(repeating: "a", count: 128))
        let long = patch("fieldManager=" + String(repeating: "a", count: 129))
        #expect(long.status == 422 && Self.reason(long) == "Invalid")
        #expect(FakeJSON.parse(Array(long.body.utf8))?["message"]
                == #"PatchOptions.meta.k8s.io "" is invalid: fieldManager: Too long: may not be more than 128 bytes"#)
        let control = patch("fieldManager=bad%0Aname")
        #expect(control.status == 422 && control.body.contains("invalid character U+000A (at position 3)"))
        #expect(patch("fieldManager=caf%C3%A9+bot").body == "café bot", "printable Unicode and + as a space are accepted")
        #expect(patch(nil).body == "kubectl", "the User-Agent up to its first /")
    }

    @Test("a JSON merge patch replaces lists; a strategic merge patch merges containers and env by name")
    func mergeSemantics() throws {
        let list: FakeJSON = ["a": [["name": "x", "v": 1], ["name": "y", "v": 2]], "keep": 1, "drop": 2]
        #expect(list.mergePatched(with: ["a": [["name": "y", "v": 3]], "drop": nil]) == ["a": [["name": "y", "v": 3]], "keep": 1])
        let containers: FakeJSON = ["containers": [["name": "x", "env": [["name": "A", "value": "1"], ["name": "B", "value": "2"]]]]]
        let patched = try containers.strategicMerged(with: ["containers": [["name": "x", "env": [["name": "B", "$patch": "delete"], ["name": "C", "value": "3"]]]]])
        #expect(patched == ["containers": [["name": "x", "env": [["name": "A", "value": "1"], ["name": "C", "value": "3"]]]]])
    }
}
