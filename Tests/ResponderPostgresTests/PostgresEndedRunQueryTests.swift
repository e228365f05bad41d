import Foundation
import ResponderCore
import ResponderPostgres
import ResponderTestSupport
import Testing

/// ``EndedRunQuery`` against PostgreSQL (``EndedRunQueryContract``).
@Suite("PostgreSQL ended-run query")
struct PostgresEndedRunQueryTests {
    @Test("ended runs by status, playbook, target and end time, newest start first, paged and bounded")
    func contract() async throws {
        try await Fixtures.withStore { store in
            let failures = try await EndedRunQueryContract.filtersAndPages(store)
            #expect(failures == [])
        }
    }
}
