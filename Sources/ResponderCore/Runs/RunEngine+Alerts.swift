import Foundation

/// What an alert does to runs: start, join, re-fire, preempt, resolve, or nothing (cooldown).
extension RunEngine {
    mutating func handleAlert(
        _ alert: NormalizedAlert,
        playbooks: PlaybookSet,
        replicas: [String: Int],
        desired: [String: Int],
        now: Date
    ) -> [EngineEffect] {
        switch alert.status {
        case .insufficientData:
            return []
        case .resolved:
            return resolve(alert, now: now)
        case .firing:
            let plan = Planner.plan(PlanInput(alert: alert, playbooks: playbooks, replicas: replicas, autoscalerDesired: desired, now: now,
                                              limits: settings.limits))
            var effects: [EngineEffect] = []
            for timeline in plan.timelines {
                guard let playbook = playbooks.playbooks.first(where: { $0.name == timeline.playbook }) else { continue }
                let recurring = Set(playbooks.playbooks.filter { $0.schedule != nil }.map(\.name))
                effects += fire(alert, playbook: playbook, timeline: timeline, recurring: recurring, now: now)
            }
            return effects
        }
    }

    /// `recurring` names the playbooks with a recurring `schedule:` (their runs yield to a one-off pre-event).
    private mutating func fire(_ alert: NormalizedAlert, playbook: Playbook, timeline: Plan.Timeline, recurring: Set<String>,
                               now: Date) -> [EngineEffect] {
        let targets = Set(timeline.steps.compactMap(\.target))
        let name = alert.labels["alertname"] ?? alert.fingerprint
        // The same alert firing again for its own run: a join, or a re-fire during the ladder.
        if var own = runs.values.first(where: { $0.isLive && $0.playbook == playbook.name && $0.alertFingerprint == alert.fingerprint }) {
            // A scheduled event's later revision: it was moved, or cancelled with the ladder starting now.
            if let end = Self.eventEnd(of: alert) {
                let moved = retimeLadder(&own, end: end, onlyLater: false, because: alert.annotations[EventAlert.changeAnnotation] ?? "event \(alert.labels["event"] ?? name) changed", now: now)
                return moved.map { [$0] } ?? []
            }
            guard own.resolvedAt != nil else {
                record(&own, now, "alert \(name) fired again; joined (one run per alert)", kind: .refired)
                store(own)
                return []
            }
            switch own.policy.onRefire {
            case .abort:
                cancelPending(&own, reason: "alert re-fired during the ladder (on_refire: abort)")
                end(&own, .aborted, now, "alert \(name) re-fired during the ladder: stopped where it is (on_refire: abort)")
                store(own)
                return [.notify(runID: own.id, message: "run \(own.id): \(name) fired again during the step-down; the ladder stopped (on_refire: abort)")]
            case .reEscalate:
                // The run's undo steps already cover the actions run again: the same actions, undone once at the end.
                let added = steps(from: timeline, playbook: playbook, firstIndex: own.steps.count, now: now,
                                  withUndo: !own.steps.contains { $0.phase == .undo })
                if let problem = Self.problem(in: added) {
                    record(&own, now, "alert \(name) re-fired, but its new steps are out of range (\(problem)): not re-escalated", kind: .refired)
                    store(own)
                    return [.notify(runID: own.id, message: "run \(own.id): \(name) fired again but its plan cannot be run "
                        + "(\(problem)); nothing re-escalated")]
                }
                cancelPending(&own, reason: "alert re-fired during the ladder (on_refire: re-escalate)")
                own.resolvedAt = nil
                own.steps += added
                record(&own, now, "alert \(name) re-fired during the ladder: actions run again, the ladder waits for the next resolve", kind: .refired)
                store(own)
                return [.notify(runID: own.id, message: "run \(own.id): \(name) fired again; re-escalating (on_refire: re-escalate)")]
            }
        }
        // The update of an event whose run has ended (or never started, having joined another): nothing to start.
        if alert.annotations[EventAlert.changeAnnotation] != nil {
            guard playbook.event?.overlap == .extend, let end = Self.eventEnd(of: alert),
                  var joined = runs.values.filter({ $0.isLive && $0.kind == .preEvent && !Set($0.targets).isDisjoint(with: targets) })
                    .min(by: { $0.id < $1.id }) else { return [] }
            let reason = alert.annotations[EventAlert.changeAnnotation] ?? "event changed"
            return retimeLadder(&joined, end: end, onlyLater: true, because: "\(reason), extending it", now: now).map { [$0] } ?? []
        }
        // dedup_window: the same alert starting this playbook again soon after a run of it began is the same incident.
        if let recent = runs.values.filter({ $0.playbook == playbook.name && $0.alertFingerprint == alert.fingerprint && !$0.isLive })
            .map(\.startedAt).max(), now.timeIntervalSince(recent) < playbook.dedupWindow.timeInterval {
            return [.notify(runID: nil, message: "\(name) matched \(playbook.name) again within its dedup_window (\(playbook.dedupWindow.playbookText)) of the last run: nothing started")]
        }
        if let ended = runs.values.filter({ $0.playbook == playbook.name && !$0.isLive && ($0.closing ?? $0.status) != .preempted })
            .compactMap(\.endedAt).max(),
            now.timeIntervalSince(ended) < playbook.cooldown.timeInterval {
            return [.notify(runID: nil, message: "\(name) matched \(playbook.name) but it is cooling down until \(RFC3339.format(ended.addingTimeInterval(playbook.cooldown.timeInterval))): nothing started")]
        }
        // A run the store would refuse to read back (times outside 1970–9999, say from an alert's event_start) is
        // never started: it would be lost at the next restart.
        let planned = steps(from: timeline, playbook: playbook, firstIndex: 0, now: now)
        if let problem = Self.problem(in: planned) {
            return [.notify(runID: nil, message: "\(name) matched \(playbook.name) but its plan cannot be run (\(problem)): nothing started")]
        }
        var effects: [EngineEffect] = []
        // The end of a recurring window this run takes over from: its capacity is kept at least until then.
        var windowEnd: Date?
        let busy = runs.values.filter { $0.isLive && !Set($0.targets).isDisjoint(with: targets) }.sorted { $0.id < $1.id }
        for var other in busy {
            // An emergency takes over from a lesser run on its targets: one that is not an emergency, one stepping
            // down, or one that raises a target less than this one would. Against what the other run plans, not the
            // count now: in a flood of alerts its scale-up may not have run yet, and taking over from it each time
            // would cancel every scale-up before it happens.
            let emergency = playbook.kind == .emergencyScale
                && (other.kind != .emergencyScale || other.isSteppingDown || Self.raises(timeline, beyond: other))
            // A known event (a one-off pre-event) takes over from a recurring window's run (peak hours, a cost
            // schedule): joining it would leave the event without its own scale-up.
            let event = playbook.kind == .preEvent && !recurring.contains(playbook.name)
                && other.kind == .preEvent && recurring.contains(other.playbook)
            if emergency || event {
                if event, let end = Self.windowEnd(of: other) { windowEnd = max(windowEnd ?? end, end) }
                let orphaned = Set(other.targets).subtracting(targets).sorted()
                let by = emergency ? "an emergency" : "a known event"
                cancelPending(&other, reason: "preempted by \(by) (\(playbook.name))")
                let left = orphaned.isEmpty ? "" : "; \(orphaned.joined(separator: ", ")) stay where they are (no ladder will bring them down)"
                end(&other, .preempted, now, "preempted by \(playbook.name) for \(name): pending steps cancelled\(left)")
                store(other)
                effects.append(.notify(runID: other.id, message: "run \(other.id) (\(other.playbook)) preempted by "
                    + "\(emergency ? "emergency" : "event") \(playbook.name)\(left)"))
            } else {
                let first = recordJoin(&other, now, "alert \(name) (playbook \(playbook.name))")
                store(other)
                // A later event of an `event.overlap: extend` playbook keeps the earlier event's capacity until it ends.
                // So does a recurring window joining a known event's run: its capacity stays until the window ends.
                if playbook.event?.overlap == .extend || recurring.contains(playbook.name), other.kind == .preEvent,
                   let end = Self.eventEnd(of: alert),
                   let extended = retimeLadder(&other, end: end, onlyLater: true,
                                               because: "event \(alert.labels["event"] ?? name) (\(playbook.name)) extends it", now: now) {
                    return effects + [extended]
                }
                // Said once per streak of joins: a flood of alerts on one target is one notice, not one per alert.
                guard first else { return effects }
                return effects + [.notify(runID: other.id, message: "\(name) matched \(playbook.name); \(other.id) already owns \(other.targets.joined(separator: ", ")), so it joined that run")]
            }
        }
        let id = makeID()
        var run = Run(
            id: id, playbook: playbook.name, kind: playbook.kind, targets: targets.sorted(),
            alertFingerprint: alert.fingerprint, alertName: alert.labels["alertname"], startedAt: now,
            steps: planned, dryRun: playbook.dryRun || settings.forceDryRun,
            policy: RunPolicy(playbook)
        )
        record(&run, now, "started by alert \(name) (playbook \(playbook.name), \(playbook.kind.rawValue))")
        store(run)
        effects.append(.notify(runID: id, message: "run \(id) started: \(playbook.name) for \(name)"))
        if let windowEnd, let kept = retimeLadder(&run, end: windowEnd, onlyLater: true,
                                                 because: "it took over from a recurring window", now: now) {
            effects.append(kept)
        }
        return effects
    }

