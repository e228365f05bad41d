/// Where a posted message is: its channel id and `ts`, which `chat.update` and thread replies need.
public struct SlackMessageRef: Sendable, Equatable, Hashable, Codable {
    /// Channel id (`C0123456789`) as Slack answered it.
    public var channel: String
    /// The message timestamp (`1700000000.000100`), its id within the channel.
    public var ts: String

    /// Creates a reference.
    public init(channel: String, ts: String) {
        self.channel = channel
        self.ts = ts
    }
}
