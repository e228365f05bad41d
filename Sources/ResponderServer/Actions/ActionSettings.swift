import ResponderNotify

/// What the action links and Slack buttons need.
public struct ActionSettings: Sendable {
    /// Signs and verifies link tokens.
    public var signer: ActionLinkSigner
    /// Remembers used links.
    public var ledger: any ActionTokenLedger
    /// Verifies Slack's request signatures; nil leaves `POST /hooks/slack/actions` unserved (404).
    public var slackVerifier: SlackRequestVerifier?

    /// Creates the settings.
    public init(signer: ActionLinkSigner, ledger: any ActionTokenLedger, slackVerifier: SlackRequestVerifier?) {
        self.signer = signer
        self.ledger = ledger
        self.slackVerifier = slackVerifier
    }
}
