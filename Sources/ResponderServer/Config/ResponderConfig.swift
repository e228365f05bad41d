import Foundation

/// Everything `responder serve` needs, after YAML, environment overrides and flags were applied.
public struct ResponderConfig: Sendable {
    /// Address to listen on.
    public var listenHost = "0.0.0.0"
    /// Port to listen on.
    public var listenPort = 8443
    /// Folder for the database, the generated certificate and generated tokens.
    public var stateDirectory = ".responder"
    /// Folder of playbook YAML files.
    public var playbooksDirectory = "Playbooks"
    /// PEM certificate chain to serve; nil generates a self-signed one in the state folder.
    public var tlsCertificateFile: String?
    /// PEM private key for `tlsCertificateFile`.
    public var tlsKeyFile: String?
    /// Close a connection idle (or stalled mid-headers) this long, in seconds.
    public var idleTimeoutSeconds = 30.0
    /// Log level name (`trace` ... `critical`).
    public var logLevel = "info"
    /// Alertmanager webhook settings.
    public var alertmanager = Alertmanager()
    /// SNS / CloudWatch settings.
    public var sns = SNS()
    /// Token of the admin API; nil generates one into the state folder.
    public var adminToken: Secret?

    /// Settings of `POST /hooks/alertmanager`.
    public struct Alertmanager: Sendable {
        /// Expected `Authorization: Bearer` token; nil (with no basic auth) generates one into the state folder.
        public var bearerToken: Secret?
        /// Expected basic-auth user name.
        public var basicUsername: String?
        /// Expected basic-auth password.
        public var basicPassword: Secret?
        /// Largest accepted body in bytes.
        public var maxBodyBytes = 1 << 20
        /// Creates the defaults.
        public init() {}
    }

    /// Settings of `POST /hooks/sns`.
    public struct SNS: Sendable {
        /// Regions whose `sns.<region>.amazonaws.com` may serve signing certificates and subscription URLs.
        public var allowedRegions: [String] = []
        /// Topics accepted (exact ARNs, or `arn:aws:sns:<region>:<account>:*`). Empty refuses every topic.
        public var allowedTopicArns: [String] = []
        /// Folder of pre-provisioned signing certificates named like the URL's last path component.
        public var certificateDirectory: String?
        /// Whether certificates missing from the folder may be fetched from AWS.
        public var fetchCertificates = true
        /// Messages older than this many seconds are refused as stale.
        public var maxMessageAgeSeconds = 3600.0
        /// Largest accepted body in bytes.
        public var maxBodyBytes = 512 << 10
        /// Extra `host:port` endpoints trusted like SNS (local test endpoints only; empty in production).
        public var testingExtraHosts: [String] = []
        /// Creates the defaults.
        public init() {}
    }

    /// Creates the embedded defaults.
    public init() {}
}
