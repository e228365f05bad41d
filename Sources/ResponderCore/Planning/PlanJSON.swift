import Foundation

/// The stable JSON form of a ``Plan``: sorted keys, snake_case, RFC 3339 UTC dates with milliseconds, absent values
/// as `null` (`due` while the anchor time is unknown, `from`/`to` for steps that are not scale steps).
public enum PlanJSON {
    /// Encodes a plan.
    public static func encode(_ plan: Plan, pretty: Bool = false) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = pretty ? [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(RFC3339.format(date))
        }
        return try encoder.encode(plan)
    }

    /// Decodes a plan encoded by ``encode(_:pretty:)``.
    public static func decode(_ data: Data) throws -> Plan {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let text = try decoder.singleValueContainer().decode(String.self)
            guard let date = RFC3339.parse(text) else {
                throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not RFC 3339: \(text)"))
            }
            return date
        }
        return try decoder.decode(Plan.self, from: data)
    }
}
