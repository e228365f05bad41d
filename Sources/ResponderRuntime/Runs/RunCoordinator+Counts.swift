import Foundation
import ResponderCore

/// Runs by status for `/metrics`: counted in the store every few seconds by the driver, never at the scrape.
extension RunCoordinator {
    /// How often the runs are counted, in seconds (other replicas' runs show this late).
    static let runCountInterval = 5.0
    /// How far back ended runs are counted, in seconds (a day).
    static let endedRunWindow = 86_400.0

    /// Every ``runCountInterval`` counts the open runs and those ended in the last ``endedRunWindow`` by status and
    /// tells ``runsCounted``; a store that fails leaves the last count.
    func countRuns(at now: Date) async {
        guard now.timeIntervalSince(lastRunCount) >= Self.runCountInterval,
              let counts = try? await store.runCounts(endedSince: now.addingTimeInterval(-Self.endedRunWindow)) else { return }
        lastRunCount = now
        runsCounted(counts, now)
    }
}
