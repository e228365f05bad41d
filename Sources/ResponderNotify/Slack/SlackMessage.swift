/// A rendered Slack message: the notification `text` (also what clients without Block Kit show) and its blocks.
public struct SlackMessage: Sendable, Equatable, Codable {
    /// Fallback and notification text (escaped mrkdwn, at most 40,000 characters).
    public var text: String
    /// The blocks (at most 50).
    public var blocks: [SlackBlock]

    /// Creates a message.
    public init(text: String, blocks: [SlackBlock]) {
        self.text = text
        self.blocks = blocks
    }
}
