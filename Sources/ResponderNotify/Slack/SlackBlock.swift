/// The Block Kit blocks Responder uses, encoding to exactly the JSON Slack expects
/// (https://docs.slack.dev/reference/block-kit/blocks).
public enum SlackBlock: Sendable, Equatable, Codable {
    /// `{"type":"header","text":{"type":"plain_text","text":...}}`: a title, at most 150 characters.
    case header(String)
    /// `{"type":"section","text":{"type":"mrkdwn","text":...}}`: at most 3000 characters of already escaped mrkdwn.
    case section(String)
    /// `{"type":"context","elements":[{"type":"mrkdwn","text":...}, ...]}`: small print, at most 10 elements.
    case context([String])
    /// `{"type":"actions","block_id":...,"elements":[buttons]}`: at most 25 buttons.
    case actions(blockID: String?, buttons: [SlackButton])
    /// `{"type":"divider"}`.
    case divider

    private enum CodingKeys: String, CodingKey {
        case type, text, elements
        case blockID = "block_id"
    }

    /// Encodes the block as Slack's JSON.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .header(let text):
            try container.encode("header", forKey: .type)
            try container.encode(SlackTextObject(plain: text), forKey: .text)
        case .section(let text):
            try container.encode("section", forKey: .type)
            try container.encode(SlackTextObject(mrkdwn: text), forKey: .text)
        case .context(let elements):
            try container.encode("context", forKey: .type)
            try container.encode(elements.map(SlackTextObject.init(mrkdwn:)), forKey: .elements)
        case .actions(let blockID, let buttons):
            try container.encode("actions", forKey: .type)
            try container.encodeIfPresent(blockID, forKey: .blockID)
            try container.encode(buttons, forKey: .elements)
        case .divider:
            try container.encode("divider", forKey: .type)
        }
    }

    /// Decodes one of the block types above; others are a decoding error.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let type = try container.decode(String.self, forKey: .type)
        switch type {
        case "header": self = .header(try container.decode(SlackTextObject.self, forKey: .text).text)
        case "section": self = .section(try container.decode(SlackTextObject.self, forKey: .text).text)
        case "context": self = .context(try container.decode([SlackTextObject].self, forKey: .elements).map(\.text))
        case "actions":
            self = .actions(blockID: try container.decodeIfPresent(String.self, forKey: .blockID),
                            buttons: try container.decode([SlackButton].self, forKey: .elements))
        case "divider": self = .divider
        default:
            throw DecodingError.dataCorruptedError(forKey: .type, in: container,
                                                   debugDescription: "unsupported block type \(type)")
        }
    }
}

/// A Block Kit text object: `{"type":"plain_text"|"mrkdwn","text":...}`.
struct SlackTextObject: Sendable, Equatable, Codable {
    /// `plain_text` or `mrkdwn`.
    var type: String
    /// The text.
    var text: String
    /// Whether `:emoji:` codes render in plain text.
    var emoji: Bool?

    /// A `plain_text` object (emoji codes rendered).
    init(plain text: String) {
        type = "plain_text"
        self.text = text
        emoji = true
    }

    /// A `mrkdwn` object.
    init(mrkdwn text: String) {
        type = "mrkdwn"
        self.text = text
        emoji = nil
    }
}
