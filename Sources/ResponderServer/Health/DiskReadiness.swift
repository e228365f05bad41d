import Foundation
import ResponderRuntime

/// What `/readyz` says about the disk under the store.
public enum DiskReadiness: Sendable {
    /// The file system of the SQLite journal, watched by this monitor (`serve` reads it every few seconds).
    case monitored(DiskSpaceMonitor)
    /// Not watched, and why: a PostgreSQL store's disk is the database server's.
    case notChecked(String)

    /// The check of a PostgreSQL store.
    public static let postgres = DiskReadiness.notChecked("not checked, the store is PostgreSQL (its disk is the database server's)")

    /// The `disk` check and whether it lets `/readyz` answer ready; the monitor's reading is at most a second old.
    func check() -> (text: String, ready: Bool) {
        switch self {
        case .monitored(let monitor):
            let reading = monitor.reading(maxAge: .seconds(1))
            return (reading.check, reading.ready)
        case .notChecked(let why):
            return (why, true)
        }
    }
}
