/// One fuzz target: a named function that feeds arbitrary bytes to a parser or decision function the server runs on
/// outside input.
///
/// The body may throw: a thrown error is the clear refusal the server would answer with, and the harness ignores it.
/// It must never trap. A ``FuzzInvariantViolation`` is the one error the harness treats as a failure: it means the code
/// under test returned something it must never return (a date that does not read back, a link that does not verify).
///
/// Targets that drive async code block the calling thread until it finishes: call them from the fuzzer's thread or a
/// Dispatch queue, never from a task on Swift concurrency's cooperative pool (that can starve the task they wait for).
public struct FuzzTarget: Sendable {
    /// The name used on the command line and as the folder name under `fuzz/corpus/` and `fuzz/regressions/`.
    public let name: String
    /// The largest input worth trying (libFuzzer's `-max_len`); larger inputs only slow the search down.
    public let maxLength: Int
    /// What the target drives, for `responder-fuzz list`.
    public let summary: String
    private let body: @Sendable ([UInt8]) throws -> Void

    /// Creates a target.
    public init(name: String, maxLength: Int, summary: String, body: @escaping @Sendable ([UInt8]) throws -> Void) {
        self.name = name
        self.maxLength = maxLength
        self.summary = summary
        self.body = body
    }

    /// Feeds `bytes` to the code under test. Errors other than ``FuzzInvariantViolation`` are expected refusals.
    public func run(_ bytes: [UInt8]) throws {
        try body(bytes)
    }

    /// Feeds `bytes` and reports only a broken invariant; expected refusals are swallowed.
    public func check(_ bytes: [UInt8]) -> FuzzInvariantViolation? {
        do {
            try body(bytes)
            return nil
        } catch let violation as FuzzInvariantViolation {
            return violation
        } catch {
            return nil
        }
    }
}
