// A FAKE Kubernetes API server, not the real one: it implements the small part of the API Responder uses and
// enforces the real API's contract for it as the kubernetes.io API reference describes it: exact paths and verbs
// (anything else is a 404 Status), bearer-token authentication (401 Status), RBAC denials with the real message shape
// (403), PATCH content types (415), resourceVersion preconditions (409), validation (422, also of the fieldManager
// query parameter), JSON merge patch / strategic merge patch semantics on its stored objects, so reads after writes
// show what a real server would, and field ownership in metadata.managedFields (FakeManagedFields).
// Where the real server is more lenient it is stricter on purpose (each place says why).
import NIOConcurrencyHelpers

/// The fake's state and request handling, independent of HTTP (``FakeKubernetesServer`` serves it over HTTPS).
final class FakeKubernetesAPI: Sendable {
    /// A resource type the fake serves.
    struct Resource: Hashable, Sendable {
        var group: String
        var version: String
        var plural: String
        var kind: String
    }

    static let deployments = Resource(group: "apps", version: "v1", plural: "deployments", kind: "Deployment")
    static let statefulSets = Resource(group: "apps", version: "v1", plural: "statefulsets", kind: "StatefulSet")
    static let hpas = Resource(group: "autoscaling", version: "v2", plural: "horizontalpodautoscalers", kind: "HorizontalPodAutoscaler")
    static let resources = [deployments, statefulSets, hpas]

    /// An RBAC rule the caller lacks: `verb` on `resource` (`deployments/scale`) in `namespace`.
    struct Denial: Hashable, Sendable {
        var verb: String
        var resource: String
        var namespace: String
    }

    /// A request as the fake received it.
    struct Recorded: Sendable {
        var method: String
        var path: String
        /// The raw query string, if any.
        var query: String?
        var contentType: String?
        var authorization: String?
        var accept: String?
        var userAgent: String?
        var body: String
    }

    /// An answer.
    struct Reply: Sendable {
        var status: Int
        var body: String
    }

    /// The object a path addresses.
    struct Route: Sendable {
        var resource: Resource
        var namespace: String
        var name: String
        var subresource: String?

        var key: String { "\(resource.plural)/\(namespace)/\(name)" }
        var rbacName: String { subresource.map { "\(resource.plural)/\($0)" } ?? resource.plural }
    }

    struct State {
        var objects: [String: FakeJSON] = [:]
        var revision = 100
        var token: String?
        var denials: Set<Denial> = []
        var requests: [Recorded] = []
        var afterRead: [String: @Sendable (inout FakeJSON) -> Void] = [:]
        var forced: [Reply] = []
    }

    /// The user RBAC messages name.
    static let user = "system:serviceaccount:responder:responder"

    let state: NIOLockedValueBox<State>

    /// A fake accepting `Authorization: Bearer <token>`, or (nil) any caller (client-certificate authentication).
    init(token: String?) {
        state = NIOLockedValueBox(State(token: token))
    }

    /// The token requests must carry from now on.
    func expectToken(_ token: String?) {
        state.withLockedValue { $0.token = token }
    }

    /// Denies `verb` on `resource` (`deployments/scale`, `horizontalpodautoscalers`) in `namespace`.
    func deny(_ verb: String, _ resource: String, in namespace: String) {
        state.withLockedValue { _ = $0.denials.insert(Denial(verb: verb, resource: resource, namespace: namespace)) }
    }

    /// Stores `object` (with a fresh resourceVersion) as a `resource` named by its metadata.
    func put(_ resource: Resource, _ object: FakeJSON) {
        state.withLockedValue { state in
            var object = object
            state.revision += 1
            object["metadata"]?["resourceVersion"] = .string(String(state.revision))
            let route = Route(resource: resource, namespace: object[path: "metadata.namespace"]?.string ?? "",
                              name: object[path: "metadata.name"]?.string ?? "")
            state.objects[route.key] = object
        }
    }

    /// The stored object.
    func object(_ resource: Resource, _ namespace: String, _ name: String) -> FakeJSON? {
        state.withLockedValue { $0.objects["\(resource.plural)/\(namespace)/\(name)"] }
    }

    /// After the next read of the object, `change` it as another writer would (a new resourceVersion).
    func changeAfterNextRead(_ resource: Resource, _ namespace: String, _ name: String, _ change: @escaping @Sendable (inout FakeJSON) -> Void) {
        state.withLockedValue { $0.afterRead["\(resource.plural)/\(namespace)/\(name)"] = change }
    }

    /// Answers the next request with `status` and `body`, whatever it is.
    func failNext(status: Int, body: String) {
        state.withLockedValue { $0.forced.append(Reply(status: status, body: body)) }
    }

    /// Every request received so far.
    var requests: [Recorded] { state.withLockedValue { $0.requests } }

