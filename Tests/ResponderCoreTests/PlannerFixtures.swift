import Foundation
import ResponderCore

/// Playbooks, targets and alerts built in code for planner tests.
enum PlannerFixtures {
    static let location = FileLocation(file: "test.yaml", line: 1)
    static let now = Date(timeIntervalSince1970: 1_767_225_600)  // 2026-01-01T00:00:00Z

    static func target(_ name: String, floor: Int, ceiling: Int, maxStep: Int? = nil, hpa: String? = nil) -> Target {
        Target(
            name: name,
            backend: .kubernetes(.init(kind: .deployment, namespace: "prod", name: name, hpa: hpa)),
            bounds: .init(floor: floor, ceiling: ceiling, maxStep: maxStep),
            location: location
        )
    }

    static func alert(_ name: String, status: AlertStatus = .firing, labels: [String: String] = [:],
                      annotations: [String: String] = [:], endsAt: Date? = nil) -> NormalizedAlert {
        var all = labels
        all["alertname"] = name
        return NormalizedAlert(
            source: .alertmanager, fingerprint: "00aa", status: status, labels: all, annotations: annotations,
            startsAt: now, endsAt: endsAt, generatorURL: nil, groupKey: nil, receiver: nil, idempotencyKey: "k"
        )
    }

    static func playbook(
        _ name: String, kind: Playbook.Kind, alertname: String, actions: [Action], ladder: Playbook.Ladder? = nil,
        gates: Playbook.Gates = .init(), event: Playbook.EventTiming? = nil, sources: [AlertSource] = []
    ) -> Playbook {
        Playbook(
            name: name, kind: kind,
            match: .init(sources: sources, matchers: [AlertMatcher(name: "alertname", op: .equal, value: alertname)]),
            actions: actions, ladder: ladder, gates: gates, event: event, location: location
        )
    }

    static func set(_ playbooks: [Playbook], targets: [Target]) -> PlaybookSet {
        PlaybookSet(targets: Dictionary(uniqueKeysWithValues: targets.map { ($0.name, $0) }), playbooks: playbooks, files: [])
    }
}
