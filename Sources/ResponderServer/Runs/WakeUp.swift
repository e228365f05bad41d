import ResponderCore

/// A sleep that ends early when woken: the timer loop sleeps until the next due time, and new work wakes it.
actor WakeUp {
    private var continuation: CheckedContinuation<Void, Never>?
    private var generation = 0

    /// Returns after `seconds`, or earlier at ``wake()``.
    func wait(seconds: Double) async {
        generation += 1
        let current = generation
        await withCheckedContinuation { continuation in
            self.continuation = continuation
            Task {
                try? await Task.sleep(for: Duration.clampedSeconds(seconds) + .milliseconds(1))
                self.fire(current)
            }
        }
    }

    /// Ends the current wait, if any.
    func wake() { fire(nil) }

    private func fire(_ expected: Int?) {
        guard expected == nil || expected == generation, let continuation else { return }
        self.continuation = nil
        continuation.resume()
    }
}
