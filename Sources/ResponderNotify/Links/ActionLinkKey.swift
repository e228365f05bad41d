import Crypto

/// One HMAC key of the action-link key ring.
///
/// The secret never appears in `description`, `debugDescription` or a `dump`/mirror: only the id and the secret's length.
public struct ActionLinkKey: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// Fewest secret bytes accepted (the HMAC-SHA256 block is 64 bytes, its output 32).
    public static let minimumSecretLength = 32
    /// Longest key id accepted.
    public static let maximumIDLength = 64

    /// The key id, written into every token it signs: 1 to 64 of `A-Z a-z 0-9 . _ -`.
    public var id: String
    /// The HMAC secret.
    public var secret: [UInt8]

    /// Creates a key; ``ActionLinkSigner/init(keys:)`` checks the id and the secret's length.
    public init(id: String, secret: [UInt8]) {
        self.id = id
        self.secret = secret
    }

    /// A new key with 32 bytes from the system's cryptographic random source.
    public static func generate(id: String) -> ActionLinkKey {
        let key = SymmetricKey(size: .bits256)
        return ActionLinkKey(id: id, secret: key.withUnsafeBytes { [UInt8]($0) })
    }

    /// Whether `id` may name a key: the charset keeps ids unambiguous in the keys file and needing no escaping anywhere.
    public static func isValidID(_ id: String) -> Bool {
        guard !id.isEmpty, id.utf8.count <= maximumIDLength else { return false }
        return id.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "-"):
                return true
            default:
                return false
            }
        }
    }

    /// The id and the secret's length, never the secret.
    public var description: String { "ActionLinkKey(id: \(id), secret: \(secret.count) bytes, redacted)" }

    /// Same as ``description``.
    public var debugDescription: String { description }

    /// A mirror without the secret, so `dump` and string interpolation of containers do not print it.
    public var customMirror: Mirror {
        Mirror(self, children: ["id": id, "secret": "\(secret.count) bytes, redacted"])
    }
}
