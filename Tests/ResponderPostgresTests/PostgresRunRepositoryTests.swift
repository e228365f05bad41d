import Foundation
import ResponderCore
import ResponderPostgres
import ResponderTestSupport
import Testing

@Suite("PostgreSQL run repository")
struct PostgresRunRepositoryTests {
    @Test("a run with every field and every kind of step is saved and read back equal; saving again replaces it")
    func roundTripAndUpsert() async throws {
        try await Fixtures.withStore { store in
            let full = Fixtures.fullRun()
            try await store.save([full])
            #expect(try await store.run(id: "run-7") == full)
            #expect(try await store.openRuns() == [full])
            #expect(try await store.run(id: "run-8") == nil)
            var run = Fixtures.run("run-1")
            try await store.save([run])
            run.status = .completed
            run.endedAt = Fixtures.start.addingTimeInterval(30)
            run.history.append(RunEvent(at: Fixtures.start, message: "completed"))
            try await store.save([run, Fixtures.run("run-2")])
            #expect(try await store.run(id: "run-1") == run)
            #expect(try await store.recentRuns(limit: 10).count == 3)
            try await store.save([])
        }
    }

    @Test("open runs are the active and held ones, oldest first; recent runs newest first up to the limit")
    func ordering() async throws {
        try await Fixtures.withStore { store in
            let runs = RunStatus.allCases.enumerated().map { offset, status in
                Fixtures.run("run-\(offset + 1)", status: status, startedAt: Fixtures.start.addingTimeInterval(Double(-offset)))
            }
            try await store.save(runs)
            #expect(try await store.openRuns().map(\.status) == [.held, .active])
            #expect(try await store.recentRuns(limit: 3).map(\.id) == ["run-1", "run-2", "run-3"])
            #expect(try await store.recentRuns(limit: 0).isEmpty)
        }
    }

    @Test("ended runs since an instant, oldest end first, and the highest run number")
    func endedSinceAndNumbers() async throws {
        try await Fixtures.withStore { store in
            #expect(try await store.highestRunNumber() == 0)
            let since = Fixtures.start.addingTimeInterval(3600)
            try await store.save([
                Fixtures.run("run-1", status: .completed, endedAt: since.addingTimeInterval(-1)),
                Fixtures.run("run-12", status: .aborted, endedAt: since.addingTimeInterval(600)),
                Fixtures.run("run-3", status: .failed, endedAt: since),
                Fixtures.run("run-4"),
                Fixtures.run("manual-99"),
            ])
            #expect(try await store.endedRuns(since: since).map(\.id) == ["run-3", "run-12"])
            #expect(try await store.highestRunNumber() == 12, "numeric, not text order; other ids do not count")
        }
    }

    @Test("a run body this version cannot read is reported as incompatible, naming the run")
    func unreadableBody() async throws {
        let url = try await PostgresServer.shared().createDatabase()
        try await PostgresStore.withConnected(url: url, logger: Fixtures.logger, operationTimeout: .seconds(60)) { store in
            try await store.save([Fixtures.run("run-1")])
            _ = try await Fixtures.query("UPDATE run SET body = '{\"id\": 1}' RETURNING id", url: url)
            await #expect {
                _ = try await store.run(id: "run-1")
            } throws: { error in
                guard case JournalError.incompatible(let message) = error else { return false }
                return message.contains("run-1")
            }
        }
    }

    @Test("a run whose stored values are absurd is skipped and reported by id, in lists and transactions alike")
    func absurdRowIsSkipped() async throws {
        let url = try await PostgresServer.shared().createDatabase()
        try await PostgresStore.withConnected(url: url, logger: Fixtures.logger, operationTimeout: .seconds(60)) { store in
            try await store.save([Fixtures.run("run-1"), Fixtures.run("run-2")])
            let edited = try await Fixtures.query("""
                UPDATE run SET body = replace(body, '"attempts":0', '"attempts":9223372036854775807') WHERE id = 'run-1' RETURNING id
                """, url: url)
            #expect(edited == ["run-1"])
            #expect(try await store.openRuns().map(\.id) == ["run-2"])
            let seen = try await store.transact(.due(limit: 10), owner: "a", now: Fixtures.start.addingTimeInterval(60), lease: .seconds(30)) {
                RunTransactionOutcome(result: $0.runs.map(\.id))
            }
            #expect(seen == ["run-2"])
            let unreadable = await store.unreadableRuns()
            #expect(unreadable["run-1"]?.contains("steps[0].attempts 9223372036854775807 is outside 0 to 1,000") == true)
        }
    }

    @Test("timestamps of -infinity and infinity read back clamped, without a trap")
    func infiniteTimestamps() async throws {
        let url = try await PostgresServer.shared().createDatabase()
        try await PostgresStore.withConnected(url: url, logger: Fixtures.logger, operationTimeout: .seconds(60)) { store in
            try await store.save([Fixtures.run("run-1")])
            _ = try await Fixtures.query("UPDATE run SET due_at = '-infinity' RETURNING id", url: url)
            let early = try #require(try await store.nextAttention())
            #expect(early < Date(timeIntervalSince1970: -62_135_596_800))
            _ = try await Fixtures.query("UPDATE run SET due_at = 'infinity' RETURNING id", url: url)
            let late = try #require(try await store.nextAttention())
            #expect(RFC3339.format(late) == "9999-12-31T23:59:59.999Z")
        }
    }
}
