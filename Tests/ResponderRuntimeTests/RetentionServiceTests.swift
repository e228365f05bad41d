import Foundation
import Logging
import ResponderCore
import ResponderRuntime
import ResponderStore
import ResponderTestSupport
import Synchronization
import Testing

/// The retention service on a manual clock: a pass at start, then one every interval, batch by batch.
@Suite("retention service")
struct RetentionServiceTests {
    static let start = RunSamples.start
    static let day: TimeInterval = 86_400
    static let steps = [RunSamples.step(0, .action(.notify(message: "hi")))]

    static var policy: RetentionPolicy {
        var policy = RetentionPolicy()
        policy.endedRuns = .seconds(86_400)
        policy.batch = 2
        policy.interval = .seconds(60)
        return policy
    }

    /// Counts per kind, as the metrics are told.
    final class Counts: Sendable {
        let box = Mutex<[RetentionKind: [Int]]>([:])
        func add(_ kind: RetentionKind, _ count: Int) { box.withLock { $0[kind, default: []].append(count) } }
        var value: [RetentionKind: [Int]] { box.withLock { $0 } }
    }

    @Test("ended runs inside the engine's keep window stay; once past it, the next interval deletes them in batches")
    func keepWindowThenBatches() async throws {
        let folder = try TemporaryFolder("retention-service")
        defer { folder.remove() }
        let journal = try SQLiteJournal(path: folder.path + "/responder.sqlite")
        let ended = (1...5).map { RunSamples.run("run-\($0)", status: .completed, endedAt: Self.start, steps: Self.steps) }
        try await journal.save(ended + [RunSamples.run("run-6", steps: Self.steps)])
        let clock = ManualClock(start: Self.start.addingTimeInterval(1.5 * Self.day))
        let counts = Counts()
        let service = RetentionService(store: journal, policy: Self.policy, keepEnded: .seconds(2 * 86_400), pause: .zero,
                                       clock: clock, logger: Logger(label: "test")) { counts.add($0, $1) }
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await service.run() }
            await clock.waitForSleepers()
            let kept = try await journal.recentRuns(limit: 10)
            #expect(kept.count == 6, "a run ended 1.5 days ago is inside the 2-day window")
            clock.advance(by: .seconds(86_400))
            await clock.waitForSleepers()
            let left = try await journal.recentRuns(limit: 10)
            #expect(left.map(\.id) == ["run-6"])
            #expect(counts.value[.endedRuns] == [2, 2, 1])
            group.cancelAll()
        }
    }

    @Test("a store error ends the pass with a warning; the next interval retries")
    func survivesErrors() async throws {
        let store = FlakyStore()
        let clock = ManualClock(start: Self.start)
        let service = RetentionService(store: store, policy: Self.policy, keepEnded: .seconds(86_400), pause: .zero,
                                       clock: clock, logger: Logger(label: "test"))
        await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await service.run() }
            await clock.waitForSleepers()
            #expect(store.calls == 1, "the first call failed and ended the pass")
            clock.advance(by: .seconds(60))
            await clock.waitForSleepers()
            #expect(store.calls == 1 + RetentionKind.passOrder.count, "the next pass asked for every kind")
            group.cancelAll()
        }
    }
}

/// A store whose first call fails as unavailable, then finds nothing to delete.
final class FlakyStore: RetentionStore {
    let count = Mutex(0)
    var calls: Int { count.withLock { $0 } }

    func purge(_ kind: RetentionKind, before cutoff: Date, limit: Int) async throws(JournalError) -> Int {
        let call = count.withLock { value -> Int in
            value += 1
            return value
        }
        if call == 1 { throw JournalError.unavailable("disk I/O error") }
        return 0
    }

    func reclaimSpace() async throws(JournalError) {}

    func footprint() async throws(JournalError) -> StoreFootprint { StoreFootprint(bytes: nil, oldest: [:]) }
}
