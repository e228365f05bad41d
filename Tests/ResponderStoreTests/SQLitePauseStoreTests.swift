import Foundation
import GRDB
import ResponderCore
@testable import ResponderStore
import ResponderTestSupport
import Testing

/// Pauses and the action ledger of ``SQLiteRunTransactions``, through real SQLite files.
@Suite("SQLite pauses and action ledger")
struct SQLitePauseStoreTests {
    static let t0 = PauseStoreContract.t0

    static func open(_ path: String, now: Date = t0) async throws -> SQLiteRunTransactions {
        try await SQLiteRunTransactions(journal: SQLiteJournal(path: path), keepEnded: .seconds(86_400), now: now)
    }

    @Test("the run cache is loaded at its first use, not when it is opened: what the journal holds by then is in the view")
    func loadsAtFirstUse() async throws {
        let path = SQLiteJournalTests.temporaryPath()
        let journal = try SQLiteJournal(path: path)
        try await journal.save([RunSamples.run("run-1", steps: [])])
        let store = try await SQLiteRunTransactions(journal: journal, keepEnded: .seconds(86_400), now: Self.t0)
        #expect(try await store.nextAttention() == nil, "nothing is read before the first transaction")
        // Saved after the store was opened and before its first transaction: a load at opening would have missed it.
        try await journal.save([RunSamples.run("run-7", steps: [])])
        let seen = try await store.transact(.run(id: "run-7"), owner: "local", now: Self.t0, lease: .seconds(30)) { view in
            RunTransactionOutcome(result: view.runs.map(\.id))
        }
        #expect(seen == ["run-7"])
        let highest = try await store.transact(.alerts(endedSince: Self.t0, candidates: [], touching: RunFootprint(alerts: [], set: nil)),
                                               owner: "local", now: Self.t0, lease: .seconds(30)) { view in
            RunTransactionOutcome(result: view.highestRunNumber)
        }
        #expect(highest == 7)
    }

    @Test("pauses are numbered, listed, lifted by id, by target and direction, and globally; numbers are not reused")
    func addListLift() async throws {
        let store = try await Self.open(SQLiteJournalTests.temporaryPath())
        #expect(try await PauseStoreContract.addListLift([store]) == [])
        #expect(try await store.addPause(PauseStoreContract.request(nil, .up)).id == "pause-5")
    }

    @Test("an expired pause is marked lifted by expiry at its expiry, once, and leaves the view")
    func expiry() async throws {
        #expect(try await PauseStoreContract.expiry(Self.open(SQLiteJournalTests.temporaryPath())) == [])
    }

    @Test("a pause added is in the next transaction's view of every scope, with the recent actions")
    func viewOfEveryScope() async throws {
        let store = try await Self.open(SQLiteJournalTests.temporaryPath())
        #expect(try await PauseStoreContract.viewOfEveryScope(writer: store, reader: store) == [])
    }

    @Test("the ledger: actions recorded appear later, a step recorded again moves its time, old records leave the view and the file")
    func ledger() async throws {
        let store = try await Self.open(SQLiteJournalTests.temporaryPath())
        let failures = try await PauseStoreContract.ledger(store) {
            try await store.journal.pool.read { db in
                try String.fetchAll(db, sql: "SELECT run_id || '/' || step FROM action_record ORDER BY at")
            }
        }
        #expect(failures == [])
    }

    @Test("reopening the file reloads the pauses not lifted and the recent actions")
    func reopen() async throws {
        let path = SQLiteJournalTests.temporaryPath()
        let action = PauseStoreContract.action("run-1", 0, at: Self.t0.addingTimeInterval(0.25))
        do {
            let store = try await Self.open(path)
            _ = try await store.addPause(PauseStoreContract.request("worker", .down, until: Self.t0.addingTimeInterval(3600)))
            _ = try await store.addPause(PauseStoreContract.request(nil, .both))
            _ = try await store.liftPauses(.id("pause-2"), by: "bob", now: Self.t0)
            _ = try await PauseStoreContract.view(store, recording: [action])
        }
        let reopened = try await Self.open(path, now: Self.t0.addingTimeInterval(60))
        let view = try await PauseStoreContract.view(reopened, at: Self.t0.addingTimeInterval(60))
        #expect(view.pauses.map(\.id) == ["pause-1"])
        #expect(view.pauses.first?.until == Self.t0.addingTimeInterval(3600))
        #expect(view.actions == [action])
        #expect(try await reopened.addPause(PauseStoreContract.request(nil, .up)).id == "pause-3")
    }

    @Test("damaged pause and action rows are skipped and reported; the others load")
    func damagedRows() async throws {
        let path = SQLiteJournalTests.temporaryPath()
        do {
            let store = try await Self.open(path)
            for _ in 0..<4 { _ = try await store.addPause(PauseStoreContract.request("worker", .down)) }
            _ = try await PauseStoreContract.view(store, recording: [PauseStoreContract.action("run-1", 0, at: Self.t0),
                                                                     PauseStoreContract.action("run-2", 0, at: Self.t0)])
            try await store.journal.pool.write { db in
                try db.execute(sql: "UPDATE pause SET direction = 'sideways' WHERE id = 'pause-1'")
                try db.execute(sql: "UPDATE pause SET mode = x'41' WHERE id = 'pause-2'")
                try db.execute(sql: "UPDATE pause SET since = 'yesterday' WHERE id = 'pause-3'")
                try db.execute(sql: "UPDATE action_record SET dry_run = 'maybe' WHERE run_id = 'run-1'")
            }
        }
        let reopened = try await Self.open(path)
        let view = try await PauseStoreContract.view(reopened)
        #expect(view.pauses.map(\.id) == ["pause-4"])
        #expect(view.actions.map(\.runID) == ["run-2"])
        let unreadable = await reopened.unreadableRuns()
        #expect(unreadable["pause-1"]?.contains("direction \"sideways\" is not up, down or both") == true)
        #expect(unreadable["pause-2"]?.contains("mode is not text") == true)
        #expect(unreadable["pause-3"]?.contains("since is not an RFC 3339 time") == true)
        #expect(unreadable["action run-1 step 0"]?.contains("dry_run is not an integer") == true)
        #expect(try await reopened.pauses(liftedSince: Self.t0, limit: 10).map(\.id) == ["pause-4"])
        #expect(try await reopened.addPause(PauseStoreContract.request(nil, .up)).id == "pause-5")
    }
}
