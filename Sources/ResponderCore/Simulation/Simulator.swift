import Foundation

/// Runs a ``Scenario`` through ``RunEngine`` on a virtual clock: events in time order, and between them straight to
/// the next due time (it never sleeps): the engine's `nextDue`, a scheduled event's preparation, or the moment a
/// recurring schedule's next occurrence becomes an event. A dry-run executor's outcome is fed back at the same
/// instant. Pure: no I/O, no wall clock; the same scenario and playbooks give the same result every time.
public enum Simulator {
    /// Runs `scenario` against `playbooks` and checks its expectations.
    public static func run(_ scenario: Scenario, playbooks: PlaybookSet, settings: EngineSettings = EngineSettings()) -> SimulationResult {
        var session = SimulationSession(scenario: scenario, playbooks: playbooks, settings: settings)
        let problems = ScenarioReferences.problems(in: scenario, playbooks: playbooks)
        if problems.isEmpty {
            session.run()
        }
        let runs = session.runs.values.sorted { runNumber($0.id) < runNumber($1.id) }
        var result = SimulationResult(
            scenario: scenario, timeline: session.timeline, runs: runs, finalReplicas: session.world.replicas,
            touchedTargets: [], checks: [], problems: problems + session.problems
        )
        if problems.isEmpty {
            let expected = scenario.expect.map { ExpectationChecker(scenario: scenario, result: result).check($0) } ?? []
            // Sorted by line so the results read top to bottom like the file, whatever part of `expect:` (or which
            // event's `refused:`) they check.
            result.checks = (session.checks + expected).enumerated()
                .sorted { ($0.element.location.line, $0.offset) < ($1.element.location.line, $1.offset) }.map(\.element)
        }
        var touched = Set(session.world.changed)
        touched.formUnion(scenario.replicas.map(\.target))
        touched.formUnion(scenario.expect?.finalReplicas.map(\.target) ?? [])
        result.touchedTargets = touched.filter { playbooks.targets[$0] != nil }.sorted()
        return result
    }

    /// `run-12` → 12, for ordering runs as they started.
    static func runNumber(_ id: String) -> Int {
        Int(id.split(separator: "-").last ?? "") ?? 0
    }
}

/// One simulation in progress.
struct SimulationSession {
    /// Steps handed out at one instant before the simulation gives up: far more than any playbook has, so only an
    /// engine that keeps handing out work without time passing reaches it.
    static let maxEffectsPerInstant = 10_000

    /// The scenario being run.
    let scenario: Scenario
    /// The playbook set every alert is planned against.
    let playbooks: PlaybookSet
    /// The engine's settings (the grace after which an event's preparation is late).
    let settings: EngineSettings
    /// The playbooks whose recurring schedules run in this scenario (all of them unless it says `schedules:`).
    let scheduled: PlaybookSet
    /// What autoscalers want, by target.
    let desired: [String: Int]
    /// The real run engine.
    var engine: RunEngine
    /// The dry-run executor and its replica counts.
    var world: SimulatedWorld
    /// Virtual now.
    var clock: Date
    /// What happened so far.
    var timeline: [SimulationEntry] = []
    /// Every run ever started, as last changed (ended runs are kept here after the engine forgets them).
    var runs: [String: Run] = [:]
    /// What kept the scenario from running as written.
    var problems: [ScenarioFailure] = []
    /// The alerts delivered, by fingerprint: the last firing one (the labels a run matched), else the last one, as
    /// the server's store reads a run's alert.
    var alerts: [String: NormalizedAlert] = [:]
    /// The scheduled events, as the server's event store keeps them.
    var book = EventBook()
    /// The `refused:` of the scenario's event items, checked.
    var checks: [ScenarioCheck] = []
    /// Occurrences of recurring schedules the rules refused, with why: the driver asks again at every pass, the
    /// timeline says so once per reason.
    var refusedOccurrences: Set<String> = []
    /// Every pause set, lifted or not, in the order set.
    var pauses: [Pause] = []
    private(set) var stalled = false

