import Crypto
import Foundation
import ResponderCore

/// Signs and verifies the action links carried by chat messages (Acknowledge, Hold step-down, Resume, Abort).
///
/// A token is `CLAIMS.MAC`, both unpadded base64url (RFC 4648 §5), so it can sit in a URL path or query unescaped:
///
/// - `CLAIMS` encodes compact JSON with the keys sorted, no whitespace, `exp` a decimal integer (seconds since
///   1970-01-01T00:00:00Z), and strings escaping only `"` as `\"`, `\` as `\\` and U+0000...U+001F as `\u00XX`
///   (lowercase hex): `{"a":"ack","exp":1790000000,"kid":"k1","n":"<nonce>","r":"run-1"}`.
/// - `MAC` is HMAC-SHA256 with the key named by `kid` over the ASCII bytes of `responder-action-v1.` followed by the
///   `CLAIMS` text exactly as it appears in the token.
///
/// Run ids, nonces and key ids sit inside JSON strings and the MAC covers the encoded claims verbatim, so no choice of
/// id can make two different claims sign the same bytes; verification also requires the claims to be in exactly the
/// canonical form above. The first key of the ring signs; every key verifies. Verification checks the MAC against
/// each key (in constant time) before it reads anything in the claims, expiry included.
public struct ActionLinkSigner: Sendable {
    /// Longest token ``verify(_:now:)`` looks at; anything longer is refused before it is decoded.
    public static let maxTokenLength = 1024
    /// The domain-separation prefix of the signed string.
    static let context = Array("responder-action-v1.".utf8)

    private struct RingKey: Sendable {
        var id: String
        var key: SymmetricKey
    }

    private let ring: [RingKey]

    /// The id of the key that signs new links.
    public var signingKeyID: String { ring[0].id }

    /// Creates a signer from a key ring, first key signing. Refuses an empty ring, bad ids, short secrets and duplicate
    /// ids (the error's `line` is the key's 1-based position).
    public init(keys: [ActionLinkKey]) throws(ActionLinkKeyError) {
        guard !keys.isEmpty else { throw .empty }
        var seen: [String: Int] = [:]
        var ring: [RingKey] = []
        for (offset, key) in keys.enumerated() {
            let position = offset + 1
            guard ActionLinkKey.isValidID(key.id) else { throw .invalidKeyID(line: position) }
            guard key.secret.count >= ActionLinkKey.minimumSecretLength else {
                throw .shortSecret(line: position, bytes: key.secret.count)
            }
            if let first = seen[key.id] { throw .duplicateKeyID(line: position, firstLine: first) }
            seen[key.id] = position
            ring.append(RingKey(id: key.id, key: SymmetricKey(data: key.secret)))
        }
        self.ring = ring
    }

    /// A token for `action` on `run`, refused from `expiresAt` on (truncated to whole seconds), signed by the first key.
    ///
    /// Keep run ids and nonces short (a few dozen characters): a token longer than ``maxTokenLength`` never verifies.
    public func token(run: String, action: RunCommand, expiresAt: Date, nonce: String) -> String {
        let signer = ring[0]
        let claims = Self.canonicalClaims(ActionClaimWire(
            a: action.rawValue, exp: Int64(Int(saturating: expiresAt.timeIntervalSince1970.rounded(.down))), kid: signer.id, n: nonce, r: run))
        let claimsPart = LinkBase64URL.encode(claims)
        let mac = HMAC<SHA256>.authenticationCode(for: Self.context + Array(claimsPart.utf8), using: signer.key)
        return claimsPart + "." + LinkBase64URL.encode(Array(mac))
    }

    /// A fresh random nonce (16 bytes, base64url) for ``token(run:action:expiresAt:nonce:)``.
    public static func makeNonce() -> String {
        var generator = SystemRandomNumberGenerator()
        return LinkBase64URL.encode((0..<16).map { _ in UInt8.random(in: .min ... .max, using: &generator) })
    }

    /// Checks a token and returns its claim.
    ///
    /// Throws ``ActionTokenError/malformed`` for anything that is not a token, ``ActionTokenError/tampered`` when no key
    /// of the ring produced its MAC (an unknown key id included), and ``ActionTokenError/expired`` when `now` is at or
    /// after its expiry. The MAC is checked first: nothing in the claims is read before it matches.
    public func verify(_ token: String, now: Date) throws(ActionTokenError) -> ActionClaim {
        guard token.utf8.count <= Self.maxTokenLength else { throw .malformed }
        let parts = token.split(separator: ".", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty,
              let mac = LinkBase64URL.decode(parts[1]), mac.count == SHA256.byteCount,
              let claims = LinkBase64URL.decode(parts[0])
        else { throw .malformed }
        let claimsPart = parts[0]

        let signed = Self.context + Array(claimsPart.utf8)
        // Every key is tried so that the key id, which lives inside the not yet authenticated claims, is never trusted.
        guard let key = ring.first(where: { HMAC<SHA256>.isValidAuthenticationCode(mac, authenticating: signed, using: $0.key) })
        else { throw .tampered }

        guard let wire = Self.decodeClaims(claims), let action = RunCommand(rawValue: wire.a) else { throw .malformed }
        guard wire.kid == key.id else { throw .tampered }
        let expiresAt = Date(timeIntervalSince1970: TimeInterval(wire.exp))
        guard now < expiresAt else { throw .expired }
        return ActionClaim(run: wire.r, action: action, expiresAt: expiresAt, keyID: wire.kid, nonce: wire.n)
    }

    private static func decodeClaims(_ bytes: [UInt8]) -> ActionClaimWire? {
        guard (try? StrictJSON(maxDepth: 2).validate(bytes)) != nil,
              let wire = try? JSONDecoder().decode(ActionClaimWire.self, from: Data(bytes)),
              canonicalClaims(wire) == bytes
        else { return nil }
        return wire
    }

    /// The canonical claims JSON described in the type's documentation.
    static func canonicalClaims(_ wire: ActionClaimWire) -> [UInt8] {
        var out = Array(#"{"a":"#.utf8)
        appendString(wire.a, to: &out)
        out += Array(#","exp":"#.utf8) + Array(String(wire.exp).utf8)
        out += Array(#","kid":"#.utf8)
        appendString(wire.kid, to: &out)
        out += Array(#","n":"#.utf8)
        appendString(wire.n, to: &out)
        out += Array(#","r":"#.utf8)
        appendString(wire.r, to: &out)
        out.append(UInt8(ascii: "}"))
        return out
    }

    private static func appendString(_ text: String, to out: inout [UInt8]) {
        let hex = Array("0123456789abcdef".utf8)
        out.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"):
                out += [UInt8(ascii: "\\"), byte]
            case 0x00..<0x20:
                out += Array(#"\u00"#.utf8) + [hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]]
            default:
                out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}
