/// A Block Kit button element (https://docs.slack.dev/reference/block-kit/block-elements/button-element).
public struct SlackButton: Sendable, Equatable, Codable {
    /// The label (plain text, at most 75 characters).
    public var text: String
    /// Identifies the button in the interaction payload (at most 255 characters, unique in the message).
    public var actionID: String
    /// Sent back in the interaction payload (at most 2000 characters): the signed action token.
    public var value: String?
    /// Opened in the browser when pressed (at most 3000 characters).
    public var url: String?
    /// Colour: none (default), `primary` (green) or `danger` (red).
    public var style: Style?
    /// A confirmation dialog shown before the press counts.
    public var confirm: Confirm?

    /// Button colours.
    public enum Style: String, Sendable, Equatable, Codable {
        /// Green: the expected action.
        case primary
        /// Red: a destructive action.
        case danger
    }

    /// A confirmation dialog (`confirm` object): title ≤ 100, text ≤ 300, button labels ≤ 30 characters.
    public struct Confirm: Sendable, Equatable, Codable {
        /// Dialog title.
        public var title: String
        /// What pressing it will do.
        public var text: String
        /// Label of the button that goes ahead.
        public var confirm: String
        /// Label of the button that backs out.
        public var deny: String

        /// Creates a dialog.
        public init(title: String, text: String, confirm: String, deny: String = "Cancel") {
            self.title = title
            self.text = text
            self.confirm = confirm
            self.deny = deny
        }

        private enum CodingKeys: String, CodingKey { case title, text, confirm, deny, style }

        /// Encodes as Slack's confirm object (danger style).
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(SlackTextObject(plain: title), forKey: .title)
            try container.encode(SlackTextObject(plain: text), forKey: .text)
            try container.encode(SlackTextObject(plain: confirm), forKey: .confirm)
            try container.encode(SlackTextObject(plain: deny), forKey: .deny)
            try container.encode("danger", forKey: .style)
        }

        /// Decodes Slack's confirm object.
        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            title = try container.decode(SlackTextObject.self, forKey: .title).text
            text = try container.decode(SlackTextObject.self, forKey: .text).text
            confirm = try container.decode(SlackTextObject.self, forKey: .confirm).text
            deny = try container.decode(SlackTextObject.self, forKey: .deny).text
        }
    }

    /// Creates a button.
    public init(text: String, actionID: String, value: String? = nil, url: String? = nil, style: Style? = nil,
                confirm: Confirm? = nil) {
        self.text = text
        self.actionID = actionID
        self.value = value
        self.url = url
        self.style = style
        self.confirm = confirm
    }

    private enum CodingKeys: String, CodingKey {
        case type, text, value, url, style, confirm
        case actionID = "action_id"
    }

    /// Encodes as `{"type":"button","text":{"type":"plain_text",...},"action_id":...}`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode("button", forKey: .type)
        try container.encode(SlackTextObject(plain: text), forKey: .text)
        try container.encode(actionID, forKey: .actionID)
        try container.encodeIfPresent(value, forKey: .value)
        try container.encodeIfPresent(url, forKey: .url)
        try container.encodeIfPresent(style, forKey: .style)
        try container.encodeIfPresent(confirm, forKey: .confirm)
    }

    /// Decodes a button element.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let type = try container.decode(String.self, forKey: .type)
        guard type == "button" else {
            throw DecodingError.dataCorruptedError(forKey: .type, in: container, debugDescription: "not a button: \(type)")
        }
        text = try container.decode(SlackTextObject.self, forKey: .text).text
        actionID = try container.decode(String.self, forKey: .actionID)
        value = try container.decodeIfPresent(String.self, forKey: .value)
        url = try container.decodeIfPresent(String.self, forKey: .url)
        style = try container.decodeIfPresent(Style.self, forKey: .style)
        confirm = try container.decodeIfPresent(Confirm.self, forKey: .confirm)
    }
}
