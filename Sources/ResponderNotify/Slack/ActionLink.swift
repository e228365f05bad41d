/// A signed action link of a run: the URL people open, and the token a Slack button carries as its `value`.
public struct ActionLink: Sendable, Equatable {
    /// `https://responder.example.com/actions/<token>`.
    public var url: String
    /// The signed token alone.
    public var token: String

    /// Creates a link.
    public init(url: String, token: String) {
        self.url = url
        self.token = token
    }
}
