import Foundation
import GRDB

/// Holds SQLite's write lock on a database file from another connection, as a stuck or foreign writer would, until
/// released. The lock is held inside one GRDB access on a dedicated thread.
final class SQLiteLockHolder: @unchecked Sendable {
    private let acquired = DispatchSemaphore(value: 0)
    private let release = DispatchSemaphore(value: 0)
    private let done = DispatchSemaphore(value: 0)

    init(path: String) throws {
        let queue = try DatabaseQueue(path: path)
        let thread = Thread { [acquired, release, done] in
            try? queue.inDatabase { db in
                try db.execute(sql: "BEGIN EXCLUSIVE")
                acquired.signal()
                release.wait()
                try db.execute(sql: "ROLLBACK")
            }
            done.signal()
        }
        thread.start()
        acquired.wait()
    }

    func unlock() {
        release.signal()
        done.wait()
    }
}
