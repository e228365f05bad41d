import Foundation

/// The JSON form of a ``SimulationResult`` (`responder simulate --format json`): sorted keys, snake_case, RFC 3339 UTC
/// times, absent values as `null`. Timeline entries carry `type`: `alert`, `command`, `event`, `step` or `notify`;
/// `reports` holds the ``ScalingReport`` of each run that ended (its JSON, plus `markdown`).
public enum SimulationJSON {
    /// Encodes a result.
    public static func encode(_ result: SimulationResult, pretty: Bool = true) throws -> Data {
        var options: JSONSerialization.WritingOptions = [.sortedKeys, .withoutEscapingSlashes]
        if pretty { options.insert(.prettyPrinted) }
        return try JSONSerialization.data(withJSONObject: object(result), options: options)
    }

    /// The result as JSON-compatible values.
    static func object(_ result: SimulationResult) -> [String: Any] {
        let scenario = result.scenario
        return [
            "scenario": [
                "name": scenario.name, "file": scenario.file, "description": scenario.description ?? NSNull(),
                "start": RFC3339.format(scenario.start), "until": "+\(scenario.until.playbookText)",
                "end": RFC3339.format(scenario.end),
            ] as [String: Any],
            "timeline": result.timeline.map(entry),
            "runs": result.runs.map { run -> [String: Any] in
                [
                    "id": run.id, "playbook": run.playbook, "kind": run.kind.rawValue, "status": run.status.rawValue,
                    "started_at": RFC3339.format(run.startedAt), "ended_at": run.endedAt.map(RFC3339.format) ?? NSNull(),
                ]
            },
            "reports": result.reports.map(report),
            "final_replicas": result.finalReplicas,
            "checks": result.checks.map { check -> [String: Any] in
                [
                    "location": check.location.description, "expectation": check.expectation, "passed": check.passed,
                    "failure": check.failure ?? NSNull(),
                ]
            },
            "problems": result.problems.map(\.description),
            "passed": result.passed,
        ]
    }

    /// A report as the API serves it, plus its Markdown; `{}` with an error in the impossible case it cannot be
    /// encoded, rather than failing the whole output.
    private static func report(_ report: ScalingReport) -> [String: Any] {
        guard let data = try? report.jsonData(), var object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            return ["run_id": report.runID, "error": "the report could not be encoded"]
        }
        object["markdown"] = report.markdown
        return object
    }

    private static func entry(_ entry: SimulationEntry) -> [String: Any] {
        var object: [String: Any] = [
            "at": RFC3339.format(entry.at), "offset": entry.offsetText, "offset_seconds": entry.offsetSeconds,
        ]
        switch entry.kind {
        case .alert(let alert):
            object.merge([
                "type": "alert", "status": alert.status.rawValue, "name": alert.name, "source": alert.source.rawValue,
                "fingerprint": alert.fingerprint, "origin": alert.origin, "matched": alert.matched,
            ]) { _, new in new }
        case .command(let command):
            object.merge([
                "type": "command", "command": command.command.rawValue, "playbook": command.playbook, "actor": command.actor,
                "run_id": command.runID ?? NSNull(), "refused": command.refused ?? NSNull(),
            ]) { _, new in new }
        case .step(let step):
            object.merge([
                "type": "step", "run_id": step.runID, "playbook": step.playbook, "step": step.index,
                "phase": step.phase.rawValue, "action": step.action, "target": step.target ?? NSNull(),
                "from": step.from ?? NSNull(), "to": step.to ?? NSNull(), "due": step.due.map(RFC3339.format) ?? NSNull(),
                "detail": step.detail, "outcome": step.outcome, "summary": step.summary,
            ]) { _, new in new }
        case .notify(let runID, let message):
            object.merge(["type": "notify", "run_id": runID ?? NSNull(), "message": message]) { _, new in new }
        case .event(let event):
            object.merge([
                "type": "event", "change": event.change.rawValue, "event_id": event.eventID ?? NSNull(), "name": event.name,
                "playbook": event.playbook, "message": event.message, "announced": event.announced,
            ]) { _, new in new }
        }
        return object
    }
}
