import Logging
import OTel
import ResponderTracing
import ServiceLifecycle
import Tracing

/// Bootstraps tracing for `responder serve` from the `OTEL_*` variables (``TracingSettings``): when asked for, an OTLP/HTTP
/// exporter becomes the process's tracer and its service is returned to run in the server's service group, which
/// flushes the last spans at shutdown. Only tracing is bootstrapped: logging stays on the JSON log handler and metrics on
/// Prometheus.
public enum TracingBootstrap {
    /// What was set up.
    public struct Outcome: Sendable {
        /// The exporter's service; nil when tracing is off.
        public var service: (any Service)?
        /// The start-up line, nil when tracing is off.
        public var summary: String?
    }

    /// Sets up tracing as `environment` asks; call once per process, before any span is made.
    public static func bootstrap(environment: [String: String], logger: Logger) throws(ConfigError) -> Outcome {
        let settings = try TracingSettings.resolve(environment)
        guard settings.enabled else { return Outcome(service: nil, summary: nil) }
        var configuration = OTel.Configuration.default
        configuration.serviceName = "responder"
        configuration.diagnosticLogger = .custom(logger)
        configuration.logs.enabled = false
        configuration.metrics.enabled = false
        configuration.traces.enabled = true
        let backend: (factory: any Tracer, service: any Service)
        do {
            // Reads the OTEL_* variables itself (endpoint, headers, sampler, batch delay, service name).
            let made = try OTel.makeTracingBackend(configuration: configuration)
            backend = (made.factory, made.service)
        } catch {
            throw ConfigError("OTEL_*: the trace exporter could not be set up: \(error)")
        }
        InstrumentationSystem.bootstrap(backend.factory)
        let name = environment["OTEL_SERVICE_NAME"].flatMap { $0.isEmpty ? nil : $0 } ?? "responder"
        return Outcome(service: backend.service,
                       summary: "Tracing: OTLP/HTTP (\(settings.transport)) to \(settings.destination) as service \(name)")
    }
}
