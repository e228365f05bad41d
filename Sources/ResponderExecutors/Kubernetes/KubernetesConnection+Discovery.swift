import Foundation

extension KubernetesConnection {
    /// The connection Responder should use, in the order a server in a pod wants: an explicit kubeconfig path;
    /// else the in-cluster service account when `KUBERNETES_SERVICE_HOST` is set; else the first file named by
    /// `KUBECONFIG`; else `~/.kube/config`. Several `KUBECONFIG` files are not merged (only the first is read).
    public static func discover(
        kubeconfig: String? = nil,
        context: String? = nil,
        environment: [String: String] = ProcessInfo.processInfo.environment,
        inClusterPaths: InClusterPaths = InClusterPaths()
    ) throws(KubernetesConfigError) -> KubernetesConnection {
        if let kubeconfig, !kubeconfig.isEmpty {
            return try KubeconfigLoader.connection(path: kubeconfig, context: context)
        }
        if let host = environment["KUBERNETES_SERVICE_HOST"], !host.isEmpty {
            return try inCluster(paths: inClusterPaths, environment: environment)
        }
        if let list = environment["KUBECONFIG"], let first = list.split(separator: ":").first.map(String.init) {
            return try KubeconfigLoader.connection(path: first, context: context)
        }
        let home = environment["HOME"] ?? FileManager.default.homeDirectoryForCurrentUser.path
        let fallback = home + "/.kube/config"
        guard FileManager.default.fileExists(atPath: fallback) else {
            throw KubernetesConfigError(
                "No Kubernetes credentials: not in a pod (KUBERNETES_SERVICE_HOST unset), no KUBECONFIG and no \(fallback); "
                + "run Responder in-cluster with a service account or give it a kubeconfig.")
        }
        return try KubeconfigLoader.connection(path: fallback, context: context)
    }
}
