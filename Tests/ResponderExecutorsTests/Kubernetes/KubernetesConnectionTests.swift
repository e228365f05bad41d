import Foundation
import ResponderExecutors
import Testing

@Suite("Kubernetes connections: in-cluster service account and kubeconfig")
struct KubernetesConnectionTests {
    typealias F = KubernetesFixtures
    static let scale = KubernetesObjectReference(.deployments, namespace: "prod", name: "api")

    /// Writes an in-cluster service-account folder with `token`.
    static func serviceAccount(token: String) throws -> URL {
        let folder = try F.temporaryDirectory()
        try token.write(to: folder.appendingPathComponent("token"), atomically: true, encoding: .utf8)
        try TestPKI.shared.caPEM.write(to: folder.appendingPathComponent("ca.crt"), atomically: true, encoding: .utf8)
        try "prod\n".write(to: folder.appendingPathComponent("namespace"), atomically: true, encoding: .utf8)
        return folder
    }

    @Test("in-cluster: the token file is read again after rotation and the API sees the new token")
    func tokenRotation() async throws {
        let folder = try Self.serviceAccount(token: "first-token\n")
        defer { try? FileManager.default.removeItem(at: folder) }
        let api = F.cluster(token: "first-token")
        try await FakeKubernetesServer.with(api) { port async throws in
            let connection = try KubernetesConnection.inCluster(
                paths: .init(directory: folder.path),
                environment: ["KUBERNETES_SERVICE_HOST": "127.0.0.1", "KUBERNETES_SERVICE_PORT": "\(port)"]
            )
            #expect(connection.namespace == "prod")
            #expect(connection.server == "https://127.0.0.1:\(port)")
            let client = KubernetesClient(connection: connection)
            #expect(try await client.replicas(of: Self.scale) == 3)
            // The kubelet rotates the projected token; the API server stops accepting the old one.
            try "second-token".write(to: folder.appendingPathComponent("token"), atomically: true, encoding: .utf8)
            api.expectToken("second-token")
            #expect(try await client.replicas(of: Self.scale) == 3)
            try await client.shutdown()
            #expect(api.requests.map(\.authorization) == ["Bearer first-token", "Bearer second-token"])
        }
    }

