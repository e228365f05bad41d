import ResponderCore
import Synchronization

/// Group commit: concurrent writes share one durable transaction, so ingest is not capped at one fsync per delivery.
///
/// There is no background task. The first caller that finds no batch under way leads: it takes every write queued so
/// far (itself first, at most ``maxBatch``), hands them to `execute` (one transaction), and answers each caller only
/// after that call returned, that is after the commit that holds its write. Writes queued meanwhile wait; when the
/// batch is done the first of them is woken to lead the next one. A caller is therefore never answered before its own
/// commit, and never waits behind more than the batch in flight.
final class GroupCommit<Work: Sendable, Output: Sendable>: Sendable {
    /// Runs a batch in one transaction and returns one result per write, in order; a failed commit fails them all.
    typealias Execute = @Sendable ([Work]) async -> [Result<Output, JournalError>]

    /// Writes per transaction at most, so one commit (and every caller in it) stays short under a flood.
    let maxBatch: Int
    private let execute: Execute
    private let state = Mutex(State())

    private struct State {
        var queue: [Slot] = []
        var leading = false
        var batches = 0
        var writes = 0
    }

    /// A batcher whose transactions hold at most `maxBatch` writes, committed by `execute`.
    init(maxBatch: Int = 256, execute: @escaping Execute) {
        self.maxBatch = max(1, maxBatch)
        self.execute = execute
    }

    /// Transactions begun and the writes they held since the start, and the writes waiting now (tests read it).
    var statistics: (batches: Int, writes: Int, queued: Int) {
        state.withLock { ($0.batches, $0.writes, $0.queue.count) }
    }

    /// Queues `work` and returns its result once the transaction holding it has committed (or failed).
    func submit(_ work: Work) async -> Result<Output, JournalError> {
        let slot = Slot(work)
        let leads = state.withLock { state -> Bool in
            state.queue.append(slot)
            guard !state.leading else { return false }
            state.leading = true
            return true
        }
        if !leads, case .done(let result) = await slot.wait() { return result }
        // This caller leads: it is first in the queue (a new leader found it empty; a woken one was its head).
        let batch = state.withLock { state -> [Slot] in
            let batch = Array(state.queue.prefix(maxBatch))
            state.queue.removeFirst(batch.count)
            state.batches += 1
            state.writes += batch.count
            return batch
        }
        var results = await execute(batch.map(\.work))
        if results.count != batch.count {
            results = Array(repeating: .failure(.unavailable("the journal answered \(results.count) of \(batch.count) writes")),
                            count: batch.count)
        }
        var own: Result<Output, JournalError> = .failure(.unavailable("the write was not in its own batch"))
        for (queued, result) in zip(batch, results) {
            if queued === slot { own = result } else { queued.signal(.done(result)) }
        }
        let next = state.withLock { state -> Slot? in
            if let head = state.queue.first { return head }
            state.leading = false
            return nil
        }
        next?.signal(.lead)
        return own
    }

    /// What a waiting caller is told: its result, or that it leads the next batch.
    private enum Signal: Sendable {
        case done(Result<Output, JournalError>)
        case lead
    }

    /// One queued write and the caller waiting for it; a signal sent before the caller waits is kept until it does.
    private final class Slot: Sendable {
        let work: Work
        private let state = Mutex<Phase>(.queued)

        private enum Phase {
            case queued
            case waiting(CheckedContinuation<Signal, Never>)
            case signalled(Signal)
            case consumed
        }

        init(_ work: Work) {
            self.work = work
        }

        func wait() async -> Signal {
            await withCheckedContinuation { continuation in
                let ready = state.withLock { phase -> Signal? in
                    if case .signalled(let signal) = phase {
                        phase = .consumed
                        return signal
                    }
                    phase = .waiting(continuation)
                    return nil
                }
                if let ready { continuation.resume(returning: ready) }
            }
        }

        func signal(_ signal: Signal) {
            let waiting = state.withLock { phase -> CheckedContinuation<Signal, Never>? in
                switch phase {
                case .queued:
                    phase = .signalled(signal)
                    return nil
                case .waiting(let continuation):
                    phase = .consumed
                    return continuation
                case .signalled, .consumed:
                    return nil
                }
            }
            waiting?.resume(returning: signal)
        }
    }
}
