import Foundation
import ResponderCore

/// What every ``EventStore`` must do with occurrences of a schedule and with changes to an event whose run started,
/// run against the SQLite journal and PostgreSQL alike; returns what did not hold (empty when all did).
public enum EventStoreContract {
    /// An occurrence is stored once (a second schedule of it names the first, cancelled or not); a move or a
    /// cancellation of a prepared event becomes due again until its update is journaled, once, at its revision.
    public static func occurrencesAndUpdates(_ store: any EventStore, now: Date) async throws -> [String] {
        var failures: [String] = []
        func expect(_ condition: Bool, _ what: String) { if !condition { failures.append(what) } }
        let accept: @Sendable (EventDraft) -> Result<Date, EventProblem> = { .success($0.start.addingTimeInterval(-3600)) }
        let start = now.addingTimeInterval(7200)
        let occurrence = EventDraft(playbook: "launch", name: "nightly", start: start, end: start.addingTimeInterval(3600),
                                    timeZone: "UTC", scheduledBy: EventSchedule.scheduledBy, occurrence: "2026-01-01T02:00 UTC")
        let first = try await store.scheduleEvent(occurrence, at: now) { _ in accept(occurrence) }.get()
        expect(first.occurrence == "2026-01-01T02:00 UTC", "the occurrence is stored with the event")
        let again = try await store.scheduleEvent(occurrence, at: now) { _ in accept(occurrence) }
        expect(again == .failure(.alreadyScheduled(first.id)), "a second schedule of an occurrence names the first: \(again)")
        _ = try await store.cancelEvent(id: first.id, by: "alice", mode: .ladder, at: now)
        let cancelled = try await store.scheduleEvent(occurrence, at: now) { _ in accept(occurrence) }
        expect(cancelled == .failure(.alreadyScheduled(first.id)), "a cancelled occurrence is not created again: \(cancelled)")

        let draft = EventDraft(playbook: "launch", name: "launch", start: start.addingTimeInterval(86_400),
                               end: start.addingTimeInterval(90_000), scheduledBy: "bob")
        let event = try await store.scheduleEvent(draft, at: now) { _ in accept(draft) }.get()
        let prepareTime = event.prepareAt
        expect(try await store.prepareEvent(event, alert: EventAlert.alert(for: event), at: prepareTime), "prepared")
        let prepared = try await store.event(id: event.id)
        expect(prepared?.preparedRevision == 1 && prepared?.runNeedsUpdate == false, "prepared at revision 1: \(String(describing: prepared))")
        expect(try await store.dueEvents(at: prepareTime, limit: 10).isEmpty, "nothing due once prepared")

        let newEnd = draft.end.addingTimeInterval(3600)
        let moved = try await store.moveEvent(id: event.id, start: draft.start, end: newEnd, timeZone: nil, at: prepareTime) { stored, _ in
            .success(stored.prepareAt)
        }
        let movedEvent = try moved?.get()
        expect(movedEvent?.revision == 2 && movedEvent?.runNeedsUpdate == true, "a move of a started event waits to tell its run")
        expect(try await store.dueEvents(at: prepareTime, limit: 10).map(\.id) == [event.id], "the update is due at once")
        expect(try await store.nextEventPreparation().map { $0 <= prepareTime } == true, "and the driver is told to tick now")
        guard let movedEvent else { return failures + ["the move was refused"] }
        let update = EventAlert.alert(for: movedEvent)
        expect(update.annotations[EventAlert.changeAnnotation]?.contains("moved (revision 2)") == true, "the update says what changed")
        expect(try await store.prepareEvent(movedEvent, alert: update, at: prepareTime), "the update is journaled")
        expect(try await !store.prepareEvent(movedEvent, alert: update, at: prepareTime), "once")
        expect(try await store.dueEvents(at: prepareTime, limit: 10).isEmpty, "nothing due once told")

        let ended = try await store.cancelEvent(id: event.id, by: "carol", mode: .abort, at: prepareTime)
        expect(ended?.revision == 3 && ended?.cancelMode == .abort && ended?.runNeedsUpdate == true,
               "a cancellation of a started event is a revision its run is told of: \(String(describing: ended))")
        if let ended {
            expect(try await store.prepareEvent(ended, alert: nil, at: prepareTime), "an abort is marked told without an alert")
        }
        expect(try await store.event(id: event.id)?.preparedRevision == 3, "told at revision 3")
        return failures
    }
}
