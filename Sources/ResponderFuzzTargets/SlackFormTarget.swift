import ResponderNotify

/// `slack-form`: `application/x-www-form-urlencoded` bodies as the server reads them: a Slack interaction
/// (`POST /hooks/slack/actions`, its `payload` field holding the JSON) and the action-link confirmation form
/// (`POST /actions/{token}`, its `actor` field).
public enum SlackFormTarget {
    /// Reads `bytes` as both bodies; a refused interaction's message is built as the route builds its 400 answer.
    public static func run(_ bytes: [UInt8]) throws {
        _ = ActionPage.actorName(formBody: bytes)
        do {
            _ = try SlackInteraction.decode(formBody: bytes)
        } catch {
            _ = error.description
            throw error
        }
    }
}
