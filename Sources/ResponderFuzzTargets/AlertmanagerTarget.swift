import ResponderCore

/// `alertmanager`: a `POST /hooks/alertmanager` body through the decoder, then the planning the server does at ingest
/// against the repository's playbooks.
public enum AlertmanagerTarget {
    /// Decodes `bytes` as a webhook body; a refusal's message is built as the server builds its 4xx answer.
    public static func run(_ bytes: [UInt8]) throws {
        let alerts: [NormalizedAlert]
        do {
            alerts = try AlertmanagerDecoder().decode(bytes).alerts
        } catch {
            _ = (error.httpStatus, error.message)
            throw error
        }
        try IngestPlanning.plan(alerts)
    }
}
