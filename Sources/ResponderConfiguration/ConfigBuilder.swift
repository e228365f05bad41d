import Foundation
import ResponderCore

/// Turns flattened, typed configuration values into a ``ResponderConfig``.
struct ConfigBuilder {
    let values: [String: ConfigValue]
    let readFile: @Sendable (String) throws -> String

    /// The typed configuration, or the first problem with its origin.
    func build() throws(ConfigError) -> ResponderConfig {
        var config = ResponderConfig()
        if let listen = try string("listen") {
            let (host, port) = try Self.parseListen(listen, origin: values["listen"]?.origin ?? "listen")
            config.listenHost = host
            config.listenPort = port
        }
        config.stateDirectory = try string("state_dir") ?? config.stateDirectory
        config.playbooksDirectory = try string("playbooks_dir") ?? config.playbooksDirectory
        config.logLevel = try string("log_level") ?? config.logLevel
        config.tlsCertificateFile = try string("tls.cert_file")
        config.tlsKeyFile = try string("tls.key_file")
        config.idleTimeoutSeconds = try double("server.idle_timeout_seconds") ?? config.idleTimeoutSeconds
        config.adminToken = try secret("admin.token")
        config.alertmanager.bearerToken = try secret("alertmanager.bearer_token")
        config.alertmanager.basicUsername = try string("alertmanager.basic_auth.username")
        config.alertmanager.basicPassword = try secret("alertmanager.basic_auth.password")
        if (config.alertmanager.basicUsername == nil) != (config.alertmanager.basicPassword == nil) {
            throw ConfigError("alertmanager.basic_auth: set both username and password (or password_file)")
        }
        config.alertmanager.maxBodyBytes = try int("alertmanager.max_body_bytes") ?? config.alertmanager.maxBodyBytes
        config.sns.allowedRegions = try list("sns.allowed_regions") ?? []
        config.sns.allowedTopicArns = try list("sns.allowed_topic_arns") ?? []
        config.sns.certificateDirectory = try string("sns.certificate_dir")
        config.sns.fetchCertificates = try bool("sns.fetch_certificates") ?? true
        config.sns.maxMessageAgeSeconds = try double("sns.max_message_age_seconds") ?? config.sns.maxMessageAgeSeconds
        config.sns.maxBodyBytes = try int("sns.max_body_bytes") ?? config.sns.maxBodyBytes
        config.sns.testingExtraHosts = try list("sns.testing_extra_hosts") ?? []
        config.executors.dryRun = try bool("executors.dry_run") ?? true
        config.database.url = try secret("database.url")
        config.database.leaseSeconds = try double("database.lease_seconds") ?? config.database.leaseSeconds
        config.database.operationTimeoutSeconds = try double("database.operation_timeout_seconds")
            ?? config.database.operationTimeoutSeconds
        config.database.replicaID = try string("database.replica_id")
        config.kubernetes = try kubernetes()
        config.aws.region = try string("aws.region")
        config.aws.endpointURL = try string("aws.endpoint_url")
        config.slack.botToken = try secret("slack.bot_token")
        config.slack.channel = try string("slack.channel")
        config.slack.webhookURL = try secret("slack.webhook_url")
        config.slack.signingSecret = try secret("slack.signing_secret")
        config.slack.apiURL = try string("slack.api_url") ?? config.slack.apiURL
        config.slack.timeoutSeconds = try double("slack.timeout_seconds") ?? config.slack.timeoutSeconds
        if config.slack.botToken != nil, config.slack.channel == nil {
            throw ConfigError("\(values["slack.bot_token"]?.origin ?? values["slack.bot_token_file"]?.origin ?? "slack"): "
                + "slack.channel is required with slack.bot_token (the channel id or name the bot posts to)")
        }
        config.prometheus = try prometheus()
        config.pagerDuty.routingKey = try secret("pagerduty.routing_key")
        config.pagerDuty.eventsURL = try string("pagerduty.events_url") ?? config.pagerDuty.eventsURL
        config.links.baseURL = try string("links.base_url")
        config.links.keysFile = try string("links.keys_file")
        config.links.ttlSeconds = try double("links.ttl_seconds") ?? config.links.ttlSeconds
        config.limits = try limits()
        config.retention = try retention(linkTTL: config.links.ttlSeconds, snsMaxAge: config.sns.maxMessageAgeSeconds)
        config.disk = try disk()
        return config
    }

