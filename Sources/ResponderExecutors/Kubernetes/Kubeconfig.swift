/// The parts of a kubeconfig file (`kind: Config`) Responder reads; other keys are ignored.
struct Kubeconfig: Decodable {
    /// `clusters`.
    var clusters: [Named<Cluster>]?
    /// `contexts`.
    var contexts: [Named<Context>]?
    /// `users`.
    var users: [Named<User>]?
    /// `current-context`.
    var currentContext: String?

    /// YAML keys.
    enum CodingKeys: String, CodingKey {
        /// Plain keys.
        case clusters, contexts, users
        /// `current-context`.
        case currentContext = "current-context"
    }

    /// The body of a named entry, stored under `entryKey` (`cluster`, `context`, `user`).
    protocol Entry: Decodable {
        /// The key of the body inside a named entry.
        static var entryKey: String { get }
    }

    /// A `- name: x` entry with its body under the body type's key.
    struct Named<Body: Entry>: Decodable {
        /// `name`.
        var name: String
        /// The body (`cluster:`, `context:` or `user:`).
        var body: Body?

        /// A key chosen at run time.
        struct Key: CodingKey {
            /// The key.
            var stringValue: String
            /// Never an index.
            var intValue: Int? { nil }
            /// A key named `stringValue`.
            init(stringValue: String) { self.stringValue = stringValue }
            /// Never an index.
            init?(intValue: Int) { nil }
        }

        /// Reads `name` and the body under `Body.entryKey`.
        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: Key.self)
            name = try container.decode(String.self, forKey: Key(stringValue: "name"))
            body = try container.decodeIfPresent(Body.self, forKey: Key(stringValue: Body.entryKey))
        }
    }

    /// `clusters[].cluster`.
    struct Cluster: Entry {
        /// `cluster`.
        static var entryKey: String { "cluster" }
        /// `server`.
        var server: String?
        /// `certificate-authority` (a path).
        var certificateAuthority: String?
        /// `certificate-authority-data` (base64 PEM).
        var certificateAuthorityData: String?
        /// `insecure-skip-tls-verify`.
        var insecureSkipTLSVerify: Bool?
        /// `tls-server-name` (unsupported).
        var tlsServerName: String?
        /// `proxy-url` (unsupported).
        var proxyURL: String?

        /// YAML keys.
        enum CodingKeys: String, CodingKey {
            /// `server`.
            case server
            /// `certificate-authority`.
            case certificateAuthority = "certificate-authority"
            /// `certificate-authority-data`.
            case certificateAuthorityData = "certificate-authority-data"
            /// `insecure-skip-tls-verify`.
            case insecureSkipTLSVerify = "insecure-skip-tls-verify"
            /// `tls-server-name`.
            case tlsServerName = "tls-server-name"
            /// `proxy-url`.
            case proxyURL = "proxy-url"
        }
    }

    /// `contexts[].context`.
    struct Context: Entry {
        /// `context`.
        static var entryKey: String { "context" }
        /// `cluster`.
        var cluster: String?
        /// `user`.
        var user: String?
        /// `namespace`.
        var namespace: String?
    }

    /// `users[].user`.
    struct User: Entry {
        /// `user`.
        static var entryKey: String { "user" }
        /// `token`.
        var token: String?
        /// `tokenFile`.
        var tokenFile: String?
        /// `client-certificate` (a path).
        var clientCertificate: String?
        /// `client-certificate-data` (base64 PEM).
        var clientCertificateData: String?
        /// `client-key` (a path).
        var clientKey: String?
        /// `client-key-data` (base64 PEM).
        var clientKeyData: String?
        /// `username` (basic auth, unsupported).
        var username: String?
        /// `exec` (credential plugin, unsupported).
        var exec: Exec?
        /// `auth-provider` (unsupported).
        var authProvider: AuthProvider?

        /// YAML keys.
        enum CodingKeys: String, CodingKey {
            /// Plain keys.
            case token, tokenFile, username, exec
            /// `client-certificate`.
            case clientCertificate = "client-certificate"
            /// `client-certificate-data`.
            case clientCertificateData = "client-certificate-data"
            /// `client-key`.
            case clientKey = "client-key"
            /// `client-key-data`.
            case clientKeyData = "client-key-data"
            /// `auth-provider`.
            case authProvider = "auth-provider"
        }
    }

    /// `user.exec`, for its command in the error message.
    struct Exec: Decodable {
        /// `command`.
        var command: String?
    }

    /// `user.auth-provider`, for its name in the error message.
    struct AuthProvider: Decodable {
        /// `name`.
        var name: String?
    }
}