    @Test("in-cluster: clear errors outside a pod or without a token; IPv6 service hosts are bracketed")
    func inClusterSetup() throws {
        let folder = try Self.serviceAccount(token: "t")
        defer { try? FileManager.default.removeItem(at: folder) }
        let outside = #expect(throws: KubernetesConfigError.self) {
            _ = try KubernetesConnection.inCluster(paths: .init(directory: folder.path), environment: [:])
        }
        #expect(outside?.message.contains("KUBERNETES_SERVICE_HOST") == true)
        let missing = #expect(throws: KubernetesConfigError.self) {
            _ = try KubernetesConnection.inCluster(
                paths: .init(directory: folder.appendingPathComponent("nope").path),
                environment: ["KUBERNETES_SERVICE_HOST": "10.0.0.1", "KUBERNETES_SERVICE_PORT": "443"])
        }
        #expect(missing?.message.contains("automountServiceAccountToken") == true)
        let v6 = try KubernetesConnection.inCluster(
            paths: .init(directory: folder.path), environment: ["KUBERNETES_SERVICE_HOST": "fd00::1", "KUBERNETES_SERVICE_PORT": "443"])
        #expect(v6.server == "https://[fd00::1]:443")
        #expect(v6.authentication == .tokenFile(folder.path + "/token"))
    }

    @Test("discovery: an explicit kubeconfig, else in-cluster, else KUBECONFIG, else a clear error")
    func discovery() throws {
        let folder = try Self.serviceAccount(token: "t")
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("config").path
        try Self.kubeconfig(server: "https://kube.example:6443", user: "    token: x").write(toFile: path, atomically: true, encoding: .utf8)
        let pod = ["KUBERNETES_SERVICE_HOST": "10.0.0.1", "KUBERNETES_SERVICE_PORT": "443", "KUBECONFIG": path]
        let paths = KubernetesConnection.InClusterPaths(directory: folder.path)
        #expect(try KubernetesConnection.discover(kubeconfig: path, environment: pod, inClusterPaths: paths).server == "https://kube.example:6443")
        #expect(try KubernetesConnection.discover(environment: pod, inClusterPaths: paths).server == "https://10.0.0.1:443")
        #expect(try KubernetesConnection.discover(environment: ["KUBECONFIG": path + ":/other"], inClusterPaths: paths).server
                == "https://kube.example:6443")
        let none = #expect(throws: KubernetesConfigError.self) {
            _ = try KubernetesConnection.discover(environment: ["HOME": folder.path], inClusterPaths: paths)
        }
        #expect(none?.message.contains("No Kubernetes credentials") == true)
    }

    static func kubeconfig(
        server: String, user: String, cluster: String? = nil, extraContexts: String = "", userName: String = "responder"
    ) -> String {
        let clusterBody = cluster ?? "    certificate-authority-data: \(TestPKI.base64(TestPKI.shared.caPEM))"
        return """
        apiVersion: v1
        kind: Config
        current-context: main
        clusters:
        - name: fake
          cluster:
            server: \(server)
        \(clusterBody)
        contexts:
        - name: main
          context:
            cluster: fake
            user: responder
            namespace: prod
        \(extraContexts)
        users:
        - name: \(userName)
          user:
        \(user)
        """
    }

    @Test("kubeconfig: current context, CA data and a token reach the API")
    func kubeconfigToken() async throws {
        try await FakeKubernetesServer.with(F.cluster()) { port async throws in
            let yaml = Self.kubeconfig(server: "https://127.0.0.1:\(port)", user: "    token: \(F.token)")
            let connection = try KubeconfigLoader.connection(yaml: yaml, directory: "/nonexistent", origin: "test")
            #expect(connection.namespace == "prod")
            #expect(connection.authentication == .token(F.token))
            #expect(!"\(connection)".contains(F.token))
            var dumped = ""
            dump(connection.authentication, to: &dumped)
            #expect(!dumped.contains(F.token))
            let client = KubernetesClient(connection: connection)
            #expect(try await client.replicas(of: Self.scale) == 3)
            try await client.shutdown()
        }
    }

    @Test("kubeconfig: a named context with a CA file and a token file relative to the kubeconfig's folder")
    func kubeconfigRelativePaths() async throws {
        let folder = try F.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("certs"), withIntermediateDirectories: true)
        try TestPKI.shared.caPEM.write(to: folder.appendingPathComponent("certs/ca.pem"), atomically: true, encoding: .utf8)
        try F.token.write(to: folder.appendingPathComponent("token"), atomically: true, encoding: .utf8)
        try await FakeKubernetesServer.with(F.cluster()) { port async throws in
            let yaml = Self.kubeconfig(
                server: "https://127.0.0.1:\(port)/", user: "    tokenFile: token",
                cluster: "    certificate-authority: certs/ca.pem",
                extraContexts: "- name: other\n  context:\n    cluster: fake\n    user: responder\n    namespace: batch"
            )
            let path = folder.appendingPathComponent("config").path
            try yaml.write(toFile: path, atomically: true, encoding: .utf8)
            let connection = try KubeconfigLoader.connection(path: path, context: "other")
            #expect(connection.namespace == "batch")
            #expect(connection.authentication == .tokenFile(folder.appendingPathComponent("token").standardizedFileURL.path))
            let client = KubernetesClient(connection: connection)
            #expect(try await client.replicas(of: Self.scale) == 3, "the trailing slash of the server does not double")
            try await client.shutdown()
        }
    }

    @Test("kubeconfig: client certificate data authenticates over mutual TLS; without it the server refuses")
    func kubeconfigMutualTLS() async throws {
        let pki = TestPKI.shared
        try await FakeKubernetesServer.with(F.cluster(token: nil), requireClientCertificate: true) { port async throws in
            let user = "    client-certificate-data: \(TestPKI.base64(pki.clientCertificatePEM))\n"
                + "    client-key-data: \(TestPKI.base64(pki.clientKeyPEM))"
            let connection = try KubeconfigLoader.connection(
                yaml: Self.kubeconfig(server: "https://127.0.0.1:\(port)", user: user), directory: "/", origin: "test")
            #expect(connection.usesClientCertificate)
            #expect(connection.authentication == .none)
            let client = KubernetesClient(connection: connection)
            try await client.setReplicas(of: Self.scale, to: 7)
            #expect(try await client.replicas(of: Self.scale) == 7)
            try await client.shutdown()
            let anonymous = KubernetesClient(connection: try F.connection(port: port, authentication: .none))
            await #expect(throws: KubernetesError.self) { _ = try await anonymous.replicas(of: Self.scale) }
            try await anonymous.shutdown()
        }
    }

    @Test("kubeconfig errors say what is wrong and what to use instead", arguments: [
        ("context", "unknown", #"has no context "unknown"; it has: "main""#),
        ("exec", nil, "exec credential plugin (aws), which Responder does not run: give Responder a service-account token"),
        ("auth-provider", nil, #"auth-provider "oidc", which Responder does not support"#),
        ("no-user", nil, #"uses user "responder", which is not defined; it has: "someone""#),
        ("bad-ca", nil, #"certificate-authority-data of cluster "fake" is not valid base64"#),
        ("insecure+ca", nil, "sets both insecure-skip-tls-verify and a certificate authority"),
        ("no-credentials", nil, "has no credentials Responder can use"),
        ("cert-without-key", nil, "has a client certificate but no client-key"),
        ("http", nil, "Responder only talks HTTPS to Kubernetes"),
    ] as [(String, String?, String)])
    func kubeconfigErrors(_ variant: String, _ context: String?, _ expected: String) throws {
        let yaml: String
        switch variant {
        case "exec":
            yaml = Self.kubeconfig(server: "https://k", user: "    exec:\n      apiVersion: client.authentication.k8s.io/v1\n      command: aws")
        case "auth-provider":
            yaml = Self.kubeconfig(server: "https://k", user: "    auth-provider:\n      name: oidc")
        case "no-user":
            yaml = Self.kubeconfig(server: "https://k", user: "    token: x", userName: "someone")
        case "bad-ca":
            yaml = Self.kubeconfig(server: "https://k", user: "    token: x", cluster: "    certificate-authority-data: '%%%'")
        case "insecure+ca":
            yaml = Self.kubeconfig(server: "https://k", user: "    token: x",
                                   cluster: "    insecure-skip-tls-verify: true\n    certificate-authority: ca.pem")
        case "no-credentials":
            yaml = Self.kubeconfig(server: "https://k", user: "    {}")
        case "cert-without-key":
            yaml = Self.kubeconfig(server: "https://k", user: "    client-certificate-data: \(TestPKI.base64(TestPKI.shared.clientCertificatePEM))")
        case "http":
            yaml = Self.kubeconfig(server: "http://k", user: "    token: x")
        default:
            yaml = Self.kubeconfig(server: "https://k", user: "    token: \(F.token)")
        }
        let error = #expect(throws: KubernetesConfigError.self) {
            _ = try KubeconfigLoader.connection(yaml: yaml, directory: "/", origin: "test", context: context)
        }
        #expect(error?.message.contains(expected) == true, "\(error?.message ?? "")")
        #expect(error?.message.contains(F.token) == false)
    }
}