    /// Allowed values of the whole-number keys (bytes); docs/configuration.md lists them.
    static let integerRanges: [String: ClosedRange<Int>] = [
        "alertmanager.max_body_bytes": 1_024...67_108_864,
        "sns.max_body_bytes": 1_024...67_108_864,
        "limits.per_target.actions": ActionLimits.actions,
        "limits.total.actions": ActionLimits.actions,
        "limits.targets_per_run": ActionLimits.targets,
        "retention.batch": RetentionPolicy.batchRange,
        "disk.warn_free_bytes": DiskThresholds.warnFreeBytesRange,
    ]

    /// Allowed values of the keys in seconds; every one is finite, so it converts to whole milliseconds without a trap.
    static let secondRanges: [String: ClosedRange<Double>] = [
        "server.idle_timeout_seconds": 1...3_600,
        "sns.max_message_age_seconds": 1...86_400,
        "database.lease_seconds": 3...3_600,
        "database.operation_timeout_seconds": 0.1...300,
        "links.ttl_seconds": 60...2_592_000,
        "slack.timeout_seconds": 0.1...120,
        "prometheus.timeout_seconds": 0.1...300,
    ]

    /// The `prometheus:` section: an http(s) URL without credentials in it, secret files that can be read now (they
    /// are read again at each query, so a rotated token is picked up), basic auth with both parts.
    private func prometheus() throws(ConfigError) -> ResponderConfig.Prometheus {
        var settings = ResponderConfig.Prometheus()
        if let url = try string("prometheus.url") {
            let origin = values["prometheus.url"]?.origin ?? "prometheus.url"
            guard let components = URLComponents(string: url),
                  let scheme = components.scheme?.lowercased(), scheme == "http" || scheme == "https",
                  components.host?.isEmpty == false
            else {
                throw ConfigError("\(origin): prometheus.url must be an http(s) URL such as http://prometheus:9090")
            }
            guard components.user == nil, components.password == nil else {
                throw ConfigError("\(origin): prometheus.url must not carry credentials: use prometheus.basic_auth "
                    + "(username and password_file) or prometheus.bearer_token_file")
            }
            guard components.query == nil, components.fragment == nil else {
                throw ConfigError("\(origin): prometheus.url must not have a query or fragment (give the base URL, e.g. http://prometheus:9090)")
            }
            settings.url = url
        }
        settings.bearerTokenFile = try readableFile("prometheus.bearer_token_file")
        settings.basicUsername = try string("prometheus.basic_auth.username")
        settings.basicPasswordFile = try readableFile("prometheus.basic_auth.password_file")
        if (settings.basicUsername == nil) != (settings.basicPasswordFile == nil) {
            throw ConfigError("prometheus.basic_auth: set both username and password_file")
        }
        if settings.bearerTokenFile != nil, settings.basicUsername != nil {
            throw ConfigError("prometheus: set bearer_token_file or basic_auth, not both")
        }
        settings.caFile = try readableFile("prometheus.ca_file")
        settings.timeoutSeconds = try double("prometheus.timeout_seconds") ?? settings.timeoutSeconds
        return settings
    }

