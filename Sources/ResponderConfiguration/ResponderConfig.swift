import Foundation
import ResponderCore

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
    /// Executor settings.
    public var executors = Executors()
    /// Shared PostgreSQL store for several replicas; unset keeps the SQLite journal in the state folder.
    public var database = Database()
    /// How to reach the Kubernetes API.
    public var kubernetes = Kubernetes()
    /// How to reach AWS.
    public var aws = AWS()
    /// Slack settings.
    public var slack = Slack()
    /// Prometheus, for the load checks of gated steps.
    public var prometheus = Prometheus()
    /// The blast-radius limits every run obeys (`limits:`); nil limits nothing.
    public var limits: ActionLimits?
    /// PagerDuty settings.
    public var pagerDuty = PagerDuty()
    /// Signed action links in chat messages.
    public var links = Links()
    /// How long each kind of record is kept (`retention:`).
    public var retention = RetentionPolicy()
    /// When the disk under the SQLite journal counts as low (`disk:`); PostgreSQL's disk is not watched.
    public var disk = DiskThresholds()

    /// Settings of the Slack notifications and interactive buttons.
    public struct Slack: Sendable {
        /// Bot token (`xoxb-…`): one message per run, updated as it goes, with thread replies and buttons.
        public var botToken: Secret?
        /// Channel (id or name) the bot posts to; required with a bot token.
        public var channel: String?
        /// Incoming-webhook URL, when there is no bot token: one message per event.
        public var webhookURL: Secret?
        /// Signing secret of the Slack app, for `POST /hooks/slack/actions`.
        public var signingSecret: Secret?
        /// Web API base URL (a local fake in tests).
        public var apiURL = "https://slack.com/api"
        /// How long one Slack call may take, in seconds.
        public var timeoutSeconds = 10.0
        /// Creates the defaults.
        public init() {}
    }

    /// How load checks reach Prometheus (like an Alertmanager `http_config`); every secret is a file read per query.
    public struct Prometheus: Sendable {
        /// Base URL, `http://prometheus:9090`; nil leaves checks without their own `url` unevaluable.
        public var url: String?
        /// File holding a bearer token sent as `Authorization: Bearer`.
        public var bearerTokenFile: String?
        /// Basic-auth user name.
        public var basicUsername: String?
        /// File holding the basic-auth password.
        public var basicPasswordFile: String?
        /// PEM file of the certificate authorities trusted for https; nil trusts the system store.
        public var caFile: String?
        /// How long one query may take, in seconds.
        public var timeoutSeconds = 10.0
        /// Creates the defaults.
        public init() {}
    }

    /// Settings of the PagerDuty Events API v2.
    public struct PagerDuty: Sendable {
        /// Integration (routing) key of the service to page.
        public var routingKey: Secret?
        /// Events API base URL (a local fake in tests).
        public var eventsURL = "https://events.pagerduty.com"
        /// Creates the defaults.
        public init() {}
    }

    /// Settings of the signed action links.
    public struct Links: Sendable {
        /// Base URL people reach this server at (`https://responder.example.com`); default `https://<host name>:<port>`.
        public var baseURL: String?
        /// File of signing keys (`ID:BASE64` per line, the first signs); generated into the state folder when unset.
        public var keysFile: String?
        /// How long a link stays valid, in seconds.
        public var ttlSeconds = 86_400.0
        /// Creates the defaults.
        public init() {}
    }

    /// Settings of the shared PostgreSQL store.
    public struct Database: Sendable {
        /// `postgres://user:password@host:5432/db?sslmode=require`; nil keeps SQLite (one replica).
        public var url: Secret?
        /// How long a replica's claim on a run holds without renewal (it renews every third of it while a step runs): a
        /// replica that dies delays its runs' next steps by at most this long.
        public var leaseSeconds = 30.0
        /// How long one store operation (a free connection, then its transaction) may take before it fails as
        /// unavailable: a delivery is then answered 503 (the sender retries) instead of waiting on a database that is
        /// failing over or unreachable.
        public var operationTimeoutSeconds = 1.5
        /// Name of this replica in leases and logs; default `<host name>-<pid>`.
        public var replicaID: String?
        /// Creates the defaults.
        public init() {}
    }

    /// Settings of the executors.
    public struct Executors: Sendable {
        /// Record every step instead of acting (the embedded default: nothing is touched until this is false).
        public var dryRun = true
        /// Creates the defaults.
        public init() {}
    }

    /// Settings of the Kubernetes client.
    public struct Kubernetes: Sendable {
        /// kubeconfig file; nil uses in-cluster credentials when running in a pod, else `$KUBECONFIG` or `~/.kube/config`.
        public var kubeconfig: String?
        /// Context of the kubeconfig; nil uses its current-context.
        public var context: String?
        /// Force (true) or forbid (false) the in-cluster service-account credentials; nil decides by the environment.
        public var inCluster: Bool?
        /// The `fieldManager` every write names, so GitOps tools can tell Responder's changes apart.
        public var fieldManager = "responder"
        /// Further clusters by name (`kubernetes.clusters`); the settings above are the cluster named `default`.
        public var clusters: [String: Cluster] = [:]
        /// Creates the defaults.
        public init() {}

        /// Every cluster name a target may use: `default` and the keys of ``clusters``.
        public var clusterNames: Set<String> { Set(clusters.keys).union(["default"]) }

        /// How to reach one named cluster.
        public enum Cluster: Sendable, Equatable {
            /// A kubeconfig file and the context to use (nil: its current-context).
            case kubeconfig(String, context: String?)
            /// The service account of the pod Responder runs in.
            case inCluster
        }
    }

    /// Settings of the AWS clients.
    public struct AWS: Sendable {
        /// Region of ECS targets without one; nil uses `AWS_REGION` / `AWS_DEFAULT_REGION`.
        public var region: String?
        /// One endpoint for ECS, Application Auto Scaling and STS (a local moto server, a VPC endpoint proxy).
        public var endpointURL: String?
        /// Creates the defaults.
        public init() {}
    }

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
