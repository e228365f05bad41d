import Dispatch
import Foundation
import Logging
import ServiceLifecycle
import UnixSignals

/// Ends the process when a graceful shutdown (SIGTERM, SIGINT) has not finished within `limit`: an orchestrator
/// waits a fixed time before SIGKILL (Kubernetes: 30 s), and an operator expects the process gone in seconds, whatever
/// the database or a backend is doing. Work still in flight is durable in the store and resumed by the next process or
/// another replica.
///
/// The deadline is a dispatch timer armed by the signal, not a task: the service group cancels every task when its
/// graceful shutdown overruns, and the deadline must outlive exactly that. It is never disarmed; a process that
/// finished its shutdown in time has exited before it fires.
struct ShutdownDeadline: Service {
    /// How long after the signal the process may still run.
    let limit: Duration
    /// Where the forced exit is reported.
    let logger: Logger

    /// Arms the deadline at the first shutdown signal; returns when the group stops this service or cancels it.
    func run() async {
        let signals = await UnixSignalsSequence(trapping: .sigterm, .sigint)
        let (limit, logger) = (self.limit, self.logger)
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                for await _ in signals {
                    let (seconds, attoseconds) = limit.components
                    let nanoseconds = Int(clamping: seconds) * 1_000_000_000 + Int(attoseconds / 1_000_000_000)
                    DispatchQueue.global().asyncAfter(deadline: .now() + .nanoseconds(nanoseconds)) {
                        logger.critical(
                            "shutdown did not finish within \(limit) of the signal; exiting now. Steps in flight are resumed from the store by the next start or another replica"
                        )
                        exit(EXIT_FAILURE)
                    }
                    break
                }
            }
            // Returning before the group asks would end the group: wait for that (or for cancellation) here.
            try? await gracefulShutdown()
            group.cancelAll()
        }
    }
}