    /// The `kubernetes:` section: the default cluster, the field manager and the named clusters.
    private func kubernetes() throws(ConfigError) -> ResponderConfig.Kubernetes {
        var settings = ResponderConfig.Kubernetes()
        settings.kubeconfig = try string("kubernetes.kubeconfig")
        settings.context = try string("kubernetes.context")
        settings.inCluster = try bool("kubernetes.in_cluster")
        if let manager = try string("kubernetes.field_manager") {
            // The API server takes at most 128 bytes of printable characters; Responder keeps to printable ASCII so
            // the name reads the same in every tool that shows managedFields.
            guard (1...128).contains(manager.utf8.count), manager.unicodeScalars.allSatisfy({ (0x20...0x7E).contains($0.value) }) else {
                throw ConfigError("\(values["kubernetes.field_manager"]?.origin ?? "kubernetes.field_manager"): "
                    + "kubernetes.field_manager must be 1 to 128 printable ASCII characters (the API server's limit), e.g. responder")
            }
            settings.fieldManager = manager
        }
        let prefix = "kubernetes.clusters."
        let names = Set(values.keys.filter { $0.hasPrefix(prefix) }.compactMap { $0.dropFirst(prefix.count).split(separator: ".").first })
        var inCluster = settings.inCluster == true ? ["default (kubernetes.in_cluster)"] : []
        for name in names.sorted().map(String.init) {
            let key = prefix + name
            let origin = ["kubeconfig", "in_cluster", "context"].lazy.compactMap { self.values[key + "." + $0]?.origin }.first ?? key
            let kubeconfig = try string(key + ".kubeconfig")
            let context = try string(key + ".context")
            switch (kubeconfig, try bool(key + ".in_cluster")) {
            case (let file?, false?), (let file?, nil):
                guard !file.isEmpty else { throw ConfigError("\(origin): \(key).kubeconfig is empty: give the kubeconfig file's path") }
                settings.clusters[name] = .kubeconfig(file, context: context)
            case (nil, true?):
                guard context == nil else {
                    throw ConfigError("\(origin): \(key): context belongs to a kubeconfig; with in_cluster: true remove it")
                }
                inCluster.append(name)
                settings.clusters[name] = .inCluster
            case (_?, true?):
                throw ConfigError("\(origin): \(key): set kubeconfig (and context) or in_cluster: true, not both")
            case (nil, _):
                throw ConfigError("\(origin): \(key) needs kubeconfig (the path of a kubeconfig file, and context to pick "
                    + "one of its contexts) or in_cluster: true")
            }
        }
        if inCluster.count > 1 {
            throw ConfigError("kubernetes: only one cluster can use the in-cluster service account, but "
                + "\(inCluster.joined(separator: " and ")) do: Responder runs in one cluster; give the others a kubeconfig")
        }
        return settings
    }

