/// Block Kit and `chat.postMessage` limits (https://docs.slack.dev/reference/block-kit), in characters.
public enum SlackLimits {
    /// Blocks per message.
    public static let blocks = 50
    /// Text of a section block.
    public static let sectionText = 3000
    /// `plain_text` of a header block.
    public static let headerText = 150
    /// Elements of a context block.
    public static let contextElements = 10
    /// Elements of an actions block.
    public static let actionElements = 25
    /// Button label.
    public static let buttonText = 75
    /// Button `value`.
    public static let buttonValue = 2000
    /// Button `url`.
    public static let buttonURL = 3000
    /// `action_id` and `block_id`.
    public static let identifier = 255
    /// Top-level `text` of a message.
    public static let messageText = 40000
    /// A report posted as text: Slack shows about 4,000 characters of a message's text before it truncates it.
    public static let reportText = 3900
}
