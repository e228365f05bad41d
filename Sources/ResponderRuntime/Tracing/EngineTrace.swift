import ResponderCore
import ResponderTracing
import Tracing

/// How one run transaction of ``RunCoordinator`` is traced. The span is made once the transaction has committed,
/// dated from when it began, so a timer pass that changed nothing leaves no span.
///
/// - Alerts read back from the journal continue the trace of the delivery that brought the first of them (other
///   deliveries of the batch are links), when this process took that delivery and still remembers it.
/// - A command or a step result continues the current trace (the Slack action's delivery, the step's span).
/// - A timer pass starts a new trace, linked to the trace of each run it moved whose start this process remembers;
///   after a restart nothing is remembered and the new trace stands alone.
struct EngineTrace: Sendable {
    /// The span's name.
    var name: String
    /// The parent context; nil continues the current one.
    var parent: ServiceContext?
    /// Contexts the span links to.
    var links: [ServiceContext] = []
    /// False for a timer pass: a span only when it did something.
    var always = true
    /// Whether the span's context is remembered for the runs it touched (a timer pass later links to it).
    var remembersRuns = false
    /// Attributes known before the transaction.
    var attributes: SpanAttributes = [:]

    /// Most links and run ids recorded on one span.
    static let maxListed = 16

    /// A batch of alerts read back from the journal.
    static func alerts(_ alerts: [NormalizedAlert], memory: TraceMemory) -> EngineTrace {
        var contexts: [ServiceContext] = []
        var seen: Set<String> = []
        for alert in alerts {
            guard let context = memory.context(for: alert.idempotencyKey) else { continue }
            // Alerts of one delivery share its context: one link per delivery is enough.
            let key = TraceHeaders.pairs(context: context).map(\.value).joined(separator: ",")
            if seen.insert(key).inserted { contexts.append(context) }
            if contexts.count > maxListed { break }
        }
        var trace = EngineTrace(name: "engine alerts", parent: contexts.first ?? .topLevel,
                                links: Array(contexts.dropFirst()))
        trace.remembersRuns = true
        trace.attributes["responder.alerts"] = alerts.count
        let names = Array(Set(alerts.compactMap { $0.labels["alertname"] })).sorted().prefix(maxListed)
        if !names.isEmpty { trace.attributes["responder.alert.names"] = Array(names) }
        return trace
    }

    /// A timer pass: a new trace.
    static let tick = EngineTrace(name: "engine tick", parent: .topLevel, always: false)

    /// Work that continues the current trace (`name`: "engine command", "engine step result").
    static func current(_ name: String) -> EngineTrace {
        EngineTrace(name: name, parent: nil)
    }

    /// Starts the span at `begun`, describing `runs` (the runs the transaction wrote), with links to the remembered
    /// contexts of those runs for a timer pass.
    func start(at begun: DefaultTracerClock.Instant, runs: [RunLabel], memory: TraceMemory) -> any Span {
        let span = startSpan(name, context: parent ?? ServiceContext.current ?? .topLevel, at: begun)
        span.attributes.merge(attributes)
        for link in links { span.addLink(SpanLink(context: link, attributes: [:])) }
        if !remembersRuns {
            for run in runs.prefix(Self.maxListed) {
                guard let origin = memory.context(for: run.id) else { continue }
                span.addLink(SpanLink(context: origin, attributes: ["responder.run.id": "\(run.id)"]))
            }
        }
        Self.describe(runs, on: span)
        return span
    }

    /// Records the runs' ids, playbooks, alert names and targets.
    static func describe(_ runs: [RunLabel], on span: any Span) {
        guard !runs.isEmpty else { return }
        let listed = runs.prefix(maxListed)
        if runs.count == 1, let run = runs.first {
            span.attributes["responder.run.id"] = run.id
            span.attributes["responder.playbook"] = run.playbook
            if let name = run.alertName { span.attributes["responder.alert.name"] = name }
        } else {
            span.attributes["responder.run.ids"] = listed.map(\.id)
            span.attributes["responder.playbooks"] = Array(Set(listed.map(\.playbook))).sorted()
        }
        let targets = Array(Set(listed.flatMap(\.targets))).sorted()
        if !targets.isEmpty { span.attributes["responder.targets"] = targets }
    }
}

/// What a span says about a run the transaction wrote.
struct RunLabel: Sendable {
    /// The run's id.
    var id: String
    /// Its playbook.
    var playbook: String
    /// The alert's `alertname`.
    var alertName: String?
    /// The targets it owns.
    var targets: [String]

    /// The label of `run`.
    init(_ run: Run) {
        id = run.id
        playbook = run.playbook
        alertName = run.alertName
        targets = run.targets
    }
}
