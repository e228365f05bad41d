import ArgumentParser
import Foundation
import Logging
import ResponderServer

/// `responder serve`: the HTTPS server.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the HTTPS server (defaults: 0.0.0.0:8443, ./.responder).")

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
        do {
            try await ServeRuntime(config: settings, logger: logger).run { line in
                FileHandle.standardOutput.write(Data((line + "\n").utf8))
            }
        } catch let error as ConfigError {
            throw ValidationError(error.description)
        }
    }
}
