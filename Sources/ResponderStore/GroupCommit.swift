import ResponderCore
import Synchronization

/// Group commit: concurrent writes share one durable transaction, so ingest is not capped at one fsync per delivery.
///
/// A caller queues its write here, then asks the database's serial writer to run ``take()`` and commit what it took.
/// The first of those writer calls to run takes every write queued so far (at most ``maxBatch``), in order, and
/// commits them in one transaction; a later call finds its own write already done (committed before the call ran, as
/// the writer is serial) and commits nothing. A caller is answered only after its writer call returned, so never
/// before the commit that holds its write. The batching happens on the writer itself: no task hands work to
/// another, and the writer goes from one commit to the next without waiting for a task to be scheduled.
final class GroupCommit<Work: Sendable, Output: Sendable>: Sendable {
    /// Writes per transaction at most, so one commit (and every caller waiting on it) stays short under a flood.
    let maxBatch: Int
    private let state = Mutex(State())

    private struct State {
        var queue: [Slot] = []
        var batches = 0
        var writes = 0
    }

    /// A batcher whose transactions hold at most `maxBatch` writes.
    init(maxBatch: Int = 256) {
        self.maxBatch = max(1, maxBatch)
    }

    /// Transactions begun and the writes they held since the start, and the writes waiting now.
    var statistics: (batches: Int, writes: Int, queued: Int) {
        state.withLock { ($0.batches, $0.writes, $0.queue.count) }
    }

    /// Queues `work`; its result is in the returned slot once a writer call has committed it.
    func enqueue(_ work: Work) -> Slot {
        let slot = Slot(work)
        state.withLock { $0.queue.append(slot) }
        return slot
    }

    /// The oldest queued writes (at most ``maxBatch``), taken off the queue; empty when none is waiting. Called on the
    /// serial writer, which commits them and gives each its result.
    func take() -> [Slot] {
        state.withLock { state in
            let batch = Array(state.queue.prefix(maxBatch))
            guard !batch.isEmpty else { return [] }
            state.queue.removeFirst(batch.count)
            state.batches += 1
            state.writes += batch.count
            return batch
        }
    }

    /// Takes `slot` off the queue if no writer took it (its writer call failed before it ran): nothing commits it
    /// after its caller was told it failed.
    func withdraw(_ slot: Slot) -> Bool {
        state.withLock { state in
            guard let index = state.queue.firstIndex(where: { $0 === slot }) else { return false }
            state.queue.remove(at: index)
            return true
        }
    }

    /// One queued write and, once committed (or failed), its result.
    final class Slot: Sendable {
        /// The write.
        let work: Work
        private let outcome = Mutex<Result<Output, JournalError>?>(nil)

        init(_ work: Work) {
            self.work = work
        }

        /// The result, once the writer has set it.
        var result: Result<Output, JournalError>? { outcome.withLock { $0 } }

        /// Set by the writer after the transaction holding the write committed or failed.
        func finish(_ result: Result<Output, JournalError>) {
            outcome.withLock { $0 = result }
        }
    }
}
