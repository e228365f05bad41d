import Foundation
import ResponderCore
import ResponderNotify

/// Makes the signed links of a run's chat message: one per command that applies now, each single-use and expiring.
public struct ActionLinks: Sendable {
    /// Signs the tokens.
    public let signer: ActionLinkSigner
    /// `https://responder.example.com` (no trailing slash).
    public let baseURL: String
    /// How long a link stays valid.
    public let ttl: Duration

    /// Creates a link maker.
    public init(signer: ActionLinkSigner, baseURL: String, ttl: Duration) {
        self.signer = signer
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.ttl = ttl
    }

    /// A fresh single-use token and its URL for each command that applies to `run` now.
    public func links(for run: Run, now: Date) -> [RunCommand: ActionLink] {
        var links: [RunCommand: ActionLink] = [:]
        for command in SlackRunMessage.commands(for: run) {
            let token = signer.token(run: run.id, action: command, expiresAt: now.addingTimeInterval(ttl.timeInterval),
                                     nonce: ActionLinkSigner.makeNonce())
            links[command] = ActionLink(url: "\(baseURL)/actions/\(token)", token: token)
        }
        return links
    }
}
