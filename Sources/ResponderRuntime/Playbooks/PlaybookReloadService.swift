import Logging
import ServiceLifecycle
import UnixSignals

/// Reloads the playbooks on SIGHUP until the service group shuts down.
public struct PlaybookReloadService: Service {
    let registry: PlaybookRegistry

    /// A service reloading `registry`.
    public init(registry: PlaybookRegistry) {
        self.registry = registry
    }

    /// Reloads at each SIGHUP until the group shuts down.
    public func run() async throws {
        let signals = await UnixSignalsSequence(trapping: .sighup)
        try await cancelWhenGracefulShutdown {
            for await _ in signals {
                await registry.reload()
            }
        }
    }
}
