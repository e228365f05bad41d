import Foundation

/// Pauses in a simulation, kept as the server's store keeps them: numbered `pause-<n>`, announced once when set,
/// lifted or expired (with the server's words), and handed to the engine, which applies them to every due step.
extension SimulationSession {
    /// `pause:` at the virtual now.
    mutating func setPause(_ order: Scenario.PauseOrder) {
        let request = order.request(at: clock)
        let pause = Pause(id: "pause-\(pauses.count + 1)", request: request)
        pauses.append(pause)
        append(.notify(runID: nil, message: PauseAnnouncement.set(pause)))
        engine.guardrails.pauses = pauses.filter { $0.liftedAt == nil }
        process(engine.handle(.tick, now: clock))
    }

    /// `unpause:` at the virtual now: every pause in force the selection picks; a selection that picks none is a
    /// problem of the scenario (the server answers 404).
    mutating func liftPauses(_ selection: PauseSelection, actor: String, line: Int) {
        var lifted: Set<String> = []
        for index in pauses.indices where pauses[index].isActive(at: clock) && selection.picks(pauses[index]) {
            pauses[index].liftedAt = clock
            pauses[index].liftedBy = actor
            append(.notify(runID: nil, message: PauseAnnouncement.lifted(pauses[index], by: actor, at: clock)))
            lifted.insert(pauses[index].id)
        }
        // As the server's driver: the runs a lifted pause stopped look again at once, not at their next re-check.
        for run in engine.openRuns { _ = engine.recheckBlocked(runID: run.id, keys: lifted, now: clock) }
        if lifted.isEmpty {
            problems.append(ScenarioFailure(location: scenario.location(line),
                                            message: "unpause at +\(Duration.seconds(offsetSeconds(clock)).playbookText): no pause in force matches"))
        }
        engine.guardrails.pauses = pauses.filter { $0.liftedAt == nil }
        process(engine.handle(.tick, now: clock))
    }

    /// The earliest expiry of a pause not yet lifted, for the virtual clock to stop at.
    var nextPauseExpiry: Date? {
        pauses.filter { $0.liftedAt == nil }.compactMap(\.until).min()
    }

    /// Pauses whose expiry has come are lifted by `expiry` and announced, as the server's driver does at its tick.
    mutating func expirePauses() {
        for index in pauses.indices where pauses[index].liftedAt == nil {
            guard let until = pauses[index].until, until <= clock else { continue }
            pauses[index].liftedAt = until
            pauses[index].liftedBy = "expiry"
            append(.notify(runID: nil, message: PauseAnnouncement.expired(pauses[index])))
        }
        engine.guardrails.pauses = pauses.filter { $0.liftedAt == nil }
    }
}
