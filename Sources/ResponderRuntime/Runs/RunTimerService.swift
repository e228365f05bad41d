import Logging
import ResponderCore
import ServiceLifecycle
import Tracing

/// Runs the run driver: its timer loop (waits until the next due step, new work or a heartbeat, and ticks), its ingest
/// loop (reads accepted alerts back from the journal) and every step it starts, each in this service's task group, so
/// nothing outlives the service. Due times come from the durable runs, so a restart resumes them.
///
/// At graceful shutdown the loops stop first, so no new step starts; steps already running finish and their results
/// are saved (a step cut off by the group's shutdown limit is re-checked by whoever claims its run next).
public struct RunTimerService: Service {
    let coordinator: RunCoordinator
    let executor: any StepExecutor
    let heartbeat: Duration
    let stepTimed: @Sendable (StepResult, Duration) -> Void

    /// A service driving `coordinator`, executing its steps with `executor`, ticking at least every `heartbeat`;
    /// `stepTimed` is told each step's result and how long the executor took (monotonic time).
    public init(coordinator: RunCoordinator, executor: any StepExecutor, heartbeat: Duration = .seconds(1),
                stepTimed: @escaping @Sendable (StepResult, Duration) -> Void = { _, _ in }) {
        self.coordinator = coordinator
        self.executor = executor
        self.heartbeat = heartbeat
        self.stepTimed = stepTimed
    }

    /// Drives the coordinator until the service group shuts down.
    public func run() async throws {
        let (coordinator, executor, heartbeat, stepTimed) = (self.coordinator, self.executor, self.heartbeat, self.stepTimed)
        await withDiscardingTaskGroup { group in
            group.addTask {
                try? await cancelWhenGracefulShutdown {
                    let begun = ContinuousClock.now
                    await coordinator.replayBacklog()
                    await withDiscardingTaskGroup { loops in
                        loops.addTask {
                            var first = true
                            while !Task.isCancelled {
                                await coordinator.tick()
                                if first {
                                    // The server took deliveries meanwhile; this says when the runs were back in hand.
                                    first = false
                                    coordinator.logger.info("run driver started: open runs restored, backlog replayed, due runs checked",
                                                            metadata: ["seconds": "\((ContinuousClock.now - begun).timeInterval)"])
                                }
                                await coordinator.waitForWork(heartbeat: heartbeat)
                            }
                        }
                        loops.addTask { await coordinator.drainLoop() }
                    }
                }
                await coordinator.stopStarting()
            }
            for await execution in coordinator.executions {
                group.addTask {
                    let begun = ContinuousClock.now
                    let (result, trace, requests) = await StepSpan.execute(execution, with: executor)
                    stepTimed(result, ContinuousClock.now - begun)
                    // The result's transaction continues the step's trace.
                    await ServiceContext.withValue(trace) {
                        await coordinator.finished(execution, result: result, requests: requests)
                    }
                }
            }
        }
    }
}
