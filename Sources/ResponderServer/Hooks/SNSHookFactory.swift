import AsyncHTTPClient
import Logging
import ResponderCore

/// Builds the SNS hook from configuration (filled in once the SNS processor lands).
enum SNSHookFactory {
    static func make(
        config: ResponderConfig.SNS,
        journal: any AlertJournal,
        httpClient: HTTPClient,
        logger: Logger
    ) throws -> SNSHook? {
        nil
    }
}
