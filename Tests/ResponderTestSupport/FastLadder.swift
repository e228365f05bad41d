/// The playbook the driver, crash, replica and fault tests run: an emergency scale of compose target `worker` to 12,
/// then a ladder one level per second after a 1 s hold.
public enum FastLadder {
    /// The compose target `worker`.
    public static let composeWorker = """
          - name: worker
            compose: {project: demo, service: worker}
            bounds: {floor: 2, ceiling: 20}
        """

    /// The playbook file with ladder `levels` (after the scale to 12), named `name`, with `gates` (the lines under
    /// `gates:`, indented as in the file) when given, on `target` (the entry of a target named `worker`).
    public static func yaml(levels: [Int], name: String = "fast-ladder", gates: String? = nil, target: String = composeWorker) -> String {
        """
        targets:
        \(target)
        playbooks:
          - name: \(name)
            kind: emergency-scale
            match: {matchers: ['alertname="HighQueueDepth"']}
            actions:
              - scale: {target: worker, to: 12}
            step_down:
              hold: 1s
              every: 1s
              levels:
                worker: [\(levels.map(String.init).joined(separator: ", "))]
        """ + (gates.map { "\n    gates:\n" + $0 } ?? "")
    }
}

extension FakeSlack {
    /// Writes this fake's bot token to `<folder>/slack-bot-token` and a `serve` configuration posting to channel
    /// `C0RESPONDER` through it to `<folder>/responder.yaml`; returns the configuration's path.
    public func writeServeConfiguration(in folder: String) throws -> String {
        try token.write(toFile: folder + "/slack-bot-token", atomically: true, encoding: .utf8)
        let path = folder + "/responder.yaml"
        try """
            slack:
              bot_token_file: "\(folder)/slack-bot-token"
              channel: C0RESPONDER
              api_url: "\(baseURL)"
            """.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }
}

/// The pre-event playbook `launch` the event tests schedule: compose target `target` (floor 2, ceiling 20) scaled to
/// `scaleTo` at start − `lead`, stepped down to `level` `every` after end + `hold`; `more` adds playbooks (YAML list
/// items at the `playbooks:` indentation).
public enum LaunchPlaybook {
    /// The playbook file.
    public static func yaml(target: String = "api", lead: String, hold: String, scaleTo: Int = 12, every: String,
                            level: Int = 6, more: String = "") -> String {
        """
        targets:
          - name: \(target)
            compose: {project: shop, service: \(target)}
            bounds: {floor: 2, ceiling: 20}
        playbooks:
          - name: launch
            kind: pre-event
            match: {matchers: ['alertname="ScheduledTrafficEvent"']}
            event: {lead: \(lead), hold: \(hold)}
            actions:
              - scale: {target: \(target), to: \(scaleTo)}
            step_down:
              every: \(every)
              levels:
                \(target): [\(level)]
        \(more)
        """
    }
}
