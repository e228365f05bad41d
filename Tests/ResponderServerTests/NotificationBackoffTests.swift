@testable import ResponderRuntime
import Testing

@Suite("notification retry backoff")
struct NotificationBackoffTests {
    @Test("the delay doubles up to its maximum, and a stored attempt count of Int.max costs no more than a few doublings")
    func hugeAttemptCount() {
        let backoff = NotificationService.Backoff(initial: .seconds(2), maximum: .seconds(300))
        #expect(backoff.delay(afterAttempts: 1, retryAfter: nil) == .seconds(2))
        #expect(backoff.delay(afterAttempts: 3, retryAfter: nil) == .seconds(8))
        #expect(backoff.delay(afterAttempts: 20, retryAfter: nil) == .seconds(300))
        let clock = ContinuousClock()
        let started = clock.now
        #expect(backoff.delay(afterAttempts: .max, retryAfter: nil) == .seconds(300))
        #expect(clock.now - started < .seconds(1), "the count is not looped through")
        #expect(backoff.delay(afterAttempts: .min, retryAfter: nil) == .seconds(2))
    }

    @Test("a Retry-After longer than the delay wins, up to one hour")
    func retryAfterWins() {
        let backoff = NotificationService.Backoff()
        #expect(backoff.delay(afterAttempts: 1, retryAfter: .seconds(30)) == .seconds(30))
        #expect(backoff.delay(afterAttempts: 1, retryAfter: .seconds(86_400)) == .seconds(3_600))
    }
}
