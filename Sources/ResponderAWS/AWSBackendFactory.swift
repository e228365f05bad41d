import AsyncHTTPClient
import Foundation
import Logging
import ResponderCore

/// Makes ``ECSBackend``s for ECS targets, sharing one HTTP client and one credential provider: the region is the
/// target's, else `defaultRegion`; `endpoint` (when set) replaces every regional endpoint (moto, LocalStack).
public struct AWSBackendFactory: Sendable {
    /// The HTTP client every call goes through; its lifecycle belongs to the caller.
    public let httpClient: HTTPClient
    /// Where credentials come from.
    public let credentials: any AWSCredentialProvider
    /// The region of targets that name none (`AWS_REGION` / `AWS_DEFAULT_REGION`).
    public let defaultRegion: String?
    /// An endpoint used instead of the regional ones.
    public let endpoint: AWSEndpoint?
    /// How long one AWS call may take.
    public let timeout: Duration
    private let logger: Logger

    /// Creates a factory.
    public init(
        httpClient: HTTPClient, credentials: any AWSCredentialProvider, defaultRegion: String?,
        endpoint: AWSEndpoint? = nil, timeout: Duration = .seconds(10),
        logger: Logger = Logger(label: "responder.aws")
    ) {
        self.httpClient = httpClient
        self.credentials = credentials
        self.defaultRegion = defaultRegion
        self.endpoint = endpoint
        self.timeout = timeout
        self.logger = logger
    }

    /// Creates a factory from `environment`: the default credential chain, the region from `AWS_REGION` or
    /// `AWS_DEFAULT_REGION`, and the endpoint from `AWS_ENDPOINT_URL` when it is an http(s) URL.
    public static func fromEnvironment(
        _ environment: [String: String] = ProcessInfo.processInfo.environment, httpClient: HTTPClient,
        timeout: Duration = .seconds(10), logger: Logger = Logger(label: "responder.aws")
    ) -> AWSBackendFactory {
        AWSBackendFactory(
            httpClient: httpClient,
            credentials: DefaultCredentialChain(environment: environment, httpClient: httpClient),
            defaultRegion: environment.awsValue("AWS_REGION") ?? environment.awsValue("AWS_DEFAULT_REGION"),
            endpoint: environment.awsValue("AWS_ENDPOINT_URL").flatMap { AWSEndpoint(url: $0) },
            timeout: timeout, logger: logger)
    }

    /// The region `target` is in; a permanent error when neither the target nor the factory names one.
    public func region(for target: Target.ECS) throws(BackendError) -> String {
        guard let region = target.region ?? defaultRegion else {
            throw .permanent(
                "ECS service \(target.cluster)/\(target.service) has no region: set region in the target, or "
                    + "AWS_REGION for Responder")
        }
        return region
    }

    /// A JSON client of `service` in `region`.
    public func client(_ service: AWSService, region: String) -> AWSJSONClient {
        AWSJSONClient(
            service: service, region: region, credentials: credentials, httpClient: httpClient, endpoint: endpoint,
            timeout: timeout, logger: logger)
    }

    /// The backend of `target`.
    public func backend(for target: Target.ECS) throws(BackendError) -> ECSBackend {
        let region = try region(for: target)
        return ECSBackend(
            target, ecs: ECSClient(client: client(.ecs, region: region)),
            autoScaling: ApplicationAutoScalingClient(client: client(.applicationAutoScaling, region: region)))
    }
}
