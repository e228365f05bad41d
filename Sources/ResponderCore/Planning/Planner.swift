import Foundation

/// The planner: a pure function of (alert, playbooks, targets, current replica counts, now) to a ``Plan``.
public enum Planner {
    /// Matches every playbook against the alert and builds the timeline of each one that matched.
    public static func plan(_ input: PlanInput) -> Plan {
        let alert = input.alert
        let evaluations = input.playbooks.playbooks.map { PlaybookMatching.evaluate($0, alert: alert) }
        var timelines: [Plan.Timeline] = []
        for (playbook, evaluation) in zip(input.playbooks.playbooks, evaluations) where evaluation.matched {
            var builder = TimelineBuilder(playbook: playbook, input: input)
            timelines.append(builder.build())
        }
        let summary = Plan.AlertSummary(
            source: alert.source, fingerprint: alert.fingerprint, status: alert.status,
            name: alert.labels["alertname"], labels: alert.labels
        )
        return Plan(alert: summary, generatedAt: input.now, evaluations: evaluations, timelines: timelines)
    }
}

/// Builds one playbook's timeline: when each phase starts, then each step with absolute values.
struct TimelineBuilder {
    let playbook: Playbook
    let input: PlanInput
    var ledger: ReplicaLedger
    var steps: [Plan.Step] = []
    var notes: [String] = []
    /// What the actions changed besides replicas, in order, for the restore step.
    var snapshots: [String] = []
    /// Targets whose HPA minReplicas the actions raised (ladder steps lower it again).
    var raisedHPAMin: [String: String] = [:]
    /// The plan step of each playbook action, by action index (for the undo steps).
    var actionSteps: [Int: Int] = [:]
    /// Whether the actions are in this timeline (it starts a run).
    var actionsAdded = false

    init(playbook: Playbook, input: PlanInput) {
        self.playbook = playbook
        self.input = input
        ledger = ReplicaLedger(
            targets: input.playbooks.targets, replicas: input.replicas, autoscalerDesired: input.autoscalerDesired
        )
    }

    mutating func build() -> Plan.Timeline {
        let now = input.now
        let alert = input.alert
        let resolvedAt = alert.status == .resolved ? (alert.endsAt.map { max($0, now) } ?? now) : nil
        switch (playbook.kind, alert.status) {
        case (_, .insufficientData):
            notes.append("INSUFFICIENT_DATA is recorded, never acted on")
        case (.emergencyScale, .firing):
            addActions(anchor: .now, offset: .zero, anchorTime: now)
            addLadder(anchor: .resolve, base: .zero, anchorTime: nil)
        case (.emergencyScale, .resolved):
            notes.append("the actions ran when the alert fired; the ladder starts from the resolve")
            addLadder(anchor: .resolve, base: .zero, anchorTime: resolvedAt)
        case (.preEvent, let status):
            let event = input.effectiveEvent
            let hold = playbook.event?.hold ?? .zero
            if let event {
                if status == .firing {
                    let lead = playbook.event?.lead ?? .zero
                    let leadSeconds = min(SaturatingArithmetic.seconds(lead), Self.maxOffsetSeconds)
                    addActions(anchor: .eventStart, offset: .seconds(-leadSeconds), anchorTime: event.start)
                }
                addLadder(anchor: .eventEnd, base: hold, anchorTime: event.end)
            } else if status == .firing {
                notes.append("no event window (event_start/event_end annotations or a scheduled event): actions run now, the ladder follows the resolve")
                addActions(anchor: .now, offset: .zero, anchorTime: now)
                addLadder(anchor: .resolve, base: hold, anchorTime: nil)
            } else {
                addLadder(anchor: .resolve, base: hold, anchorTime: resolvedAt)
            }
        case (.scaleDown, .firing):
            addActions(anchor: .now, offset: .zero, anchorTime: now)
            addLadder(anchor: .now, base: .zero, anchorTime: now)
        case (.scaleDown, .resolved):
            notes.append(
                playbook.gates.onResolve == .abort
                    ? "resolved: a running scale-down stops where it is (gates.on_resolve: abort)"
                    : "resolved: a running scale-down ladder continues (gates.on_resolve: continue)"
            )
        }
        addUndo()
        addPolicyNotes()
        for (index, extra) in LimitProjection.notes(for: steps, playbook: playbook, limits: input.limits) {
            if let position = steps.firstIndex(where: { $0.index == index }) { steps[position].notes += extra }
        }
        return Plan.Timeline(playbook: playbook.name, kind: playbook.kind, dryRun: playbook.dryRun, steps: steps, notes: notes)
    }

