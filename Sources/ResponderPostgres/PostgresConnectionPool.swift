import Logging
import NIOCore
import PostgresNIO
import ResponderCore
import Synchronization

/// The PostgreSQL connections of one ``PostgresStore``: opened on demand (at most ``maximum`` at once), handed to one
/// operation at a time, kept idle for the next (at most ``maximumIdle``), and closed at the first sign of trouble.
///
/// It replaces postgres-nio's `PostgresClient`, whose pool can leave a lease request waiting after its task was
/// cancelled (a cancellation between its check and its enqueue is lost) and backs off reconnecting by
/// 100 ms × 1.25ⁿ up to 60 s, so after a minute's outage it may wait many seconds to try again. Here:
/// - every wait ends when its task is cancelled (the store's operation deadline cancels it);
/// - a connection attempt is bounded by ``connectTimeout`` (TCP, TLS and start-up together) and by cancellation;
/// - a connection that failed in any way is closed, never reused; the server rolls back what it had open;
/// - a connection the server closed (restart, `pg_terminate_backend`) leaves the pool as soon as its socket closes;
/// - after a failed attempt, operations that need a new connection fail at once for ``backoff`` with the same error
///   (a quick 503 while the database is down), and the first operation after it tries again: a database that
///   returns is used within ``backoff`` of the next operation;
/// - no query is ever lost on a closing connection: postgres-nio drops a query written after its connection's
///   pipeline was torn down (the socket closed) and its caller waits forever, deaf to cancellation. Each connection's
///   socket is opened here with a ``ConnectionCloseGuard`` in its pipeline, which holds back every close until the
///   pool lets it through, when no operation uses the connection any more; until then a closing connection fails
///   queries at once.
final class PostgresConnectionPool: Sendable {
    /// Where and how connections are opened.
    let url: PostgresURL
    /// How a connection authenticates, TLS included, once its socket is open.
    let tls: PostgresConnection.Configuration.TLS
    /// How long opening one connection may take (TCP, TLS and start-up together).
    let connectTimeout: Duration
    /// The most connections open or opening at once; an operation that needs one more waits for one to free up.
    let maximum: Int
    /// The most idle connections kept; more are closed when they are released.
    let maximumIdle: Int
    /// How long operations fail at once with the error of a failed connection attempt before one tries again.
    let backoff: Duration
    private let logger: Logger
    private let state = Mutex(PoolState())

    /// A pool that connects to `url`, each attempt bounded by `connectTimeout`.
    init(url: PostgresURL, connectTimeout: Duration, maximum: Int = 20, maximumIdle: Int = 8,
         backoff: Duration = .milliseconds(250), logger: Logger) throws(JournalError) {
        self.url = url
        tls = try PostgresTLS.connection(url)
        self.connectTimeout = connectTimeout
        self.maximum = max(1, maximum)
        self.maximumIdle = max(0, maximumIdle)
        self.backoff = backoff
        self.logger = logger
    }

    /// Runs `body` on a connection of the pool: an idle one, else a new one (waiting for a free slot when ``maximum``
    /// are open). The connection goes back to the pool when `body` returns and is closed when it throws. Waiting and
    /// connecting end with `CancellationError` when the task is cancelled.
    func withConnection<T: Sendable>(_ body: (PostgresConnection) async throws -> T) async throws -> T {
        let pooled = try await lease()
        let value: T
        do {
            value = try await body(pooled.connection)
        } catch {
            // Whatever failed, the connection's state is unknown (a query may be in flight, a transaction open or
            // aborted): close it; the server rolls back what it had open.
            close(pooled)
            throw error
        }
        release(pooled)
        return value
    }

    /// Closes the idle connections and makes every later operation fail (``PostgresPoolStopped``); connections in use
    /// are closed when released.
    func stop() {
        let (idle, waiters) = state.withLock { state in
            state.stopped = true
            defer {
                state.idle.removeAll()
                state.waiters.removeAll()
            }
            return (state.idle, state.waiters)
        }
        for pooled in idle { close(pooled) }
        for waiter in waiters { waiter.continuation.resume(returning: .stopped) }
    }

    // MARK: Leasing

