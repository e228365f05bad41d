import Foundation
import ResponderCore
import ResponderStore
import ResponderTestSupport
import Testing

/// Scheduled events in a real SQLite file: stored, checked in the write transaction, prepared once, moved, cancelled,
/// and still there after the file is opened again.
@Suite("scheduled events in the SQLite journal")
struct EventStoreTests {
    static let now = RunSamples.start

    static func draft(_ name: String, startIn hours: Double, length: Double = 2) -> EventDraft {
        EventDraft(playbook: "launch", name: name, start: now.addingTimeInterval(hours * 3600),
                   end: now.addingTimeInterval((hours + length) * 3600), timeZone: "Europe/Berlin",
                   labels: ["team": "web"], annotations: ["note": "from marketing"], scheduledBy: "alice")
    }

    /// Accepts unless another event overlaps; prepares an hour before the start.
    static let check: @Sendable (EventDraft, [ScheduledEvent]) -> Result<Date, EventProblem> = { draft, others in
        let clashes = others.filter { $0.start < draft.end && draft.start < $0.end }
        if !clashes.isEmpty {
            return .failure(.overlaps(clashes.map { .init(id: $0.id, name: $0.name, start: $0.start, end: $0.end, targets: ["api"]) }))
        }
        return .success(draft.start.addingTimeInterval(-3600))
    }

    @Test("scheduled events get ids, keep every field, and survive reopening the file")
    func scheduleAndReopen() async throws {
        let folder = try TemporaryFolder("events")
        defer { folder.remove() }
        let path = folder.path + "/responder.sqlite"
        let journal = try SQLiteJournal(path: path)
        let first = try await journal.scheduleEvent(Self.draft("launch", startIn: 48), at: Self.now) { Self.check(Self.draft("launch", startIn: 48), $0) }.get()
        let second = try await journal.scheduleEvent(Self.draft("sale", startIn: 24), at: Self.now) { Self.check(Self.draft("sale", startIn: 24), $0) }.get()
        #expect(first.id == "evt-1" && second.id == "evt-2")
        #expect(first.prepareAt == Self.now.addingTimeInterval(47 * 3600))
        #expect(first.labels == ["team": "web"] && first.annotations == ["note": "from marketing"])
        #expect(first.timeZone == "Europe/Berlin" && first.scheduledBy == "alice" && first.revision == 1)

        let reopened = try SQLiteJournal(path: path)
        #expect(try await reopened.event(id: "evt-1") == first)
        #expect(try await reopened.events(endingAfter: Self.now, limit: 10).map(\.id) == ["evt-2", "evt-1"], "soonest first")
        for unknown in ["evt-01", "evt-9", "x", "evt--1", "evt-99999999999999999999"] {
            #expect(try await reopened.event(id: unknown) == nil, "\(unknown)")
        }
        #expect(try await reopened.nextEventPreparation() == second.prepareAt)
    }

    @Test("the check sees the stored events inside the transaction: an overlap is refused and nothing is stored")
    func overlapRefused() async throws {
        let folder = try TemporaryFolder("events")
        defer { folder.remove() }
        let journal = try SQLiteJournal(path: folder.path + "/responder.sqlite")
        _ = try await journal.scheduleEvent(Self.draft("launch", startIn: 48), at: Self.now) { Self.check(Self.draft("launch", startIn: 48), $0) }.get()
        let clash = Self.draft("clash", startIn: 49)
        let refused = try await journal.scheduleEvent(clash, at: Self.now) { Self.check(clash, $0) }
        guard case .failure(.overlaps(let others)) = refused else {
            Issue.record("expected an overlap: \(refused)")
            return
        }
        #expect(others.map(\.id) == ["evt-1"])
        #expect(try await journal.events(endingAfter: nil, limit: 10).count == 1)
    }

    @Test("preparing journals the event's alert once; a moved or cancelled event is not prepared with its old window")
    func prepareOnce() async throws {
        let folder = try TemporaryFolder("events")
        defer { folder.remove() }
        let journal = try SQLiteJournal(path: folder.path + "/responder.sqlite")
        let launch = try await journal.scheduleEvent(Self.draft("launch", startIn: 2), at: Self.now) { Self.check(Self.draft("launch", startIn: 2), $0) }.get()
        let sale = try await journal.scheduleEvent(Self.draft("sale", startIn: 10), at: Self.now) { Self.check(Self.draft("sale", startIn: 10), $0) }.get()
        #expect(try await journal.dueEvents(at: Self.now, limit: 10).isEmpty)
        let due = try await journal.dueEvents(at: Self.now.addingTimeInterval(3600), limit: 10)
        #expect(due.map(\.id) == ["evt-1"])

        #expect(try await journal.prepareEvent(launch, alert: EventAlert.alert(for: launch), at: Self.now.addingTimeInterval(3600)))
        #expect(try await !journal.prepareEvent(launch, alert: EventAlert.alert(for: launch), at: Self.now.addingTimeInterval(3601)),
                "a second replica finds it prepared")
        let alerts = try await journal.recentAlerts(limit: 10)
        #expect(alerts.count == 1 && alerts.first?.alert.source == .event && alerts.first?.alert.fingerprint == "event-evt-1")
        #expect(try await journal.event(id: "evt-1")?.preparedAt == Self.now.addingTimeInterval(3600))
        #expect(try await journal.dueEvents(at: Self.now.addingTimeInterval(7200), limit: 10).isEmpty)

        let later = Self.now.addingTimeInterval(14 * 3600)
        let moved = try #require(try await journal.moveEvent(id: sale.id, start: later, end: later.addingTimeInterval(3600),
                                                             timeZone: "Europe/Berlin", at: Self.now) {
            event, others in Self.check(EventDraft(playbook: event.playbook, name: event.name, start: later,
                                                  end: later.addingTimeInterval(3600), scheduledBy: "bob"), others)
        }).get()
        let stored = try await journal.event(id: sale.id)
        #expect(moved.timeZone == "Europe/Berlin" && stored?.timeZone == "Europe/Berlin", "a move stores the zone it was given in")
        #expect(moved.revision == 2 && moved.start == later && moved.prepareAt == later.addingTimeInterval(-3600))
        #expect(try await !journal.prepareEvent(sale, alert: EventAlert.alert(for: sale), at: later), "revision 1 is stale")
        #expect(try await journal.recentAlerts(limit: 10).count == 1)

        let cancelled = try #require(try await journal.cancelEvent(id: sale.id, by: "carol", mode: .ladder, at: Self.now))
        #expect(cancelled.cancelledBy == "carol" && cancelled.cancelledAt == Self.now)
        #expect(try await journal.cancelEvent(id: sale.id, by: "dave", mode: .abort, at: later)?.cancelledBy == "carol", "cancelled once")
        #expect(try await !journal.prepareEvent(moved, alert: EventAlert.alert(for: moved), at: later))
        #expect(try await journal.dueEvents(at: later, limit: 10).isEmpty)
        #expect(try await journal.cancelEvent(id: "evt-77", by: "x", mode: .ladder, at: later) == nil)
    }

    @Test("occurrences are stored once; moves and cancellations of a started event are due until its run is told, once")
    func occurrencesAndUpdates() async throws {
        let folder = try TemporaryFolder("events")
        defer { folder.remove() }
        let journal = try SQLiteJournal(path: folder.path + "/responder.sqlite")
        let failures = try await EventStoreContract.occurrencesAndUpdates(journal, now: Self.now)
        #expect(failures.isEmpty, "\(failures)")
    }
}
