import ArgumentParser
import Foundation
import ResponderCore
import ResponderStore

/// `responder alerts`: what the journal recorded.
struct Alerts: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List the most recent alerts recorded in the journal.")

    @Option(help: "State folder holding responder.sqlite.")
    var state = ".responder"

    @Option(help: "How many alerts to show.")
    var limit = 20

    /// Prints the most recent journaled alerts, newest first.
    func run() async throws {
        let path = (state as NSString).appendingPathComponent("responder.sqlite")
        guard FileManager.default.fileExists(atPath: path) else {
            throw ValidationError("\(path) does not exist: start `responder serve` first or pass --state DIR")
        }
        let journal = try SQLiteJournal(path: path)
        let alerts = try await journal.recentAlerts(limit: limit)
        if alerts.isEmpty {
            print("no alerts recorded in \(path)")
            return
        }
        for entry in alerts {
            let alert = entry.alert
            let name = alert.labels["alertname"] ?? "-"
            let labels = alert.labels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
            let matched = entry.plan.flatMap { try? PlanJSON.decode(Data($0.utf8)) }?.matchedPlaybooks
            let playbooks = matched.map { $0.isEmpty ? " playbooks=none" : " playbooks=\($0.joined(separator: ","))" } ?? ""
            print(
                "#\(entry.id) \(RFC3339.format(entry.receivedAt)) \(alert.source.rawValue) \(alert.status.rawValue) "
                    + "\(name) fingerprint=\(alert.fingerprint) delivery=\(entry.deliveryID)\(playbooks) {\(labels)}"
            )
        }
    }
}