    /// The decoded parameters of a raw query string, as Go's url.ParseQuery reads them (`+` is a space).
    static func parameters(_ query: String?) -> [String: String] {
        var result: [String: String] = [:]
        for pair in (query ?? "").split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1).map { String($0).replacingOccurrences(of: "+", with: " ") }
            guard let name = parts.first?.removingPercentEncoding, result[name] == nil else { continue }
            result[name] = parts.count > 1 ? parts[1].removingPercentEncoding ?? parts[1] : ""
        }
        return result
    }

    /// Handles one request.
    func handle(method: String, path: String, query: String? = nil, headers: [String: String], body: [UInt8]) -> Reply {
        state.withLockedValue { state in
            state.requests.append(Recorded(
                method: method, path: path, query: query, contentType: headers["content-type"], authorization: headers["authorization"],
                accept: headers["accept"], userAgent: headers["user-agent"], body: String(decoding: body, as: UTF8.self)
            ))
            if !state.forced.isEmpty {
                return state.forced.removeFirst()
            }
            if let token = state.token, headers["authorization"] != "Bearer \(token)" {
                return Self.status(401, "Unauthorized", "Unauthorized")
            }
            guard let route = Self.route(path) else {
                return Self.status(404, "NotFound", "the server could not find the requested resource")
            }
            guard method == "GET" || method == "PATCH" else {
                return Self.status(405, "MethodNotAllowed", "the server does not allow this method on the requested resource")
            }
            let verb = method.lowercased()
            let group = route.resource.group
            if state.denials.contains(Denial(verb: verb, resource: route.rbacName, namespace: route.namespace)) {
                return Self.status(403, "Forbidden",
                    "\(route.resource.plural).\(group) \"\(route.name)\" is forbidden: User \"\(Self.user)\" cannot \(verb) "
                    + "resource \"\(route.rbacName)\" in API group \"\(group)\" in the namespace \"\(route.namespace)\"",
                    details: ["name": .string(route.name), "group": .string(group), "kind": .string(route.resource.plural)])
            }
            guard let stored = state.objects[route.key] else {
                return Self.status(404, "NotFound", "\(route.resource.plural).\(group) \"\(route.name)\" not found",
                    details: ["name": .string(route.name), "group": .string(group), "kind": .string(route.resource.plural)])
            }
            if method == "GET" {
                let view = route.subresource == "scale" ? Self.scale(of: stored) : stored
                if let change = state.afterRead.removeValue(forKey: route.key) {
                    var changed = stored
                    change(&changed)
                    state.revision += 1
                    changed["metadata"]?["resourceVersion"] = .string(String(state.revision))
                    state.objects[route.key] = changed
                }
                return Reply(status: 200, body: view.text)
            }
            // Without fieldManager the real server names the writer after its User-Agent, up to the first "/".
            let parameters = Self.parameters(query)
            let manager = parameters["fieldManager"]
                ?? headers["user-agent"].map { String($0.split(separator: "/", omittingEmptySubsequences: false)[0]) } ?? ""
            if let problem = FakeManagedFields.problem(manager) {
                return Self.status(422, "Invalid", "PatchOptions.meta.k8s.io \"\" is invalid: \(problem)",
                                   details: ["group": "meta.k8s.io", "kind": "PatchOptions"])
            }
            return Self.patch(route, stored: stored, manager: manager, headers: headers, body: body, state: &state)
        }
    }

    /// `/apis/GROUP/VERSION/namespaces/NS/PLURAL/NAME[/scale]` for the served resources; nil for anything else.
    static func route(_ path: String) -> Route? {
        let parts = path.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 8 || parts.count == 9, parts[0].isEmpty, parts[1] == "apis", parts[4] == "namespaces",
              let resource = resources.first(where: { $0.group == parts[2] && $0.version == parts[3] && $0.plural == parts[6] }),
              !parts[5].isEmpty, !parts[7].isEmpty else {
            return nil
        }
        let subresource = parts.count == 9 ? parts[8] : nil
        if let subresource, subresource != "scale" || resource == hpas {
            return nil
        }
        return Route(resource: resource, namespace: parts[5], name: parts[7], subresource: subresource)
    }

    /// A `Status` failure body.
    static func status(_ code: Int, _ reason: String, _ message: String, details: FakeJSON? = nil) -> Reply {
        var status: FakeJSON = [
            "kind": "Status", "apiVersion": "v1", "metadata": [:], "status": "Failure",
            "message": .string(message), "reason": .string(reason), "code": .int(code),
        ]
        if let details {
            status["details"] = details
        }
        return Reply(status: code, body: status.text)
    }

    /// The autoscaling/v1 Scale view of a workload (`spec.replicas` omitted when 0, as the API does).
    static func scale(of workload: FakeJSON) -> FakeJSON {
        let replicas = workload[path: "spec.replicas"]?.int ?? 1
        let name = workload[path: "metadata.name"] ?? .null
        return [
            "kind": "Scale", "apiVersion": "autoscaling/v1",
            "metadata": [
                "name": name, "namespace": workload[path: "metadata.namespace"] ?? .null,
                "resourceVersion": workload[path: "metadata.resourceVersion"] ?? .null,
            ],
            "spec": replicas == 0 ? [:] : ["replicas": .int(replicas)],
            "status": ["replicas": .int(replicas), "selector": .string("app=\(name.string ?? "")")],
        ]
    }
}
