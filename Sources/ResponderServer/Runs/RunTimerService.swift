import ServiceLifecycle

/// The timer loop of the run engine: waits until the next due step (or new work, or a heartbeat) and ticks. Due times
/// come from the durable runs, so a restart resumes them, and steps already due fire on the first tick.
struct RunTimerService: Service {
    let coordinator: any RunControl
    let heartbeat: Duration

    func run() async throws {
        await coordinator.replayBacklog()
        try await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                await coordinator.tick()
                await coordinator.waitForWork(heartbeat: heartbeat)
            }
        }
    }
}
