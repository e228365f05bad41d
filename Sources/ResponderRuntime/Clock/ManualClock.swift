import Foundation
import Synchronization

/// A clock that moves only when a test moves it. Sleepers wake when ``advance(by:)`` reaches their deadline (or at
/// cancellation), so a test drives timers step by step and awaits what they do, without real waiting; ``sleepers``
/// tells it when the code under test has gone to sleep.
public final class ManualClock: WallClock {
    private struct Sleeper {
        let id: Int
        let deadline: WallInstant
        let continuation: CheckedContinuation<Void, any Error>
    }

    private struct State {
        var now: WallInstant
        var sleepers: [Sleeper] = []
        var nextID = 0
        var sleepWaiters: [(count: Int, continuation: CheckedContinuation<Void, Never>)] = []
    }

    private let state: Mutex<State>

    /// A clock standing at `start`.
    public init(start: Date) {
        state = Mutex(State(now: WallInstant(start)))
    }

    /// Where the clock stands.
    public var now: WallInstant { state.withLock { $0.now } }

    /// One millisecond.
    public var minimumResolution: Duration { .milliseconds(1) }

    /// How many tasks sleep on this clock now.
    public var sleepers: Int { state.withLock { $0.sleepers.count } }

    /// Suspends until the clock reaches `deadline` (at once if it has), or throws `CancellationError` when cancelled.
    public func sleep(until deadline: WallInstant, tolerance: Duration?) async throws {
        let id = state.withLock { state -> Int in
            state.nextID += 1
            return state.nextID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let outcome = state.withLock { state -> (resume: Bool, cancelled: Bool, waiters: [CheckedContinuation<Void, Never>]) in
                    if Task.isCancelled { return (true, true, []) }
                    if deadline <= state.now { return (true, false, []) }
                    state.sleepers.append(Sleeper(id: id, deadline: deadline, continuation: continuation))
                    return (false, false, Self.takeSatisfied(&state))
                }
                for waiter in outcome.waiters { waiter.resume() }
                if outcome.cancelled {
                    continuation.resume(throwing: CancellationError())
                } else if outcome.resume {
                    continuation.resume()
                }
            }
        } onCancel: {
            let sleeper = state.withLock { state -> Sleeper? in
                guard let index = state.sleepers.firstIndex(where: { $0.id == id }) else { return nil }
                return state.sleepers.remove(at: index)
            }
            sleeper?.continuation.resume(throwing: CancellationError())
        }
    }

    /// Moves the clock forward by `duration` and wakes every sleeper whose deadline it reached.
    public func advance(by duration: Duration) {
        let due = state.withLock { state -> [Sleeper] in
            state.now = state.now.advanced(by: duration)
            let now = state.now
            let due = state.sleepers.filter { $0.deadline <= now }
            state.sleepers.removeAll { $0.deadline <= now }
            return due
        }
        for sleeper in due { sleeper.continuation.resume() }
    }

    /// Moves the clock forward to `date` (nothing when it stands there or later) and wakes the sleepers it reached.
    public func advance(to date: Date) {
        let gap = date.timeIntervalSince(now.date)
        if gap > 0 { advance(by: .milliseconds(Int64((gap * 1000).rounded()))) }
    }

    /// Returns once at least `count` tasks sleep on this clock (the code under test is waiting for time to pass).
    public func waitForSleepers(_ count: Int = 1) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let ready = state.withLock { state -> Bool in
                if state.sleepers.count >= count { return true }
                state.sleepWaiters.append((count, continuation))
                return false
            }
            if ready { continuation.resume() }
        }
    }

    private static func takeSatisfied(_ state: inout State) -> [CheckedContinuation<Void, Never>] {
        let count = state.sleepers.count
        let ready = state.sleepWaiters.filter { $0.count <= count }.map(\.continuation)
        state.sleepWaiters.removeAll { $0.count <= count }
        return ready
    }
}
