import Foundation
import GRDB

/// Holds SQLite's write lock on a database file from another connection, as a stuck or foreign writer would, until
/// released. The lock is held inside one GRDB access on a dedicated thread.
public final class SQLiteLockHolder: @unchecked Sendable {
    private let acquired = DispatchSemaphore(value: 0)
    private let release = DispatchSemaphore(value: 0)
    private let done = DispatchSemaphore(value: 0)

    /// Opens `path` on its own connection and takes the write lock; returns once the lock is held.
    public init(path: String) throws {
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

    /// Releases the lock and waits until the connection let go of it.
    public func unlock() {
        release.signal()
        done.wait()
    }
}