    private func lease() async throws -> PooledConnection {
        while true {
            try Task.checkCancellation()
            let id = state.withLock { state in
                state.nextWaiter += 1
                return state.nextWaiter
            }
            let step = await withTaskCancellationHandler {
                await withCheckedContinuation { (continuation: CheckedContinuation<LeaseStep, Never>) in
                    // Decide and, if need be, queue in one critical section, so no slot frees unseen in between.
                    let now = state.withLock { state -> LeaseStep? in
                        if state.cancelled.remove(id) != nil { return .cancelled }
                        if state.stopped { return .stopped }
                        while let pooled = state.idle.popLast() {
                            if pooled.usable { return .use(pooled) }
                        }
                        if let failure = state.failure, ContinuousClock.now < failure.until { return .fail(failure.error) }
                        if state.open < maximum {
                            state.open += 1
                            return .connect
                        }
                        state.waiters.append(Waiter(id: id, continuation: continuation))
                        return nil
                    }
                    if let now { continuation.resume(returning: now) }
                }
            } onCancel: {
                let waiter = state.withLock { state -> Waiter? in
                    if let index = state.waiters.firstIndex(where: { $0.id == id }) { return state.waiters.remove(at: index) }
                    state.cancelled.insert(id)
                    return nil
                }
                waiter?.continuation.resume(returning: .cancelled)
            }
            // A cancellation that came after the decision left a mark: clear it.
            _ = state.withLock { $0.cancelled.remove(id) }
            switch step {
            case .use(let pooled): return pooled
            case .connect: return try await open()
            case .fail(let error): throw error
            case .retry: continue
            case .stopped: throw PostgresPoolStopped()
            case .cancelled: throw CancellationError()
            }
        }
    }

    /// Opens a connection in the slot the caller reserved; frees the slot when the attempt fails.
    private func open() async throws -> PooledConnection {
        let id = state.withLock { state in
            state.nextConnection += 1
            return state.nextConnection
        }
        let started = ContinuousClock.now
        let pooled: PooledConnection
        do {
            pooled = try await connect(id: id)
        } catch {
            let cancelled = Task.isCancelled || error is CancellationError
            let (waiter, first) = state.withLock { state -> (Waiter?, Bool) in
                state.open -= 1
                var first = false
                // A cancelled attempt (the operation's deadline passed) says nothing about the server: no backoff.
                if !cancelled {
                    first = !state.degraded
                    state.degraded = true
                    state.failure = Failure(error: error, until: ContinuousClock.now + backoff)
                }
                return (state.waiters.isEmpty ? nil : state.waiters.removeFirst(), first)
            }
            waiter?.continuation.resume(returning: .retry)
            if first {
                logger.warning("cannot connect to PostgreSQL; operations fail until it answers, and connecting is retried",
                               metadata: ["error": "\(PostgresErrors.describe(error))",
                                          "after": "\(ContinuousClock.now - started)"])
            }
            throw error
        }
        let (stopped, restored) = state.withLock { state -> (Bool, Bool) in
            state.failure = nil
            defer { state.degraded = false }
            return (state.stopped, state.degraded)
        }
        if restored { logger.notice("connected to PostgreSQL again") }
        // The slot is freed when the socket closes, whoever closes it; the callback keeps the connection alive until
        // then (postgres-nio asserts that a connection is closed before it goes away).
        pooled.connection.closeFuture.whenComplete { [self] _ in closed(pooled) }
        // The server ended the session or closed its side, or a query's deadline closed it: an idle connection is
        // closed now, one in use when its operation ends.
        pooled.closeGuard.arm { [weak pooled, self] in
            if let pooled { defunct(pooled) }
        }
        if stopped {
            close(pooled)
            throw PostgresPoolStopped()
        }
        return pooled
    }

