import Foundation

/// Scheduled events in a simulation: the scenario's `schedule`, `move_event` and `cancel_event` items applied as the
/// events API applies them, and at every instant the run driver's pass of `responder serve` (recurring schedules become
/// events, due events are prepared or missed, runs are told of moves and cancellations), with the same functions:
/// ``EventSchedule``, ``EventRules``, ``EventPreparation`` and ``EventAlert``, the alert handed to the engine.
extension SimulationSession {
    /// When the driver next has work, up to `limit`: an event's preparation (now, when a run waits to be told of a
    /// change), or the moment a recurring schedule's next occurrence becomes an event.
    func nextEventWork(through limit: Date) -> Date? {
        let preparation = book.nextPreparation.map { max($0, clock) }
        let occurrence = EventSchedule.nextDraftTime(for: scheduled, after: clock, through: limit)
        return [preparation, occurrence].compactMap { $0 }.min()
    }

    /// The driver's pass at the virtual now, in the order of its tick: occurrences, then due events.
    mutating func driverPass() {
        guard !stalled else { return }
        scheduleOccurrences()
        prepareDueEvents()
        if let next = book.nextPreparation, next <= clock {
            stall("scheduled event(s) stayed due at \(RFC3339.format(clock)) after the driver's pass")
        }
    }

    /// `schedule:` at the virtual now, then what it makes due now.
    mutating func schedule(_ item: Scenario.EventScheduling, line: Int) {
        let draft = item.draft
        let what = "schedule of \"\(draft.name)\" (\(draft.playbook))"
        switch book.schedule(draft, playbooks: playbooks, now: clock) {
        case .success(let event):
            record(.scheduled, event, EventAnnouncement.text(.scheduled, event))
            accepted(what, expected: item.refused, line: line)
        case .failure(let problem):
            refused(what, why: problem.description, eventID: nil, name: draft.name, playbook: draft.playbook,
                    expected: item.refused, line: line)
        }
        driverPass()
    }

    /// `move_event:` at the virtual now: a time not given stays as it is.
    mutating func move(_ item: Scenario.EventMove, line: Int) {
        guard let event = known(item.event, line: line) else { return }
        let what = "move of \(event.id) \"\(event.name)\""
        switch book.move(id: event.id, start: item.start ?? event.start, end: item.end ?? event.end, timeZone: item.timeZone,
                         playbooks: playbooks, now: clock) {
        case .success(let moved)?:
            record(.moved, moved, EventAnnouncement.text(.moved, moved))
            accepted(what, expected: item.refused, line: line)
        case .failure(let problem)?:
            refused(what, why: problem.description, eventID: event.id, name: event.name, playbook: event.playbook,
                    expected: item.refused, line: line)
        case nil:
            return
        }
        driverPass()
    }

    /// `cancel_event:` at the virtual now; a second cancel is refused, as the events API refuses it.
    mutating func cancel(_ item: Scenario.EventCancellation, line: Int) {
        guard let event = known(item.event, line: line) else { return }
        let what = "cancel of \(event.id) \"\(event.name)\""
        guard event.cancelledAt == nil, let cancelled = book.cancel(id: event.id, by: item.actor, mode: item.mode, now: clock) else {
            refused(what, why: "event \(event.id) was already cancelled", eventID: event.id, name: event.name,
                    playbook: event.playbook, expected: item.refused, line: line)
            return
        }
        record(.cancelled, cancelled, EventAnnouncement.text(.cancelled(runStarted: cancelled.preparedAt != nil), cancelled))
        accepted(what, expected: item.refused, line: line)
        driverPass()
    }

    /// The occurrences the recurring schedules ask for now, each created once; a refused one is asked for again at
    /// every pass, as the server's driver does, and shown once per reason.
    private mutating func scheduleOccurrences() {
        let drafts = EventSchedule.drafts(for: scheduled, now: clock)
        for (draft, outcome) in book.scheduleOccurrences(drafts, playbooks: playbooks, now: clock) {
            switch outcome {
            case .success(let event):
                record(.scheduled, event, EventAnnouncement.text(.scheduled, event))
            case .failure(let problem):
                guard refusedOccurrences.insert("\(draft.playbook) \(draft.occurrence ?? "") \(problem)").inserted else { continue }
                append(.event(SimulatedEvent(
                    change: .refused, eventID: nil, name: draft.name, playbook: draft.playbook,
                    message: "occurrence \"\(draft.name)\" of \(draft.playbook)'s schedule not scheduled: \(problem)"
                )))
            }
        }
    }

