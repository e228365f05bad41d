import Synchronization
import Tracing

/// The trace contexts of recent deliveries and runs, kept in memory so work done later in this process (the engine
/// handling an alert read back from the journal, a ladder step due an hour later) joins or links to the delivery's
/// trace. Bounded: it keeps about the last `capacity` keys (two generations of half that), and a restart forgets it all,
/// so after a restart the engine starts new traces.
public final class TraceMemory: Sendable {
    private struct Generations {
        var current: [String: ServiceContext] = [:]
        var previous: [String: ServiceContext] = [:]
    }

    private let state = Mutex(Generations())
    private let generationSize: Int

    /// A memory of about `capacity` keys.
    public init(capacity: Int = 8_192) {
        generationSize = max(1, capacity / 2)
    }

    /// Remembers `context` under `key` (an alert's idempotency key, a run id).
    public func remember(_ context: ServiceContext, for key: String) {
        let size = generationSize
        state.withLock { memory in
            if memory.current.count >= size, memory.current[key] == nil {
                memory.previous = memory.current
                memory.current = [:]
            }
            memory.current[key] = context
        }
    }

    /// The context remembered under `key`, if it is still kept.
    public func context(for key: String) -> ServiceContext? {
        state.withLock { $0.current[key] ?? $0.previous[key] }
    }
}