    /// A file path that can be read now and is not empty; its content is not kept (nor shown in errors).
    private func readableFile(_ key: String) throws(ConfigError) -> String? {
        guard let file = try string(key) else { return nil }
        let origin = values[key]?.origin ?? key
        let text: String
        do { text = try readFile(file) } catch {
            throw ConfigError("\(origin): cannot read \(key) \(file)")
        }
        guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw ConfigError("\(origin): \(key) \(file) is empty")
        }
        return file
    }

    /// Parses `HOST:PORT`, `[IPv6]:PORT` or `:PORT`.
    static func parseListen(_ text: String, origin: String) throws(ConfigError) -> (String, Int) {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]),
              (0...65535).contains(port)
        else {
            throw ConfigError("\(origin): listen address \"\(text)\" must be HOST:PORT, e.g. 0.0.0.0:8443")
        }
        var host = String(text[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        return (host.isEmpty ? "0.0.0.0" : host, port)
    }

    /// The text of `key`, or nil when unset; a list is an error.
    func string(_ key: String) throws(ConfigError) -> String? {
        switch values[key] {
        case .none: return nil
        case .scalar(let value, _): return value
        case .list(_, let origin): throw ConfigError("\(origin): \(key) must be a single value")
        }
    }

    /// The `limits:` section: nil when it sets nothing; a rate needs both `actions` and `window`.
    private func limits() throws(ConfigError) -> ActionLimits? {
        var limits = ActionLimits()
        limits.perTarget = try rate("limits.per_target")
        limits.total = try rate("limits.total")
        limits.targetsPerRun = try int("limits.targets_per_run")
        if let text = try string("limits.on_limit") {
            guard let onLimit = ActionLimits.OverLimit(rawValue: text) else {
                throw ConfigError("\(values["limits.on_limit"]?.origin ?? "limits.on_limit"): limits.on_limit must be wait or hold, got \"\(text.prefix(40))\"")
            }
            limits.onLimit = onLimit
        }
        return limits.isEmpty ? nil : limits
    }

    /// `key.actions` actions per `key.window` (a playbook duration, 1m to 1d), or nil when neither is set.
    private func rate(_ key: String) throws(ConfigError) -> ActionLimits.Rate? {
        let actions = try int(key + ".actions")
        let windowText = try string(key + ".window")
        guard actions != nil || windowText != nil else { return nil }
        guard let actions, let windowText else {
            throw ConfigError("\(values[key + ".actions"]?.origin ?? values[key + ".window"]?.origin ?? key): \(key) needs both actions and window "
                + "(e.g. actions: 6 and window: 1h)")
        }
        let origin = values[key + ".window"]?.origin ?? key
        let window: Duration
        do { window = try Duration.parsePlaybook(windowText) } catch {
            throw ConfigError("\(origin): \(key).window: \(error)")
        }
        guard ActionLimits.window.contains(window) else {
            throw ConfigError("\(origin): \(key).window must be from \(Limits.text(ActionLimits.window)), got \(windowText.prefix(40))")
        }
        return ActionLimits.Rate(actions: actions, window: window)
    }

    /// A whole number within `key`'s range in ``integerRanges``.
    func int(_ key: String) throws(ConfigError) -> Int? {
        guard let text = try string(key) else { return nil }
        let range = Self.integerRanges[key] ?? 1...Int.max
        guard let value = Int(text), range.contains(value) else {
            throw ConfigError("\(values[key]?.origin ?? key): \(key) must be a whole number from "
                + "\(Self.grouped(range.lowerBound)) to \(Self.grouped(range.upperBound)), got \"\(text.prefix(40))\"")
        }
        return value
    }

    /// A finite number of seconds within `key`'s range in ``secondRanges`` (`inf`, `nan` and `1e400` are refused).
    private func double(_ key: String) throws(ConfigError) -> Double? {
        guard let text = try string(key) else { return nil }
        let range = Self.secondRanges[key] ?? 1...3_600
        guard let value = Double(text), value.isFinite, range.contains(value) else {
            let why = key == "database.lease_seconds" ? " (leases are renewed every third of it, on a 1 s timer)" : ""
            throw ConfigError("\(values[key]?.origin ?? key): \(key) must be a number of seconds from "
                + "\(Self.seconds(range.lowerBound)) to \(Self.seconds(range.upperBound))\(why), got \"\(text.prefix(40))\"")
        }
        return value
    }

    /// A range end in seconds: whole numbers grouped (`3,600`), fractions as they are (`0.1`).
    private static func seconds(_ value: Double) -> String {
        value == value.rounded() ? grouped(Int(value)) : "\(value)"
    }

    /// `67108864` written `67,108,864`.
    private static func grouped(_ value: Int) -> String {
        let digits = Array(String(value.magnitude))
        var out = value < 0 ? "-" : ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { out.append(",") }
            out.append(digit)
        }
        return out
    }

    private func bool(_ key: String) throws(ConfigError) -> Bool? {
        guard let text = try string(key) else { return nil }
        switch text.lowercased() {
        case "true", "yes", "1": return true
        case "false", "no", "0": return false
        default: throw ConfigError("\(values[key]?.origin ?? key): \(key) must be true or false, got \"\(text)\"")
        }
    }

    private func list(_ key: String) throws(ConfigError) -> [String]? {
        switch values[key] {
        case .none: return nil
        case .list(let items, _): return items.filter { !$0.isEmpty }
        case .scalar(_, let origin): throw ConfigError("\(origin): \(key) must be a list")
        }
    }

    /// A secret given inline (`key`) or read from a file (`key_file`, trailing newline trimmed); not both.
    private func secret(_ key: String) throws(ConfigError) -> Secret? {
        let inline = try string(key)
        let file = try string(key + "_file")
        if inline != nil, file != nil {
            throw ConfigError("\(values[key]?.origin ?? key): set \(key) or \(key)_file, not both")
        }
        if let inline { return inline.isEmpty ? nil : Secret(inline) }
        guard let file else { return nil }
        let text: String
        do { text = try readFile(file) } catch {
            throw ConfigError("\(values[key + "_file"]?.origin ?? key): cannot read \(key)_file \(file)")
        }
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw ConfigError("\(key)_file \(file) is empty") }
        return Secret(trimmed)
    }
}
