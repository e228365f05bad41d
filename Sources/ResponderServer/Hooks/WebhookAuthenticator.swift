import Foundation
import HTTPTypes

/// Checks the `Authorization` header of a webhook against a bearer token and/or basic-auth credentials.
///
/// When both are configured either one is accepted (Alertmanager's `http_config` sends one or the other).
public struct WebhookAuthenticator: Sendable {
    /// Expected bearer token.
    public var bearerToken: Secret?
    /// Expected basic-auth user name.
    public var basicUsername: String?
    /// Expected basic-auth password.
    public var basicPassword: Secret?

    /// Creates an authenticator; with nothing configured every request is refused.
    public init(bearerToken: Secret?, basicUsername: String?, basicPassword: Secret?) {
        self.bearerToken = bearerToken
        self.basicUsername = basicUsername
        self.basicPassword = basicPassword
    }

    /// True when the header carries valid credentials; comparisons are constant-time.
    public func isAuthorized(_ headers: HTTPFields) -> Bool {
        guard let header = headers[.authorization] else { return false }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2 else { return false }
        let scheme = parts[0].lowercased()
        let credential = String(parts[1]).trimmingCharacters(in: .whitespaces)
        switch scheme {
        case "bearer":
            return bearerToken?.matches(credential) ?? false
        case "basic":
            guard let username = basicUsername, let password = basicPassword,
                  let decoded = Data(base64Encoded: credential).map({ String(decoding: $0, as: UTF8.self) }),
                  let colon = decoded.firstIndex(of: ":")
            else { return false }
            // Evaluate both comparisons so timing does not reveal which half was wrong.
            let userOK = Secret(username).matches(String(decoded[..<colon]))
            let passwordOK = password.matches(String(decoded[decoded.index(after: colon)...]))
            return userOK && passwordOK
        default:
            return false
        }
    }
}
