import Foundation
import ResponderCore

/// AWS credentials used to sign requests. The secret is never printed.
public struct AWSCredentials: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible {
    /// The access key id (public, appears in the `Credential=` scope).
    public var accessKeyId: String
    /// The secret access key; only ever used as HMAC key material.
    public var secretAccessKey: String
    /// The session token of temporary credentials, if any.
    public var sessionToken: String?
    /// When temporary credentials stop working; nil for long-term keys.
    public var expiration: Date?

    /// Creates credentials.
    public init(accessKeyId: String, secretAccessKey: String, sessionToken: String? = nil, expiration: Date? = nil) {
        self.accessKeyId = accessKeyId
        self.secretAccessKey = secretAccessKey
        self.sessionToken = sessionToken
        self.expiration = expiration
    }

    /// A redacted description: shows the access key id only.
    public var description: String {
        let token = sessionToken == nil ? "none" : "<redacted>"
        let expiry = expiration.map { RFC3339.format($0) } ?? "none"
        return "AWSCredentials(accessKeyId: \(accessKeyId), secretAccessKey: <redacted>, sessionToken: \(token), "
            + "expiration: \(expiry))"
    }

    /// Same as `description`: redacted.
    public var debugDescription: String { description }
}

/// Errors raised while signing. Never carries secret material.
public enum SigV4Error: Error, Sendable, Equatable, CustomStringConvertible {
    /// The access key id or the secret access key is empty.
    case missingCredentials
    /// The presign expiration is outside 1...604800 seconds.
    case invalidExpiration(Int)

    /// A human-readable description without secrets.
    public var description: String {
        switch self {
        case .missingCredentials: return "SigV4: access key id or secret access key is empty"
        case .invalidExpiration(let s): return "SigV4: presign expiration \(s)s is outside 1...604800"
        }
    }
}
