import AsyncHTTPClient
import Foundation
import NIOConcurrencyHelpers
import ResponderAWS
import ResponderCore
import Testing

/// The web identity provider against a local STS stand-in: the exact form it posts, the token file re-read on
/// refresh, STS errors, and endpoint selection. (The exchange against moto's STS is in ECSBackendMotoTests.)
@Suite("AWS credential providers: web identity")
struct WebIdentityCredentialProviderTests {
    static let start = Date(timeIntervalSince1970: 1_800_000_000)

    static func stsAnswer(_ n: Int, expires: Date) -> String {
        """
        <AssumeRoleWithWebIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
          <AssumeRoleWithWebIdentityResult>
            <Credentials>
              <AccessKeyId>ASIASTS\(n)</AccessKeyId>
              <SecretAccessKey>sts+secret/\(n)&amp;x</SecretAccessKey>
              <SessionToken>FQoGZXIvYXdzE&#43;\(n)</SessionToken>
              <Expiration>\(RFC3339.format(expires))</Expiration>
            </Credentials>
          </AssumeRoleWithWebIdentityResult>
        </AssumeRoleWithWebIdentityResponse>
        """
    }

    @Test("posts an unsigned AssumeRoleWithWebIdentity form and re-reads the token file on refresh")
    func formAndRefresh() async throws {
        let directory = try TempDirectory()
        let tokenFile = try directory.write("token", "jwt-one\n")
        let calls = NIOLockedValueBox(0)
        try await FakeEndpoint.run(respond: { _ in
            let n = calls.withLockedValue { $0 += 1; return $0 }
            return .init(status: 200, body: Self.stsAnswer(n, expires: Self.start.addingTimeInterval(3600 * Double(n))),
                         headers: ["Content-Type": "text/xml"])
        }) { port, hits in
            let clock = NIOLockedValueBox(Self.start)
            let provider = WebIdentityCredentialProvider(
                environment: ["AWS_WEB_IDENTITY_TOKEN_FILE": tokenFile, "AWS_ROLE_ARN": "arn:aws:iam::123456789012:role/responder",
                              "AWS_ROLE_SESSION_NAME": "responder-pod"],
                httpClient: HTTPClient.shared, stsEndpoint: "http://127.0.0.1:\(port)", now: { clock.withLockedValue { $0 } })
            let first = try await provider.credentials()
            #expect(first == AWSCredentials(
                accessKeyId: "ASIASTS1", secretAccessKey: "sts+secret/1&x", sessionToken: "FQoGZXIvYXdzE+1",
                expiration: Self.start.addingTimeInterval(3600)))
            let hit = try #require(hits.withLockedValue { $0.first })
            #expect(hit.method == "POST")
            #expect(hit.path == "/")
            #expect(hit.header("Authorization") == nil, "AssumeRoleWithWebIdentity is unsigned")
            #expect(hit.header("Content-Type")?.hasPrefix("application/x-www-form-urlencoded") == true)
            #expect(hit.body == "Action=AssumeRoleWithWebIdentity&Version=2011-06-15"
                + "&RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Fresponder&RoleSessionName=responder-pod"
                + "&WebIdentityToken=jwt-one")

            try directory.write("token", "jwt-two")
            clock.withLockedValue { $0 = Self.start.addingTimeInterval(3600 - 120) }
            #expect(try await provider.credentials().accessKeyId == "ASIASTS2")
            #expect(hits.withLockedValue { $0.last?.body.hasSuffix("&WebIdentityToken=jwt-two") } == true)
            #expect(try await provider.credentials().accessKeyId == "ASIASTS2")
            #expect(calls.withLockedValue { $0 } == 2)
        }
    }

    @Test("an STS refusal is permanent, names the code, never the token; throttling is retryable")
    func stsErrors() async throws {
        let directory = try TempDirectory()
        let tokenFile = try directory.write("token", "very-secret-jwt-token")
        try await FakeEndpoint.run(respond: { hit in
            let code = hit.body.contains("RoleSessionName=throttle") ? "Throttling" : "InvalidIdentityToken"
            return .init(status: 400, body: """
                <ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type>\
                <Code>\(code)</Code><Message>Token very-secret-jwt-token is &lt;bad&gt;</Message></Error></ErrorResponse>
                """)
        }) { port, _ in
            for (session, retryable) in [("refuse", false), ("throttle", true)] {
                let provider = WebIdentityCredentialProvider(
                    environment: ["AWS_WEB_IDENTITY_TOKEN_FILE": tokenFile, "AWS_ROLE_ARN": "arn:aws:iam::1:role/r",
                                  "AWS_ROLE_SESSION_NAME": session],
                    httpClient: HTTPClient.shared, stsEndpoint: "http://127.0.0.1:\(port)")
                let error = try await #require(throws: AWSCredentialError.self) { _ = try await provider.credentials() }
                #expect(error.retryable == retryable)
                #expect("\(error)".contains(retryable ? "Throttling" : "InvalidIdentityToken"))
                #expect("\(error)".contains("<bad>"))
                #expect(!"\(error)".contains("very-secret-jwt-token"))
            }
        }
    }

    @Test("STS endpoint: override, AWS_ENDPOINT_URL_STS, regional from AWS_REGION, else global")
    func endpoints() {
        let client = HTTPClient.shared
        #expect(WebIdentityCredentialProvider(environment: ["AWS_REGION": "eu-west-1"], httpClient: client)
            .stsEndpoint?.rootURL == "https://sts.eu-west-1.amazonaws.com/")
        #expect(WebIdentityCredentialProvider(environment: ["AWS_DEFAULT_REGION": "us-east-2"], httpClient: client)
            .stsEndpoint?.rootURL == "https://sts.us-east-2.amazonaws.com/")
        #expect(WebIdentityCredentialProvider(environment: [:], httpClient: client)
            .stsEndpoint?.rootURL == "https://sts.amazonaws.com/")
        #expect(WebIdentityCredentialProvider(
            environment: ["AWS_REGION": "eu-west-1", "AWS_ENDPOINT_URL_STS": "http://127.0.0.1:4566"], httpClient: client)
            .stsEndpoint?.rootURL == "http://127.0.0.1:4566/")
        #expect(WebIdentityCredentialProvider(
            environment: ["AWS_ENDPOINT_URL_STS": "http://127.0.0.1:4566"], httpClient: client, stsEndpoint: "http://127.0.0.1:5000")
            .stsEndpoint?.rootURL == "http://127.0.0.1:5000/")
    }

    @Test("half configured is invalid; unconfigured is notConfigured")
    func configuration() async throws {
        let half = try await #require(throws: AWSCredentialError.self) {
            _ = try await WebIdentityCredentialProvider(environment: ["AWS_ROLE_ARN": "arn:aws:iam::1:role/r"], httpClient: HTTPClient.shared).credentials()
        }
        guard case .invalid = half else { Issue.record("\(half)"); return }
        let none = try await #require(throws: AWSCredentialError.self) {
            _ = try await WebIdentityCredentialProvider(environment: [:], httpClient: HTTPClient.shared).credentials()
        }
        guard case .notConfigured = none else { Issue.record("\(none)"); return }
    }
}
