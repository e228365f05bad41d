import Foundation
import GRDB
import ResponderCore
@testable import ResponderStore
import ResponderTestSupport
import Testing

/// Runs and steps for the run store and recording executor tests.
enum RunFixtures {
    static let start = RunSamples.start

    static let policy = RunSamples.policy

    static func step(_ index: Int, _ work: RunStep.Work, target: String? = nil, to: Int? = nil,
                     phase: Plan.Step.Phase = .actions, due: Date? = start) -> RunStep {
        RunSamples.step(index, work, target: target, to: to, phase: phase, due: due)
    }

    static func run(_ id: String, status: RunStatus = .active, startedAt: Date = start, endedAt: Date? = nil,
                    fingerprint: String = "fp-1", steps: [RunStep]? = nil) -> Run {
        RunSamples.run(id, status: status, startedAt: startedAt, endedAt: endedAt, fingerprint: fingerprint,
                       steps: steps ?? [step(0, .action(.scale(target: "worker", change: .to(9))), target: "worker", to: 9)])
    }

    /// A run with every field set and a step of every kind of work.
    static func fullRun() -> Run { RunSamples.fullRun() }
}

@Suite("Run store")
struct RunStoreTests {
    @Test("a run with every field set is saved and read back equal")
    func roundTrip() async throws {
        let store = try SQLiteRunStore(path: SQLiteJournalTests.temporaryPath())
        let run = RunFixtures.fullRun()
        try await store.save([run])
        #expect(try await store.run(id: "run-7") == run)
        #expect(try await store.openRuns() == [run])
        #expect(try await store.run(id: "run-8") == nil)
    }

    @Test("saving a run again replaces it")
    func upsert() async throws {
        let store = try SQLiteRunStore(path: SQLiteJournalTests.temporaryPath())
        var run = RunFixtures.run("run-1")
        try await store.save([run])
        run.status = .completed
        run.endedAt = RunFixtures.start.addingTimeInterval(30)
        run.history.append(RunEvent(at: RunFixtures.start, message: "completed"))
        try await store.save([run, RunFixtures.run("run-2")])
        #expect(try await store.run(id: "run-1") == run)
        #expect(try await store.recentRuns(limit: 10).count == 2)
        #expect(try await store.openRuns().map(\.id) == ["run-2"])
    }

    @Test("open runs are the active and held ones, oldest first")
    func openRunsFilter() async throws {
        let store = try SQLiteRunStore(path: SQLiteJournalTests.temporaryPath())
        let runs = RunStatus.allCases.enumerated().map { offset, status in
            RunFixtures.run("run-\(offset + 1)", status: status, startedAt: RunFixtures.start.addingTimeInterval(Double(-offset)))
        }
        try await store.save(runs)
        #expect(try await store.openRuns().map(\.status) == [.held, .active])
    }

    @Test("recent runs come newest start first, up to the limit")
    func recentOrdering() async throws {
        let store = try SQLiteRunStore(path: SQLiteJournalTests.temporaryPath())
        try await store.save([
            RunFixtures.run("run-1", startedAt: RunFixtures.start.addingTimeInterval(60)),
            RunFixtures.run("run-2", startedAt: RunFixtures.start),
            RunFixtures.run("run-3", startedAt: RunFixtures.start.addingTimeInterval(120)),
            RunFixtures.run("run-4", startedAt: RunFixtures.start.addingTimeInterval(-3600)),
        ])
        #expect(try await store.recentRuns(limit: 10).map(\.id) == ["run-3", "run-1", "run-2", "run-4"])
        #expect(try await store.recentRuns(limit: 2).map(\.id) == ["run-3", "run-1"])
        #expect(try await store.recentRuns(limit: 0).isEmpty)
    }

    @Test("ended runs since an instant, for cooldowns after a restart")
    func endedSince() async throws {
        let store = try SQLiteRunStore(path: SQLiteJournalTests.temporaryPath())
        let since = RunFixtures.start.addingTimeInterval(3600)
        try await store.save([
            RunFixtures.run("run-1", status: .completed, endedAt: since.addingTimeInterval(-1)),
            RunFixtures.run("run-2", status: .aborted, endedAt: since.addingTimeInterval(600)),
            RunFixtures.run("run-3", status: .failed, endedAt: since),
            RunFixtures.run("run-4"),
        ])
        #expect(try await store.endedRuns(since: since).map(\.id) == ["run-3", "run-2"])
    }

    @Test("the highest run number counts every stored run, ended long ago too, numerically")
    func highestRunNumber() async throws {
        let store = try SQLiteRunStore(path: SQLiteJournalTests.temporaryPath())
        #expect(try await store.highestRunNumber() == 0)
        try await store.save([
            RunFixtures.run("run-9", status: .completed, endedAt: RunFixtures.start),
            RunFixtures.run("run-10", status: .completed, endedAt: RunFixtures.start),
            RunFixtures.run("run-2"),
        ])
        #expect(try await store.highestRunNumber() == 10, "run-10 sorts before run-9 as text")
    }

    @Test("saved runs survive closing and reopening the file")
    func durable() async throws {
        let path = SQLiteJournalTests.temporaryPath()
        do {
            let store = try SQLiteRunStore(path: path)
            try await store.save([RunFixtures.fullRun()])
        }
        let reopened = try SQLiteRunStore(path: path)
        #expect(try await reopened.openRuns() == [RunFixtures.fullRun()])
    }

