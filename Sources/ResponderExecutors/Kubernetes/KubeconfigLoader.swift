import Foundation
import Yams

/// Turns a kubeconfig file into a ``KubernetesConnection``: the current or a named context, its cluster (server, CA
/// data or file, or insecure-skip-tls-verify) and its user (token, tokenFile, or client certificate and key).
/// Relative paths are resolved against the kubeconfig's folder, as kubectl does.
public enum KubeconfigLoader {
    /// The connection of `context` (default: `current-context`) in the kubeconfig at `path`.
    public static func connection(path: String, context: String? = nil) throws(KubernetesConfigError) -> KubernetesConnection {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw KubernetesConfigError("The kubeconfig \(path) is missing or unreadable.")
        }
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        return try connection(yaml: String(decoding: data, as: UTF8.self), directory: directory, origin: path, context: context)
    }

    /// The connection of `context` in kubeconfig text; relative paths resolve against `directory`; `origin` names the
    /// file in errors.
    public static func connection(
        yaml: String, directory: String, origin: String, context: String? = nil
    ) throws(KubernetesConfigError) -> KubernetesConnection {
        let config = try decode(yaml, origin: origin)
        guard let contextName = context ?? config.currentContext.flatMap({ $0.isEmpty ? nil : $0 }) else {
            throw KubernetesConfigError("The kubeconfig \(origin) has no current-context: name the context to use.")
        }
        let contexts = config.contexts ?? []
        guard let contextEntry = contexts.first(where: { $0.name == contextName }), let selected = contextEntry.body else {
            throw KubernetesConfigError("The kubeconfig \(origin) has no context \"\(contextName)\"; it has: \(names(contexts)).")
        }
        guard let clusterName = selected.cluster, !clusterName.isEmpty else {
            throw KubernetesConfigError("Context \"\(contextName)\" in \(origin) names no cluster.")
        }
        let clusters = config.clusters ?? []
        guard let clusterEntry = clusters.first(where: { $0.name == clusterName }) else {
            throw KubernetesConfigError(
                "Context \"\(contextName)\" in \(origin) uses cluster \"\(clusterName)\", which is not defined; it has: \(names(clusters)).")
        }
        guard let cluster = clusterEntry.body else {
            throw KubernetesConfigError("Cluster \"\(clusterName)\" in \(origin) has no cluster: section (server, certificate authority).")
        }
        guard let userName = selected.user, !userName.isEmpty else {
            throw KubernetesConfigError("Context \"\(contextName)\" in \(origin) names no user.")
        }
        let users = config.users ?? []
        guard let userEntry = users.first(where: { $0.name == userName }) else {
            throw KubernetesConfigError(
                "Context \"\(contextName)\" in \(origin) uses user \"\(userName)\", which is not defined; it has: \(names(users)).")
        }
        guard let user = userEntry.body else {
            throw KubernetesConfigError("User \"\(userName)\" in \(origin) has no user: section (token, tokenFile or client certificate).")
        }
        let resolver = PathResolver(directory: directory)
        let server = try serverURL(cluster, name: clusterName, origin: origin)
        let authority = try self.authority(cluster, name: clusterName, resolver: resolver)
        let (authentication, identity) = try credentials(user, name: userName, resolver: resolver)
        let tls = try KubernetesTLS.configuration(authority: authority, identity: identity)
        let namespace = selected.namespace.flatMap { $0.isEmpty ? nil : $0 }
        return KubernetesConnection(server: server, tls: tls, authentication: authentication, namespace: namespace)
    }

    private static func decode(_ yaml: String, origin: String) throws(KubernetesConfigError) -> Kubeconfig {
        do {
            return try YAMLDecoder().decode(Kubeconfig.self, from: yaml)
        } catch let error as DecodingError {
            throw KubernetesConfigError("The kubeconfig \(origin) is not valid: \(describe(error)).")
        } catch let error as YamlError {
            // Only the problem and line: Yams' own description quotes the text, which may hold a token.
            throw KubernetesConfigError("The kubeconfig \(origin) is not valid YAML: \(describe(error)).")
        } catch {
            throw KubernetesConfigError("The kubeconfig \(origin) could not be read as YAML.")
        }
    }

    private static func serverURL(_ cluster: Kubeconfig.Cluster, name: String, origin: String) throws(KubernetesConfigError) -> String {
        guard let server = cluster.server, !server.isEmpty else {
            throw KubernetesConfigError("Cluster \"\(name)\" in \(origin) has no server.")
        }
        guard server.lowercased().hasPrefix("https://") else {
            throw KubernetesConfigError("Cluster \"\(name)\" has server \(server): Responder only talks HTTPS to Kubernetes.")
        }
        if cluster.proxyURL != nil {
            throw KubernetesConfigError("Cluster \"\(name)\" uses proxy-url, which Responder does not support: reach the API server directly.")
        }
        if cluster.tlsServerName != nil {
            throw KubernetesConfigError(
                "Cluster \"\(name)\" uses tls-server-name, which Responder does not support: use a server address its certificate names.")
        }
        return server
    }

    private static func authority(
        _ cluster: Kubeconfig.Cluster, name: String, resolver: PathResolver
    ) throws(KubernetesConfigError) -> KubernetesTLS.Authority {
        let insecure = cluster.insecureSkipTLSVerify ?? false
        if insecure, cluster.certificateAuthority != nil || cluster.certificateAuthorityData != nil {
            throw KubernetesConfigError(
                "Cluster \"\(name)\" sets both insecure-skip-tls-verify and a certificate authority: keep only the authority.")
        }
        if let data = cluster.certificateAuthorityData {
            return .pem(try base64(data, field: "certificate-authority-data of cluster \"\(name)\""),
                        origin: "certificate-authority-data of cluster \"\(name)\"")
        }
        if let path = cluster.certificateAuthority {
            let resolved = resolver.resolve(path)
            return .pem(try resolver.read(resolved, what: "certificate-authority of cluster \"\(name)\""), origin: resolved)
        }
        return insecure ? .insecureSkipVerify : .system
    }

    private static func credentials(
        _ user: Kubeconfig.User, name: String, resolver: PathResolver
    ) throws(KubernetesConfigError) -> (KubernetesAuthentication, KubernetesTLS.ClientIdentity?) {
        if let exec = user.exec {
            let command = exec.command.map { " (\($0))" } ?? ""
            throw KubernetesConfigError(
                "User \"\(name)\" authenticates with an exec credential plugin\(command), which Responder does not run: "
                + "give Responder a service-account token (user token or tokenFile, e.g. from `kubectl create token`) "
                + "or a client certificate, or run it in-cluster with a service account.")
        }
        if let provider = user.authProvider {
            let named = provider.name.map { " \"\($0)\"" } ?? ""
            throw KubernetesConfigError(
                "User \"\(name)\" authenticates with auth-provider\(named), which Responder does not support: "
                + "give Responder a service-account token (user token or tokenFile) or a client certificate.")
        }
        if user.username != nil {
            throw KubernetesConfigError(
                "User \"\(name)\" uses basic authentication (username/password), which Responder does not support: "
                + "give it a service-account token or a client certificate.")
        }
        let identity = try clientIdentity(user, name: name, resolver: resolver)
        if let token = user.token, !token.isEmpty {
            return (.token(token), identity)
        }
        if let file = user.tokenFile, !file.isEmpty {
            return (.tokenFile(resolver.resolve(file)), identity)
        }
        guard identity != nil else {
            throw KubernetesConfigError(
                "User \"\(name)\" has no credentials Responder can use: set token, tokenFile, or client-certificate and client-key.")
        }
        return (.none, identity)
    }

    private static func clientIdentity(
        _ user: Kubeconfig.User, name: String, resolver: PathResolver
    ) throws(KubernetesConfigError) -> KubernetesTLS.ClientIdentity? {
        let certificate: ([UInt8], String)?
        if let data = user.clientCertificateData {
            let origin = "client-certificate-data of user \"\(name)\""
            certificate = (try base64(data, field: origin), origin)
        } else if let path = user.clientCertificate {
            let resolved = resolver.resolve(path)
            certificate = (try resolver.read(resolved, what: "client-certificate of user \"\(name)\""), resolved)
        } else {
            certificate = nil
        }
        let key: ([UInt8], String)?
        if let data = user.clientKeyData {
            let origin = "client-key-data of user \"\(name)\""
            key = (try base64(data, field: origin), origin)
        } else if let path = user.clientKey {
            let resolved = resolver.resolve(path)
            key = (try resolver.read(resolved, what: "client-key of user \"\(name)\""), resolved)
        } else {
            key = nil
        }
        switch (certificate, key) {
        case (nil, nil):
            return nil
        case (let certificate?, let key?):
            return KubernetesTLS.ClientIdentity(certificatePEM: certificate.0, certificateOrigin: certificate.1,
                                                keyPEM: key.0, keyOrigin: key.1)
        case (_?, nil):
            throw KubernetesConfigError("User \"\(name)\" has a client certificate but no client-key (or client-key-data).")
        case (nil, _?):
            throw KubernetesConfigError("User \"\(name)\" has a client key but no client-certificate (or client-certificate-data).")
        }
    }

    private static func base64(_ text: String, field: String) throws(KubernetesConfigError) -> [UInt8] {
        let compact = text.filter { !$0.isWhitespace }
        guard let data = Data(base64Encoded: compact) else {
            throw KubernetesConfigError("The \(field) is not valid base64.")
        }
        return Array(data)
    }

    private static func names<Body>(_ entries: [Kubeconfig.Named<Body>]) -> String {
        entries.isEmpty ? "none" : entries.map { "\"\($0.name)\"" }.joined(separator: ", ")
    }

    private static func describe(_ error: DecodingError) -> String {
        func at(_ context: DecodingError.Context) -> String {
            context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
        }
        switch error {
        case .keyNotFound(let key, let context): return "\(at(context)) lacks \(key.stringValue)"
        case .typeMismatch(let type, let context): return "\(at(context)) is not a \(type)"
        case .valueNotFound(let type, let context): return "\(at(context)) has no \(type) value"
        case .dataCorrupted(let context): return "\(at(context)) is malformed"
        @unknown default: return "unexpected structure"
        }
    }

    private static func describe(_ error: YamlError) -> String {
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _), .composer(_, let problem, let mark, _):
            return "\(problem) at line \(mark.line)"
        case .duplicatedKeysInMapping(let duplicates, _):
            return "duplicated keys \(duplicates.joined(separator: ", "))"
        default:
            return "unreadable YAML"
        }
    }
}

/// Resolves kubeconfig paths against the kubeconfig's folder and reads them.
struct PathResolver {
    /// The kubeconfig's folder.
    var directory: String

    /// `path` made absolute: as is when absolute, `~/` from the home folder, otherwise from ``directory``.
    func resolve(_ path: String) -> String {
        if path.hasPrefix("/") {
            return path
        }
        if path.hasPrefix("~/") {
            return FileManager.default.homeDirectoryForCurrentUser.path + String(path.dropFirst())
        }
        return URL(fileURLWithPath: directory).appendingPathComponent(path).standardizedFileURL.path
    }

    /// The bytes of `path`; errors name `what` and the path.
    func read(_ path: String, what: String) throws(KubernetesConfigError) -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw KubernetesConfigError("The \(what) file \(path) is missing or unreadable.")
        }
        return Array(data)
    }
}
