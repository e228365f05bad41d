import ResponderCore

/// Finds the backend of a target by name (the playbooks' current target definitions and the configured clients).
public protocol TargetBackends: Sendable {
    /// The backend of `target`; throws a permanent error when the target is unknown or its system is not configured.
    func backend(for target: String) async throws(BackendError) -> any ScalingBackend
}