    /// Opens a socket with a ``ConnectionCloseGuard`` (TCP connect bounded by ``connectTimeout`` and by cancellation),
    /// then starts a PostgreSQL session on it (TLS and authentication, bounded the same way).
    private func connect(id: Int) async throws -> PooledConnection {
        let timeout = TimeAmount.nanoseconds(
            max(1, connectTimeout.components.seconds * 1_000_000_000 + connectTimeout.components.attoseconds / 1_000_000_000)
        )
        let closeGuard = ConnectionCloseGuard()
        let connecting = ClientBootstrap(group: PostgresConnection.defaultEventLoopGroup)
            .connectTimeout(timeout)
            // The server closing its side must not tear the pipeline down under a query: the guard turns it into an
            // error postgres-nio handles, and the pool closes the socket.
            .channelOption(.allowRemoteHalfClosure, value: true)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(closeGuard) }
            }
            .connect(host: url.host, port: url.port)
        let channel = try await ConnectAttempt().wait(connecting)
        var configuration = PostgresConnection.Configuration(
            establishedChannel: channel, tls: tls, username: url.user, password: url.password, database: url.database
        )
        configuration.options.connectTimeout = timeout
        if (try? SocketAddress(ipAddress: url.host, port: 0)) == nil { configuration.options.tlsServerName = url.host }
        do {
            let connection = try await PostgresConnection.connect(
                on: channel.eventLoop, configuration: configuration, id: id, logger: logger
            )
            return PooledConnection(connection: connection, closeGuard: closeGuard)
        } catch {
            channel.close(mode: .all, promise: nil)
            throw error
        }
    }

    /// A connection's socket closed: it leaves the idle list (if there) and its slot goes to the next waiter.
    private func closed(_ pooled: PooledConnection) {
        let waiter = state.withLock { state -> Waiter? in
            state.idle.removeAll { $0 === pooled }
            state.open -= 1
            return state.waiters.isEmpty ? nil : state.waiters.removeFirst()
        }
        waiter?.continuation.resume(returning: .retry)
    }

    /// The connection asked to close (the server ended the session, or a deadline closed it): closed now if idle,
    /// else when its operation ends.
    private func defunct(_ pooled: PooledConnection) {
        let idle = state.withLock { state -> Bool in
            guard let index = state.idle.firstIndex(where: { $0 === pooled }) else { return false }
            state.idle.remove(at: index)
            return true
        }
        if idle { close(pooled) }
    }

    /// An operation is done with `pooled`: it goes to the next waiter, or idle, or is closed.
    private func release(_ pooled: PooledConnection) {
        guard pooled.usable else {
            close(pooled)
            return
        }
        let (waiter, keep) = state.withLock { state -> (Waiter?, Bool) in
            if state.stopped { return (nil, false) }
            if !state.waiters.isEmpty { return (state.waiters.removeFirst(), true) }
            guard state.idle.count < maximumIdle else { return (nil, false) }
            state.idle.append(pooled)
            return (nil, true)
        }
        if let waiter {
            waiter.continuation.resume(returning: .use(pooled))
        } else if !keep {
            close(pooled)
        }
    }

    /// Closes a connection no operation uses: postgres-nio fails what is queued on it, then the guard lets the socket
    /// close (both on the connection's event loop, in this order).
    private func close(_ pooled: PooledConnection) {
        let closing: EventLoopFuture<Void> = pooled.connection.close()
        closing.whenComplete { _ in }
        pooled.closeGuard.release()
    }
}

/// A connection of the pool with the guard in its pipeline.
final class PooledConnection: Sendable {
    /// The PostgreSQL session.
    let connection: PostgresConnection
    /// Holds its socket open until the pool closes it.
    let closeGuard: ConnectionCloseGuard

    /// Pairs a session with the guard of its socket.
    init(connection: PostgresConnection, closeGuard: ConnectionCloseGuard) {
        self.connection = connection
        self.closeGuard = closeGuard
    }

    /// Whether it can serve another operation: open, and nobody asked it to close.
    var usable: Bool { !connection.isClosed && !closeGuard.closeRequested }
}

/// The first handler of a pooled connection's pipeline (next to the socket). Once armed, it holds back every close
/// (postgres-nio's, after a server error or a deadline's `close()`) until ``release()``, and turns the server closing
/// its side (half-closure is allowed on these sockets) into an error postgres-nio handles: postgres-nio then fails
/// queries at once instead of writing them to a torn-down pipeline, where they would be lost and their callers wait
/// forever. It tells the pool once that the connection wants to close.
///
/// Its channel state is touched only on the channel's event loop; the flags other threads read are behind a lock.
final class ConnectionCloseGuard: ChannelDuplexHandler, @unchecked Sendable {
    /// Bytes from the socket, passed on untouched.
    typealias InboundIn = ByteBuffer
    /// Bytes to the socket, passed on untouched.
    typealias OutboundIn = ByteBuffer

    /// The flags other threads read and write.
    private struct Flags {
        var armed = false
        var closeRequested = false
        var released = false
        var onCloseRequested: (@Sendable () -> Void)?
        var eventLoop: (any EventLoop)?
    }

    private let flags = Mutex(Flags())
    /// The handler's context, set and read on the event loop only.
    private var context: ChannelHandlerContext?

    /// Whether the connection asked to close since it was armed.
    var closeRequested: Bool { flags.withLock { $0.closeRequested } }

    /// From now on closes are held back until ``release()``; `onCloseRequested` is called (once, on the event loop)
    /// when one is asked for.
    func arm(onCloseRequested: @escaping @Sendable () -> Void) {
        flags.withLock { flags in
            flags.armed = true
            flags.onCloseRequested = onCloseRequested
        }
    }

    /// Lets the socket close now (from any thread), as the pool decides when no operation uses the connection.
    func release() {
        let eventLoop = flags.withLock { flags in
            flags.released = true
            return flags.eventLoop
        }
        eventLoop?.execute { [self] in
            context?.close(mode: .all, promise: nil)
        }
    }

