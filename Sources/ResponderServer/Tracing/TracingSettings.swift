import Foundation
import ResponderTracing

/// Whether `serve` exports traces, decided from the standard OpenTelemetry variables alone. Off unless asked for: with
/// no `OTEL_*` variable set nothing is exported and no connection is attempted.
///
/// On when `OTEL_TRACES_EXPORTER=otlp`, or when `OTEL_EXPORTER_OTLP_ENDPOINT` or `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`
/// is set; off when `OTEL_SDK_DISABLED=true` or `OTEL_TRACES_EXPORTER=none`. Only OTLP over HTTP is built in
/// (`http/protobuf`, the default, or `http/json`); the other exporters and `grpc` are refused at start-up.
public struct TracingSettings: Equatable, Sendable {
    /// Whether traces are exported.
    public var enabled: Bool
    /// The OTLP protocol: `http/protobuf` or `http/json`.
    public var transport: String
    /// Where spans go, as the exporter resolves it (scheme, host and port only, for the start-up line).
    public var destination: String

    /// Settings as given.
    public init(enabled: Bool, transport: String, destination: String) {
        self.enabled = enabled
        self.transport = transport
        self.destination = destination
    }

    /// The variables `serve` reads (the exporter itself reads the rest of the `OTEL_*` family it supports).
    public static let variables = [
        "OTEL_SDK_DISABLED", "OTEL_TRACES_EXPORTER", "OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT",
        "OTEL_EXPORTER_OTLP_PROTOCOL", "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", "OTEL_SERVICE_NAME",
        "OTEL_RESOURCE_ATTRIBUTES", "OTEL_EXPORTER_OTLP_HEADERS", "OTEL_TRACES_SAMPLER", "OTEL_TRACES_SAMPLER_ARG",
        "OTEL_BSP_SCHEDULE_DELAY", "OTEL_PROPAGATORS",
    ]

    /// The settings `environment` asks for; throws what to fix for a value this build cannot honour.
    public static func resolve(_ environment: [String: String]) throws(ConfigError) -> TracingSettings {
        func value(_ name: String) -> String? {
            guard let raw = environment[name]?.trimmingCharacters(in: .whitespaces), !raw.isEmpty else { return nil }
            return raw
        }
        let off = TracingSettings(enabled: false, transport: "", destination: "")
        if let disabled = value("OTEL_SDK_DISABLED") {
            switch disabled.lowercased() {
            case "true": return off
            case "false": break
            default: throw ConfigError("OTEL_SDK_DISABLED: expected true or false, got \(String(disabled.prefix(40)))")
            }
        }
        let endpoint = value("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT") ?? value("OTEL_EXPORTER_OTLP_ENDPOINT")
        switch value("OTEL_TRACES_EXPORTER")?.lowercased() {
        case "none": return off
        case "otlp": break
        case nil: if endpoint == nil { return off }
        case let other?:
            throw ConfigError("OTEL_TRACES_EXPORTER: only otlp (or none) is built in, got \(String(other.prefix(40)))")
        }
        let transport = (value("OTEL_EXPORTER_OTLP_TRACES_PROTOCOL") ?? value("OTEL_EXPORTER_OTLP_PROTOCOL"))?.lowercased()
            ?? "http/protobuf"
        guard transport == "http/protobuf" || transport == "http/json" else {
            throw ConfigError("OTEL_EXPORTER_OTLP_PROTOCOL: only http/protobuf and http/json are built in, got "
                + "\(String(transport.prefix(40))) (for grpc, send to the collector's OTLP/HTTP port, 4318)")
        }
        let destination: String
        if let specific = value("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT") {
            destination = specific
        } else if let shared = value("OTEL_EXPORTER_OTLP_ENDPOINT") {
            // The shared endpoint is a base URL: the exporter appends the signal's path.
            destination = shared.hasSuffix("/") ? shared + "v1/traces" : shared + "/v1/traces"
        } else {
            destination = "http://localhost:4318/v1/traces"
        }
        let parsed = Endpoint(destination)
        guard parsed.scheme == "http" || parsed.scheme == "https", parsed.host != nil else {
            let name = value("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT") == nil ? "OTEL_EXPORTER_OTLP_ENDPOINT" : "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"
            throw ConfigError("\(name): expected an http:// or https:// URL, got \(parsed.origin)")
        }
        return TracingSettings(enabled: true, transport: transport, destination: parsed.origin)
    }
}
