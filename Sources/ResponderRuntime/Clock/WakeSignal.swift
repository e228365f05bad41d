import Synchronization

/// A sleep that ends early when woken, or at once when its task is cancelled: the run timers and the notification
/// outbox sleep until their next due time, new work wakes them, and shutdown never waits for a sleep to run out. A
/// wake sent while nobody sleeps is kept (one), so work queued just before a sleep is not slept through.
final class WakeSignal: Sendable {
    private struct State {
        var pending = false
        var waiter: CheckedContinuation<Void, Never>?
    }

    private let state = Mutex(State())

    /// Creates a signal with no wake pending.
    init() {}

    /// Ends the current sleep, or the next one if nobody sleeps now.
    func wake() {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard let waiter = state.waiter else {
                state.pending = true
                return nil
            }
            state.waiter = nil
            return waiter
        }
        waiter?.resume()
    }

    /// Returns after `delay` on `clock`, at a wake, or when the task is cancelled, whichever comes first.
    func sleep(for delay: Duration, on clock: any WallClock) async {
        await sleep(until: clock.now.advanced(by: delay), on: clock)
    }

    /// Returns when `clock` reaches `deadline`, at a wake, or when the task is cancelled, whichever comes first.
    func sleep(until deadline: WallInstant, on clock: any WallClock) async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.waitForWake() }
            group.addTask { try? await clock.sleep(until: deadline, tolerance: nil) }
            await group.next()
            group.cancelAll()
        }
    }

    /// Returns at a wake (or at once if one is pending) or when the task is cancelled.
    private func waitForWake() async {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow = state.withLock { state -> Bool in
                    if state.pending || Task.isCancelled {
                        state.pending = false
                        return true
                    }
                    state.waiter = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
                defer { state.waiter = nil }
                return state.waiter
            }
            waiter?.resume()
        }
    }
}
