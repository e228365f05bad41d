import Foundation
import ResponderCore

/// Refuses a Slack request whose (timestamp, signature) pair was already accepted.
///
/// A captured request stays valid for ``window`` after its timestamp, so each accepted pair is remembered until its
/// timestamp plus the window has passed. Expired pairs are dropped by a sweep that runs on ``admit(timestamp:signature:now:)``
/// at most once per tenth of the window (and whenever the guard is full). Memory is bounded by ``capacity``: when the
/// guard is full of live entries it refuses new requests (``SlackSignatureError/replayGuardFull``) rather than forget
/// one and let its replay through. Call it only after ``SlackRequestVerifier/verify(body:timestamp:signature:now:)``
/// succeeded, so only Slack-signed requests take room.
public actor SlackReplayGuard {
    /// How long after its timestamp a pair is remembered (the verifier's window).
    public let window: Duration
    /// Most pairs remembered at once.
    public let capacity: Int

    private var forgetAt: [String: Date] = [:]
    private var nextSweep = Date.distantPast

    /// Creates a guard; `window` should equal the verifier's.
    public init(window: Duration = .seconds(300), capacity: Int = 100_000) {
        self.window = window
        self.capacity = max(1, capacity)
    }

    /// The number of pairs remembered now (for metrics and tests).
    public var count: Int { forgetAt.count }

    /// Records the pair, or throws ``SlackSignatureError/replayed`` when it was accepted before within the window.
    public func admit(timestamp: String, signature: String, now: Date) throws(SlackSignatureError) {
        guard let seconds = SlackRequestVerifier.parseTimestamp(timestamp) else { throw .malformedTimestamp }
        // A well-formed v0 signature is 67 characters; anything much longer never passed the verifier.
        guard signature.utf8.count <= 128 else { throw .mismatch }
        let expiry = Date(timeIntervalSince1970: TimeInterval(seconds)).addingTimeInterval(window.timeInterval)
        guard expiry >= now else { throw .stale }

        if now >= nextSweep { sweep(now: now) }
        let key = timestamp + ":" + signature
        if let remembered = forgetAt[key], remembered >= now { throw .replayed }
        if forgetAt.count >= capacity {
            sweep(now: now)
            guard forgetAt.count < capacity else { throw .replayGuardFull }
        }
        forgetAt[key] = expiry
    }

    private func sweep(now: Date) {
        forgetAt = forgetAt.filter { $0.value >= now }
        // A tenth of the window between sweeps keeps the cost negligible and the memory close to the live set.
        nextSweep = now.addingTimeInterval(window.timeInterval / 10)
    }
}
