import Foundation
import ResponderCore
@testable import ResponderPostgres
import ResponderTestSupport
import Testing

/// Operations that fail give their pooled connection back.
@Suite("PostgreSQL failed operations")
struct PostgresFailedOperationTests {
    struct Planned: Error {}

    @Test("operations that fail give their connection back: more failures than the pool holds, then a success at once")
    func failuresReleaseConnections() async throws {
        try await Fixtures.withStore { store in
            for index in 0..<30 {
                await #expect(throws: JournalError.self, "query \(index)") {
                    _ = try await store.rows("read a table that does not exist", "SELECT * FROM no_such_table")
                }
                await #expect(throws: JournalError.self, "transaction \(index)") {
                    try await store.transaction("fail on purpose") { _ in throw Planned() }
                }
            }
            let started = ContinuousClock.now
            let runs = try await store.recentRuns(limit: 1)
            #expect(runs.isEmpty)
            #expect(ContinuousClock.now - started < .seconds(2), "a connection was free: none leaked")
        }
    }
}
