import Foundation

/// What a simulation did and whether the scenario's expectations hold.
public struct SimulationResult: Sendable, Equatable {
    /// The scenario run.
    public var scenario: Scenario
    /// Everything that happened, in order: alerts, commands, scheduled events, executed steps, notifications.
    public var timeline: [SimulationEntry]
    /// Every run started, in start order, as it stood at the end.
    public var runs: [Run]
    /// Replica counts of every target at the end.
    public var finalReplicas: [String: Int]
    /// Targets the scenario set, changed or checked, sorted: the ones worth showing.
    public var touchedTargets: [String]
    /// One line per expectation checked.
    public var checks: [ScenarioCheck]
    /// What kept the scenario from running as written (unknown names, refused commands).
    public var problems: [ScenarioFailure]

    /// Creates a result.
    public init(scenario: Scenario, timeline: [SimulationEntry], runs: [Run], finalReplicas: [String: Int],
                touchedTargets: [String], checks: [ScenarioCheck], problems: [ScenarioFailure]) {
        self.scenario = scenario
        self.timeline = timeline
        self.runs = runs
        self.finalReplicas = finalReplicas
        self.touchedTargets = touchedTargets
        self.checks = checks
        self.problems = problems
    }

    /// True when nothing went wrong and every expectation holds.
    public var passed: Bool { failures.isEmpty }

    /// Problems, then failed expectations, as `file:line: message`.
    public var failures: [ScenarioFailure] {
        problems + checks.compactMap { check in
            check.failure.map { ScenarioFailure(location: check.location, message: "\(check.expectation): \($0)") }
        }
    }

    /// The scaling report of every run that ended, in start order.
    public var reports: [ScalingReport] {
        runs.filter { !$0.isOpen }.map { ScalingReport(run: $0) }
    }

    /// The executed steps, in order.
    public var steps: [(entry: SimulationEntry, step: SimulatedStep)] {
        timeline.compactMap { entry in
            if case .step(let step) = entry.kind { return (entry, step) }
            return nil
        }
    }

    /// Every message people would see, in order: the engine's notices, the playbooks' `notify` actions and what is
    /// announced about scheduled events.
    public var notifications: [(entry: SimulationEntry, message: String)] {
        timeline.compactMap { entry in
            switch entry.kind {
            case .notify(_, let message): return (entry, message)
            case .step(let step) where step.action == "notify": return (entry, step.detail)
            case .event(let event) where event.announced: return (entry, event.message)
            default: return nil
            }
        }
    }
}

/// One thing that happened at a virtual instant.
public struct SimulationEntry: Sendable, Equatable {
    /// Virtual time.
    public var at: Date
    /// Seconds since the scenario's start.
    public var offsetSeconds: Int
    /// What happened.
    public var kind: Kind

    /// Creates an entry.
    public init(at: Date, offsetSeconds: Int, kind: Kind) {
        self.at = at
        self.offsetSeconds = offsetSeconds
        self.kind = kind
    }

    /// `+1h15m`.
    public var offsetText: String { "+\(Duration.seconds(offsetSeconds).playbookText)" }

    /// The kinds of entry.
    public enum Kind: Sendable, Equatable {
        /// An alert delivered to the engine.
        case alert(SimulatedAlert)
        /// A person's command (applied or refused).
        case command(SimulatedCommand)
        /// A step the engine handed to the dry-run executor.
        case step(SimulatedStep)
        /// A notification the engine sent.
        case notify(runID: String?, message: String)
        /// A scheduled event changed: scheduled, moved, cancelled, prepared, missed, or a change refused.
        case event(SimulatedEvent)
    }
}

/// An alert as delivered.
public struct SimulatedAlert: Sendable, Equatable {
    /// `firing` or `resolved`.
    public var status: AlertStatus
    /// `alertname`, or the fingerprint when it has none.
    public var name: String
    /// Source.
    public var source: AlertSource
    /// Identity.
    public var fingerprint: String
    /// Sample file as written in the scenario, or `inline`.
    public var origin: String
    /// Playbooks it matches.
    public var matched: [String]
}

/// A person's command as applied.
public struct SimulatedCommand: Sendable, Equatable {
    /// The command.
    public var command: RunCommand
    /// Playbook named in the scenario.
    public var playbook: String
    /// Who.
    public var actor: String
    /// Run it applied to, when one was found.
    public var runID: String?
    /// Why it was refused, if it was.
    public var refused: String?
}

/// A step handed to the dry-run executor.
public struct SimulatedStep: Sendable, Equatable {
    /// Run.
    public var runID: String
    /// Playbook of the run.
    public var playbook: String
    /// Step index in the run.
    public var index: Int
    /// `actions` or `ladder`.
    public var phase: Plan.Step.Phase
    /// `scale`, `autoscaler`, `env`, `annotate`, `http`, `command`, `notify` or `restore`.
    public var action: String
    /// Target touched, if any.
    public var target: String?
    /// Replicas before (scale steps), as the simulated world had them.
    public var from: Int?
    /// Replicas after (scale steps).
    public var to: Int?
    /// When it was due; it ran at exactly this time.
    public var due: Date?
    /// The plan's description (a notify step's message).
    public var detail: String
    /// What the dry-run executor reported.
    public var outcome: String
    /// The short form expectations use: `scale api 2 -> 10`, `autoscaler worker min 5 max 20`, `notify`, `restore`.
    public var summary: String

    /// `run-1 scale api 2 -> 10`: a step as `expect.actions` lists it, after its offset.
    public var expectationText: String { "\(runID) \(summary)" }
}

/// One expectation and whether it held.
public struct ScenarioCheck: Sendable, Equatable {
    /// Where the expectation was written.
    public var location: FileLocation
    /// What was expected.
    public var expectation: String
    /// Why it did not hold; nil when it did.
    public var failure: String?

    /// Creates a check.
    public init(location: FileLocation, expectation: String, failure: String? = nil) {
        self.location = location
        self.expectation = expectation
        self.failure = failure
    }

    /// True when the expectation held.
    public var passed: Bool { failure == nil }
}

/// Something wrong with a scenario, at `file:line`.
public struct ScenarioFailure: Sendable, Equatable, CustomStringConvertible {
    /// Where.
    public var location: FileLocation
    /// What.
    public var message: String

    /// Creates a failure.
    public init(location: FileLocation, message: String) {
        self.location = location
        self.message = message
    }

    /// `file:line: message`, or `file: message` without a line.
    public var description: String {
        location.line > 0 ? "\(location): \(message)" : "\(location.file): \(message)"
    }
}
