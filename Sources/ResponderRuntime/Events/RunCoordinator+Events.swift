import Foundation
import Logging
import ResponderCore

/// Scheduled events at each tick: the playbooks' recurring schedules become events ahead of time, due events are
/// prepared (their alert journaled, so the run starts through the engine) or recorded as missed, and runs of events
/// moved or cancelled after they started are told. Each change is one store transaction, so replicas and restarts
/// neither skip nor repeat one.
extension RunCoordinator {
    /// How often the recurring schedules are turned into events (and at the first tick, and after a reload).
    static let occurrencePassInterval: TimeInterval = 600
    /// Who cancels an occurrence a changed schedule no longer has.
    static let scheduleChanged = "schedule (changed)"

    /// Creates the events the playbooks' recurring schedules ask for that do not exist yet (``EventSchedule``), after
    /// cancelling future occurrences a changed or removed schedule no longer asks for; an occurrence the rules refuse
    /// (it overlaps another event) is logged and tried again at the next pass.
    func scheduleOccurrences(at now: Date) async {
        let generation = await playbooks.generation
        guard let events, accepting, now >= (nextOccurrencePass ?? .distantPast) || generation != occurrenceGeneration else { return }
        nextOccurrencePass = now.addingTimeInterval(Self.occurrencePassInterval)
        occurrenceGeneration = generation
        guard let set = await playbooks.playbooks else { return }
        let drafts = EventSchedule.drafts(for: set, now: now)
        do {
            let stored = try await events.events(endingAfter: now, limit: 10_000)
            for stale in EventSchedule.stale(stored, playbooks: set, now: now) {
                guard let cancelled = try await events.cancelEvent(id: stale.id, by: Self.scheduleChanged, mode: .ladder, at: now),
                      cancelled.cancelledBy == Self.scheduleChanged else { continue }
                logger.info("an occurrence the playbook's schedule no longer has was cancelled", metadata: [
                    "event": "\(stale.id)", "playbook": "\(stale.playbook)", "occurrence": "\(stale.occurrence ?? "")",
                ])
                await announce(EventAnnouncement.text(.cancelled(runStarted: false), cancelled), eventID: stale.id)
            }
            let existing = Set(stored.compactMap { event in event.occurrence.map { "\(event.playbook) \($0)" } })
            for draft in drafts where !existing.contains("\(draft.playbook) \(draft.occurrence ?? "")") {
                let result = try await events.scheduleEvent(draft, at: now) { others in
                    EventRules.check(draft, playbooks: set, others: others, now: now)
                }
                switch result {
                case .success(let event):
                    logger.info("scheduled an occurrence of a playbook's schedule", metadata: [
                        "event": "\(event.id)", "playbook": "\(event.playbook)", "start": "\(RFC3339.format(event.start))",
                    ])
                    await announce(EventAnnouncement.text(.scheduled, event), eventID: event.id)
                case .failure(.alreadyScheduled):
                    continue
                case .failure(let problem):
                    logger.warning("an occurrence of a playbook's schedule was not scheduled", metadata: [
                        "playbook": "\(draft.playbook)", "occurrence": "\(draft.occurrence ?? "")", "problem": "\(problem)",
                    ])
                }
            }
        } catch {
            nextOccurrencePass = now.addingTimeInterval(5)
            logger.error("recurring schedules not turned into events; retrying shortly", metadata: ["error": "\(error)"])
        }
    }

    /// Prepares each due event (journals its alert, then wakes the ingest loop that starts its run), records missed
    /// ones, and tells started runs of moves and cancellations (``EventPreparation``).
    func prepareEvents(at now: Date) async {
        // Without playbooks (none loaded yet) events wait: they are not missed because of a broken reload.
        guard let events, accepting, let set = await playbooks.playbooks else { return }
        do {
            var journaled = 0
            for event in try await events.dueEvents(at: now, limit: Self.claimBatch) {
                switch EventPreparation.decide(event, playbooks: set, now: now, grace: settings.missedDeadlineGrace) {
                case .prepare(let late):
                    guard try await events.prepareEvent(event, alert: EventAlert.alert(for: event), at: now) else { continue }
                    journaled += 1
                    if event.runNeedsUpdate { continue }
                    logger.info("scheduled event due: its run starts", metadata: [
                        "event": "\(event.id)", "playbook": "\(event.playbook)", "start": "\(RFC3339.format(event.start))",
                    ])
                    await announce(EventAnnouncement.text(.preparing(late: late), event), eventID: event.id)
                case .miss(let why):
                    guard let missed = try await events.cancelEvent(id: event.id, by: EventPreparation.missedBy, mode: .ladder,
                                                                    at: now), missed.cancelledBy == EventPreparation.missedBy
                    else { continue }
                    logger.warning("scheduled event missed", metadata: ["event": "\(event.id)", "why": "\(why)"])
                    await announce(EventAnnouncement.text(.missed(why), event), eventID: event.id)
                case .abortRun:
                    guard try await events.prepareEvent(event, alert: nil, at: now) else { continue }
                    for run in try await store.runs(alertFingerprint: EventAlert.fingerprint(event.id), limit: 5) where run.isOpen {
                        do {
                            try await command(.abort, runID: run.id, actor: event.cancelledBy ?? "event cancelled")
                        } catch {
                            logger.warning("the run of a cancelled event was not aborted", metadata: [
                                "event": "\(event.id)", "run": "\(run.id)", "error": "\(error)",
                            ])
                        }
                    }
                }
            }
            if journaled > 0 { drainWanted.wake() }
        } catch {
            logger.error("scheduled events not prepared; retrying at the next tick", metadata: ["error": "\(error)"])
        }
    }

    /// Queues `text` as a Slack message about event `eventID` (when Slack is configured) and wakes the notification
    /// service; a store that refuses it loses only the message, which is logged.
    public func announce(_ text: String, eventID: String) async {
        logger.info("event announcement", metadata: ["event": "\(eventID)", "text": "\(text)"])
        guard notifier.channels.contains(.slack) else { return }
        let note = OutboundNotification(runID: eventID, channel: .slack, kind: .eventMessage, text: text, createdAt: now)
        do {
            try await store.save([], notifications: [note])
            notificationsQueued()
        } catch {
            logger.error("event announcement not queued", metadata: ["event": "\(eventID)", "error": "\(error)"])
        }
    }
}
