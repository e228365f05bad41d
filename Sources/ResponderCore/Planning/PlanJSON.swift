import Foundation

/// The stable JSON form of a ``Plan``: sorted keys, snake_case, RFC 3339 UTC dates with milliseconds, absent values
/// as `null` (`due` while the anchor time is unknown, `from`/`to` for steps that are not scale steps).
public enum PlanJSON {
    /// Encodes a plan.
    public static func encode(_ plan: Plan, pretty: Bool = false) throws -> Data {
        try RFC3339JSON.encoder(pretty ? [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes])
            .encode(plan)
    }

    /// Decodes a plan encoded by ``encode(_:pretty:)``.
    public static func decode(_ data: Data) throws -> Plan {
        try RFC3339JSON.decoder().decode(Plan.self, from: data)
    }
}
