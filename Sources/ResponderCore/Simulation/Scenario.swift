import Foundation

/// A scripted stretch of time: starting replica counts, alerts firing and resolving, people's commands and scheduled
/// events at offsets from the start, and the outcomes it must have. ``Simulator`` runs it against the playbook set it is given, on a
/// virtual clock, with dry-run executors.
public struct Scenario: Sendable, Equatable {
    /// File the scenario was read from, for `file:line: message` failures.
    public var file: String
    /// Name, for people.
    public var name: String
    /// What the scenario shows.
    public var description: String?
    /// Virtual time of offset zero.
    public var start: Date
    /// Offset at which the simulation stops; steps due later never run.
    public var until: Duration
    /// Replica counts at the start; targets not listed start at their floor.
    public var replicas: [Count]
    /// What targets' autoscalers want, passed to every plan.
    public var autoscalerDesired: [Count]
    /// The pre-event playbooks whose recurring `schedule:` runs in the simulation; nil for every one (as the server
    /// runs them all), empty for none.
    public var schedules: [String]?
    /// Line of `schedules:`, where a name the playbooks do not schedule is reported.
    public var schedulesLine: Int
    /// What happens, in time order.
    public var events: [Event]
    /// The outcomes to check; nil when the scenario only shows a timeline.
    public var expect: Expectations?
    /// Values of the load checks' metrics over virtual time (`metrics:`).
    public var metrics: [MetricSeries] = []
    /// The server's `limits:` the scenario runs under (a playbook's own limits apply anyway).
    public var limits: ActionLimits?

    /// Creates a scenario.
    public init(file: String, name: String, description: String? = nil, start: Date, until: Duration,
                replicas: [Count] = [], autoscalerDesired: [Count] = [], schedules: [String]? = nil, schedulesLine: Int = 0,
                events: [Event], expect: Expectations? = nil) {
        self.file = file
        self.name = name
        self.description = description
        self.start = start
        self.until = until
        self.replicas = replicas
        self.autoscalerDesired = autoscalerDesired
        self.schedules = schedules
        self.schedulesLine = schedulesLine
        self.events = events
        self.expect = expect
    }

    /// Virtual time at which the simulation stops.
    public var end: Date { start.addingTimeInterval(until.timeInterval) }

    /// `file:line` of a line of the scenario file.
    public func location(_ line: Int) -> FileLocation { FileLocation(file: file, line: line) }

    /// A replica count of one target, with the line it was written on.
    public struct Count: Sendable, Equatable {
        /// Target name.
        public var target: String
        /// Replicas.
        public var value: Int
        /// Line in the scenario file.
        public var line: Int

        /// Creates a count.
        public init(target: String, value: Int, line: Int) {
            self.target = target
            self.value = value
            self.line = line
        }
    }

    /// Something that happens at an offset from the start.
    public struct Event: Sendable, Equatable {
        /// Offset from the start.
        public var at: Duration
        /// What happens.
        public var action: Action
        /// Line in the scenario file.
        public var line: Int

        /// Creates an event.
        public init(at: Duration, action: Action, line: Int) {
            self.at = at
            self.action = action
            self.line = line
        }

        /// The kinds of event.
        public enum Action: Sendable, Equatable {
            /// Alerts delivered together (one webhook body or alarm message).
            case alerts(AlertDelivery)
            /// A person's command on the latest run of a playbook.
            case command(PersonCommand)
            /// An event scheduled, as through the events API.
            case schedule(EventScheduling)
            /// A scheduled event moved.
            case moveEvent(EventMove)
            /// A scheduled event cancelled.
            case cancelEvent(EventCancellation)
            /// A person pauses automation (`POST /api/pause`).
            case pause(PauseOrder)
            /// A person lifts pauses (`DELETE /api/pause`).
            case unpause(PauseSelection, actor: String)
        }
    }

    /// A pause set in a scenario: lasting `lasts` from the event's time, or until lifted.
    public struct PauseOrder: Sendable, Equatable {
        /// The target it covers; nil for every target.
        public var target: String?
        /// Directions it stops.
        public var direction: PauseDirection
        /// Wait or skip.
        public var mode: PauseMode
        /// Why.
        public var reason: String
        /// Who.
        public var actor: String
        /// How long it lasts; nil until lifted.
        public var lasts: Duration?

        /// Creates an order.
        public init(target: String?, direction: PauseDirection, mode: PauseMode, reason: String, actor: String, lasts: Duration?) {
            self.target = target
            self.direction = direction
            self.mode = mode
            self.reason = reason
            self.actor = actor
            self.lasts = lasts
        }

        /// The request at `now`.
        public func request(at now: Date) -> PauseRequest {
            PauseRequest(target: target, direction: direction, mode: mode, reason: reason, by: actor, since: now,
                         until: lasts.map { now.addingTimeInterval($0.timeInterval) })
        }
    }

    /// Alerts delivered at an event's time, all with the event's status.
    public struct AlertDelivery: Sendable, Equatable {
        /// `firing` or `resolved`; overrides what a sample file says.
        public var status: AlertStatus
        /// The alerts; times are set to the virtual delivery time when delivered.
        public var alerts: [NormalizedAlert]
        /// Where they came from: the file as written in the scenario, or `inline`.
        public var origin: String

        /// Creates a delivery.
        public init(status: AlertStatus, alerts: [NormalizedAlert], origin: String) {
            self.status = status
            self.alerts = alerts
            self.origin = origin
        }
    }

    /// A person acting on "the run of playbook X": its open run, else its latest one.
    public struct PersonCommand: Sendable, Equatable {
        /// ack, hold, resume or abort.
        public var command: RunCommand
        /// Playbook whose run it applies to.
        public var playbook: String
        /// Who acts.
        public var actor: String

        /// Creates a command.
        public init(command: RunCommand, playbook: String, actor: String = "simulator") {
            self.command = command
            self.playbook = playbook
            self.actor = actor
        }
    }

    /// An alert written inline in a scenario. The fingerprint defaults to the one Alertmanager computes from the
    /// labels (with `alertname`), so a firing and its resolve written alike are the same alert.
    public static func inlineAlert(source: AlertSource = .alertmanager, alertname: String, labels: [String: String] = [:],
                                   annotations: [String: String] = [:], fingerprint: String? = nil) -> NormalizedAlert {
        var all = labels
        all["alertname"] = alertname
        let identity = fingerprint ?? AlertmanagerFingerprint.of(all)
        return NormalizedAlert(
            source: source, fingerprint: identity, status: .firing, labels: all, annotations: annotations, startsAt: nil,
            endsAt: nil, generatorURL: nil, groupKey: nil, receiver: nil, idempotencyKey: "scenario:\(identity)"
        )
    }
}
