import Foundation
import ResponderCore
import ResponderPostgres
import ResponderTestSupport
import Testing

/// Scheduled events on a real PostgreSQL shared by two stores (two replicas' pools): scheduling is checked under a
/// lock, so two overlapping events cannot both be stored, and an event is prepared by one replica only.
@Suite("scheduled events on PostgreSQL, two replicas")
struct PostgresEventStoreTests {
    static let now = Fixtures.start

    static func draft(_ name: String, startIn hours: Double) -> EventDraft {
        EventDraft(playbook: "launch", name: name, start: now.addingTimeInterval(hours * 3600),
                   end: now.addingTimeInterval((hours + 2) * 3600), timeZone: "Europe/Berlin", labels: ["team": "web"],
                   scheduledBy: "alice")
    }

    static func check(_ draft: EventDraft, _ others: [ScheduledEvent]) -> Result<Date, EventProblem> {
        let clashes = others.filter { $0.start < draft.end && draft.start < $0.end }
        if !clashes.isEmpty {
            return .failure(.overlaps(clashes.map { .init(id: $0.id, name: $0.name, start: $0.start, end: $0.end, targets: []) }))
        }
        return .success(draft.start.addingTimeInterval(-3600))
    }

    @Test("two replicas schedule overlapping events at once: one is stored, the other names it")
    func overlapAcrossReplicas() async throws {
        try await Fixtures.withStores(2) { stores in
            let drafts = [Self.draft("a", startIn: 10), Self.draft("b", startIn: 11)]
            let results = try await withThrowingTaskGroup(of: Result<ScheduledEvent, EventProblem>.self) { group in
                for (store, draft) in zip(stores, drafts) {
                    group.addTask { try await store.scheduleEvent(draft, at: Self.now) { Self.check(draft, $0) } }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            let stored = results.compactMap { try? $0.get() }
            #expect(stored.count == 1, "\(results)")
            let refused = results.compactMap { result -> EventProblem? in
                if case .failure(let problem) = result { return problem }
                return nil
            }
            #expect(refused.count == 1 && refused.first?.description.contains(stored.first?.id ?? "?") == true)
            let all = try await stores[1].events(endingAfter: nil, limit: 10)
            #expect(all == stored, "every field reads back the same on the other replica")
        }
    }

    @Test("both replicas prepare the same due event: one journals its alert, once; moved and cancelled events are not prepared")
    func prepareOnce() async throws {
        try await Fixtures.withStores(2) { stores in
            let draft = Self.draft("launch", startIn: 2)
            let event = try await stores[0].scheduleEvent(draft, at: Self.now) { Self.check(draft, $0) }.get()
            #expect(event.id == "evt-1" && event.prepareAt == Self.now.addingTimeInterval(3600))
            let at = Self.now.addingTimeInterval(3600)
            #expect(try await stores[1].dueEvents(at: at, limit: 10).map(\.id) == ["evt-1"])
            #expect(try await stores[1].nextEventPreparation() == event.prepareAt)
            let prepared = try await withThrowingTaskGroup(of: Bool.self) { group in
                for store in stores { group.addTask { try await store.prepareEvent(event, alert: EventAlert.alert(for: event), at: at) } }
                return try await group.reduce(into: [Bool]()) { $0.append($1) }
            }
            #expect(prepared.filter { $0 }.count == 1 && prepared.count == 2, "\(prepared)")
            let alerts = try await stores[0].recentAlerts(limit: 10)
            #expect(alerts.map(\.alert.fingerprint) == ["event-evt-1"] && alerts.first?.alert.source == .event)
            #expect(try await stores[0].event(id: "evt-1")?.preparedAt == at)

            let other = Self.draft("sale", startIn: 20)
            let sale = try await stores[0].scheduleEvent(other, at: Self.now) { Self.check(other, $0) }.get()
            let later = Self.now.addingTimeInterval(30 * 3600)
            let moved = try #require(try await stores[1].moveEvent(id: sale.id, start: later, end: later.addingTimeInterval(3600),
                                                                    timeZone: "Europe/Berlin", at: Self.now) { event, others in
                Self.check(EventDraft(playbook: event.playbook, name: event.name, start: later, end: later.addingTimeInterval(3600),
                                      scheduledBy: "bob"), others)
            }).get()
            #expect(try await stores[0].event(id: sale.id)?.timeZone == "Europe/Berlin", "a move stores the zone it was given in")
            #expect(moved.revision == 2 && moved.prepareAt == later.addingTimeInterval(-3600))
            #expect(try await !stores[0].prepareEvent(sale, alert: EventAlert.alert(for: sale), at: later), "revision 1 is stale")
            #expect(try await stores[0].cancelEvent(id: sale.id, by: "carol", mode: .ladder, at: Self.now)?.cancelledBy == "carol")
            #expect(try await stores[1].cancelEvent(id: sale.id, by: "dave", mode: .abort, at: later)?.cancelledBy == "carol")
            #expect(try await !stores[1].prepareEvent(moved, alert: EventAlert.alert(for: moved), at: later))
            #expect(try await stores[0].event(id: "evt-0") == nil)
            let unknown = try await stores[0].moveEvent(id: "nope", start: later, end: later, timeZone: nil, at: later) { _, _ in .success(later) }
            #expect(unknown == nil)
        }
    }

    @Test("occurrences are stored once; moves and cancellations of a started event are due until its run is told, once")
    func occurrencesAndUpdates() async throws {
        try await Fixtures.withStores(1) { stores in
            let failures = try await EventStoreContract.occurrencesAndUpdates(stores[0], now: Self.now)
            #expect(failures.isEmpty, "\(failures)")
        }
    }
}
