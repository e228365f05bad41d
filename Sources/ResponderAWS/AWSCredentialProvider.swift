import Foundation

/// A source of AWS credentials (environment, shared file, container endpoint, web identity, a chain of them).
/// Implementations are safe to call concurrently and cache what they fetch.
public protocol AWSCredentialProvider: Sendable {
    /// Current credentials, fetched or refreshed when needed.
    func credentials() async throws(AWSCredentialError) -> AWSCredentials
}

/// Reads the current time; injected so tests can move it without sleeping.
public typealias AWSClock = @Sendable () -> Date

extension [String: String] {
    /// The value of an environment variable, nil when unset or empty.
    func awsValue(_ name: String) -> String? {
        guard let value = self[name]?.trimmingCharacters(in: .whitespacesAndNewlines), !value.isEmpty else { return nil }
        return value
    }
}
