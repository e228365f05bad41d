/// A link attached to a PagerDuty alert or change event (`{"href":...,"text":...}`).
public struct PagerDutyLink: Sendable, Equatable, Codable {
    /// The URL.
    public var href: String
    /// What it is, shown as the link's text.
    public var text: String?

    /// Creates a link.
    public init(href: String, text: String? = nil) {
        self.href = href
        self.text = text
    }
}
