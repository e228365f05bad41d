import Foundation
import ResponderCore
import ResponderPlaybooks
import ResponderStore

/// `responder-bench fill-store --state DIR [--alerts N] [--runs N] [--per-delivery K] [--playbooks DIR]`: writes a
/// large journal through the real store APIs, as `responder serve` would have left it after a long life.
///
/// - Alerts: Alertmanager v4 group notifications shaped like `samples/alerts/hyperverge-worker-queue-depth-high.json`,
///   K alerts per delivery, each alert with its own `instance` label and fingerprint, decoded by the real
///   `AlertmanagerDecoder`, planned against the playbooks (the plan JSON is stored with each alert, as at ingest), and
///   recorded with `SQLiteJournal.record`, 16 deliveries at a time (concurrent deliveries share a `synchronous=FULL`
///   transaction, as at ingest). They are then marked processed, so a restart has no backlog to replay.
/// - Runs: open emergency-scale runs of `hyperverge-worker-queue-depth-high` (its real policy), each on its own target,
///   with the scale-up done and resolved, and four ladder steps due 1 to 2 hours after the fill (so none fires while the
///   restart is measured; all of them are put on the timer agenda at restore).
enum StoreFill {
    static func run(_ arguments: [String]) async throws {
        func option(_ name: String) -> String? {
            guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count else { return nil }
            return arguments[index + 1]
        }
        guard let state = option("--state") else {
            print("usage: responder-bench fill-store --state DIR [--alerts N] [--runs N] [--per-delivery K] [--playbooks DIR]")
            exit(2)
        }
        let alertCount = Int(option("--alerts") ?? "") ?? 100_000
        let runCount = Int(option("--runs") ?? "") ?? 10_000
        let perDelivery = max(1, Int(option("--per-delivery") ?? "") ?? 10)
        let playbooksPath = option("--playbooks") ?? "Playbooks"
        try FileManager.default.createDirectory(atPath: state, withIntermediateDirectories: true)
        let journal = try SQLiteJournal(path: state + "/responder.sqlite")

        let set: PlaybookSet
        switch PlaybookLoader.load(directory: playbooksPath) {
        case .success(let loaded): set = loaded
        case .failure(let problems):
            print("playbooks at \(playbooksPath) do not load: \(problems)")
            exit(1)
        }
        let decoder = AlertmanagerDecoder()
        let clock = ContinuousClock()
        let alertsStart = clock.now
        var written = 0
        var delivery = 0
        var keys: [String] = []
        keys.reserveCapacity(alertCount)
        // Deliveries are planned and recorded 16 at a time, as concurrent senders would (both cores plan; the journal
        // commits concurrent deliveries together).
        while written < alertCount {
            var firsts: [(first: Int, count: Int)] = []
            while written < alertCount, firsts.count < 16 {
                let count = min(perDelivery, alertCount - written)
                firsts.append((written, count))
                written += count
            }
            let received = try await withThrowingTaskGroup(of: [String].self) { group in
                for (first, count) in firsts {
                    group.addTask {
                        let body = payload(first: first, count: count)
                        let (payload, alerts) = try decoder.decode(Array(body.utf8))
                        var plans: [String: String] = [:]
                        let now = Date()
                        for alert in alerts {
                            let plan = Planner.plan(PlanInput(alert: alert, playbooks: set, now: now))
                            plans[alert.idempotencyKey] = String(decoding: try PlanJSON.encode(plan), as: UTF8.self)
                        }
                        let details = ["receiver": payload.receiver, "group_key": payload.groupKey, "status": payload.status]
                        let receipt = try await journal.record(
                            Delivery(kind: .alertmanagerWebhook, idempotencyKey: nil, receivedAt: now, details: details, body: body),
                            alerts: alerts, plans: plans)
                        return receipt.newAlertKeys
                    }
                }
                return try await group.reduce(into: [String]()) { $0 += $1 }
            }
            keys.append(contentsOf: received)
            delivery += firsts.count
        }
        for chunk in stride(from: 0, to: keys.count, by: 5000) {
            try await journal.markProcessed(Array(keys[chunk..<min(chunk + 5000, keys.count)]))
        }
        let alertsTime = clock.now - alertsStart
        print("journaled \(keys.count) alerts in \(delivery) deliveries (\(perDelivery) per delivery, with plans), marked processed: \(alertsTime)")

        guard let playbook = set.playbooks.first(where: { $0.name == "hyperverge-worker-queue-depth-high" }) ?? set.playbooks.first else {
            print("no playbook to model the runs on")
            exit(1)
        }
        let runsStart = clock.now
        let now = Date()
        let policy = RunPolicy(playbook)
        var runs: [Run] = []
        runs.reserveCapacity(1000)
        for index in 0..<runCount {
            let target = "bench-worker-\(index)"
            var scaleUp = RunStep(index: 0, phase: .actions, anchor: .now, offsetSeconds: 0, due: now.addingTimeInterval(-1800),
                                  work: .action(.scale(target: target, change: .to(9))), target: target, to: 9,
                                  detail: "replicas 4 -> 9")
            scaleUp.from = 4
            scaleUp.status = .done
            scaleUp.attempts = 1
            scaleUp.startedAt = now.addingTimeInterval(-1800)
            scaleUp.finishedAt = now.addingTimeInterval(-1799)
            scaleUp.outcome = "dry-run: replicas 4 -> 9"
            var steps = [scaleUp]
            let ladderStart = now.addingTimeInterval(3600 + Double(index % 3600))
            for (offset, level) in [15, 10, 5, 2].enumerated() {
                var step = RunStep(index: offset + 1, phase: .ladder, anchor: .resolve, offsetSeconds: 1200 + offset * 600,
                                   due: ladderStart.addingTimeInterval(Double(offset) * 600),
                                   work: .action(.scale(target: target, change: .to(level))), target: target, to: level,
                                   detail: "replicas -> \(level)")
                step.scheduledAt = now
                steps.append(step)
            }
            var run = Run(id: "run-\(index + 1)", playbook: playbook.name, kind: playbook.kind, targets: [target],
                          alertFingerprint: String(format: "%016llx", UInt64(index) &* 0x9E37_79B9_7F4A_7C15),
                          alertName: "QueueDepthHigh", startedAt: now.addingTimeInterval(-1800), steps: steps, dryRun: true,
                          policy: policy)
            run.resolvedAt = now
            run.history = [
                RunEvent(at: now.addingTimeInterval(-1800), message: "started by alert QueueDepthHigh"),
                RunEvent(at: now.addingTimeInterval(-1799), message: "step 0 done: replicas 4 -> 9 (dry-run)"),
                RunEvent(at: now, message: "alert resolved: step-down ladder scheduled"),
            ]
            runs.append(run)
            if runs.count == 1000 {
                try await journal.save(runs)
                runs.removeAll(keepingCapacity: true)
            }
        }
        if !runs.isEmpty { try await journal.save(runs) }
        print("saved \(runCount) open runs (5 steps each, ladder due in 1-2 h): \(clock.now - runsStart)")
    }

