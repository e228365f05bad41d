/// A kind of stored record that retention deletes once it is old enough (its raw value names it in the
/// configuration, `retention.<kind>`, and in the `kind` label of the metrics).
public enum RetentionKind: String, Sendable, CaseIterable, Hashable {
    /// The raw body of a delivery (the delivery's row and idempotency key stay, see ``deliveryKeys``).
    case rawBodies = "raw_bodies"
    /// Journaled alerts and their plans.
    case alerts
    /// Ended runs, with their executor calls, sent (or refused) notifications and Slack message references.
    case endedRuns = "ended_runs"
    /// Used action-link nonces (a used link must stay refused as long as it could still be valid).
    case actionLinks = "action_links"
    /// Delivery rows with their idempotency keys (a re-sent delivery is a duplicate while its key is kept).
    case deliveryKeys = "delivery_keys"

    /// The order of a pass: alerts go before the deliveries that carry them, runs' rows before nothing else.
    public static let passOrder: [RetentionKind] = [.rawBodies, .alerts, .endedRuns, .actionLinks, .deliveryKeys]
}
