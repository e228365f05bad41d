import Foundation
import ResponderCore

/// What a verified action link says: who may do what to which run, until when.
public struct ActionClaim: Sendable, Equatable {
    /// The run the link acts on.
    public var run: String
    /// The command the link carries out.
    public var action: RunCommand
    /// The instant from which the link is refused (whole seconds).
    public var expiresAt: Date
    /// The id of the key that signed the link.
    public var keyID: String
    /// The link's nonce; the server records it so that a link acts at most once.
    public var nonce: String

    /// Creates a claim.
    public init(run: String, action: RunCommand, expiresAt: Date, keyID: String, nonce: String) {
        self.run = run
        self.action = action
        self.expiresAt = expiresAt
        self.keyID = keyID
        self.nonce = nonce
    }
}

/// The JSON form of a claim inside a token. Keys are short to keep links short.
struct ActionClaimWire: Codable, Equatable {
    /// The command (``RunCommand`` raw value).
    var a: String
    /// Expiry in whole seconds since 1970-01-01T00:00:00Z.
    var exp: Int64
    /// The signing key's id.
    var kid: String
    /// The nonce.
    var n: String
    /// The run id.
    var r: String
}
