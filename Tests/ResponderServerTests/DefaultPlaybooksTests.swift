import Foundation
import ResponderTestSupport
import Testing

/// The default playbooks, checked through the real `responder` binary: they validate, and `responder plan --format
/// json` on each sample alert (samples/alerts/README.md) gives exactly the expected timeline. Each step is written as
/// `anchor[+offset] target from->to` for scale steps and `anchor[+offset] action target` for the others.
@Suite("default playbooks through `responder validate` and `responder plan`")
struct DefaultPlaybooksTests {
    struct Row: Sendable, CustomStringConvertible {
        var sample: String
        var arguments: String
        var playbook: String
        var steps: [String]
        var description: String { sample }
    }

    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    static let rows: [Row] = [
        Row(sample: "hyperverge-emergency-scale.json", arguments: "--now 2026-03-02T14:05:00Z", playbook: "hyperverge-emergency-scale", steps: [
            "now notify -",
            "now autoscaler hyperverge-worker",
            "now hyperverge-api 2->10",
            "now hyperverge-worker 2->20",
            "resolve+15m hyperverge-api 10->5",
            "resolve+15m hyperverge-worker 20->10",
            "resolve+45m hyperverge-api 5->3",
            "resolve+45m hyperverge-worker 10->5",
            "resolve+75m hyperverge-api 3->2",
            "resolve+75m hyperverge-worker 5->2",
            "resolve+75m restore -",
        ]),
        Row(sample: "hyperverge-emergency-scale.resolved.json", arguments: "--now 2026-03-02T14:50:00Z --replicas hyperverge-api=10 --replicas hyperverge-worker=20", playbook: "hyperverge-emergency-scale", steps: [
            "resolve+15m hyperverge-api 10->5",
            "resolve+15m hyperverge-worker 20->10",
            "resolve+45m hyperverge-api 5->3",
            "resolve+45m hyperverge-worker 10->5",
            "resolve+75m hyperverge-api 3->2",
            "resolve+75m hyperverge-worker 5->2",
            "resolve+75m restore -",
        ]),
        Row(sample: "hyperverge-api-cpu-high.cloudwatch-alarm.json", arguments: "--now 2026-03-02T09:15:12Z --replicas hyperverge-api=9", playbook: "hyperverge-api-cpu-high", steps: [
            "now notify -",
            "now hyperverge-api 9->10",
            "resolve+20m hyperverge-api 10->8",
            "resolve+30m hyperverge-api 8->6",
            "resolve+40m hyperverge-api 6->4",
            "resolve+50m hyperverge-api 4->2",
        ]),
        Row(sample: "hyperverge-api-memory-high.cloudwatch-alarm.json", arguments: "--now 2026-03-02T11:45:07Z", playbook: "hyperverge-api-memory-high", steps: [
            "now notify -",
            "now hyperverge-api 2->4",
            "resolve+20m hyperverge-api 4->4",
            "resolve+30m hyperverge-api 4->4",
            "resolve+40m hyperverge-api 4->4",
            "resolve+50m hyperverge-api 4->2",
        ]),
        Row(sample: "hyperverge-api-response-time-high.cloudwatch-alarm.json", arguments: "--now 2026-03-02T16:33:05Z", playbook: "hyperverge-api-response-time-high", steps: [
            "now notify -",
            "now hyperverge-api 2->4",
            "resolve+20m hyperverge-api 4->4",
            "resolve+30m hyperverge-api 4->4",
            "resolve+40m hyperverge-api 4->4",
            "resolve+50m hyperverge-api 4->2",
        ]),
        Row(sample: "hyperverge-worker-memory-high.cloudwatch-alarm.json", arguments: "--now 2026-03-02T18:05:09Z", playbook: "hyperverge-worker-memory-high", steps: [
            "now notify -",
            "now hyperverge-worker 2->4",
            "resolve+20m hyperverge-worker 4->4",
            "resolve+30m hyperverge-worker 4->4",
            "resolve+40m hyperverge-worker 4->4",
            "resolve+50m hyperverge-worker 4->2",
        ]),
        Row(sample: "hyperverge-worker-queue-depth-high.json", arguments: "--now 2026-03-02T20:10:00Z --replicas hyperverge-worker=18", playbook: "hyperverge-worker-queue-depth-high", steps: [
            "now notify -",
            "now hyperverge-worker 18->20",
            "resolve+20m hyperverge-worker 20->15",
            "resolve+30m hyperverge-worker 15->10",
            "resolve+40m hyperverge-worker 10->5",
            "resolve+50m hyperverge-worker 5->2",
        ]),
        Row(sample: "hyperverge-api-cpu-low.cloudwatch-alarm.json", arguments: "--now 2026-03-03T03:20:14Z --replicas hyperverge-api=5", playbook: "hyperverge-api-cpu-low", steps: [
            "now notify -",
            "now hyperverge-api 5->4",
        ]),
        Row(sample: "hyperverge-worker-queue-depth-low.json", arguments: "--now 2026-03-03T02:40:00Z --replicas hyperverge-worker=9 --autoscaler-desired hyperverge-worker=8", playbook: "hyperverge-worker-queue-depth-low", steps: [
            "now notify -",
            "now hyperverge-worker 9->8",
        ]),
        Row(sample: "skillancer-pre-event.json", arguments: "--now 2026-03-10T09:00:00Z", playbook: "skillancer-pre-event", steps: [
            "event_start-1440m notify -",
            "event_start-1440m skillancer-api-gateway 3->15",
            "event_start-1440m skillancer-market-svc 3->12",
            "event_start-1440m skillancer-auth-svc 3->10",
            "event_start-1440m command -",
            "event_start-1440m command -",
            "event_start-1440m env skillancer-api-gateway",
            "event_end+60m skillancer-api-gateway 15->10",
            "event_end+90m skillancer-api-gateway 10->5",
            "event_end+120m skillancer-api-gateway 5->3",
            "event_end+120m restore -",
        ]),
        Row(sample: "skillancer-scale-down-gradually.json", arguments: "--now 2026-03-05T02:30:00Z --replicas skillancer-api-gateway=12 --autoscaler-desired skillancer-api-gateway=6", playbook: "skillancer-scale-down-gradually", steps: [
            "now notify -",
            "now skillancer-api-gateway 12->8",
            "now+5m skillancer-api-gateway 8->6",
            "now+10m skillancer-api-gateway 6->6",
        ]),
        Row(sample: "skillancer-double-all-services.json", arguments: "--now 2026-03-06T12:00:00Z", playbook: "skillancer-double-all-services", steps: [
            "now notify -",
            "now skillancer-api-gateway 3->6",
            "now skillancer-auth-svc 3->6",
            "now skillancer-market-svc 3->6",
            "now skillancer-skillpod-svc 2->4",
            "now skillancer-billing-svc 2->4",
            "now skillancer-notification-svc 2->4",
            "resolve+30m skillancer-api-gateway 6->6",
            "resolve+30m skillancer-auth-svc 6->6",
            "resolve+30m skillancer-market-svc 6->6",
            "resolve+30m skillancer-skillpod-svc 4->4",
            "resolve+30m skillancer-billing-svc 4->4",
            "resolve+30m skillancer-notification-svc 4->4",
            "resolve+60m skillancer-api-gateway 6->6",
            "resolve+60m skillancer-auth-svc 6->6",
            "resolve+60m skillancer-market-svc 6->6",
            "resolve+60m skillancer-skillpod-svc 4->4",
            "resolve+60m skillancer-billing-svc 4->4",
            "resolve+60m skillancer-notification-svc 4->4",
            "resolve+90m skillancer-api-gateway 6->3",
            "resolve+90m skillancer-auth-svc 6->3",
            "resolve+90m skillancer-market-svc 6->3",
            "resolve+90m skillancer-skillpod-svc 4->2",
            "resolve+90m skillancer-billing-svc 4->2",
            "resolve+90m skillancer-notification-svc 4->2",
            "resolve+90m restore -",
        ]),
        Row(sample: "autolytiq-pre-event.json", arguments: "--now 2026-03-28T10:00:00Z", playbook: "autolytiq-pre-event", steps: [
            "event_start-1440m notify -",
            "event_start-1440m autoscaler autolytiq-api-gateway",
            "event_start-1440m autolytiq-api-gateway 3->10",
            "event_start-1440m autolytiq-deal-service 3->8",
            "event_start-1440m command -",
            "event_start-1440m annotate autolytiq-api-gateway",
            "event_start-1440m command -",
            "event_end+120m autolytiq-api-gateway 10->10",
            "event_end+120m autolytiq-deal-service 8->8",
            "event_end+150m autolytiq-api-gateway 10->5",
            "event_end+150m autolytiq-deal-service 8->4",
            "event_end+180m autolytiq-api-gateway 5->3",
            "event_end+180m autolytiq-deal-service 4->3",
            "event_end+180m restore -",
            "run_end command -",
        ]),
        Row(sample: "labelmint-emergency-scale.json", arguments: "--now 2026-05-12T19:20:00Z", playbook: "labelmint-emergency-scale", steps: [
            "now notify -",
            "now labelmint-backend 2->4",
            "now labelmint-worker 3->9",
            "now command -",
            "now http -",
            "now http -",
            "now http -",
            "resolve+15m labelmint-backend 4->3",
            "resolve+15m labelmint-worker 9->8",
            "resolve+25m labelmint-backend 3->2",
            "resolve+25m labelmint-worker 8->3",
            "run_end http -",
            "run_end http -",
            "run_end http -",
            "run_end command -",
        ]),
        Row(sample: "labelmint-pre-event.json", arguments: "--now 2026-05-01T09:00:00Z", playbook: "labelmint-pre-event", steps: [
            "event_start-1440m notify -",
            "event_start-1440m command -",
            "event_start-1440m command -",
            "event_start-1440m labelmint-backend 2->10",
            "event_start-1440m labelmint-worker 3->25",
            "event_start-1440m command -",
            "event_start-1440m http -",
            "event_start-1440m command -",
            "event_start-1440m notify -",
            "event_end+60m labelmint-backend 10->3",
            "event_end+60m labelmint-worker 25->8",
            "event_end+70m labelmint-backend 3->2",
            "event_end+70m labelmint-worker 8->3",
            "run_end command -",
            "run_end command -",
            "run_end command -",
            "run_end command -",
        ]),
        Row(sample: "labelmint-backend-response-time-high.json", arguments: "--now 2026-05-12T10:45:00Z", playbook: "labelmint-backend-response-time-high", steps: [
            "now notify -",
            "now labelmint-backend 2->4",
            "resolve+20m labelmint-backend 4->4",
            "resolve+30m labelmint-backend 4->4",
            "resolve+40m labelmint-backend 4->4",
            "resolve+50m labelmint-backend 4->2",
        ]),
        Row(sample: "labelmint-worker-queue-depth-high.json", arguments: "--now 2026-05-12T11:05:00Z", playbook: "labelmint-worker-queue-depth-high", steps: [
            "now notify -",
            "now labelmint-worker 3->8",
            "resolve+20m labelmint-worker 8->8",
            "resolve+30m labelmint-worker 8->8",
            "resolve+40m labelmint-worker 8->5",
            "resolve+50m labelmint-worker 5->3",
        ]),
        Row(sample: "saveit-pre-event.json", arguments: "--now 2026-11-20T12:00:00Z", playbook: "saveit-pre-event", steps: [
            "event_start-1440m notify -",
            "event_start-1440m autoscaler saveit-backend",
            "event_start-1440m saveit-backend 2->10",
            "event_end+60m saveit-backend 10->5",
            "event_end+90m saveit-backend 5->2",
            "event_end+90m restore -",
        ]),
    ]

