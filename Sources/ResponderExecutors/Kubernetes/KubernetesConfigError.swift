/// Why a Kubernetes connection could not be configured (in-cluster files, kubeconfig), and what to do instead.
/// Never contains a token or key material.
public struct KubernetesConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What is wrong and what to do.
    public var message: String

    /// Creates an error.
    public init(_ message: String) {
        self.message = message
    }

    /// The message.
    public var description: String { message }
}
