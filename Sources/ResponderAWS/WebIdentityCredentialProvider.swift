import AsyncHTTPClient
import Foundation

/// Credentials for a role assumed with a web identity token (EKS IRSA, any OIDC token file):
/// `AWS_WEB_IDENTITY_TOKEN_FILE` (re-read on every refresh), `AWS_ROLE_ARN` and optionally `AWS_ROLE_SESSION_NAME`,
/// exchanged through STS AssumeRoleWithWebIdentity (an unsigned query-API POST). Cached until five minutes before
/// expiry. STS is `AWS_ENDPOINT_URL_STS` or the given override, else regional (`https://sts.<region>.amazonaws.com`
/// from `AWS_REGION`/`AWS_DEFAULT_REGION`), else global.
public struct WebIdentityCredentialProvider: AWSCredentialProvider {
    /// The source name used in errors.
    public static let source = "web identity"
    /// The STS endpoint used.
    public let stsEndpoint: AWSEndpoint?
    private let cache: CredentialCache

    /// Creates a provider; `stsEndpoint` (a URL such as `http://127.0.0.1:5000`) overrides the environment.
    public init(
        environment: [String: String] = ProcessInfo.processInfo.environment, httpClient: HTTPClient,
        stsEndpoint: String? = nil, timeout: Duration = .seconds(10), refreshMargin: TimeInterval = 300,
        now: @escaping AWSClock = Date.init
    ) {
        let tokenFile = environment.awsValue("AWS_WEB_IDENTITY_TOKEN_FILE")
        let roleArn = environment.awsValue("AWS_ROLE_ARN")
        let sessionName = environment.awsValue("AWS_ROLE_SESSION_NAME")
        let override = stsEndpoint ?? environment.awsValue("AWS_ENDPOINT_URL_STS")
        let endpoint: AWSEndpoint?
        if let override {
            endpoint = AWSEndpoint(url: override)
        } else if let region = environment.awsValue("AWS_REGION") ?? environment.awsValue("AWS_DEFAULT_REGION") {
            endpoint = .regional(service: "sts", region: region)
        } else {
            endpoint = AWSEndpoint(scheme: "https", host: "sts.amazonaws.com")
        }
        self.stsEndpoint = endpoint
        cache = CredentialCache(refreshMargin: refreshMargin, now: now) { () async throws(AWSCredentialError) -> AWSCredentials in
            switch (tokenFile, roleArn) {
            case (nil, nil):
                throw .notConfigured(source: Self.source, reason: "AWS_WEB_IDENTITY_TOKEN_FILE and AWS_ROLE_ARN are not set")
            case (nil, _):
                throw .invalid(source: Self.source, reason: "AWS_ROLE_ARN is set but AWS_WEB_IDENTITY_TOKEN_FILE is not")
            case (_, nil):
                throw .invalid(source: Self.source, reason: "AWS_WEB_IDENTITY_TOKEN_FILE is set but AWS_ROLE_ARN is not")
            case (let tokenFile?, let roleArn?):
                guard let endpoint else {
                    throw .invalid(source: Self.source, reason: "the STS endpoint override \(override ?? "") is not an http(s) URL")
                }
                let token = try Self.readToken(tokenFile)
                let session = sessionName ?? "responder-\(Int(now().timeIntervalSince1970))"
                return try await Self.assumeRole(
                    httpClient, endpoint: endpoint, roleArn: roleArn, sessionName: session, token: token, timeout: timeout)
            }
        }
    }

    /// The cached credentials, refreshed when near expiry.
    public func credentials() async throws(AWSCredentialError) -> AWSCredentials {
        try await cache.credentials()
    }

    /// The token file's content, trimmed.
    static func readToken(_ path: String) throws(AWSCredentialError) -> String {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw .invalid(source: source, reason: "cannot read AWS_WEB_IDENTITY_TOKEN_FILE \(path)")
        }
        let token = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !token.isEmpty else { throw .invalid(source: source, reason: "AWS_WEB_IDENTITY_TOKEN_FILE \(path) is empty") }
        return token
    }

    /// The form body of AssumeRoleWithWebIdentity.
    static func formBody(roleArn: String, sessionName: String, token: String) -> [UInt8] {
        let items = [
            ("Action", "AssumeRoleWithWebIdentity"), ("Version", "2011-06-15"), ("RoleArn", roleArn),
            ("RoleSessionName", sessionName), ("WebIdentityToken", token),
        ]
        let text = items.map {
            "\(SigV4Canonical.uriEncode($0.0, keepSlash: false))=\(SigV4Canonical.uriEncode($0.1, keepSlash: false))"
        }.joined(separator: "&")
        return Array(text.utf8)
    }

    /// Calls STS and reads the credentials out of its answer.
    static func assumeRole(
        _ client: HTTPClient, endpoint: AWSEndpoint, roleArn: String, sessionName: String, token: String,
        timeout: Duration
    ) async throws(AWSCredentialError) -> AWSCredentials {
        let shown = "STS AssumeRoleWithWebIdentity (\(endpoint), role \(roleArn))"
        let response: AWSHTTP.Response
        do {
            response = try await AWSHTTP.send(
                client, method: .POST, url: endpoint.rootURL,
                headers: [
                    ("Host", endpoint.hostHeader),
                    ("Content-Type", "application/x-www-form-urlencoded; charset=utf-8"),
                    ("Accept", "text/xml"),
                ],
                body: formBody(roleArn: roleArn, sessionName: sessionName, token: token), timeout: timeout)
        } catch {
            throw .unavailable(source: source, reason: "\(shown): \(AWSHTTP.describe(error))")
        }
        let xml = String(decoding: response.body, as: UTF8.self)
        guard response.status == 200 else {
            let parsed = STSResponse.error(xml)
            let code = parsed?.code ?? "HTTP \(response.status)"
            // The token could in principle be echoed back; it never leaves this function.
            let message = String((parsed?.message ?? "").replacingOccurrences(of: token, with: "<redacted>").prefix(300))
            let reason = "\(shown): \(code): \(message)"
            let transient: Set<String> = ["Throttling", "IDPCommunicationError", "ServiceUnavailable", "InternalFailure"]
            if response.status == 429 || response.status >= 500 || transient.contains(code) {
                throw .unavailable(source: source, reason: reason)
            }
            throw .invalid(source: source, reason: reason)
        }
        guard let credentials = STSResponse.credentials(xml) else {
            throw .invalid(source: source, reason: "\(shown): the answer has no Credentials")
        }
        return credentials
    }
}
