import Foundation
import ResponderCore
import ResponderPlaybooks
import Testing

/// A playbook's `limits:` as the loader reads it: what it becomes, and each mistake refused at its line.
@Suite("limits in playbook files")
struct LimitsSnippetTests {
    static let broken: [Broken] = [
        .playbook("limits that are a list", "    actions: []\n    limits: [3]\n", line: 6, "limits must be a mapping, not a list"),
        .playbook("a rate without a window", "    actions: []\n    limits:\n      per_target: {actions: 3}\n", line: 7,
                  "limits.per_target.window is required"),
        .playbook("a window of a second", "    actions: []\n    limits:\n      total: {actions: 3, window: 1s}\n", line: 7,
                  "limits.total.window must be 1m to 1d (not 1s)"),
        .playbook("ten thousand and one actions", "    actions: []\n    limits:\n      total: {actions: 10001, window: 1h}\n", line: 7,
                  "limits.total.actions must be 1 to 10,000 (not 10001)"),
        .playbook("no targets per run", "    actions: []\n    limits: {targets_per_run: 0}\n", line: 6,
                  "limits.targets_per_run must be 1 to 1,000 (not 0)"),
        .playbook("a limit in a language of its own", "    actions: []\n    limits: {per_hour: 3}\n", line: 6,
                  "unknown key \"per_hour\" in limits; allowed: per_target, total, targets_per_run, on_limit"),
        .playbook("limits that limit nothing", "    actions: []\n    limits: {on_limit: hold}\n", line: 6,
                  "limits sets no limit: give per_target, total or targets_per_run"),
    ]

    @Test("each mistake is one problem at its line", arguments: broken)
    func refused(_ broken: Broken) throws {
        try expectOneProblem(broken)
    }

    @Test("limits read into the playbook; a playbook without them has none")
    func accepted() throws {
        let text = """
            playbooks:
              - name: p
                kind: emergency-scale
                match: {matchers: [alertname=X]}
                actions: []
                limits:
                  per_target: {actions: 4, window: 1h}
                  total: {actions: 20, window: 30m}
                  targets_per_run: 3
                  on_limit: hold
              - name: q
                kind: emergency-scale
                match: {matchers: [alertname=Y]}
                actions: []
            """
        let set = try loaded([("base.yaml", baseTargets), ("t.yaml", text)])
        #expect(set.playbooks.first { $0.name == "p" }?.limits == ActionLimits(
            perTarget: .init(actions: 4, window: .seconds(3_600)), total: .init(actions: 20, window: .seconds(1_800)),
            targetsPerRun: 3, onLimit: .hold))
        #expect(set.playbooks.first { $0.name == "q" }?.limits == nil)
    }
}
