import Foundation
import ResponderCore

/// Prints runs for people (tables, a run's steps, history and notifications), or the server's JSON for scripts.
enum RunsOutput {
    /// The columns of a run's summary line.
    static let header = ["ID", "STATUS", "PLAYBOOK", "ALERT", "TARGETS", "STARTED", "ACKED BY", "NEXT STEP"]

    /// Prints `GET /api/runs`; with `onlyOpen`, only the active and held runs among them (in JSON too).
    static func list(_ data: Data, format: ServerOptions.OutputFormat, onlyOpen: Bool) throws {
        if format == .json, !onlyOpen {
            TableOutput.printJSON(data)
            return
        }
        let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
        var runs = object["runs"] as? [[String: Any]] ?? []
        if onlyOpen { runs = runs.filter { ["active", "held"].contains($0["status"] as? String) } }
        if format == .json {
            let filtered = try JSONSerialization.data(withJSONObject: ["runs": runs], options: [.sortedKeys, .withoutEscapingSlashes])
            TableOutput.printJSON(filtered)
            return
        }
        if runs.isEmpty {
            print(onlyOpen ? "no open runs" : "no runs")
            return
        }
        TableOutput.print([header] + runs.map(row))
    }

    /// Prints the summary a run command answers: one line under the header, or the JSON.
    static func summary(_ data: Data, format: ServerOptions.OutputFormat) throws {
        if format == .json {
            TableOutput.printJSON(data)
            return
        }
        let run = try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
        TableOutput.print([header, row(run)])
    }

    /// Prints `GET /api/runs/{id}/report`: the Markdown made safe for a terminal, or the JSON.
    static func report(_ data: Data, json: Bool) {
        if json {
            TableOutput.printJSON(data)
        } else {
            Swift.print(TerminalText.printable(String(decoding: data, as: UTF8.self)), terminator: "")
        }
    }

    /// Prints `GET /api/runs/{id}`: the run, each step, the history and the notifications.
    static func show(_ data: Data, format: ServerOptions.OutputFormat) throws {
        if format == .json {
            TableOutput.printJSON(data)
            return
        }
        let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
        let summary = object["summary"] as? [String: Any] ?? [:]
        let run = object["run"] as? [String: Any] ?? [:]
        print("run \(cell(summary["id"]))")
        TableOutput.print(facts(summary, run).map { ["\($0.0):", cell($0.1)] }, indent: "  ")

        print("\nsteps:")
        let steps = (run["steps"] as? [[String: Any]] ?? []).map { step in
            [step["index"], step["phase"], step["status"], step["due"], step["target"], step["detail"], step["outcome"]].map(cell)
        }
        TableOutput.print([["INDEX", "PHASE", "STATUS", "DUE", "TARGET", "DETAIL", "OUTCOME"]] + steps, indent: "  ")

        print("\nhistory:")
        for event in run["history"] as? [[String: Any]] ?? [] {
            print("  \(cell(event["at"]))  \(cell(event["message"]))")
        }

        print("\nnotifications:")
        let notifications = (object["notifications"] as? [[String: Any]] ?? []).map { item in
            [item["id"], item["channel"], item["kind"], item["status"], item["attempts"], item["last_error"], item["text"]].map(cell)
        }
        if notifications.isEmpty {
            print("  none")
        } else {
            TableOutput.print([["ID", "CHANNEL", "KIND", "STATUS", "ATTEMPTS", "LAST ERROR", "TEXT"]] + notifications, indent: "  ")
        }
    }

    /// The run's facts, one per line: the times it was held, resolved and ended only once they happened.
    private static func facts(_ summary: [String: Any], _ run: [String: Any]) -> [(String, Any?)] {
        let dryRun = (run["dryRun"] as? Bool) == true ? ", dry run" : ""
        var facts: [(String, Any?)] = [
            ("status", summary["status"]),
            ("playbook", "\(cell(summary["playbook"])) (\(cell(summary["kind"]))\(dryRun))"),
            ("alert", "\(cell(summary["alert"])) (fingerprint \(cell(run["alertFingerprint"])))"),
            ("targets", summary["targets"]),
            ("started", summary["started_at"]),
        ]
        if let held = run["heldAt"] { facts.append(("held since", held)) }
        if let resolved = run["resolvedAt"] { facts.append(("resolved", resolved)) }
        if let ended = summary["ended_at"] { facts.append(("ended", ended)) }
        facts.append(("acknowledged by", summary["acknowledged_by"]))
        return facts
    }

    /// A run summary as a table row; the next step reads `due what`, or only what while it waits for the resolve.
    private static func row(_ run: [String: Any]) -> [String] {
        let next: [String] = [run["next_due"], run["next_step"]].compactMap { value in value.map(cell) }
        return [run["id"], run["status"], run["playbook"], run["alert"], run["targets"], run["started_at"], run["acknowledged_by"]]
            .map(cell) + [next.isEmpty ? "-" : next.joined(separator: " ")]
    }

    private static func cell(_ value: Any?) -> String { TableOutput.cell(value) }
}
