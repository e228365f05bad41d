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
    private let kubernetes: KubernetesClient?

    /// Assembles the executor. Throws when a configured Kubernetes connection (`kubernetes.kubeconfig`,
    /// `kubernetes.in_cluster: true`) cannot be set up, or `aws.endpoint_url` is not an http(s) URL; missing optional
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
        let (kubernetesClient, kubernetesProblem) = try kubernetesClient(config.kubernetes, environment: environment, logger: logger)
        if let kubernetesClient { systems.append("Kubernetes \(kubernetesClient.connection.server)") }
        systems.append("AWS region \(aws.defaultRegion ?? "per target")" + (aws.endpoint.map { " via \($0)" } ?? ""))
        var kubernetesMaker: ConfiguredBackends.KubernetesMaker?
        if let kubernetesClient {
            kubernetesMaker = { @Sendable workload throws(BackendError) in KubernetesBackend(workload, client: kubernetesClient) }
        }
        let backends = ConfiguredBackends(
            registry: registry,
            kubernetes: kubernetesMaker,
            kubernetesProblem: kubernetesProblem,
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
            kubernetes: kubernetesClient
        )
    }

    /// Releases the clients the assembly created.
    public func shutdown() async {
        try? await kubernetes?.shutdown()
    }

    /// The Kubernetes client, or nil with the reason when none is configured or discoverable.
    private static func kubernetesClient(
        _ settings: ResponderConfig.Kubernetes, environment: [String: String], logger: Logger
    ) throws(ConfigError) -> (KubernetesClient?, String) {
        var environment = environment
        if settings.inCluster == false { environment["KUBERNETES_SERVICE_HOST"] = nil }
        let explicit = settings.kubeconfig != nil || settings.inCluster == true
        do {
            let connection = settings.inCluster == true && settings.kubeconfig == nil
                ? try KubernetesConnection.inCluster(environment: environment)
                : try KubernetesConnection.discover(kubeconfig: settings.kubeconfig, context: settings.context, environment: environment)
            return (KubernetesClient(connection: connection, logger: logger), "")
        } catch {
            if explicit { throw ConfigError("kubernetes: \(error.message)") }
            return (nil, "no Kubernetes credentials were found (\(error.message)): set kubernetes.kubeconfig, or run in a pod")
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