    @Test("`responder validate Playbooks` accepts the shipped playbooks")
    func validates() async throws {
        let process = try ResponderProcess(arguments: ["validate", Self.root + "/Playbooks"])
        #expect(try await process.waitForExit() == 0)
        #expect(process.stdout.contains("playbooks: valid"))
    }

    @Test("`responder validate` lists every problem as file:line: message and exits 1")
    func validateRefuses() async throws {
        let temporary = try TemporaryFolder("broken")
        let folder = temporary.path
        defer { temporary.remove() }
        try "targets:\n  - name: api\n    compose: {project: p, service: api}\n    bounds: {floor: 0, ceiling: 3}\n"
            .write(toFile: folder + "/a.yaml", atomically: true, encoding: .utf8)
        try "playbooks:\n  - name: p\n    kind: emergency-scale\n    match: {matchers: ['alertname=\"A\"']}\n    actions:\n      - scale: {target: apii, to: max}\n    cooldwn: 5m\n"
            .write(toFile: folder + "/b.yaml", atomically: true, encoding: .utf8)
        let process = try ResponderProcess(arguments: ["validate", folder])
        #expect(try await process.waitForExit() == 1)
        let lines = process.stdout.split(separator: "\n").map(String.init)
        #expect(lines.contains { $0.hasPrefix(folder + "/a.yaml:4: ") && $0.contains("floor") }, "\(lines)")
        #expect(lines.contains { $0.hasPrefix(folder + "/b.yaml:6: ") && $0.contains("apii") }, "\(lines)")
        #expect(lines.contains { $0.hasPrefix(folder + "/b.yaml:7: ") && $0.contains("cooldwn") }, "\(lines)")
    }

