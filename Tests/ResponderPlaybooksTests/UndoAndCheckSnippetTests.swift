import Foundation
import ResponderCore
import ResponderPlaybooks
import Testing

/// `undo:`, `cleanup:`, `dry_run:` and `gates.checks` as the loader reads them: what they become, and each mistake
/// refused at its line.
@Suite("undo, cleanup, dry_run and load checks in playbook files")
struct UndoAndCheckSnippetTests {
    static let ladder = "    step_down: {every: 5m, levels: {api: [2]}}\n"

    static let broken: [Broken] = [
        .action("an undo that is not http or command", "http: {url: 'https://a.example/on', undo: {scale: {target: api, to: 2}}}",
                "http.undo must be an http or command action"),
        .action("an undo with an undo", "http: {url: 'https://a.example/on', undo: {http: {url: 'https://a.example/off', undo: {http: {url: 'https://a.example/x'}}}}}",
                "an undo action cannot have an undo of its own"),
        .playbook("cleanup that is not a list", "    actions: []\n    cleanup: {http: {url: 'https://a.example/r'}}\n", line: 6,
                  "cleanup must be a list of http or command actions"),
        .playbook("checks without a ladder", "    actions: []\n    gates:\n      checks: [{prometheus: 'up', below: 1}]\n", line: 7,
                  "gates.checks gate the step_down ladder's steps; this playbook has no step_down"),
        .playbook("a check with neither source", "    actions: []\n" + ladder + "    gates:\n      check: {below: 1}\n", line: 8,
                  "gates.check needs prometheus (a PromQL expression) or cloudwatch (a metric)"),
        .playbook("a check with both below and above", "    actions: []\n" + ladder + "    gates:\n      check: {prometheus: 'up', below: 1, above: 0}\n",
                  line: 8, "needs exactly one of below or above"),
        .playbook("a NaN threshold", "    actions: []\n" + ladder + "    gates:\n      check: {prometheus: 'up', below: .nan}\n", line: 8,
                  "gates.check.below must be a number such as 300 or 0.75 (at most 10^15 either way) (not .nan)"),
        .playbook("a threshold past 10^15", "    actions: []\n" + ladder + "    gates:\n      check: {prometheus: 'up', below: 1e16}\n", line: 8,
                  "gates.check.below must be a number"),
        .playbook("a recheck under 10s", "    actions: []\n" + ladder + "    gates:\n      check: {prometheus: 'up', below: 1, recheck: 5s}\n",
                  line: 8, "gates.check.recheck must be 10s to 1h (not 5s)"),
        .playbook("max_wait under recheck", "    actions: []\n" + ladder
                  + "    gates:\n      check: {prometheus: 'up', below: 1, recheck: 2m, max_wait: 1m}\n", line: 8,
                  "gates.check.max_wait (1m) must be at least its recheck (2m)"),
        .playbook("a per-check url with credentials", "    actions: []\n" + ladder
                  + "    gates:\n      check: {prometheus: {query: up, url: 'http://u:p@prom:9090'}, below: 1}\n", line: 8,
                  "gates.check.prometheus.url must be an http(s) URL without credentials"),
        .playbook("a CloudWatch period of 45s", "    actions: []\n" + ladder
                  + "    gates:\n      check: {cloudwatch: {namespace: AWS/ECS, metric: CPUUtilization, period: 45s}, below: 80}\n", line: 8,
                  "must be 1s, 5s, 10s, 30s or a multiple of 60s up to 1d"),
    ]

    @Test("each mistake is one problem at its line", arguments: broken)
    func refused(_ broken: Broken) throws {
        try expectOneProblem(broken)
    }

    @Test("undo, cleanup, dry_run and checks read into the playbook, undo order reversed before cleanup")
    func accepted() throws {
        let text = """
            playbooks:
              - name: p
                kind: emergency-scale
                match: {matchers: [alertname=X]}
                actions:
                  - http: {url: 'https://a.example/queue/on', undo: {http: {url: 'https://a.example/queue/reset'}}}
                  - command: {argv: [aws, rds, create], dry_run: true, undo: {command: {argv: [aws, rds, delete]}}}
                cleanup:
                  - http: {url: 'https://a.example/report'}
                step_down: {every: 5m, levels: {api: [2]}}
                gates:
                  checks:
                    - {name: rate, prometheus: 'sum(rate(x[5m]))', below: 300, for: 10m, before: first_step}
                    - {cloudwatch: {namespace: AWS/ECS, metric: CPUUtilization, dimensions: {ClusterName: prod}, stat: Maximum}, above: 0.5}
            """
        let set = try loaded([("base.yaml", baseTargets), ("t.yaml", text)])
        let playbook = try #require(set.playbooks.first)
        #expect(playbook.undoOrder.map(\.undoes) == [1, 0, nil])
        guard case .command(let undo)? = playbook.undoOrder.first?.action else { Issue.record("no command undo"); return }
        #expect(undo.dryRun == true, "the undo of a dry-run-only action is dry-run-only")
        #expect(playbook.actions[1].isDryRunOnly && !playbook.actions[0].isDryRunOnly)
        #expect(playbook.gates.checks.map(\.condition) == ["rate below 300 for 10m", "AWS/ECS CPUUtilization Maximum above 0.5"])
        #expect(playbook.gates.checks.map(\.scope) == [.firstStep, .eachStep])
        #expect(playbook.gates.checks[1].source == .cloudWatch(CloudWatchMetric(
            namespace: "AWS/ECS", metricName: "CPUUtilization", dimensions: ["ClusterName": "prod"], stat: "Maximum")))
    }
}
