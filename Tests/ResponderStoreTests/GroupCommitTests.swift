import Dispatch
import Foundation
import ResponderCore
@testable import ResponderStore
import Testing

@Suite("Group commit")
struct GroupCommitTests {
    @Test("the writer takes the oldest queued writes, at most maxBatch a transaction, in order; a withdrawn one is never taken")
    func takesInOrder() {
        let batcher = GroupCommit<Int, Int>(maxBatch: 2)
        let slots = (0..<5).map { batcher.enqueue($0) }
        #expect(batcher.withdraw(slots[3]))
        #expect(batcher.take().map(\.work) == [0, 1])
        #expect(!batcher.withdraw(slots[0]), "a taken write cannot be withdrawn: the writer commits it")
        #expect(batcher.take().map(\.work) == [2, 4])
        #expect(batcher.take().isEmpty)
        #expect(batcher.statistics.batches == 2 && batcher.statistics.writes == 4 && batcher.statistics.queued == 0)
    }

    @Test("the writer syncs every commit (synchronous = FULL), although GRDB's WAL set-up turns it to NORMAL")
    func fullSync() async throws {
        let path = SQLiteJournalTests.temporaryPath()
        #expect(try await SQLiteJournal(path: path).synchronousLevel() == 2)
        // Also when an existing file is opened again.
        #expect(try await SQLiteJournal(path: path).synchronousLevel() == 2)
    }

    @Test("deliveries made while the writer is busy share its next transaction, each with its own receipt")
    func shareTheNextTransaction() async throws {
        let journal = try SQLiteJournal(path: SQLiteJournalTests.temporaryPath())
        _ = try await journal.record(SQLiteJournalTests.delivery(), alerts: [SQLiteJournalTests.alert("first")])
        let before = journal.groupCommitStatistics
        // The writer is held by another write while 40 deliveries arrive.
        let release = DispatchSemaphore(value: 0)
        async let held: Void = journal.pool.writeWithoutTransaction { _ in release.wait() }
        let receipts = try await withThrowingTaskGroup(of: (Int, JournalReceipt).self) { group in
            for index in 0..<40 {
                group.addTask {
                    // Every other delivery repeats its neighbour's shared alert: duplicates inside one transaction.
                    let alerts = [SQLiteJournalTests.alert("own-\(index)"), SQLiteJournalTests.alert("shared-\(index / 2)")]
                    return (index, try await journal.record(SQLiteJournalTests.delivery(body: "d\(index)"), alerts: alerts))
                }
            }
            while journal.queuedDeliveries < 40 { try await Task.sleep(for: .milliseconds(1)) }
            release.signal()
            return try await group.reduce(into: [Int: JournalReceipt]()) { $0[$1.0] = $1.1 }
        }
        try await held
        let after = journal.groupCommitStatistics
        #expect(after.transactions - before.transactions == 1, "one transaction for the 40 deliveries")
        #expect(after.deliveries - before.deliveries == 40)
        #expect(receipts.count == 40)
        #expect(receipts.values.map(\.newAlerts).reduce(0, +) == 60)
        #expect(receipts.values.map(\.duplicateAlerts).reduce(0, +) == 20)
        #expect(Set(receipts.values.compactMap(\.deliveryID)).count == 40)
        // Of each pair, the one queued first stored the shared alert; the other found it stored.
        for index in stride(from: 0, to: 40, by: 2) {
            #expect(Set([receipts[index]?.newAlerts, receipts[index + 1]?.newAlerts]) == [2, 1])
        }
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
        #expect(journal.groupCommitStatistics.deliveries == 64)
        #expect(journal.queuedDeliveries == 0)
        // Everything answered is in the file: a fresh open reads it back.
        let reopened = try SQLiteJournal(path: path)
        let stored = try await reopened.recentAlerts(limit: 1000)
        #expect(stored.count == 96)
        #expect(Set(stored.map(\.alert.fingerprint)).count == 96)
    }

    @Test("duplicateReceipt answers a re-sent delivery from a read; record of one stores nothing")
    func duplicateWithoutTransaction() async throws {
        let journal = try SQLiteJournal(path: SQLiteJournalTests.temporaryPath())
        _ = try await journal.record(SQLiteJournalTests.delivery(), alerts: [SQLiteJournalTests.alert("aa")])
        _ = try await journal.record(SQLiteJournalTests.delivery(key: "sns:1"), alerts: [SQLiteJournalTests.alert("bb")])
        for _ in 0..<5 {
            let again = try #require(try await journal.duplicateReceipt(SQLiteJournalTests.delivery(), alerts: [SQLiteJournalTests.alert("aa")]))
            #expect(again.duplicateDelivery && again.duplicateAlerts == 1)
            let redelivered = try #require(try await journal.duplicateReceipt(SQLiteJournalTests.delivery(key: "sns:1"), alerts: [SQLiteJournalTests.alert("cc")]))
            #expect(redelivered.duplicateDelivery && redelivered.newAlerts == 0)
        }
        #expect(journal.groupCommitStatistics.transactions == 2, "the reads began no transaction")
        #expect(try await journal.duplicateReceipt(SQLiteJournalTests.delivery(), alerts: [SQLiteJournalTests.alert("aa"), SQLiteJournalTests.alert("new")]) == nil)
        #expect(try await journal.duplicateReceipt(SQLiteJournalTests.delivery(key: "sns:2"), alerts: []) == nil)
        let recorded = try await journal.record(SQLiteJournalTests.delivery(), alerts: [SQLiteJournalTests.alert("aa")])
        #expect(recorded.duplicateDelivery && recorded.deliveryID == nil)
        #expect(try await journal.recentDeliveries(limit: 10).count == 2)
    }
}
