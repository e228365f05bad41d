import ResponderCore

/// A docker compose service as a ``ScalingBackend`` (replicas only).
public struct ComposeBackend: ScalingBackend {
    private let scaler: ComposeScaler
    private let compose: Target.Compose

    /// Creates the backend of `compose` run through `scaler`.
    public init(_ compose: Target.Compose, scaler: ComposeScaler) {
        self.compose = compose
        self.scaler = scaler
    }

    /// `compose service <project>/<service>`.
    public var label: String { "compose service \(compose.project)/\(compose.service)" }

    /// Running containers of the service (`docker compose ps -q`).
    public func replicas() async throws(BackendError) -> Int {
        let count: Int
        do { count = try await scaler.replicas(of: compose) } catch { throw CommandBackend.classify(error) }
        return try BackendError.checkedCount(count, "a container count of", of: label)
    }

    /// `docker compose up -d --no-recreate --scale SERVICE=N SERVICE`.
    public func setReplicas(_ count: Int) async throws(BackendError) {
        do { try await scaler.scale(compose, to: count) } catch { throw CommandBackend.classify(error) }
    }

    /// The argv that would run, as JSON.
    public func request(for operation: BackendOperation) -> String {
        guard case .setReplicas(let count) = operation else { return "\(label): not supported" }
        return CommandBackend.json(scaler.scaleArgv(compose, to: count))
    }
}