    /// A session at the scenario's start, every target at its floor unless the scenario says otherwise.
    init(scenario: Scenario, playbooks: PlaybookSet, settings: EngineSettings) {
        self.scenario = scenario
        self.playbooks = playbooks
        self.settings = settings
        let chosen = scenario.schedules.map(Set.init)
        scheduled = PlaybookSet(targets: playbooks.targets, playbooks: playbooks.playbooks.filter { playbook in
            playbook.schedule != nil && chosen.map { $0.contains(playbook.name) } ?? true
        }, files: playbooks.files)
        desired = Dictionary(scenario.autoscalerDesired.map { ($0.target, $0.value) }, uniquingKeysWith: { _, last in last })
        var engineSettings = settings
        engineSettings.limits = scenario.limits ?? settings.limits
        engine = RunEngine(runs: [], settings: engineSettings)
        world = SimulatedWorld(targets: playbooks.targets,
                               replicas: Dictionary(scenario.replicas.map { ($0.target, $0.value) }, uniquingKeysWith: { _, last in last }))
        clock = scenario.start
    }

    /// Events in time order (stable for equal offsets), each after everything due at or before it. The server starts
    /// at the scenario's start: its first tick turns the recurring schedules into events at once.
    mutating func run() {
        let events = scenario.events.enumerated().sorted { ($0.element.at, $0.offset) < ($1.element.at, $1.offset) }.map(\.element)
        let end = scenario.end
        driverPass()
        for event in events where !stalled {
            let time = scenario.start.addingTimeInterval(event.at.timeInterval)
            guard time <= end else { break }
            advance(to: time)
            clock = max(clock, time)
            switch event.action {
            case .alerts(let delivery): deliver(delivery)
            case .command(let command): apply(command, line: event.line)
            case .schedule(let item): schedule(item, line: event.line)
            case .moveEvent(let item): move(item, line: event.line)
            case .cancelEvent(let item): cancel(item, line: event.line)
            case .pause(let order): setPause(order)
            case .unpause(let selection, let actor): liftPauses(selection, actor: actor, line: event.line)
            }
        }
        advance(to: end)
        clock = max(clock, end)
    }

    /// Jumps from due time to due time up to `limit`, firing what is due at each: the engine's steps first, then the
    /// run driver's work on scheduled events, in the order of the server's tick.
    private mutating func advance(to limit: Date) {
        while !stalled {
            let step = engine.nextDue
            let eventWork = nextEventWork(through: limit)
            guard let due = [step, eventWork, nextPauseExpiry].compactMap({ $0 }).min(), due <= limit else { return }
            clock = max(clock, due)
            // As the server's tick: expired pauses are marked (and announced) before the steps they stopped run.
            expirePauses()
            if let step, step <= clock {
                process(engine.handle(.tick, now: clock))
                if let next = engine.nextDue, next <= step {
                    // A due time that does not move after its tick would loop forever: report it instead.
                    stall("the engine kept step(s) due at \(RFC3339.format(next)) without firing them")
                }
            }
            driverPass()
        }
    }

    /// Delivers the alerts of a scenario's `fire` or `resolve` at the virtual now.
    private mutating func deliver(_ delivery: Scenario.AlertDelivery) {
        for var alert in delivery.alerts where !stalled {
            alert.status = delivery.status
            if delivery.status == .firing {
                alert.startsAt = clock
                alert.endsAt = nil
            } else {
                alert.endsAt = clock
            }
            deliver(alert, origin: delivery.origin)
        }
    }

    /// Hands one alert to the engine as the ingest loop does, and records it.
    mutating func deliver(_ alert: NormalizedAlert, origin: String) {
        if alert.status == .firing || alerts[alert.fingerprint]?.status != .firing {
            alerts[alert.fingerprint] = alert
        }
        let matched = playbooks.playbooks.filter { PlaybookMatching.evaluate($0, alert: alert).matched }.map(\.name)
        append(.alert(SimulatedAlert(
            status: alert.status, name: alert.labels["alertname"] ?? alert.fingerprint, source: alert.source,
            fingerprint: alert.fingerprint, origin: origin, matched: matched
        )))
        process(engine.handle(.alert(alert, playbooks: playbooks, replicas: world.replicas, autoscalerDesired: desired), now: clock))
    }

