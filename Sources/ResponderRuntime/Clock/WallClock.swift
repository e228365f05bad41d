import Foundation
import ResponderCore

/// An instant of a ``WallClock``: a wall-clock date, because due times, leases and stored runs are dates.
public struct WallInstant: InstantProtocol, Sendable, Hashable {
    /// The date this instant names.
    public var date: Date

    /// The instant at `date`.
    public init(_ date: Date) {
        self.date = date
    }

    /// The instant `duration` after this one.
    public func advanced(by duration: Duration) -> WallInstant {
        WallInstant(date.addingTimeInterval(duration.timeInterval))
    }

    /// The duration from this instant to `other`.
    public func duration(to other: WallInstant) -> Duration {
        Duration.clampedSeconds(other.date.timeIntervalSince(date))
    }

    /// Earlier first.
    public static func < (lhs: WallInstant, rhs: WallInstant) -> Bool {
        lhs.date < rhs.date
    }
}

/// The time the run driver and the outbox need, injected: ``SystemWallClock`` in `serve`, ``ManualClock`` in tests,
/// which advance it and await what happens instead of sleeping (Hummingbird's `StateMachine<C: Clock>` and
/// `MockClock` pattern).
public protocol WallClock: Clock, Sendable where Instant == WallInstant, Duration == Swift.Duration {}

extension WallClock {
    /// Now, as a date.
    public var date: Date { now.date }
}

/// The system's wall clock; sleeps with `Task.sleep`.
public struct SystemWallClock: WallClock {
    /// Creates the clock.
    public init() {}

    /// Now.
    public var now: WallInstant { WallInstant(Date()) }

    /// Resolution of `Date`.
    public var minimumResolution: Duration { .microseconds(1) }

    /// Sleeps until `deadline` (throws `CancellationError` when cancelled).
    public func sleep(until deadline: WallInstant, tolerance: Duration?) async throws {
        let delay = deadline.date.timeIntervalSinceNow
        guard delay > 0 else { return try Task.checkCancellation() }
        try await Task.sleep(for: Duration.clampedSeconds(delay), tolerance: tolerance)
    }
}
