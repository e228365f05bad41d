import Foundation
import ResponderCore
import ResponderStore
import ResponderTestSupport
import Testing

/// ``EndedRunQuery`` against the SQLite journal (``EndedRunQueryContract``).
@Suite("SQLite ended-run query")
struct EndedRunQueryTests {
    @Test("ended runs by status, playbook, target and end time, newest start first, paged and bounded")
    func contract() async throws {
        let folder = try TemporaryFolder("ended-runs")
        defer { folder.remove() }
        let journal = try SQLiteJournal(path: folder.path + "/responder.sqlite")
        #expect(try await EndedRunQueryContract.filtersAndPages(journal) == [])
    }
}