    /// Whether `timeline` raises some target above the current count and above every value `other`'s actions set it
    /// to (a target `other`'s actions never set counts as not planned).
    static func raises(_ timeline: Plan.Timeline, beyond other: Run) -> Bool {
        timeline.steps.contains { step in
            guard step.phase == .actions, let target = step.target, let to = step.to, to > (step.from ?? Int.max) else { return false }
            let planned = other.steps.filter { $0.phase == .actions && $0.target == target && $0.status != .cancelled }
                .compactMap(\.to).max()
            return planned.map { to > $0 } ?? true
        }
    }

    private mutating func resolve(_ alert: NormalizedAlert, now: Date) -> [EngineEffect] {
        var effects: [EngineEffect] = []
        let name = alert.labels["alertname"] ?? alert.fingerprint
        for var run in runs.values.filter({ $0.isLive && $0.alertFingerprint == alert.fingerprint && $0.resolvedAt == nil })
            .sorted(by: { $0.id < $1.id }) {
            run.resolvedAt = now
            if run.kind == .scaleDown {
                if run.policy.onResolve == .abort {
                    cancelPending(&run, reason: "alert resolved (on_resolve: abort)")
                    end(&run, .aborted, now, "alert \(name) resolved: scale-down stopped (on_resolve: abort)")
                } else {
                    record(&run, now, "alert \(name) resolved: the ladder continues (on_resolve: continue)")
                }
            } else {
                // An emergency's action that has not run yet (kept back by a pause, a limit, an acknowledgement or a
                // retry) is not wanted any more: the emergency is over, and running it late would scale up after it.
                var dropped: [Int] = []
                for index in run.steps.indices where run.kind == .emergencyScale && run.steps[index].phase == .actions
                    && (run.steps[index].status == .pending || run.steps[index].status == .waitingAck) {
                    let why = run.steps[index].blocked?.reason ?? run.steps[index].outcome ?? "it had not run yet"
                    run.steps[index].status = .cancelled
                    run.steps[index].outcome = "not run: the alert resolved while it waited (\(why))"
                    dropped.append(index)
                }
                if !dropped.isEmpty {
                    record(&run, now, "alert \(name) resolved before step(s) \(dropped.map(String.init).joined(separator: ", ")) ran: "
                        + "they are cancelled, not run late")
                }
                // Due times count from now even when endsAt is earlier, so nothing fires early.
                for index in run.steps.indices where run.steps[index].anchor == .resolve && run.steps[index].status == .pending {
                    run.steps[index].due = now.addingTimeInterval(TimeInterval(run.steps[index].offsetSeconds))
                    run.steps[index].scheduledAt = now
                }
                let scheduled = run.steps.contains { $0.anchor == .resolve && $0.status == .pending }
                record(&run, now, scheduled
                    ? "alert \(name) resolved: step-down ladder scheduled"
                    : "alert \(name) resolved (the ladder follows the event end, not the alert)")
            }
            store(run)
            effects.append(.notify(runID: run.id, message: run.history.last?.message ?? "resolved"))
        }
        return effects
    }

