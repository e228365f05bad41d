import Foundation

/// An Events API v2 change event (https://developer.pagerduty.com/docs/events-api-v2/send-change-events/):
/// something changed (a step was carried out); shown on the service's timeline, never paging anyone.
public struct PagerDutyChangeEvent: Sendable, Equatable {
    /// What changed (at most 1024 characters; longer text is cut when sent).
    public var summary: String
    /// Where.
    public var source: String?
    /// When.
    public var timestamp: Date
    /// Free-form details.
    public var customDetails: [String: String]
    /// Links shown with it.
    public var links: [PagerDutyLink]

    /// Creates a change event.
    public init(summary: String, source: String? = "responder", timestamp: Date, customDetails: [String: String] = [:],
                links: [PagerDutyLink] = []) {
        self.summary = summary
        self.source = source
        self.timestamp = timestamp
        self.customDetails = customDetails
        self.links = links
    }
}