    /// Each due event as the driver's `prepareEvents` handles it (``EventPreparation``): its alert to the engine, missed,
    /// or its run aborted.
    private mutating func prepareDueEvents() {
        for event in book.due(at: clock) where !stalled {
            switch EventPreparation.decide(event, playbooks: playbooks, now: clock, grace: settings.missedDeadlineGrace) {
            case .prepare(let late):
                guard book.markPrepared(event, at: clock) else { continue }
                if !event.runNeedsUpdate {
                    record(.preparing, event, EventAnnouncement.text(.preparing(late: late), event))
                }
                deliver(EventAlert.alert(for: event), origin: "\(event.id) revision \(event.revision)")
            case .miss(let why):
                guard let missed = book.cancel(id: event.id, by: EventPreparation.missedBy, mode: .ladder, now: clock),
                      missed.cancelledBy == EventPreparation.missedBy else { continue }
                record(.missed, missed, EventAnnouncement.text(.missed(why), event))
            case .abortRun:
                guard book.markPrepared(event, at: clock) else { continue }
                for run in engine.openRuns where run.alertFingerprint == EventAlert.fingerprint(event.id) {
                    do {
                        process(try engine.apply(.abort, to: run.id, actor: event.cancelledBy ?? "event cancelled", now: clock))
                    } catch {
                        problems.append(ScenarioFailure(location: scenario.location(0), message: "the run \(run.id) of "
                            + "cancelled event \(event.id) was not aborted at \(offsetText): \(error.description)"))
                    }
                }
            }
        }
    }

    /// The event the scenario calls `name`; a problem at `line` when none has that name yet.
    private mutating func known(_ name: String, line: Int) -> ScheduledEvent? {
        if let event = book.event(named: name) { return event }
        let names = book.events.map { "\"\($0.name)\"" }
        problems.append(ScenarioFailure(location: scenario.location(line), message: "no event named \"\(name)\" has been "
            + "scheduled by \(offsetText) (events: \(names.isEmpty ? "none" : names.joined(separator: ", ")))"))
        return nil
    }

    /// A timeline line about `event`.
    private mutating func record(_ change: SimulatedEvent.Change, _ event: ScheduledEvent, _ message: String) {
        append(.event(SimulatedEvent(change: change, eventID: event.id, name: event.name, playbook: event.playbook, message: message)))
    }

    /// A change the scenario made was accepted: a failed check when it said `refused:`.
    private mutating func accepted(_ what: String, expected: String?, line: Int) {
        guard let expected else { return }
        checks.append(ScenarioCheck(location: scenario.location(line), expectation: "\(what) refused (\"\(expected)\")",
                                    failure: "it was accepted at \(offsetText)"))
    }

    /// A change the scenario made was refused: a timeline line, and a problem unless `refused:` expected it.
    private mutating func refused(_ what: String, why: String, eventID: String?, name: String, playbook: String,
                                  expected: String?, line: Int) {
        append(.event(SimulatedEvent(change: .refused, eventID: eventID, name: name, playbook: playbook,
                                     message: "\(what) refused: \(why)")))
        guard let expected else {
            problems.append(ScenarioFailure(location: scenario.location(line), message: "\(what) at \(offsetText) refused: \(why)"))
            return
        }
        checks.append(ScenarioCheck(location: scenario.location(line), expectation: "\(what) refused (\"\(expected)\")",
                                    failure: why.contains(expected) ? nil : "refused for another reason: \(why)"))
    }

    /// `+1h15m`: the virtual now as an offset from the start.
    private var offsetText: String {
        "+\(Duration.seconds(offsetSeconds(clock)).playbookText)"
    }
}
