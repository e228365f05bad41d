import ArgumentParser
import Foundation
import Logging
import ResponderCore
import ResponderPostgres
import ResponderStore

/// `responder alerts`: what the journal recorded.
struct Alerts: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List the most recent alerts recorded in the journal.")

    @Option(help: "State folder holding responder.sqlite.")
    var state = ".responder"

    @Option(name: .customLong("database-url"),
            help: "Read the PostgreSQL store replicas share instead (default: $RESPONDER_DATABASE_URL when set).")
    var databaseURL: String?

    @Option(help: "How many alerts to show.")
    var limit = 20

    /// Prints the most recent journaled alerts, newest first.
    func run() async throws {
        let (alerts, location) = try await read()
        if alerts.isEmpty {
            print("no alerts recorded in \(location)")
            return
        }
        for entry in alerts {
            let alert = entry.alert
            // Labels come from whoever controls a scraped target: nothing in them may steer the terminal or add a line.
            let name = TerminalText.printable(alert.labels["alertname"] ?? "-", keepNewlines: false)
            let labels = alert.labels.sorted { $0.key < $1.key }
                .map { TerminalText.printable("\($0.key)=\($0.value)", keepNewlines: false) }.joined(separator: ",")
            let matched = entry.plan.flatMap { try? PlanJSON.decode(Data($0.utf8)) }?.matchedPlaybooks
            let playbooks = matched.map { $0.isEmpty ? " playbooks=none" : " playbooks=\($0.joined(separator: ","))" } ?? ""
            print(
                "#\(entry.id) \(RFC3339.format(entry.receivedAt)) \(alert.source.rawValue) \(alert.status.rawValue) "
                    + "\(name) fingerprint=\(TerminalText.printable(alert.fingerprint, keepNewlines: false)) "
                    + "delivery=\(entry.deliveryID)\(playbooks) {\(labels)}"
            )
        }
    }

    /// The recent alerts and where they were read.
    private func read() async throws -> ([JournaledAlert], String) {
        if let url = databaseURL ?? ProcessInfo.processInfo.environment["RESPONDER_DATABASE_URL"] {
            let store: PostgresStore
            do { store = try await PostgresStore.connect(url: url, logger: Logger(label: "responder")) } catch {
                throw ValidationError("database: \(error)")
            }
            let alerts = try await store.whileRunning { try await store.recentAlerts(limit: limit) }
            return (alerts, store.redactedURL)
        }
        let path = (state as NSString).appendingPathComponent("responder.sqlite")
        guard FileManager.default.fileExists(atPath: path) else {
            throw ValidationError("\(path) does not exist: start `responder serve` first or pass --state DIR")
        }
        return (try await SQLiteJournal(path: path).recentAlerts(limit: limit), path)
    }
}