    private mutating func apply(_ person: Scenario.PersonCommand, line: Int) {
        let candidates = runs.values.filter { $0.playbook == person.playbook }
        let open = engine.openRuns.filter { $0.playbook == person.playbook }.max { Simulator.runNumber($0.id) < Simulator.runNumber($1.id) }
        let latest = candidates.max { Simulator.runNumber($0.id) < Simulator.runNumber($1.id) }
        var entry = SimulatedCommand(command: person.command, playbook: person.playbook, actor: person.actor,
                                     runID: (open ?? latest)?.id, refused: nil)
        guard let run = open ?? latest else {
            entry.refused = "no run of playbook \(person.playbook) has started"
            append(.command(entry))
            refuse(entry, line: line)
            return
        }
        do {
            let effects = try engine.apply(person.command, to: run.id, actor: person.actor, now: clock)
            append(.command(entry))
            process(effects + engine.handle(.tick, now: clock))
        } catch {
            entry.refused = error.description
            append(.command(entry))
            refuse(entry, line: line)
        }
    }

    private mutating func refuse(_ command: SimulatedCommand, line: Int) {
        let offset = "+\(Duration.seconds(offsetSeconds(clock)).playbookText)"
        problems.append(ScenarioFailure(location: scenario.location(line),
                                        message: "\(command.command.rawValue) of \(command.playbook) at \(offset) refused: \(command.refused ?? "")"))
    }

    /// Records effects in the interpreter's order; a step's outcome is fed back at once.
    mutating func process(_ effects: [EngineEffect]) {
        capture()
        guard !stalled else { return }
        if !EffectInterpreter.run(effects, on: &self, limit: Self.maxEffectsPerInstant) {
            stall("more than \(Self.maxEffectsPerInstant) effects at one instant")
        }
    }

    private mutating func capture() {
        for run in engine.drainChanged() { runs[run.id] = run }
    }

    /// Adds a timeline entry at the virtual now.
    mutating func append(_ kind: SimulationEntry.Kind) {
        timeline.append(SimulationEntry(at: clock, offsetSeconds: offsetSeconds(clock), kind: kind))
    }

    /// Stops the simulation with a problem (something would loop forever).
    mutating func stall(_ message: String) {
        stalled = true
        problems.append(ScenarioFailure(location: scenario.location(0),
                                        message: "simulation stopped at +\(Duration.seconds(offsetSeconds(clock)).playbookText): \(message)"))
    }

    /// Whole seconds from the scenario's start to `date`.
    func offsetSeconds(_ date: Date) -> Int {
        Int(date.timeIntervalSince(scenario.start).rounded())
    }
}

extension SimulationSession: EffectHandler {
    /// Records the notification in the timeline.
    mutating func notify(runID: String?, message: String) {
        append(.notify(runID: runID, message: message))
    }

    /// Runs the step against the simulated world (the same rendering as a dry run) and records it.
    mutating func execute(runID: String, step: RunStep, snapshot: [String: String], dryRun: Bool) -> StepResult? {
        let template = runs[runID].flatMap { run in
            alerts[run.alertFingerprint].map { AlertTemplate(alert: $0, playbook: run.playbook) }
        }
        if let checks = step.checks, !checks.isEmpty {
            let readings = checks.map { check in
                (check, readMetric(check, from: check.readingStart(at: clock)))
            }
            if case .waits(let wait) = GateDecision.decide(readings, now: clock) { return .waiting(wait) }
        }
        let outcome = world.execute(step, snapshot: snapshot, template: template)
        append(.step(SimulatedStep(
            runID: runID, playbook: runs[runID]?.playbook ?? "", index: step.index, phase: step.phase,
            action: step.work.kindName, target: step.target, from: outcome.from, to: outcome.to, due: step.due,
            detail: step.detail, outcome: outcome.outcome, summary: outcome.summary
        )))
        return outcome.result
    }

    /// What the scenario's `metrics:` say about `check` from `start` to now; a check without a series cannot be
    /// evaluated, as a server whose Prometheus has no such series.
    func readMetric(_ check: LoadCheck, from start: Date) -> MetricReading {
        guard let series = scenario.metrics.first(where: { $0.check == check.name }) else {
            return .unavailable("the scenario gives no metrics: series for \"\(check.name)\"")
        }
        return series.reading(for: check, from: start, to: clock, origin: scenario.start)
    }

    /// Feeds the outcome back at the same instant.
    mutating func finished(runID: String, step: Int, result: StepResult) -> [EngineEffect] {
        let next = engine.handle(.stepFinished(runID: runID, step: step, result: result), now: clock)
        capture()
        return next
    }
}
