import ArgumentParser
import Foundation
import Logging
import ResponderServer

/// `responder serve`: the HTTPS server.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the HTTPS server (defaults: 0.0.0.0:8443, ./.responder).",
        discussion: """
            Tracing (OpenTelemetry, off by default) is configured by the standard variables only: set \
            OTEL_EXPORTER_OTLP_ENDPOINT (for example http://localhost:4318) or OTEL_TRACES_EXPORTER=otlp to export spans \
            over OTLP/HTTP; OTEL_EXPORTER_OTLP_PROTOCOL (http/protobuf or http/json), OTEL_SERVICE_NAME, \
            OTEL_EXPORTER_OTLP_HEADERS, OTEL_TRACES_SAMPLER and OTEL_SDK_DISABLED=true are honoured. See docs/tracing.md.
            """
    )

    @Option(help: "YAML configuration file; RESPONDER_* environment variables override it.")
    var config: String?

    @Option(help: "Address to listen on, HOST:PORT.")
    var listen: String?

    @Option(help: "State folder for the database, generated certificate and tokens.")
    var state: String?

    @Option(help: "Folder of playbook YAML files.")
    var playbooks: String?

    @Option(name: .customLong("database-url"),
            help: "PostgreSQL store shared by several replicas (postgres://user:password@host/db); default: SQLite in --state.")
    var databaseURL: String?

    @Option(name: .customLong("tls-cert"), help: "PEM certificate chain to serve instead of the generated one.")
    var tlsCert: String?

    @Option(name: .customLong("tls-key"), help: "PEM private key of --tls-cert.")
    var tlsKey: String?

    /// Loads the configuration, applies the flags, and serves until SIGTERM or SIGINT.
    func run() async throws {
        MemoryTuning.apply()
        var settings: ResponderConfig
        do {
            settings = try ConfigLoader().load(path: config)
            if let listen {
                (settings.listenHost, settings.listenPort) = try ConfigLoader.parseListen(listen, origin: "--listen")
            }
        } catch {
            throw ValidationError(error.description)
        }
        if let state { settings.stateDirectory = state }
        if let playbooks { settings.playbooksDirectory = playbooks }
        if let tlsCert { settings.tlsCertificateFile = tlsCert }
        if let databaseURL { settings.database.url = Secret(databaseURL) }
        if let tlsKey { settings.tlsKeyFile = tlsKey }
        let level = Logger.Level(rawValue: settings.logLevel) ?? .info
        LoggingSystem.bootstrap { label in
            var handler = JSONLogHandler(label: label)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "responder")
        let announce: @Sendable (String) -> Void = { line in FileHandle.standardOutput.write(Data((line + "\n").utf8)) }
        do {
            let tracing = try TracingBootstrap.bootstrap(environment: ProcessInfo.processInfo.environment,
                                                        logger: Logger(label: "responder.otel"))
            if let summary = tracing.summary { announce(summary) }
            try await ServeRuntime(config: settings, logger: logger, tracing: tracing.service).run(announce: announce)
        } catch let error as ConfigError {
            throw ValidationError(error.description)
        }
    }
}