    private mutating func addActions(anchor: Plan.Anchor, offset: Duration, anchorTime: Date) {
        actionsAdded = true
        let due = anchorTime.addingTimeInterval(offset.timeInterval)
        var stepNotes: [String] = []
        if due < input.now {
            stepNotes.append("due time \(RFC3339.format(due)) has passed: runs now")
        }
        let template = AlertTemplate(alert: input.alert, playbook: playbook.name)
        for (actionIndex, action) in playbook.actions.enumerated() {
            actionSteps[actionIndex] = steps.count
            var notes = stepNotes
            let description = ActionDescriber.describe(
                action, template: template, targets: input.playbooks.targets, notes: &notes
            )
            var from: Int?
            var to: Int?
            if case .scale(let target, let change) = action {
                let current = ledger.count(of: target, notes: &notes)
                let requested = Self.requested(change, current: current, bounds: input.playbooks.targets[target]?.bounds)
                let result = ledger.set(
                    target, requested: requested, stepDown: playbook.kind == .scaleDown,
                    respectAutoscaler: playbook.gates.respectAutoscaler, notes: &notes
                )
                (from, to) = (result.from, result.to)
                let hpaNotes = ActionDescriber.autoscalerNotes(target: input.playbooks.targets[target], from: result.from, to: result.to)
                if !hpaNotes.isEmpty, case .kubernetes(let k8s)? = input.playbooks.targets[target]?.backend, let hpa = k8s.hpa {
                    raisedHPAMin[target] = hpa
                    remember("HPA \(hpa) minReplicas of \(target)")
                }
                notes += hpaNotes
            } else if let snapshot = ActionDescriber.snapshotDescription(action) {
                remember(snapshot)
            }
            append(.actions, anchor, offset, max(due, input.now), action.kindName, action.target, from, to,
                   from.map { "replicas \($0) -> \(to ?? $0)" } ?? description, notes)
        }
    }

    private mutating func addLadder(anchor: Plan.Anchor, base: Duration, anchorTime: Date?) {
        guard let ladder = playbook.ladder else { return }
        let start = SaturatingArithmetic.add(SaturatingArithmetic.seconds(base), SaturatingArithmetic.seconds(ladder.hold))
        var lastOffset = Duration.seconds(min(start, Self.maxOffsetSeconds))
        for index in 0..<ladder.stepCount {
            let seconds = SaturatingArithmetic.add(start, SaturatingArithmetic.multiply(SaturatingArithmetic.seconds(ladder.every), index))
            let offset = Duration.seconds(min(seconds, Self.maxOffsetSeconds))
            lastOffset = offset
            let due = anchorTime?.addingTimeInterval(offset.timeInterval)
            for (target, levels) in ladder.levels where index < levels.count {
                var notes: [String] = playbook.gates.requireAck ? ["waits for an acknowledgement"] : []
                let bounds = input.playbooks.targets[target]?.bounds
                let requested: Int
                switch levels[index] {
                case .replicas(let value): requested = value
                case .floor: requested = bounds?.floor ?? 0
                }
                let result = ledger.set(
                    target, requested: requested, stepDown: true,
                    respectAutoscaler: playbook.gates.respectAutoscaler, notes: &notes
                )
                if let hpa = raisedHPAMin[target], result.to < result.from {
                    notes.append("HPA \(hpa): minReplicas lowered to \(result.to) with this step so the HPA follows")
                }
                let checks = playbook.gates.checks.filter { $0.scope == .eachStep || index == 0 }
                for check in checks {
                    notes.append("waits until \(check.condition) (checked every \(check.recheck.playbookText); the run is held after \(check.maxWait.playbookText))")
                }
                append(.ladder, anchor, offset, due, "scale", target, result.from, result.to,
                       "replicas \(result.from) -> \(result.to)", notes)
                steps[steps.count - 1].checks = checks
            }
        }
        if ladder.restore {
            let detail = snapshots.isEmpty
                ? "restore snapshotted values (none: the actions changed nothing but replicas)"
                : "restore snapshotted values: " + snapshots.joined(separator: "; ")
            append(.ladder, anchor, lastOffset, anchorTime?.addingTimeInterval(lastOffset.timeInterval), "restore",
                   nil, nil, nil, detail, [])
        }
    }

