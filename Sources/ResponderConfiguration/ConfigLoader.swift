import Foundation
import Yams

/// Reads the YAML configuration file, applies `RESPONDER_*` environment overrides and `*_file` secrets.
///
/// Keys are strict: an unknown key, a wrong type or a YAML alias is an error naming the file and line.
/// Every leaf key `a.b_c` can be overridden by the variable `RESPONDER_A_B_C`; lists take comma-separated values.
public struct ConfigLoader: Sendable {
    /// The type a configuration key takes.
    enum Kind: Sendable { case string, int, double, bool, list }

    static let schema: [String: Kind] = [
        "listen": .string, "state_dir": .string, "playbooks_dir": .string, "log_level": .string,
        "tls.cert_file": .string, "tls.key_file": .string,
        "server.idle_timeout_seconds": .double,
        "admin.token": .string, "admin.token_file": .string,
        "alertmanager.bearer_token": .string, "alertmanager.bearer_token_file": .string,
        "alertmanager.basic_auth.username": .string, "alertmanager.basic_auth.password": .string,
        "alertmanager.basic_auth.password_file": .string, "alertmanager.max_body_bytes": .int,
        "sns.allowed_regions": .list, "sns.allowed_topic_arns": .list, "sns.certificate_dir": .string,
        "sns.fetch_certificates": .bool, "sns.max_message_age_seconds": .double, "sns.max_body_bytes": .int,
        "sns.testing_extra_hosts": .list,
        "executors.dry_run": .bool,
        "database.url": .string, "database.url_file": .string, "database.lease_seconds": .double,
        "database.operation_timeout_seconds": .double,
        "database.replica_id": .string,
        "kubernetes.kubeconfig": .string, "kubernetes.context": .string, "kubernetes.in_cluster": .bool,
        "kubernetes.field_manager": .string,
        "kubernetes.clusters.*.kubeconfig": .string, "kubernetes.clusters.*.context": .string,
        "kubernetes.clusters.*.in_cluster": .bool,
        "aws.region": .string, "aws.endpoint_url": .string,
        "slack.bot_token": .string, "slack.bot_token_file": .string, "slack.channel": .string,
        "slack.webhook_url": .string, "slack.webhook_url_file": .string,
        "slack.signing_secret": .string, "slack.signing_secret_file": .string, "slack.api_url": .string,
        "slack.timeout_seconds": .double,
        "pagerduty.routing_key": .string, "pagerduty.routing_key_file": .string, "pagerduty.events_url": .string,
        "prometheus.url": .string, "prometheus.bearer_token_file": .string,
        "prometheus.basic_auth.username": .string, "prometheus.basic_auth.password_file": .string,
        "prometheus.ca_file": .string, "prometheus.timeout_seconds": .double,
        "links.base_url": .string, "links.keys_file": .string, "links.ttl_seconds": .double,
        "limits.per_target.actions": .int, "limits.per_target.window": .string, "limits.total.actions": .int,
        "limits.total.window": .string, "limits.targets_per_run": .int, "limits.on_limit": .string,
        "retention.raw_bodies": .string, "retention.alerts": .string, "retention.ended_runs": .string,
        "retention.action_links": .string, "retention.delivery_keys": .string, "retention.batch": .int,
        "retention.interval": .string,
        "disk.warn_free_bytes": .int, "disk.warn_free_percent": .double,
    ]

    /// Mappings whose keys are names chosen by the user (`*` in ``schema``); they take no environment overrides.
    static let namedSections = ["kubernetes.clusters"]

    /// The type of `key`, with a name under a ``namedSections`` mapping read as `*`.
    static func kind(of key: String) -> Kind? {
        schema[key] ?? schema[wildcard(key)]
    }

    /// Whether `key` is a section (a mapping) of the schema, such as `tls` or `kubernetes.clusters.eu-west`.
    static func isSection(_ key: String) -> Bool {
        let pattern = wildcard(key) + "."
        return schema.keys.contains { $0.hasPrefix(pattern) }
    }

    /// `kubernetes.clusters.eu-west.kubeconfig` as `kubernetes.clusters.*.kubeconfig`.
    static func wildcard(_ key: String) -> String {
        for section in namedSections where key.hasPrefix(section + ".") {
            let rest = key.dropFirst(section.count + 1)
            let tail = rest.firstIndex(of: ".").map { rest[$0...] } ?? ""
            return section + ".*" + tail
        }
        return key
    }

    private let environment: [String: String]
    private let readFile: @Sendable (String) throws -> String

    /// Creates a loader reading the given environment and files.
    public init(
        environment: [String: String] = ProcessInfo.processInfo.environment,
        readFile: @escaping @Sendable (String) throws -> String = { try String(contentsOfFile: $0, encoding: .utf8) }
    ) {
        self.environment = environment
        self.readFile = readFile
    }

    /// Parses a listen address `HOST:PORT`, `[IPv6]:PORT` or `:PORT`; `origin` names where it came from in errors.
    public static func parseListen(_ text: String, origin: String) throws(ConfigError) -> (String, Int) {
        try ConfigBuilder.parseListen(text, origin: origin)
    }

    /// Loads `path` (or only the environment when nil) over the embedded defaults.
    public func load(path: String?) throws(ConfigError) -> ResponderConfig {
        var values: [String: ConfigValue] = [:]
        if let path {
            let text: String
            do { text = try readFile(path) } catch {
                throw ConfigError("\(path): cannot read the configuration file: \(error.localizedDescription)")
            }
            values = try ConfigYAML(file: path).flatten(text)
        }
        for (key, kind) in Self.schema where !key.contains("*") {
            let variable = "RESPONDER_" + key.uppercased().replacingOccurrences(of: ".", with: "_")
            guard let raw = environment[variable] else { continue }
            values[key] = kind == .list
                ? .list(raw.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }, variable)
                : .scalar(raw, variable)
        }
        return try ConfigBuilder(values: values, readFile: readFile).build()
    }
}

/// A configuration value and where it came from (`file:line` or an environment variable name).
enum ConfigValue: Sendable {
    case scalar(String, String)
    case list([String], String)

    var origin: String {
        switch self {
        case .scalar(_, let origin), .list(_, let origin): return origin
        }
    }
}
