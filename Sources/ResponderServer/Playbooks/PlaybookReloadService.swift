import Logging
import ServiceLifecycle
import UnixSignals

/// Reloads the playbooks on SIGHUP until the service group shuts down.
struct PlaybookReloadService: Service {
    let registry: PlaybookRegistry

    func run() async throws {
        let signals = await UnixSignalsSequence(trapping: .sighup)
        try await cancelWhenGracefulShutdown {
            for await _ in signals {
                await registry.reload()
            }
        }
    }
}