    @Test("a journal created before the run tables is migrated in place, and reopening migrates nothing twice")
    func migratesOldJournal() async throws {
        let path = SQLiteJournalTests.temporaryPath()
        do {
            let old = try DatabaseQueue(path: path)
            try JournalSchema.migrator.migrate(old, upTo: "v2-alert-plan")
            try await old.write { db in
                try db.execute(sql: """
                    INSERT INTO delivery (kind, idempotency_key, received_at, details, body)
                    VALUES ('cloudwatch_alarm', 'sns:m-1', '2026-01-01T00:00:00.000Z', '{}', 'old body');
                    INSERT INTO alert (delivery_id, idempotency_key, source, fingerprint, status, labels, annotations,
                                       received_at)
                    VALUES (1, 'k-old', 'cloudwatch', 'ff', 'firing', '{}', '{}', '2026-01-01T00:00:00.000Z');
                    """)
            }
            #expect(try await old.read { try $0.tableExists("run") } == false)
        }
        do {
            let journal = try SQLiteJournal(path: path)
            #expect(try await journal.recentDeliveries(limit: 10).map(\.delivery.body) == ["old body"])
            try await journal.save([RunFixtures.run("run-1")])
            let executor = RecordingExecutor(journal: journal)
            _ = await executor.execute(RunFixtures.step(0, .action(.notify(message: "hi"))), runID: "run-1", snapshot: [:], dryRun: true)
        }
        let reopened = try SQLiteJournal(path: path)
        #expect(try await reopened.run(id: "run-1") == RunFixtures.run("run-1"))
        #expect(try await RecordingExecutor(journal: reopened).calls().count == 1)
        let applied = try await reopened.pool.read { try String.fetchAll($0, sql: "SELECT identifier FROM grdb_migrations") }
        #expect(applied == ["v1-journal", "v2-alert-plan", "v3-runs", "v4-executor-calls", "v5-alert-processed", "v6-outbox",
                            "v7-scheduled-events", "v8-event-occurrences", "v9-pauses-actions",
                            "v10-retention"])
        #expect(try await reopened.unprocessedAlerts(limit: 10).isEmpty, "alerts from before runs existed are never replayed")
    }

    @Test("a save blocked by another process's lock fails as unavailable and stores nothing of the batch")
    func lockedIsUnavailable() async throws {
        let path = SQLiteJournalTests.temporaryPath()
        let store = try SQLiteRunStore(path: path, busyTimeout: 0.05)
        try await store.save([RunFixtures.run("run-1")])
        let lock = try SQLiteLockHolder(path: path)
        await #expect {
            try await store.save([RunFixtures.run("run-2"), RunFixtures.run("run-3")])
        } throws: { error in
            guard case JournalError.unavailable = error else { return false }
            return true
        }
        // WAL: readers are not blocked by a writer, so status pages keep working.
        #expect(try await store.openRuns().map(\.id) == ["run-1"])
        lock.unlock()
        #expect(try await store.openRuns().map(\.id) == ["run-1"])
        try await store.save([RunFixtures.run("run-2")])
        #expect(try await store.recentRuns(limit: 10).count == 2)
    }

    @Test("a run body this version cannot read is reported as incompatible")
    func unreadableBody() async throws {
        let store = try SQLiteRunStore(path: SQLiteJournalTests.temporaryPath())
        try await store.save([RunFixtures.run("run-1")])
        try await store.pool.write { try $0.execute(sql: "UPDATE run SET body = '{\"id\": 1}'") }
        await #expect {
            _ = try await store.run(id: "run-1")
        } throws: { error in
            guard case JournalError.incompatible(let message) = error else { return false }
            return message.contains("run-1")
        }
    }

    @Test("runs whose stored values are absurd are skipped and reported by id; the other runs load as usual")
    func absurdRowsAreSkipped() async throws {
        let store = try SQLiteRunStore(path: SQLiteJournalTests.temporaryPath())
        try await store.save((1...5).map { RunFixtures.run("run-\($0)") })
        let edits: [(id: String, from: String, to: String)] = [
            ("run-1", #""offsetSeconds":0"#, #""offsetSeconds":1e300"#),
            ("run-2", #""attempts":0"#, #""attempts":9223372036854775807"#),
            ("run-3", #""startedAt":"2026-01-01T00:00:00.000Z""#, #""startedAt":"999999-01-01T00:00:00.000Z""#),
            ("run-4", #""to":9"#, #""to":-9223372036854775808"#),
        ]
        for edit in edits {
            try await store.pool.write { db in
                let body = try String.fetchOne(db, sql: "SELECT body FROM run WHERE id = ?", arguments: [edit.id]) ?? ""
                #expect(body.contains(edit.from), "\(body)")
                try db.execute(sql: "UPDATE run SET body = ? WHERE id = ?", arguments: [body.replacingOccurrences(of: edit.from, with: edit.to), edit.id])
            }
        }
        #expect(try await store.openRuns().map(\.id) == ["run-5"])
        #expect(try await store.recentRuns(limit: 10).map(\.id) == ["run-5"])
        let unreadable = await store.unreadableRuns()
        #expect(unreadable.keys.sorted() == ["run-1", "run-2", "run-3", "run-4"])
        #expect(unreadable["run-2"]?.contains("steps[0].attempts 9223372036854775807 is outside 0 to 1,000") == true)
        #expect(unreadable["run-4"]?.contains("steps[0].to -9223372036854775808 is outside") == true)
        await #expect {
            _ = try await store.run(id: "run-2")
        } throws: { error in
            guard case JournalError.incompatible(let message) = error else { return false }
            return message.hasPrefix("run run-2 is not usable: ")
        }
        var engine = RunEngine(runs: try await store.openRuns(), highestRunNumber: try await store.highestRunNumber())
        #expect(engine.runs.keys.sorted() == ["run-5"])
        _ = engine.handle(.tick, now: RunFixtures.start.addingTimeInterval(1e9))
        #expect(engine.nextNumber == 6)
    }
}
