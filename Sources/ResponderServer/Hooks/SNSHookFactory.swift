import AsyncHTTPClient
import Foundation
import Logging
import ResponderCore
import ResponderSNS
import ResponderSNSHTTP

/// Builds the SNS hook from configuration: policy, certificate sources (pre-provisioned folder, then cached HTTPS
/// fetch), and the subscription confirmer.
public enum SNSHookFactory {
    /// The hook; throws `ConfigError` listing every problem of the `sns` section. With neither regions nor topics
    /// configured SNS ingest is off and the hook refuses every delivery, saying what to configure.
    public static func make(
        config: ResponderConfig.SNS,
        journal: any AlertJournal,
        httpClient: HTTPClient,
        logger: Logger,
        now: @escaping @Sendable () -> Date = { Date() }
    ) throws(ConfigError) -> SNSHook {
        if config.allowedRegions.isEmpty, config.allowedTopicArns.isEmpty {
            return SNSHook(processor: nil, journal: journal, maxBodyBytes: config.maxBodyBytes, now: now)
        }
        let policy = SNSPolicy(
            allowedRegions: config.allowedRegions,
            allowedTopicArns: config.allowedTopicArns,
            maxMessageAge: config.maxMessageAgeSeconds,
            testingExtraHosts: config.testingExtraHosts
        )
        let problems = policy.configurationProblems()
        guard problems.isEmpty else {
            throw ConfigError("sns: " + problems.joined(separator: "; "))
        }
        let directory = config.certificateDirectory.map { DirectoryCertificateProvider(directory: URL(fileURLWithPath: $0)) }
        let fetcher: (any SigningCertificateProvider)? = config.fetchCertificates
            ? CachingCertificateProvider(upstream: HTTPCertificateFetcher(client: httpClient, logger: logger), now: now)
            : nil
        if directory == nil, fetcher == nil {
            throw ConfigError("sns: fetch_certificates is false, so sns.certificate_dir must name the pre-provisioned certificates")
        }
        let processor = SNSDeliveryProcessor(
            policy: policy,
            certificates: ChainedCertificateProvider(directory: directory, fetcher: fetcher),
            confirmer: HTTPSubscriptionConfirmer(client: httpClient, logger: logger)
        )
        return SNSHook(processor: processor, journal: journal, maxBodyBytes: config.maxBodyBytes, now: now)
    }
}