    @Test("`responder validate` refuses issue 13's playbook of Int64.max bounds, step and scale with file:line messages")
    func validateRefusesOverflow() async throws {
        let temporary = try TemporaryFolder("overflow")
        let folder = temporary.path
        defer { temporary.remove() }
        try """
            targets:
              - name: api
                compose: {project: p, service: api}
                bounds: {floor: 1, ceiling: 9223372036854775807, max_step: 9223372036854775807}
            playbooks:
              - name: boom
                kind: emergency-scale
                match: {matchers: ['alertname="Boom"']}
                actions:
                  - scale: {target: api, by: +9223372036854775807}

            """.write(toFile: folder + "/boom.yaml", atomically: true, encoding: .utf8)
        let process = try ResponderProcess(arguments: ["validate", folder])
        #expect(try await process.waitForExit() == 1)
        let lines = process.stdout.split(separator: "\n").map(String.init)
        #expect(lines.contains(folder + "/boom.yaml:4: bounds.ceiling must be 0 to 100,000 (not 9223372036854775807)"), "\(lines)")
        #expect(lines.contains(folder + "/boom.yaml:4: bounds.max_step must be 1 to 100,000 (not 9223372036854775807)"), "\(lines)")
        #expect(lines.contains { $0.hasPrefix(folder + "/boom.yaml:10: scale.by must be a non-zero whole number from -100,000 to 100,000") },
                "\(lines)")
    }

    @Test("the examples of Playbooks/README.md are valid playbooks")
    func readmeExamples() async throws {
        let readme = try String(contentsOfFile: Self.root + "/Playbooks/README.md", encoding: .utf8)
        var blocks = readme.matches(of: /```yaml\n((?s).*?)```/).map { String($0.1) }
        #expect(blocks.count == 4)
        // The http example is one action: it becomes the only action of a playbook of its own.
        let http = try #require(blocks.firstIndex { $0.hasPrefix("- http:") })
        let action = blocks.remove(at: http).split(separator: "\n").map { "      " + $0 }.joined(separator: "\n")
        blocks.append("  - name: readme-http\n    kind: emergency-scale\n    match: {matchers: ['alertname=\"X\"']}\n"
            + "    actions:\n" + action + "\n")
        // The ECS/compose/command example continues the targets list; `api` is the one target the example playbook
        // uses that no example defines.
        let api = "  - name: api\n    ecs: {cluster: hyperverge-prod, service: api}\n    bounds: {floor: 2, ceiling: 10}\n"
        let temporary = try TemporaryFolder("readme")
        let folder = temporary.path
        defer { temporary.remove() }
        try (blocks.joined(separator: "").replacingOccurrences(of: "playbooks:\n", with: api + "playbooks:\n"))
            .write(toFile: folder + "/readme.yaml", atomically: true, encoding: .utf8)
        let process = try ResponderProcess(arguments: ["validate", folder])
        #expect(try await process.waitForExit() == 0, "\(process.stdout)")
    }

    @Test("each sample alert plans exactly its playbook's timeline", arguments: rows)
    func plans(_ row: Row) async throws {
        let process = try ResponderProcess(arguments: [
            "plan", "--alert", Self.root + "/samples/alerts/" + row.sample, "--playbooks", Self.root + "/Playbooks",
            "--format", "json",
        ] + row.arguments.split(separator: " ").map(String.init))
        #expect(try await process.waitForExit() == 0)
        let plans = try #require(try JSONSerialization.jsonObject(with: Data(process.stdout.utf8)) as? [[String: Any]])
        let plan = try #require(plans.first)
        let evaluations = try #require(plan["evaluations"] as? [[String: Any]])
        let matched = evaluations.filter { $0["matched"] as? Bool == true }.compactMap { $0["playbook"] as? String }
        #expect(matched == [row.playbook], "a sample matches its own playbook and no other")
        let timelines = try #require(plan["timelines"] as? [[String: Any]])
        let steps = (timelines.first?["steps"] as? [[String: Any]] ?? []).map(Self.compact)
        #expect(steps == row.steps)
    }

    /// Issue 16: the default playbooks run every seed procedure completely; what stays with people is said in
    /// Playbooks/README.md, never in a playbook's "Not automated here" or "manual step" note.
    @Test("no default playbook leaves a step of its runbook in a \"Not automated\" or \"manual step\" note")
    func nothingLeftInNotes() throws {
        let folder = Self.root + "/Playbooks"
        let files = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }
        #expect(files.count >= 10)
        for file in files {
            let text = try String(contentsOfFile: folder + "/" + file, encoding: .utf8).lowercased()
            #expect(!text.contains("not automated"), "\(file)")
            #expect(!text.contains("manual step"), "\(file)")
        }
        let readme = try String(contentsOfFile: folder + "/README.md", encoding: .utf8)
        #expect(readme.contains("## What stays with people"))
    }

    /// The seed playbooks with `undo:` or `cleanup:`, their sample alert and the undo steps `plan` must list last (due
    /// when the run ends), in reverse order of their actions, then the cleanup in its order.
    static let undoRows: [(sample: String, now: String, undo: [String])] = [
        ("labelmint-emergency-scale.json", "2026-05-12T19:20:00Z", [
            "POST https://api.labelmint.it/admin/rate-limit/reset", "POST https://api.labelmint.it/admin/cache/reset",
            "POST https://api.labelmint.it/admin/config/reset", "delete-db-instance",
        ]),
        ("labelmint-pre-event.json", "2026-05-01T09:00:00Z", [
            "kubectl delete -f monitoring/event-alerts.yaml --ignore-not-found", "delete-db-instance",
            "cleanup: run ./scripts/backup-all.sh", "cleanup: run ./scripts/generate-scaling-report.sh",
        ]),
        ("autolytiq-pre-event.json", "2026-03-28T10:00:00Z", ["MinCapacity=2,MaxCapacity=16"]),
    ]

    @Test("`responder plan` shows every seed playbook's undo and cleanup steps, when the run ends, in order",
          arguments: undoRows.indices)
    func plansShowUndo(_ row: Int) async throws {
        let (sample, now, undo) = Self.undoRows[row]
        let process = try ResponderProcess(arguments: [
            "plan", "--alert", Self.root + "/samples/alerts/" + sample, "--playbooks", Self.root + "/Playbooks",
            "--format", "json", "--now", now,
        ])
        #expect(try await process.waitForExit() == 0)
        let plans = try #require(try JSONSerialization.jsonObject(with: Data(process.stdout.utf8)) as? [[String: Any]])
        let timelines = try #require(plans.first?["timelines"] as? [[String: Any]])
        let steps = try #require(timelines.first?["steps"] as? [[String: Any]])
        let ending = steps.filter { $0["anchor"] as? String == "run_end" }
        #expect(ending.count == undo.count, "\(sample): \(ending.map { $0["detail"] ?? "" })")
        #expect(steps.suffix(ending.count).allSatisfy { $0["anchor"] as? String == "run_end" }, "undo steps come last")
        for (step, text) in zip(ending, undo) {
            #expect((step["detail"] as? String ?? "").contains(text), "\(sample): \(step["detail"] ?? "") should contain \(text)")
        }
    }

    @Test("every scenario of Playbooks/scenarios passes `responder simulate`")
    func everyScenarioPasses() async throws {
        let folder = Self.root + "/Playbooks/scenarios"
        let files = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".yaml") }.sorted()
        #expect(files.count >= 28)
        for file in files {
            let process = try ResponderProcess(arguments: ["simulate", folder + "/" + file, "--playbooks", Self.root + "/Playbooks"])
            #expect(try await process.waitForExit() == 0, "\(file):\n\(process.stdout)")
        }
    }

    static func compact(_ step: [String: Any]) -> String {
        let offset = step["offset_seconds"] as? Int ?? 0
        let anchor = (step["anchor"] as? String ?? "?") + (offset == 0 ? "" : String(format: "%+dm", offset / 60))
        let target = step["target"] as? String ?? "-"
        if step["action"] as? String == "scale" {
            return "\(anchor) \(target) \(step["from"] as? Int ?? -1)->\(step["to"] as? Int ?? -1)"
        }
        return "\(anchor) \(step["action"] as? String ?? "?") \(target)"
    }
}
