import Foundation
import ResponderCore
@testable import ResponderStore
import Synchronization
import Testing

@Suite("Group commit")
struct GroupCommitTests {
    /// Holds the first batch inside `execute` until the test opens it, and records every batch.
    final class Gate: Sendable {
        private let state = Mutex<(open: Bool, waiting: [CheckedContinuation<Void, Never>], batches: [[Int]])>((false, [], []))

        func pass(_ batch: [Int]) async {
            await withCheckedContinuation { continuation in
                let go = state.withLock { state -> Bool in
                    state.batches.append(batch)
                    if state.open { return true }
                    state.waiting.append(continuation)
                    return false
                }
                if go { continuation.resume() }
            }
        }

        func open() {
            let waiting = state.withLock { state in
                state.open = true
                defer { state.waiting = [] }
                return state.waiting
            }
            for continuation in waiting { continuation.resume() }
        }

        var batches: [[Int]] { state.withLock { $0.batches } }
    }

    static func batcher(_ gate: Gate, maxBatch: Int) -> GroupCommit<Int, Int> {
        GroupCommit(maxBatch: maxBatch) { writes in
            await gate.pass(writes)
            return writes.map { $0 == 13 ? .failure(.unavailable("write 13 refused")) : .success($0 * 2) }
        }
    }

    /// Waits until `count` writes are queued behind the batch held at the gate.
    static func waitQueued(_ batcher: GroupCommit<Int, Int>, _ count: Int) async {
        while batcher.statistics.queued < count { await Task.yield() }
    }

    @Test("writes made while a transaction is in flight share the next one, each answered with its own result")
    func shareTheNextTransaction() async throws {
        let gate = Gate()
        let batcher = Self.batcher(gate, maxBatch: 256)
        let results = await withTaskGroup(of: (Int, Result<Int, JournalError>).self) { group in
            group.addTask { (0, await batcher.submit(0)) }
            while gate.batches.isEmpty { await Task.yield() }
            for write in 1...40 { group.addTask { (write, await batcher.submit(write)) } }
            await Self.waitQueued(batcher, 40)
            gate.open()
            var results: [Int: Result<Int, JournalError>] = [:]
            for await (write, result) in group { results[write] = result }
            return results
        }
        #expect(gate.batches.count == 2)
        #expect(gate.batches.first == [0])
        #expect(gate.batches.last?.sorted() == Array(1...40))
        for write in 0...40 where write != 13 {
            #expect(try results[write]?.get() == write * 2)
        }
        #expect(results[13] == .failure(.unavailable("write 13 refused")))
        #expect(batcher.statistics.batches == 2)
        #expect(batcher.statistics.writes == 41)
        #expect(batcher.statistics.queued == 0)
    }

    @Test("a transaction holds at most maxBatch writes; the rest follow in order, none left behind")
    func boundedBatches() async throws {
        let gate = Gate()
        let batcher = Self.batcher(gate, maxBatch: 10)
        let answered = await withTaskGroup(of: Int.self) { group in
            group.addTask { (try? await batcher.submit(0).get()) ?? -1 }
            while gate.batches.isEmpty { await Task.yield() }
            for write in 1...35 { group.addTask { (try? await batcher.submit(write).get()) ?? -1 } }
            await Self.waitQueued(batcher, 35)
            gate.open()
            var answered: [Int] = []
            for await value in group { answered.append(value) }
            return answered
        }
        #expect(gate.batches.map(\.count) == [1, 10, 10, 10, 5])
        #expect(gate.batches.flatMap { $0 }.sorted() == Array(0...35))
        #expect(answered.count == 36)
        #expect(answered.filter { $0 == -1 }.count == 1)
    }

    @Test("concurrent deliveries on a real SQLite file: each alert stored once, every receipt right, all durable")
    func concurrentDeliveries() async throws {
        let path = SQLiteJournalTests.temporaryPath()
        let journal = try SQLiteJournal(path: path)
        // 64 deliveries at once; each pair carries the same shared alert, as an HA pair of Alertmanagers would.
        let receipts = try await withThrowingTaskGroup(of: JournalReceipt.self) { group in
            for index in 0..<64 {
                group.addTask {
                    try await journal.record(
                        SQLiteJournalTests.delivery(body: "delivery \(index)"),
                        alerts: [SQLiteJournalTests.alert("own-\(index)"), SQLiteJournalTests.alert("shared-\(index / 2)")]
                    )
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(receipts.count == 64)
        #expect(receipts.map(\.newAlerts).reduce(0, +) == 64 + 32)
        #expect(receipts.map(\.duplicateAlerts).reduce(0, +) == 32)
        #expect(receipts.allSatisfy { !$0.duplicateDelivery && $0.deliveryID != nil })
        #expect(Set(receipts.compactMap(\.deliveryID)).count == 64)
        let statistics = journal.groupCommitStatistics
        #expect(statistics.deliveries == 64)
        #expect(statistics.transactions >= 1 && statistics.transactions <= 64)
        // Everything answered is in the file: a fresh open reads it back.
        let reopened = try SQLiteJournal(path: path)
        let stored = try await reopened.recentAlerts(limit: 1000)
        #expect(stored.count == 96)
        #expect(Set(stored.map(\.alert.fingerprint)).count == 96)
    }

    @Test("a duplicate is answered from a read and begins no transaction")
    func duplicateWithoutTransaction() async throws {
        let journal = try SQLiteJournal(path: SQLiteJournalTests.temporaryPath())
        _ = try await journal.record(SQLiteJournalTests.delivery(), alerts: [SQLiteJournalTests.alert("aa")])
        _ = try await journal.record(SQLiteJournalTests.delivery(key: "sns:1"), alerts: [SQLiteJournalTests.alert("bb")])
        for _ in 0..<5 {
            let again = try await journal.record(SQLiteJournalTests.delivery(), alerts: [SQLiteJournalTests.alert("aa")])
            #expect(again.duplicateDelivery && again.duplicateAlerts == 1)
            let redelivered = try await journal.record(SQLiteJournalTests.delivery(key: "sns:1"), alerts: [SQLiteJournalTests.alert("cc")])
            #expect(redelivered.duplicateDelivery && redelivered.newAlerts == 0)
        }
        #expect(journal.groupCommitStatistics.transactions == 2)
        #expect(journal.groupCommitStatistics.deliveries == 2)
    }
}
