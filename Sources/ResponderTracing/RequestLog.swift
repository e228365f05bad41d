import Synchronization

/// The outbound requests one step made, as ``OutboundCall`` sees them: method, scheme, host, port and path (never the
/// query, which may carry a token), and how each ended. The run keeps them on the step, so its page shows the exact
/// calls a live step made.
public final class RequestLog: Sendable {
    /// The log of the step running in this task, if any.
    @TaskLocal public static var current: RequestLog?

    /// Most requests kept for one step attempt.
    public static let maxEntries = 32
    /// Longest request line kept (a URL path can be long).
    public static let maxLine = 512

    private let entries = Mutex<[(line: String, outcome: String?)]>([])

    /// An empty log.
    public init() {}

    /// The requests in order, each `METHOD url → outcome`.
    public var lines: [String] {
        entries.withLock { $0.map { $0.line + " → " + ($0.outcome ?? "no answer") } }
    }

    /// Adds a request; its position, or nil when the log is full.
    func start(_ line: String) -> Int? {
        entries.withLock { entries in
            guard entries.count < Self.maxEntries else { return nil }
            entries.append((String(line.prefix(Self.maxLine)), nil))
            return entries.count - 1
        }
    }

    /// Says how request `index` ended; the first word stays.
    func finish(_ index: Int, _ outcome: String) {
        entries.withLock { entries in
            if entries.indices.contains(index), entries[index].outcome == nil { entries[index].outcome = outcome }
        }
    }
}