    /// The first out-of-range value of `steps` (``RunStep/problem()``), as `step N: ...`; nil when there is none.
    private static func problem(in steps: [RunStep]) -> String? {
        for step in steps {
            if let problem = step.problem() { return "step \(step.index): \(problem)" }
        }
        return nil
    }

    /// Run steps from a plan timeline; action steps carry the playbook's action, ladder steps a scale to their level.
    private func steps(from timeline: Plan.Timeline, playbook: Playbook, firstIndex: Int, now: Date, withUndo: Bool = true) -> [RunStep] {
        var actionIndex = 0
        var undoIndex = 0
        let undos = playbook.undoOrder
        let kept = timeline.steps.filter { withUndo || $0.phase != .undo }
        // Plan step indices to run step indices, for undo steps' `undoes`.
        let positions = Dictionary(uniqueKeysWithValues: kept.enumerated().map { ($1.index, firstIndex + $0) })
        return kept.enumerated().map { offset, step in
            let work: RunStep.Work
            switch (step.phase, step.action) {
            case (.undo, _):
                work = .action(undos[min(undoIndex, undos.count - 1)].action)
                undoIndex += 1
            case (.actions, _):
                let action = playbook.actions[min(actionIndex, playbook.actions.count - 1)]
                actionIndex += 1
                if case .scale(let target, _) = action, let to = step.to {
                    work = .action(.scale(target: target, change: .to(to)))
                } else {
                    work = .action(action)
                }
            case (.ladder, "restore"):
                work = .restore
            case (.ladder, _):
                work = .action(.scale(target: step.target ?? "", change: .to(step.to ?? 0)))
            }
            var runStep = RunStep(
                index: firstIndex + offset, phase: step.phase, anchor: step.anchor, offsetSeconds: step.offsetSeconds,
                due: step.due, work: work, target: step.target, to: step.to, detail: step.detail
            )
            runStep.from = step.from
            runStep.scheduledAt = step.due.map { _ in now }
            runStep.checks = step.checks.isEmpty ? nil : step.checks
            runStep.undoes = step.undoes.flatMap { positions[$0] }
            return runStep
        }
    }
}

extension Run {
    /// True once the run is in its step-down: resolved, or its next step is a scheduled ladder step (an emergency
    /// still waiting for its resolve is not stepping down).
    public var isSteppingDown: Bool {
        if resolvedAt != nil || kind == .scaleDown { return true }
        guard let index = nextStepIndex else { return false }
        return steps[index].phase == .ladder && steps[index].due != nil
    }
}
