/// Remembers where each run's Slack message is, so later events update it and reply in its thread.
public protocol ChatThreadStore: Sendable {
    /// Where the run's Slack message is (channel id and ts), once posted.
    func slackMessage(runID: String) async throws(JournalError) -> (channel: String, ts: String)?
    /// Remembers where the run's Slack message is.
    func setSlackMessage(runID: String, channel: String, ts: String) async throws(JournalError)
}
