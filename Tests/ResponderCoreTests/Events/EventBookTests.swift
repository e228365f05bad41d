import Foundation
import ResponderCore
import Testing

/// The in-memory event book the simulator keeps events in: the stores' rules, without a store.
@Suite("events: the event book and when a recurring schedule's next occurrence becomes an event")
struct EventBookTests {
    /// The rules tests' clock.
    static let now = EventRulesTests.now
    /// launch (api, lead 24h), billing (worker, lead 30m), spike (emergency).
    static let set = EventRulesTests.set

    @Test("ids in scheduling order; a refused draft takes no id; an occurrence is created once, even after a cancel")
    func scheduling() throws {
        var book = EventBook()
        let first = try book.schedule(EventRulesTests.draft(startIn: 48), playbooks: Self.set, now: Self.now).get()
        #expect(first.id == "evt-1" && first.prepareAt == Self.now.addingTimeInterval(24 * 3600))
        let clash = book.schedule(EventRulesTests.draft(startIn: 49), playbooks: Self.set, now: Self.now)
        guard case .failure(.overlaps(let clashes)) = clash else {
            Issue.record("expected an overlap, got \(clash)")
            return
        }
        #expect(clashes.map(\.id) == ["evt-1"])
        var occurrence = EventRulesTests.draft("billing", startIn: 10)
        occurrence.occurrence = "2026-01-01T10:00 UTC"
        let second = try book.schedule(occurrence, playbooks: Self.set, now: Self.now).get()
        #expect(second.id == "evt-2")
        let cancelled = book.cancel(id: "evt-2", by: "alice", mode: .ladder, now: Self.now)
        #expect(cancelled?.cancelledBy == "alice")
        let again = book.schedule(occurrence, playbooks: Self.set, now: Self.now)
        #expect(again == .failure(.alreadyScheduled("evt-2")))
        #expect(book.events.map(\.id) == ["evt-1", "evt-2"])
    }

    @Test("due events oldest first; prepared once per revision; a cancel after the run started bumps the revision")
    func preparation() throws {
        var book = EventBook()
        let later = try book.schedule(EventRulesTests.draft(startIn: 30), playbooks: Self.set, now: Self.now).get()
        let sooner = try book.schedule(EventRulesTests.draft("billing", startIn: 2), playbooks: Self.set, now: Self.now).get()
        #expect(book.nextPreparation == sooner.prepareAt)
        let at = Self.now.addingTimeInterval(7 * 86_400)
        #expect(book.due(at: at).map(\.id) == [sooner.id, later.id])
        #expect(book.due(at: sooner.prepareAt.addingTimeInterval(-1)).isEmpty)
        let prepared = book.markPrepared(sooner, at: at)
        let preparedAgain = book.markPrepared(sooner, at: at)
        #expect(prepared)
        #expect(!preparedAgain, "a second preparation of the same revision does nothing")
        let cancelling = book.cancel(id: sooner.id, by: "bob", mode: .abort, now: at)
        let cancelled = try #require(cancelling)
        #expect(cancelled.revision == 2 && cancelled.runNeedsUpdate)
        #expect(book.nextPreparation == .distantPast, "a run waiting to be told is due now")
        #expect(book.due(at: at).map(\.id) == [later.id, sooner.id])
        #expect(EventPreparation.decide(cancelled, playbooks: Self.set, now: at, grace: .seconds(300)) == .abortRun)
        let told = book.markPrepared(cancelled, at: at)
        #expect(told)
        #expect(book.event(id: sooner.id)?.runNeedsUpdate == false)
        let second = book.cancel(id: sooner.id, by: "carol", mode: .ladder, now: at)
        #expect(second?.cancelledBy == "bob", "a second cancel changes nothing")
    }

    @Test("a move is checked like the API's: a started event keeps its start and may only move its end")
    func moves() throws {
        var book = EventBook()
        let event = try book.schedule(EventRulesTests.draft(startIn: 2), playbooks: Self.set, now: Self.now).get()
        let moving = book.move(id: event.id, start: event.start, end: event.end.addingTimeInterval(3600), timeZone: nil,
                               playbooks: Self.set, now: Self.now)
        let moved = try #require(moving).get()
        #expect(moved.revision == 2)
        let prepared = book.markPrepared(moved, at: Self.now)
        #expect(prepared)
        let locked = book.move(id: event.id, start: event.start.addingTimeInterval(60), end: event.end, timeZone: nil,
                               playbooks: Self.set, now: Self.now)
        #expect(locked == .failure(.startLocked(id: event.id, start: event.start)))
        let unknown = book.move(id: "evt-9", start: event.start, end: event.end, timeZone: nil, playbooks: Self.set, now: Self.now)
        #expect(unknown == nil)
    }

    @Test("the next occurrence becomes an event `ahead` (plus the lead) before its start, and not before")
    func nextDraftTime() throws {
        var daily = PlannerFixtures.playbook("daily", kind: .preEvent, alertname: "Daily", actions: [],
                                             event: .init(lead: .seconds(1800), hold: .zero))
        daily.schedule = EventSchedule(window: EventTestHelpers.window("0 8 * * *", "2h"), ahead: .seconds(3600))
        let set = PlannerFixtures.set([daily], targets: [])
        let now = EventTestHelpers.instant("2026-05-04T05:00:00Z")
        let next = try #require(EventSchedule.nextDraftTime(for: set, after: now, through: now.addingTimeInterval(86_400)))
        // 08:00 - 30m lead - 1h ahead.
        #expect(RFC3339.format(next) == "2026-05-04T06:30:00.000Z")
        #expect(EventSchedule.drafts(for: set, now: next.addingTimeInterval(-1)).isEmpty)
        #expect(EventSchedule.drafts(for: set, now: next).map(\.occurrence) == ["2026-05-04T08:00 UTC"])
        let after = try #require(EventSchedule.nextDraftTime(for: set, after: next, through: now.addingTimeInterval(2 * 86_400)))
        #expect(RFC3339.format(after) == "2026-05-05T06:30:00.000Z", "the one after it, once it is asked for")
        #expect(EventSchedule.nextDraftTime(for: set, after: next, through: now.addingTimeInterval(3600)) == nil,
                "none starts within the range")
    }
}