    /// Undo steps, in reverse order of the actions they undo, then `cleanup:` steps: due when the run ends, for any
    /// reason; an undo runs only if its action succeeded.
    private mutating func addUndo() {
        // Only a timeline that starts a run (its actions are in it) has undo steps.
        guard actionsAdded else { return }
        let template = AlertTemplate(alert: input.alert, playbook: playbook.name)
        for undo in playbook.undoOrder {
            var undone: Int?
            if let index = undo.undoes {
                guard let step = actionSteps[index] else { continue }
                undone = step
            }
            var notes: [String] = [undone.map { "runs when the run ends (completed, aborted, preempted or failed), if step \($0) succeeded" }
                ?? "runs when the run ends, whatever happened (cleanup)"]
            let description = ActionDescriber.describe(undo.action, template: template, targets: input.playbooks.targets, notes: &notes)
            append(.undo, .runEnd, .zero, nil, undo.action.kindName, nil, nil, nil,
                   undone.map { "undo step \($0): \(description)" } ?? "cleanup: \(description)", notes)
            steps[steps.count - 1].undoes = undone
        }
    }

    private mutating func remember(_ snapshot: String) {
        if !snapshots.contains(snapshot) { snapshots.append(snapshot) }
    }

    private mutating func addPolicyNotes() {
        if playbook.ladder != nil, playbook.kind != .scaleDown {
            notes.append("a re-fire during the ladder: \(playbook.gates.onRefire.rawValue)")
        }
        if playbook.cooldown > .zero {
            notes.append("cooldown \(playbook.cooldown.playbookText) after the run ends")
        }
        if playbook.dryRun { notes.append("dry-run: calls are recorded, not made") }
    }

    private mutating func append(
        _ phase: Plan.Step.Phase, _ anchor: Plan.Anchor, _ offset: Duration, _ due: Date?, _ action: String,
        _ target: String?, _ from: Int?, _ to: Int?, _ detail: String, _ notes: [String]
    ) {
        steps.append(Plan.Step(
            index: steps.count, phase: phase, anchor: anchor, offsetSeconds: SaturatingArithmetic.seconds(offset), due: due,
            action: action, target: target, from: from, to: to, detail: detail, notes: notes
        ))
    }

    /// Latest a step may be planned after its anchor (100 years): the loaders allow far less, and a due date this
    /// far out still formats and compares normally.
    static let maxOffsetSeconds = 3_155_760_000

    static func requested(_ change: Action.ScaleChange, current: Int, bounds: Target.Bounds?) -> Int {
        switch change {
        case .to(let value): return value
        case .toMax: return bounds?.ceiling ?? current
        case .toFloor: return bounds?.floor ?? current
        case .by(let delta): return SaturatingArithmetic.add(current, delta)
        case .factor(let factor): return SaturatingArithmetic.roundedUp(Double(current) * factor)
        }
    }
}
