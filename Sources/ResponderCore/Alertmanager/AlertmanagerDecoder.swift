import Foundation

/// Turns an Alertmanager webhook body into normalized alerts, refusing anything ambiguous.
public struct AlertmanagerDecoder: Sendable {
    /// Longest fingerprint accepted (Alertmanager sends 16 hex digits).
    public static let maxFingerprintLength = 64

    private let json = StrictJSON()

    /// Creates a decoder.
    public init() {}

    /// Parses and validates `body`; throws ``IngestError`` naming the first field that is wrong.
    public func decode(_ body: [UInt8]) throws(IngestError) -> (payload: AlertmanagerPayload, alerts: [NormalizedAlert]) {
        let payload = try json.decode(AlertmanagerPayload.self, from: body)
        guard payload.version == "4" else {
            throw .unsupportedVersion(
                "unsupported Alertmanager payload version \"\(payload.version.prefix(16))\": only version \"4\" is accepted"
            )
        }
        guard payload.status == "firing" || payload.status == "resolved" else {
            throw .invalidField("status: must be \"firing\" or \"resolved\"")
        }
        var alerts: [NormalizedAlert] = []
        alerts.reserveCapacity(payload.alerts.count)
        for (index, alert) in payload.alerts.enumerated() {
            alerts.append(try normalize(alert, index: index, payload: payload))
        }
        return (payload, alerts)
    }

    private func normalize(
        _ alert: AlertmanagerPayload.Alert,
        index: Int,
        payload: AlertmanagerPayload
    ) throws(IngestError) -> NormalizedAlert {
        let path = "alerts[\(index)]"
        let status: AlertStatus
        switch alert.status ?? payload.status {
        case "firing": status = .firing
        case "resolved": status = .resolved
        default: throw .invalidField("\(path).status: must be \"firing\" or \"resolved\"")
        }
        // Without a fingerprint the alert's identity is its label set, hashed exactly as Alertmanager does.
        let fingerprint = (alert.fingerprint ?? "").isEmpty
            ? AlertmanagerFingerprint.of(alert.labels)
            : alert.fingerprint ?? ""
        guard fingerprint.utf8.count <= Self.maxFingerprintLength,
              fingerprint.utf8.allSatisfy({ $0.isHexDigit })
        else {
            throw .invalidField("\(path).fingerprint: must be 1 to \(Self.maxFingerprintLength) hexadecimal digits")
        }
        guard let startsAt = RFC3339.parse(alert.startsAt) else {
            throw .invalidField("\(path).startsAt: must be an RFC 3339 timestamp")
        }
        guard RFC3339.acceptedRange.contains(startsAt) else {
            throw .invalidField("\(path).startsAt: must be \(RFC3339.acceptedYears)")
        }
        var endsAt: Date?
        if !alert.endsAt.isEmpty {
            guard let parsed = RFC3339.parse(alert.endsAt) else {
                throw .invalidField("\(path).endsAt: must be an RFC 3339 timestamp")
            }
            // Alertmanager sends Go's zero time (year 0001) for "no end"; anything before 1970 reads the same.
            endsAt = parsed.timeIntervalSince1970 <= 0 ? nil : parsed
        }
        // startsAt is normalized so that equal instants written differently share one key.
        let key = "alertmanager:\(fingerprint.lowercased())|\(RFC3339.format(startsAt))|\(status.rawValue)"
        return NormalizedAlert(
            source: .alertmanager,
            fingerprint: fingerprint.lowercased(),
            status: status,
            labels: alert.labels,
            annotations: alert.annotations,
            startsAt: startsAt,
            endsAt: endsAt,
            generatorURL: alert.generatorURL.isEmpty ? nil : alert.generatorURL,
            groupKey: payload.groupKey,
            receiver: payload.receiver,
            idempotencyKey: key
        )
    }
}

/// Hex-digit test used for fingerprints.
extension UInt8 {
    fileprivate var isHexDigit: Bool {
        (0x30...0x39).contains(self) || (0x41...0x46).contains(self) || (0x61...0x66).contains(self)
    }
}
