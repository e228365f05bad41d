import AsyncHTTPClient
import Foundation
import Logging
import ResponderAWS
import ResponderCore
import ResponderRuntime
import ResponderExecutors
import ResponderStore

/// Builds the executor `serve` runs steps with, from the configuration.
///
/// With `executors.dry_run: true` (the default) every step is recorded in the journal and nothing is touched, and no
/// cloud credentials are needed. With `false`, steps act through the target's system: Kubernetes (kubeconfig or
/// in-cluster), ECS and Application Auto Scaling (the standard AWS credential chain), docker compose and command
/// pairs; playbooks with `dry_run: true` are still only recorded, with the exact request each step would send.
public struct ExecutorAssembly: Sendable {
    /// The executor to hand to the run coordinator.
    public let executor: any StepExecutor
    /// One line for the start-up summary: the mode and the systems configured.
    public let summary: String
    private let kubernetes: KubernetesClusters?

    /// Assembles the executor. Throws when a configured Kubernetes connection (`kubernetes.kubeconfig`,
    /// `kubernetes.in_cluster: true`, an entry of `kubernetes.clusters`) cannot be set up, or `aws.endpoint_url` is not an http(s) URL; missing optional
    /// credentials only make steps on such targets fail with a message saying what to configure.
    public static func make(
        config: ResponderConfig, journal: any ResponderStorage, registry: PlaybookRegistry, httpClient: HTTPClient,
        environment: [String: String] = ProcessInfo.processInfo.environment, logger: Logger,
        now: @escaping @Sendable () -> Date = { Date() }
    ) throws(ConfigError) -> ExecutorAssembly {
        let aws = try awsFactory(config.aws, environment: environment, httpClient: httpClient, logger: logger)
        let metrics = try metricReader(config.prometheus, aws: aws, httpClient: httpClient)
        if config.executors.dryRun {
            return ExecutorAssembly(
                executor: GatedExecutor(RecordingExecutor(ledger: journal), reader: metrics, now: now),
                summary: "Executors: dry-run (every step is recorded in the store, table executor_call; set executors.dry_run: false to act)",
                kubernetes: nil
            )
        }
        var systems: [String] = []
        let clusters = try kubernetesClusters(config.kubernetes, environment: environment, logger: logger)
        if !clusters.clients.isEmpty { systems.append("Kubernetes \(clusters.summary)") }
        systems.append("AWS region \(aws.defaultRegion ?? "per target")" + (aws.endpoint.map { " via \($0)" } ?? ""))
        let backends = ConfiguredBackends(
            registry: registry,
            kubernetes: { @Sendable workload throws(BackendError) in try clusters.backend(for: workload) },
            ecs: { service throws(BackendError) in try aws.backend(for: service) },
            ecsProblem: "",
            compose: ComposeScaler(),
            commands: CommandTargetScaler()
        )
        // Dry-run playbooks are recorded with the exact request each backend would send.
        let exact = ExactRequests(backends: backends)
        let recorder = RecordingExecutor(ledger: journal, exactRequest: { await exact($0) })
        let executor = LiveExecutor(
            backends: backends, http: HTTPCallRunner(client: httpClient), commands: CommandStepRunner(),
            dryRun: recorder, alert: { await journal.alertTemplate(forRun: $0) }, logger: logger
        )
        return ExecutorAssembly(
            executor: GatedExecutor(executor, reader: metrics, now: now), summary: "Executors: live (" + systems.joined(separator: "; ") + ")",
            kubernetes: clusters
        )
    }

    /// Releases the clients the assembly created.
    public func shutdown() async {
        await kubernetes?.shutdown()
    }

