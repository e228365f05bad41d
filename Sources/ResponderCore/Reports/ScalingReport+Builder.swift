import Foundation

extension ScalingReport {
    /// The report of `run`. `now` is the time of the report while the run is open (levels and waits still going are
    /// counted up to it); without it, an open run is described up to the last thing it recorded. An ended run is
    /// described up to its end whatever `now` says.
    public init(run: Run, now: Date? = nil) {
        let ended = !run.isOpen
        let asOf = Self.asOf(run, now: now)
        runID = run.id
        playbook = run.playbook
        kind = run.kind.rawValue
        alert = run.alertName
        status = run.status.rawValue
        closing = run.isOpen ? run.closing?.rawValue : nil
        state = Self.state(run)
        self.ended = ended
        startedAt = run.startedAt
        endedAt = run.endedAt
        self.asOf = asOf
        durationSeconds = Self.seconds(from: run.startedAt, to: asOf)
        dryRun = run.dryRun
        let actions = run.history.compactMap(Self.personAction)
        people = actions
        acknowledgedBy = run.acknowledgedBy ?? actions.last { $0.action == "acknowledged" }?.actor
        changes = Self.finishedOrder(run.steps.filter { $0.status == .done && Self.changesSomething($0) }).map {
            Self.change($0, run: run, people: actions)
        }
        targets = Self.targetLevels(run, asOf: asOf)
        checks = run.steps.compactMap { step in
            step.wait.map { wait in
                CheckWait(step: step.index, target: step.target, check: wait.last.check, since: wait.since, until: wait.until,
                          waiting: wait.until == nil, heldSeconds: Self.seconds(from: wait.since, to: wait.until ?? asOf),
                          readings: wait.checks, lastReason: wait.last.reason, lastValue: wait.last.value.flatMap { $0.isFinite ? $0 : nil })
            }
        }
        undo = run.steps.filter { $0.phase == .undo }.map {
            UndoOutcome(step: $0.index, undoes: $0.undoes, target: $0.target, action: $0.detail, status: $0.status.rawValue,
                        outcome: $0.outcome, finishedAt: $0.finishedAt)
        }
        problems = run.steps.filter { $0.phase != .undo && [.failed, .skipped, .cancelled].contains($0.status) }.map {
            StepProblem(step: $0.index, phase: $0.phase.rawValue, target: $0.target, action: $0.detail,
                        status: $0.status.rawValue, outcome: $0.outcome)
        }
    }

    /// Seconds from `start` to `end`, never negative, never trapping (dates may be far apart, or NaN-like).
    public static func seconds(from start: Date, to end: Date) -> Int {
        max(0, Int(saturating: end.timeIntervalSince(start)))
    }

    /// `completed`, `active`, `held`, or `ending (undo running)` while undo steps run.
    static func state(_ run: Run) -> String {
        if run.isOpen, let closing = run.closing {
            return "ending (undo running\(closing == .completed ? "" : ", then \(closing.rawValue)"))"
        }
        return run.status.rawValue
    }

    /// The end, else `now`, else the last instant the run recorded (never before its start).
    private static func asOf(_ run: Run, now: Date?) -> Date {
        if let end = run.endedAt, !run.isOpen { return max(end, run.startedAt) }
        if let now { return max(now, run.startedAt) }
        let recorded = run.history.map(\.at) + run.steps.compactMap(\.finishedAt) + run.steps.compactMap { $0.wait?.lastChecked }
        return max(recorded.max() ?? run.startedAt, run.startedAt)
    }

    /// What a history line says a person did: `acknowledged by alice`, `held by bob: no step fires…`,
    /// `aborted by carol while undoing: …`; nil for other lines and for lines naming nobody.
    public static func personAction(_ event: RunEvent) -> PersonAction? {
        for action in ["acknowledged", "held", "resumed", "aborted"] {
            let prefix = action + " by "
            guard event.message.hasPrefix(prefix) else { continue }
            guard let actor = actor(in: event.message.dropFirst(prefix.count)) else { return nil }
            return PersonAction(at: event.at, action: action, actor: actor)
        }
        return nil
    }

    /// The actor's name: up to the first `:` or `;` (what the engine writes after it), without ` while undoing`.
    static func actor(in text: Substring) -> String? {
        var name = text.prefix { $0 != ":" && $0 != ";" }
        if name.hasSuffix(" while undoing") { name = name.dropLast(" while undoing".count) }
        let trimmed = name.trimmingCharacters(in: .whitespacesAndNewlines)
        return trimmed.isEmpty ? nil : trimmed
    }

    /// Whether a done step changed something (a `notify` only tells people; a scale to the count it had is a no-op).
    private static func changesSomething(_ step: RunStep) -> Bool {
        if case .action(.notify) = step.work { return false }
        if isScale(step), let from = step.from, from == step.to { return false }
        return true
    }

    /// Whether a step sets a replica count.
    static func isScale(_ step: RunStep) -> Bool {
        if case .action(.scale) = step.work { return step.target != nil }
        return false
    }

    /// Steps in the order they finished (unfinished last), ties by index.
    private static func finishedOrder(_ steps: [RunStep]) -> [RunStep] {
        steps.sorted { lhs, rhs in
            switch (lhs.finishedAt, rhs.finishedAt) {
            case let (l?, r?) where l != r: return l < r
            case (nil, _?): return false
            case (_?, nil): return true
            default: return lhs.index < rhs.index
            }
        }
    }

    private static func change(_ step: RunStep, run: Run, people: [PersonAction]) -> Change {
        let at = step.finishedAt ?? step.startedAt ?? run.startedAt
        var by = "responder" + (run.alertName.map { " (alert \($0))" } ?? "")
        if step.acknowledged {
            let ack = people.last { $0.action == "acknowledged" && $0.at <= at }?.actor ?? run.acknowledgedBy
            by = ack.map { "\($0) (acknowledged)" } ?? "acknowledged"
        }
        let scale = isScale(step)
        return Change(at: at, step: step.index, phase: step.phase.rawValue, target: step.target, action: step.detail,
                      from: scale ? step.from : nil, to: scale ? step.to : nil, by: by, outcome: step.outcome)
    }

    private static func targetLevels(_ run: Run, asOf: Date) -> [TargetLevels] {
        let scaleSteps = run.steps.filter(isScale)
        let names = Set(scaleSteps.compactMap(\.target)).sorted()
        return names.map { name in
            let own = scaleSteps.filter { $0.target == name }
            let initial = own.first { $0.from != nil }?.from
            let done = finishedOrder(own.filter { $0.status == .done && $0.to != nil && $0.finishedAt != nil })
            var levels: [Level] = []
            for (position, step) in done.enumerated() {
                guard let replicas = step.to, let since = step.finishedAt else { continue }
                let until = position + 1 < done.count ? done[position + 1].finishedAt : nil
                if let last = levels.last, last.replicas == replicas {
                    // A step to the count the target already had: the same level goes on.
                    levels[levels.count - 1].until = until
                    levels[levels.count - 1].seconds = seconds(from: last.since, to: until ?? max(asOf, last.since))
                    continue
                }
                levels.append(Level(replicas: replicas, since: since, until: until,
                                    seconds: seconds(from: since, to: until ?? max(asOf, since))))
            }
            let counts = (initial.map { [$0] } ?? []) + levels.map(\.replicas)
            return TargetLevels(target: name, initial: initial, peak: counts.max(), final: levels.last?.replicas ?? initial,
                                levels: levels)
        }
    }
}
