import Foundation
import ResponderCore

extension ConfigBuilder {
    /// The `retention:` section: a playbook duration per kind within ``RetentionPolicy/range(_:)``, the batch size
    /// and the interval between passes. Used action links are kept at least as long as a link is valid, and delivery
    /// keys at least as long as an SNS message is accepted, so neither a link nor a delivery can be replayed.
    func retention(linkTTL: Double, snsMaxAge: Double) throws(ConfigError) -> RetentionPolicy {
        var policy = RetentionPolicy()
        for kind in RetentionKind.allCases {
            let key = "retention." + kind.rawValue
            guard let keep = try duration(key, range: RetentionPolicy.range(kind)) else { continue }
            policy.setKeep(kind, keep)
        }
        policy.batch = try int("retention.batch") ?? policy.batch
        policy.interval = try duration("retention.interval", range: RetentionPolicy.intervalRange) ?? policy.interval
        if policy.actionLinks.timeInterval < linkTTL {
            throw ConfigError("\(origin("retention.action_links")): retention.action_links (\(policy.actionLinks.playbookText)) "
                + "must be at least links.ttl_seconds (\(Int(linkTTL))s): a used link must stay refused while it is valid")
        }
        if policy.deliveryKeys.timeInterval < snsMaxAge {
            throw ConfigError("\(origin("retention.delivery_keys")): retention.delivery_keys (\(policy.deliveryKeys.playbookText)) "
                + "must be at least sns.max_message_age_seconds (\(Int(snsMaxAge))s): SNS may re-send a message that long")
        }
        return policy
    }

    /// A playbook duration (`7d`, `12h`) within `range`, or nil when unset.
    private func duration(_ key: String, range: ClosedRange<Duration>) throws(ConfigError) -> Duration? {
        guard let text = try string(key) else { return nil }
        let value: Duration
        do { value = try Duration.parsePlaybook(text) } catch {
            throw ConfigError("\(origin(key)): \(key): \(error)")
        }
        guard range.contains(value) else {
            throw ConfigError("\(origin(key)): \(key) must be from \(Limits.text(range)), got \(text.prefix(40))")
        }
        return value
    }

    /// Where `key` was set, or the key itself.
    private func origin(_ key: String) -> String {
        values[key]?.origin ?? key
    }
}
