import AsyncHTTPClient
import Foundation

/// Tries credential sources in order and sticks with the first one that is configured: by default the environment,
/// web identity, the shared credentials file, then the container endpoint. A source that is configured but fails
/// stops the search (its error is the answer); when none is configured, the error lists what each said.
public actor DefaultCredentialChain: AWSCredentialProvider {
    /// The sources, with the names used in errors.
    public let sources: [(name: String, provider: any AWSCredentialProvider)]
    private var chosen: (any AWSCredentialProvider)?

    /// Creates a chain over explicit sources.
    public init(sources: [(name: String, provider: any AWSCredentialProvider)]) {
        self.sources = sources
    }

    /// Creates the standard chain reading `environment`; `stsEndpoint` overrides STS for web identity,
    /// `containerBaseURL` the base of relative container URIs, and `timeout` bounds each credential fetch.
    public init(
        environment: [String: String] = ProcessInfo.processInfo.environment, httpClient: HTTPClient,
        stsEndpoint: String? = nil, containerBaseURL: String = ContainerCredentialProvider.ecsBaseURL,
        timeout: Duration = .seconds(5), now: @escaping AWSClock = Date.init
    ) {
        self.init(sources: [
            (EnvironmentCredentialProvider.source, EnvironmentCredentialProvider(environment: environment)),
            (WebIdentityCredentialProvider.source,
             WebIdentityCredentialProvider(
                environment: environment, httpClient: httpClient, stsEndpoint: stsEndpoint, timeout: timeout, now: now)),
            (SharedCredentialsFileProvider.source, SharedCredentialsFileProvider(environment: environment)),
            (ContainerCredentialProvider.source,
             ContainerCredentialProvider(
                environment: environment, httpClient: httpClient, relativeBaseURL: containerBaseURL, timeout: timeout,
                now: now)),
        ])
    }

    /// Credentials from the first configured source.
    public func credentials() async throws(AWSCredentialError) -> AWSCredentials {
        if let chosen { return try await chosen.credentials() }
        var tried: [String] = []
        for source in sources {
            do {
                let credentials = try await source.provider.credentials()
                chosen = source.provider
                return credentials
            } catch {
                guard case .notConfigured(_, let reason) = error else {
                    // Configured but broken: remembered, so later calls retry this source instead of skipping it.
                    chosen = source.provider
                    throw error
                }
                tried.append("\(source.name) (\(reason))")
            }
        }
        throw .noCredentials(tried: tried)
    }
}
