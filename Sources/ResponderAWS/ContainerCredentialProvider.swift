import AsyncHTTPClient
import Foundation
import ResponderCore

/// Credentials from the ECS / EKS Pod Identity container credentials endpoint: `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI`
/// (under `http://169.254.170.2`) or `AWS_CONTAINER_CREDENTIALS_FULL_URI` (any https URL; over http only loopback and
/// the ECS/EKS link-local hosts), with `AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE` (re-read on every fetch) or
/// `AWS_CONTAINER_AUTHORIZATION_TOKEN` as the `Authorization` header. Cached until five minutes before expiry.
public struct ContainerCredentialProvider: AWSCredentialProvider {
    /// The source name used in errors.
    public static let source = "container credentials endpoint"
    /// The base of relative URIs on ECS.
    public static let ecsBaseURL = "http://169.254.170.2"
    /// Hosts allowed for a full URI over plain http.
    static let allowedHTTPHosts: Set<String> = ["localhost", "169.254.170.2", "169.254.170.23", "fd00:ec2::23", "::1"]

    private let cache: CredentialCache

    /// Creates a provider; `relativeBaseURL` replaces `http://169.254.170.2` (tests point it at a local server).
    public init(
        environment: [String: String] = ProcessInfo.processInfo.environment, httpClient: HTTPClient,
        relativeBaseURL: String = ContainerCredentialProvider.ecsBaseURL, timeout: Duration = .seconds(5),
        refreshMargin: TimeInterval = 300, now: @escaping AWSClock = Date.init
    ) {
        let url = Result { () throws(AWSCredentialError) -> String in
            try Self.endpointURL(environment: environment, relativeBaseURL: relativeBaseURL)
        }
        let tokenFile = environment.awsValue("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE")
        let token = environment.awsValue("AWS_CONTAINER_AUTHORIZATION_TOKEN")
        cache = CredentialCache(refreshMargin: refreshMargin, now: now) { () async throws(AWSCredentialError) -> AWSCredentials in
            let target = try url.get()
            let authorization = try Self.authorization(tokenFile: tokenFile, token: token)
            return try await Self.fetch(httpClient, url: target, authorization: authorization, timeout: timeout)
        }
    }

    /// The cached credentials, refreshed when near expiry.
    public func credentials() async throws(AWSCredentialError) -> AWSCredentials {
        try await cache.credentials()
    }

    /// The endpoint URL the environment names, or why there is none (no I/O).
    public static func endpointURL(
        environment: [String: String], relativeBaseURL: String = ecsBaseURL
    ) throws(AWSCredentialError) -> String {
        if let relative = environment.awsValue("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI") {
            let separator = relative.hasPrefix("/") ? "" : "/"
            return relativeBaseURL + separator + relative
        }
        guard let full = environment.awsValue("AWS_CONTAINER_CREDENTIALS_FULL_URI") else {
            throw .notConfigured(
                source: source,
                reason: "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI and AWS_CONTAINER_CREDENTIALS_FULL_URI are not set")
        }
        guard let components = URLComponents(string: full), let scheme = components.scheme?.lowercased(),
              let rawHost = components.host, !rawHost.isEmpty
        else {
            throw .invalid(source: source, reason: "AWS_CONTAINER_CREDENTIALS_FULL_URI is not a URL")
        }
        let host = rawHost.trimmingCharacters(in: CharacterSet(charactersIn: "[]")).lowercased()
        switch scheme {
        case "https":
            return full
        case "http" where allowedHTTPHosts.contains(host) || host.hasPrefix("127."):
            return full
        default:
            throw .invalid(
                source: source,
                reason: "AWS_CONTAINER_CREDENTIALS_FULL_URI host \(host) is not allowed over \(scheme): use https, "
                    + "a loopback address, 169.254.170.2 or 169.254.170.23")
        }
    }

    /// The Authorization header value: the token file (re-read now) wins over the token variable.
    static func authorization(tokenFile: String?, token: String?) throws(AWSCredentialError) -> String? {
        var value = token
        if let tokenFile {
            do {
                value = try String(contentsOfFile: tokenFile, encoding: .utf8)
            } catch {
                throw .invalid(source: source, reason: "cannot read AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE \(tokenFile)")
            }
        }
        guard let trimmed = value?.trimmingCharacters(in: .whitespacesAndNewlines), !trimmed.isEmpty else { return nil }
        guard !trimmed.contains(where: { $0 == "\r" || $0 == "\n" }) else {
            throw .invalid(source: source, reason: "the container authorization token contains a line break")
        }
        return trimmed
    }

    private struct Payload: Decodable {
        var accessKeyId: String
        var secretAccessKey: String
        var token: String?
        var expiration: String?

        enum CodingKeys: String, CodingKey {
            case accessKeyId = "AccessKeyId", secretAccessKey = "SecretAccessKey", token = "Token"
            case expiration = "Expiration"
        }
    }

    /// GETs the endpoint and decodes its answer.
    static func fetch(
        _ client: HTTPClient, url: String, authorization: String?, timeout: Duration
    ) async throws(AWSCredentialError) -> AWSCredentials {
        let shown = url.split(separator: "?", maxSplits: 1).first.map(String.init) ?? url
        let response: AWSHTTP.Response
        do {
            response = try await AWSHTTP.send(
                client, method: .GET, url: url,
                headers: [("Accept", "application/json")] + (authorization.map { [("Authorization", $0)] } ?? []),
                body: nil, timeout: timeout, maxResponseBytes: 64 * 1024)
        } catch {
            throw .unavailable(source: source, reason: "GET \(shown): \(AWSHTTP.describe(error))")
        }
        // The body is not quoted in errors: a success body holds secrets.
        guard response.status == 200 else {
            let reason = "GET \(shown): HTTP \(response.status)"
            if response.status == 429 || response.status >= 500 { throw .unavailable(source: source, reason: reason) }
            throw .invalid(source: source, reason: reason + " (check the authorization token)")
        }
        guard let payload = try? JSONDecoder().decode(Payload.self, from: Data(response.body)),
              !payload.accessKeyId.isEmpty, !payload.secretAccessKey.isEmpty
        else {
            throw .invalid(source: source, reason: "GET \(shown): the answer has no AccessKeyId and SecretAccessKey")
        }
        var expiration: Date?
        if let text = payload.expiration {
            guard let date = RFC3339.parse(text) else {
                throw .invalid(source: source, reason: "GET \(shown): Expiration \(text) is not an RFC 3339 time")
            }
            expiration = date
        }
        return AWSCredentials(
            accessKeyId: payload.accessKeyId, secretAccessKey: payload.secretAccessKey,
            sessionToken: payload.token?.isEmpty == true ? nil : payload.token, expiration: expiration)
    }
}