    /// An Alertmanager v4 group notification with `count` firing alerts numbered from `first`.
    static func payload(first: Int, count: Int) -> String {
        let alerts = (first..<(first + count)).map { n in
            """
            {"status":"firing","labels":{"alertname":"QueueDepthHigh","ecs_cluster":"hyperverge-prod","job":"bullmq",\
            "queue":"monitor-queue","severity":"warning","instance":"worker-\(n)"},\
            "annotations":{"summary":"monitor-queue holds 3412 waiting jobs (threshold 1000)",\
            "description":"BullMQ monitor-queue on hyperverge-prod has had more than 1000 waiting jobs for 5 minutes.",\
            "runbook_url":"https://runbooks.example.com/hyperverge/scaling#scaling-triggers"},\
            "startsAt":"2026-03-02T20:10:00Z","endsAt":"0001-01-01T00:00:00Z",\
            "generatorURL":"http://prometheus:9090/graph?g0.expr=bull_queue_waiting%7Becs_cluster%3D%22hyperverge-prod%22%2Cqueue%3D%22monitor-queue%22%7D+%3E+1000&g0.tab=1",\
            "fingerprint":"\(String(format: "%016llx", UInt64(n)))"}
            """
        }
        return """
        {"version":"4","groupKey":"{}/{severity=~\\"warning|critical\\"}:{alertname=\\"QueueDepthHigh\\", ecs_cluster=\\"hyperverge-prod\\", queue=\\"monitor-queue\\"}",\
        "truncatedAlerts":0,"status":"firing","receiver":"responder",\
        "groupLabels":{"alertname":"QueueDepthHigh","ecs_cluster":"hyperverge-prod","queue":"monitor-queue"},\
        "commonLabels":{"alertname":"QueueDepthHigh","ecs_cluster":"hyperverge-prod","job":"bullmq","queue":"monitor-queue","severity":"warning"},\
        "commonAnnotations":{"summary":"monitor-queue holds 3412 waiting jobs (threshold 1000)"},\
        "externalURL":"http://alertmanager:9093","alerts":[\(alerts.joined(separator: ","))]}
        """
    }
}
