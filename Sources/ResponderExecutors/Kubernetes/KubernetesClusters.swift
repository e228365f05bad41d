import ResponderCore

/// One ``KubernetesClient`` per configured cluster (`default` and each of `kubernetes.clusters`), each with its own
/// server, CA and credentials; a target's `cluster:` picks the client its backend talks to, so a request can only
/// reach the cluster the playbook names, with that cluster's credentials.
public struct KubernetesClusters: Sendable {
    /// The clients by cluster name.
    public let clients: [String: KubernetesClient]
    /// Clusters that have no client, with the reason (the default cluster when no credentials were found).
    public let unavailable: [String: String]

    /// Creates the set; `unavailable` says why a cluster has no client.
    public init(clients: [String: KubernetesClient], unavailable: [String: String] = [:]) {
        self.clients = clients
        self.unavailable = unavailable
    }

    /// The backend of `target` over its cluster's client; a permanent error naming the cluster when it has none.
    public func backend(for target: Target.Kubernetes) throws(BackendError) -> KubernetesBackend {
        let name = target.clusterName
        if let client = clients[name] {
            return KubernetesBackend(target, client: client)
        }
        if let reason = unavailable[name] {
            throw .permanent("cluster \(name): \(reason)")
        }
        let known = clients.keys.sorted().joined(separator: ", ")
        throw .permanent("cluster \(name) is not configured (Responder has \(known.isEmpty ? "none" : known)): "
            + "add it to kubernetes.clusters in the configuration")
    }

    /// `default https://10.0.0.1:443, eu-west https://eu.example.com:6443`, for the start-up summary.
    public var summary: String {
        clients.keys.sorted().compactMap { name in clients[name].map { "\(name) \($0.connection.server)" } }.joined(separator: ", ")
    }

    /// Shuts down every client; call once when done.
    public func shutdown() async {
        for client in clients.values {
            try? await client.shutdown()
        }
    }
}
