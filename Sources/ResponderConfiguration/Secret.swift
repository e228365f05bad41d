import Crypto

/// A credential that never prints itself: `description` is always `<redacted>`.
public struct Secret: Sendable, CustomStringConvertible, Equatable {
    /// The secret bytes as text.
    public let value: String

    /// Wraps a secret value.
    public init(_ value: String) {
        self.value = value
    }

    /// Always `<redacted>`, so a secret interpolated into a log line or error shows nothing.
    public var description: String { "<redacted>" }

    /// Constant-time comparison: both sides are hashed with SHA-256 and the digests compared with swift-crypto's
    /// constant-time equality, so neither the content nor the length of the secret leaks through timing.
    public func matches(_ candidate: String) -> Bool {
        SHA256.hash(data: Array(value.utf8)) == SHA256.hash(data: Array(candidate.utf8))
    }
}
