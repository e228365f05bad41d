import Foundation
import ResponderCore
import ResponderPlaybooks

/// `playbooks`: playbook files through the loader `validate`, `plan`, `simulate` and `serve` share; a set that loads
/// is planned against the sample alert and against an alert made to match each playbook, then a short scenario runs
/// on it (the alert fires, resolves 45 minutes later, six hours are simulated).
///
/// Input: up to four files separated by NUL bytes.
public enum PlaybookTarget {
    /// Most files of one input.
    static let maxFiles = 4
    /// Most playbooks an alert is made for.
    static let maxPlaybooks = 8

    /// Loads the files; a loaded set is planned and simulated.
    public static func run(_ bytes: [UInt8]) throws {
        let input = FuzzInput(bytes, limit: maxFiles)
        let files = input.parts.indices.map { (name: "fuzz-\($0).yaml", text: input.text($0)) }
        let set: PlaybookSet
        switch PlaybookLoader.load(files: files) {
        case .success(let loaded): set = loaded
        case .failure(let problems):
            _ = problems.description
            throw problems
        }
        _ = set.summary
        let alerts = [FuzzFixtures.sampleAlert] + set.playbooks.prefix(maxPlaybooks).map(alert(matching:))
        for alert in alerts {
            var resolved = alert
            resolved.status = .resolved
            resolved.endsAt = FuzzFixtures.now.addingTimeInterval(600)
            try IngestPlanning.plan([alert, resolved], playbooks: set)
        }
        simulate(set, alert: alerts.count > 1 ? alerts[1] : alerts[0])
    }

    /// The sample alert with the labels and source each equality matcher and the source list of `playbook` ask for.
    static func alert(matching playbook: Playbook) -> NormalizedAlert {
        var alert = FuzzFixtures.sampleAlert
        for matcher in playbook.match.matchers where matcher.op == .equal {
            alert.labels[matcher.name] = matcher.value
        }
        if let source = playbook.match.sources.first { alert.source = source }
        alert.fingerprint = AlertmanagerFingerprint.of(alert.labels)
        return alert
    }

    /// Runs `alert` firing at 0 and resolving at 45m through the simulator against `set`.
    static func simulate(_ set: PlaybookSet, alert: NormalizedAlert) {
        let scenario = Scenario(
            file: "fuzz-scenario.yaml", name: "fuzz", start: FuzzFixtures.now, until: .seconds(6 * 3600),
            events: [
                Scenario.Event(at: .zero, action: .alerts(.init(status: .firing, alerts: [alert], origin: "fuzz")), line: 1),
                Scenario.Event(at: .seconds(45 * 60), action: .alerts(.init(status: .resolved, alerts: [alert], origin: "fuzz")),
                               line: 2),
            ]
        )
        _ = SimulationTextRenderer.render(Simulator.run(scenario, playbooks: set))
    }
}
