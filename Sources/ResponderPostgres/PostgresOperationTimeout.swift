/// An operation on the shared store did not finish in time: no pooled connection became free, or the server stopped
/// answering (stopped, failing over, or unreachable without a reset).
struct PostgresOperationTimeout: Error, CustomStringConvertible {
    /// The limit that passed.
    let timeout: Duration

    /// Says what happened and what the caller sees.
    var description: String {
        "PostgreSQL did not answer within \(timeout) (stopped, failing over or unreachable); the operation was abandoned "
            + "and its connection closed, and it is retried once the database answers"
    }
}

/// What came first in ``PostgresStore``'s timed operations: the operation's value or its deadline.
enum TimedResult<T: Sendable>: Sendable {
    /// The operation finished with this value.
    case finished(T)
    /// The deadline passed first.
    case timedOut
}
