import Foundation
import ResponderCore
import ResponderPostgres
import ResponderTestSupport
import Testing

/// Pauses and the action ledger of the PostgreSQL store, through a real server and two store instances (replicas).
@Suite("PostgreSQL pauses and action ledger")
struct PostgresPauseStoreTests {
    static let t0 = PauseStoreContract.t0

    static func withStore(_ body: (PostgresStore, String) async throws -> Void) async throws {
        let url = try await PostgresServer.shared().createDatabase()
        try await PostgresStore.withConnected(url: url, logger: Fixtures.logger, operationTimeout: .seconds(60)) { try await body($0, url) }
    }

    @Test("pauses are numbered, listed and lifted by id, by target and direction, and globally, from either replica")
    func addListLift() async throws {
        try await Fixtures.withStores(2) { stores in
            let failures = try await PauseStoreContract.addListLift(stores)
            #expect(failures == [])
        }
    }

    @Test("a pause added on one replica is in the next transaction view of another, in every scope, with the ledger")
    func viewOfEveryScope() async throws {
        try await Fixtures.withStores(2) { stores in
            let failures = try await PauseStoreContract.viewOfEveryScope(writer: stores[0], reader: stores[1])
            #expect(failures == [])
        }
    }

    @Test("an expired pause is marked lifted by expiry at its expiry, once, and leaves the view")
    func expiry() async throws {
        try await Self.withStore { store, _ in
            let failures = try await PauseStoreContract.expiry(store)
            #expect(failures == [])
        }
    }

    @Test("pause numbers are unique across two replicas adding at once")
    func uniqueNumbers() async throws {
        try await Fixtures.withStores(2) { stores in
            let ids = try await withThrowingTaskGroup(of: String.self) { group in
                for index in 0..<20 {
                    let store = stores[index % 2]
                    group.addTask { try await store.addPause(PauseStoreContract.request("t\(index)", .down)).id }
                }
                return try await group.reduce(into: [String]()) { $0.append($1) }
            }
            #expect(Set(ids).count == 20)
            #expect(try await stores[0].pauses(liftedSince: Self.t0, limit: 0).count == 20)
        }
    }

    @Test("each expired pause is returned once across two replicas racing to mark it")
    func expiryOnceAcrossReplicas() async throws {
        try await Fixtures.withStores(2) { stores in
            for index in 0..<12 {
                let request = PauseStoreContract.request("t\(index)", .down, until: Self.t0.addingTimeInterval(Double(index)))
                _ = try await stores[index % 2].addPause(request)
            }
            _ = try await stores[0].addPause(PauseStoreContract.request(nil, .up))
            let expired = try await withThrowingTaskGroup(of: [Pause].self) { group in
                for index in 0..<8 {
                    let store = stores[index % 2]
                    group.addTask { try await store.expirePauses(now: Self.t0.addingTimeInterval(Double(index + 4))) }
                }
                return try await group.reduce(into: [Pause]()) { $0 += $1 }
            }
            #expect(expired.count == 12 && Set(expired.map(\.id)).count == 12, "\(expired.map(\.id))")
            #expect(expired.allSatisfy { $0.liftedBy == "expiry" && $0.liftedAt == $0.until })
            #expect(try await stores[1].expirePauses(now: Self.t0.addingTimeInterval(3600)).isEmpty)
            #expect(try await PauseStoreContract.view(stores[1]).pauses.map(\.id) == ["pause-13"])
        }
    }

    @Test("the ledger: actions recorded appear later, a step recorded again moves its time, old records leave the view and the table")
    func ledger() async throws {
        try await Self.withStore { store, url in
            let failures = try await PauseStoreContract.ledger(store) {
                try await Fixtures.query("SELECT run_id || '/' || step FROM action_record ORDER BY at", url: url).map { $0 ?? "" }
            }
            #expect(failures == [])
        }
    }

    @Test("damaged pause and action rows are skipped and reported, never a crash; the others are used")
    func damagedRows() async throws {
        try await Self.withStore { store, url in
            for _ in 0..<4 { _ = try await store.addPause(PauseStoreContract.request("worker", .down)) }
            _ = try await PauseStoreContract.view(store, recording: [PauseStoreContract.action("run-1", 0, at: Self.t0),
                                                                     PauseStoreContract.action("run-2", 0, at: Self.t0)])
            _ = try await Fixtures.query("UPDATE pause SET direction = 'sideways' WHERE id = 'pause-1' RETURNING id", url: url)
            _ = try await Fixtures.query("UPDATE pause SET mode = 'later' WHERE id = 'pause-2' RETURNING id", url: url)
            _ = try await Fixtures.query("UPDATE pause SET until = 'infinity' WHERE id = 'pause-3' RETURNING id", url: url)
            _ = try await Fixtures.query("UPDATE action_record SET step = -5 WHERE run_id = 'run-1' RETURNING run_id", url: url)
            let view = try await PauseStoreContract.view(store)
            #expect(view.pauses.map(\.id) == ["pause-4"])
            #expect(view.actions.map(\.runID) == ["run-2"])
            let unreadable = await store.unreadableRuns()
            #expect(unreadable["pause-1"]?.contains("direction \"sideways\" is not up, down or both") == true)
            #expect(unreadable["pause-2"]?.contains("mode \"later\" is not wait or skip") == true)
            #expect(unreadable["pause-3"]?.contains("until is not between the years 1970 and 9999") == true)
            #expect(unreadable["action run-1 step -5"]?.contains("is not a step index") == true)
            #expect(try await store.pauses(liftedSince: Self.t0, limit: 10).map(\.id) == ["pause-4"])
            #expect(try await store.expirePauses(now: Self.t0.addingTimeInterval(3600)).isEmpty, "infinity never expires")
        }
    }
}