    /// Remembers the context and the event loop.
    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        flags.withLock { $0.eventLoop = context.eventLoop }
    }

    /// Forgets the context.
    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
    }

    /// The server closed its side: fail what is in flight (postgres-nio closes the connection, which is held back here).
    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? ChannelEvent, event == .inputClosed, flags.withLock({ $0.armed && !$0.released }) {
            context.fireErrorCaught(ChannelError.eof)
            requested()
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    /// Holds the close back once armed and until released; the promise completes when the socket closes.
    func close(context: ChannelHandlerContext, mode: CloseMode, promise: EventLoopPromise<Void>?) {
        let hold = mode == .all && flags.withLock { $0.armed && !$0.released }
        guard hold else {
            context.close(mode: mode, promise: promise)
            return
        }
        if let promise { context.channel.closeFuture.cascade(to: promise) }
        requested()
    }

    private func requested() {
        let callback = flags.withLock { flags -> (@Sendable () -> Void)? in
            guard !flags.closeRequested else { return nil }
            flags.closeRequested = true
            return flags.onCloseRequested
        }
        callback?()
    }
}

/// Waits for a socket to connect, ending with `CancellationError` as soon as the task is cancelled; a socket that
/// connects after that is closed.
private final class ConnectAttempt: Sendable {
    private let state = Mutex<(continuation: CheckedContinuation<any Channel, any Error>?, done: Bool)>((nil, false))

    /// The channel `connecting` gives.
    func wait(_ connecting: EventLoopFuture<any Channel>) async throws -> any Channel {
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<any Channel, any Error>) in
                let cancelled = state.withLock { state -> Bool in
                    if state.done { return true }
                    state.continuation = continuation
                    return false
                }
                if cancelled {
                    continuation.resume(throwing: CancellationError())
                    connecting.whenSuccess { $0.close(mode: .all, promise: nil) }
                    return
                }
                connecting.whenComplete { [self] result in finish(result) }
            }
        } onCancel: {
            finish(.failure(CancellationError()))
        }
    }

    private func finish(_ result: Result<any Channel, any Error>) {
        let continuation = state.withLock { state -> CheckedContinuation<any Channel, any Error>? in
            if state.done { return nil }
            state.done = true
            defer { state.continuation = nil }
            return state.continuation
        }
        if let continuation {
            continuation.resume(with: result)
        } else if case .success(let channel) = result {
            channel.close(mode: .all, promise: nil)
        }
    }
}
/// What a ``PostgresConnectionPool`` keeps under its lock.
private struct PoolState: Sendable {
    /// Connections open and not in use, the most recently used last.
    var idle: [PooledConnection] = []
    /// Connections open or opening (in use, idle, or being connected).
    var open = 0
    /// Operations waiting for a slot, first come first served.
    var waiters: [Waiter] = []
    /// Waiters whose task was cancelled before they were queued.
    var cancelled: Set<Int> = []
    /// The last failed connection attempt and until when operations fail with its error.
    var failure: Failure?
    /// Whether the last connection attempt failed (logged once per outage).
    var degraded = false
    /// Whether ``PostgresConnectionPool/stop()`` was called.
    var stopped = false
    /// The id of the last lease attempt.
    var nextWaiter = 0
    /// The id of the last connection opened (for postgres-nio's log metadata).
    var nextConnection = 0
}

/// What one try at leasing a connection decided.
private enum LeaseStep: Sendable {
    /// Use this connection.
    case use(PooledConnection)
    /// A slot is reserved: open a connection.
    case connect
    /// Fail with this error (the last attempt's, within the backoff).
    case fail(any Error)
    /// Something changed (a slot freed): decide again.
    case retry
    /// The pool stopped.
    case stopped
    /// The task was cancelled.
    case cancelled
}

/// An operation waiting for a connection slot.
private struct Waiter: Sendable {
    /// Which lease it is.
    let id: Int
    /// Resumed with what to do next.
    let continuation: CheckedContinuation<LeaseStep, Never>
}

/// A failed connection attempt, remembered for the backoff.
private struct Failure: Sendable {
    /// What the attempt failed with.
    let error: any Error
    /// When the next attempt may be made.
    let until: ContinuousClock.Instant
}

/// The store was used after its ``PostgresStore/run()`` ended.
struct PostgresPoolStopped: Error, CustomStringConvertible {
    /// Says what happened.
    var description: String { "the PostgreSQL store was stopped (the server is shutting down)" }
}