    /// One client per cluster: `default` (when configured or discoverable) and every entry of `kubernetes.clusters`.
    /// Every connection is set up before any client exists, so a bad entry leaves no client to shut down.
    private static func kubernetesClusters(
        _ settings: ResponderConfig.Kubernetes, environment: [String: String], logger: Logger
    ) throws(ConfigError) -> KubernetesClusters {
        var connections: [String: KubernetesConnection] = [:]
        var unavailable: [String: String] = [:]
        switch try defaultConnection(settings, environment: environment) {
        case .success(let connection): connections[Target.Kubernetes.defaultCluster] = connection
        case .failure(let reason): unavailable[Target.Kubernetes.defaultCluster] = reason.message
        }
        for (name, cluster) in settings.clusters.sorted(by: { $0.key < $1.key }) {
            do {
                switch cluster {
                case .kubeconfig(let path, let context):
                    connections[name] = try KubeconfigLoader.connection(path: path, context: context)
                case .inCluster:
                    connections[name] = try KubernetesConnection.inCluster(environment: environment)
                }
            } catch {
                throw ConfigError("kubernetes.clusters.\(name): \(error.message)")
            }
        }
        var clients: [String: KubernetesClient] = [:]
        for (name, connection) in connections {
            clients[name] = KubernetesClient(connection: connection, cluster: name, fieldManager: settings.fieldManager, logger: logger)
        }
        return KubernetesClusters(clients: clients, unavailable: unavailable)
    }

    /// The default cluster's connection, or (as a failure) why there is none when nothing was configured explicitly.
    private static func defaultConnection(
        _ settings: ResponderConfig.Kubernetes, environment: [String: String]
    ) throws(ConfigError) -> Result<KubernetesConnection, KubernetesConfigError> {
        var environment = environment
        if settings.inCluster == false { environment["KUBERNETES_SERVICE_HOST"] = nil }
        let explicit = settings.kubeconfig != nil || settings.inCluster == true
        do {
            return .success(settings.inCluster == true && settings.kubeconfig == nil
                ? try KubernetesConnection.inCluster(environment: environment)
                : try KubernetesConnection.discover(kubeconfig: settings.kubeconfig, context: settings.context, environment: environment))
        } catch {
            if explicit { throw ConfigError("kubernetes: \(error.message)") }
            return .failure(KubernetesConfigError(
                "no Kubernetes credentials were found (\(error.message)): set kubernetes.kubeconfig, or run in a pod"))
        }
    }

    /// The reader of load checks: Prometheus from `prometheus:`, CloudWatch through the AWS settings (the same
    /// credential chain as ECS, resolved only when a CloudWatch check is read).
    private static func metricReader(
        _ settings: ResponderConfig.Prometheus, aws: AWSBackendFactory, httpClient: HTTPClient
    ) throws(ConfigError) -> MetricRouter {
        let authentication: PrometheusSettings.Authentication
        if let file = settings.bearerTokenFile {
            authentication = .bearerTokenFile(file)
        } else if let username = settings.basicUsername, let file = settings.basicPasswordFile {
            authentication = .basic(username: username, passwordFile: file)
        } else {
            authentication = .none
        }
        let prometheus: PrometheusReader
        do {
            prometheus = try PrometheusReader(
                settings: PrometheusSettings(
                    url: settings.url, authentication: authentication, caFile: settings.caFile,
                    timeout: .clampedSeconds(settings.timeoutSeconds)),
                client: httpClient)
        } catch {
            throw ConfigError(error.message)
        }
        return MetricRouter(prometheus: prometheus, cloudWatch: CloudWatchMetricsClient(factory: aws))
    }

    private static func awsFactory(
        _ settings: ResponderConfig.AWS, environment: [String: String], httpClient: HTTPClient, logger: Logger
    ) throws(ConfigError) -> AWSBackendFactory {
        var environment = environment
        if let endpoint = settings.endpointURL {
            guard AWSEndpoint(url: endpoint) != nil else {
                throw ConfigError("aws.endpoint_url \"\(endpoint)\" must be an http(s) URL without a path, e.g. http://127.0.0.1:5000")
            }
            environment["AWS_ENDPOINT_URL"] = endpoint
        }
        if let region = settings.region { environment["AWS_REGION"] = region }
        return AWSBackendFactory.fromEnvironment(environment, httpClient: httpClient, logger: logger)
    }
}
