import AsyncHTTPClient
import Foundation
import NIOConcurrencyHelpers
import ResponderAWS
import ResponderCore
import Testing

/// The container credentials endpoint provider against a local endpoint, with an injected clock.
@Suite("AWS credential providers: container endpoint")
struct ContainerCredentialProviderTests {
    static let start = Date(timeIntervalSince1970: 1_800_000_000)

    /// Answers with credentials numbered by call, expiring an hour after `start` + 3600 × (call - 1).
    static func answer(calls: NIOLockedValueBox<Int>, authorization expected: String?) -> @Sendable (FakeEndpoint.Hit) -> FakeEndpoint.Answer {
        { hit in
            guard hit.header("Authorization") == expected else { return .init(status: 401, body: #"{"message":"denied"}"#) }
            let call = calls.withLockedValue { $0 += 1; return $0 }
            let expiry = RFC3339.format(start.addingTimeInterval(3600 * Double(call)))
            return .init(status: 200, body: """
                {"AccessKeyId":"ASIA\(call)","SecretAccessKey":"secret-\(call)","Token":"token-\(call)","Expiration":"\(expiry)"}
                """)
        }
    }

    @Test("relative URI with a token: cached while fresh, refreshed 5 minutes before expiry")
    func refreshBeforeExpiry() async throws {
        let calls = NIOLockedValueBox(0)
        try await FakeEndpoint.run(respond: Self.answer(calls: calls, authorization: "Basic abc")) { port, hits in
            let clock = NIOLockedValueBox(Self.start)
            let provider = ContainerCredentialProvider(
                environment: ["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": "/v2/credentials/uuid",
                              "AWS_CONTAINER_AUTHORIZATION_TOKEN": "Basic abc"],
                httpClient: HTTPClient.shared, relativeBaseURL: "http://127.0.0.1:\(port)",
                now: { clock.withLockedValue { $0 } })
            let first = try await provider.credentials()
            #expect(first.accessKeyId == "ASIA1")
            #expect(first.sessionToken == "token-1")
            #expect(first.expiration == Self.start.addingTimeInterval(3600))
            #expect(hits.withLockedValue { $0.first?.path } == "/v2/credentials/uuid")

            clock.withLockedValue { $0 = Self.start.addingTimeInterval(3600 - 301) }  // 5 min 1 s left
            #expect(try await provider.credentials().accessKeyId == "ASIA1")
            #expect(calls.withLockedValue { $0 } == 1)

            clock.withLockedValue { $0 = Self.start.addingTimeInterval(3600 - 299) }  // under 5 min left
            #expect(try await provider.credentials().accessKeyId == "ASIA2")
            #expect(calls.withLockedValue { $0 } == 2)
        }
    }

    @Test("concurrent callers share one fetch")
    func concurrentCallers() async throws {
        let calls = NIOLockedValueBox(0)
        try await FakeEndpoint.run(respond: Self.answer(calls: calls, authorization: nil)) { port, _ in
            let provider = ContainerCredentialProvider(
                environment: ["AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://127.0.0.1:\(port)/creds"],
                httpClient: HTTPClient.shared, now: { Self.start })
            let keys = try await withThrowingTaskGroup(of: String.self) { group in
                for _ in 0..<20 { group.addTask { try await provider.credentials().accessKeyId } }
                return try await group.reduce(into: Set<String>()) { $0.insert($1) }
            }
            #expect(keys == ["ASIA1"])
            #expect(calls.withLockedValue { $0 } == 1)
        }
    }

    @Test("full URI with a token file: the file is re-read on every refresh and wins over the variable")
    func tokenFile() async throws {
        let calls = NIOLockedValueBox(0)
        let directory = try TempDirectory()
        let tokenPath = try directory.write("token", "pod-identity-token-1\n")
        try await FakeEndpoint.run(respond: { hit in
            calls.withLockedValue { $0 += 1 }
            let n = calls.withLockedValue { $0 }
            guard hit.header("Authorization") == "pod-identity-token-\(n)" else { return .init(status: 403, body: "{}") }
            return .init(status: 200, body: #"{"AccessKeyId":"ASIA\#(n)","SecretAccessKey":"s","Token":"t","Expiration":"2027-01-15T08:00:00Z"}"#)
        }) { port, _ in
            let clock = NIOLockedValueBox(Self.start)
            let provider = ContainerCredentialProvider(
                environment: ["AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://127.0.0.1:\(port)/v1/credentials",
                              "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE": tokenPath,
                              "AWS_CONTAINER_AUTHORIZATION_TOKEN": "ignored"],
                httpClient: HTTPClient.shared, now: { clock.withLockedValue { $0 } })
            #expect(try await provider.credentials().accessKeyId == "ASIA1")
            try directory.write("token", "pod-identity-token-2")
            clock.withLockedValue { $0 = RFC3339.parse("2027-01-15T07:58:00Z") ?? $0 }
            #expect(try await provider.credentials().accessKeyId == "ASIA2")
        }
    }

    @Test("a wrong token is refused without quoting the answer; a 5xx is retryable")
    func refusals() async throws {
        try await FakeEndpoint.run(respond: { hit in
            hit.path == "/broken" ? .init(status: 503, body: "down") : .init(status: 401, body: #"{"secret":"leak"}"#)
        }) { port, _ in
            let denied = ContainerCredentialProvider(
                environment: ["AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://localhost:\(port)/creds"],
                httpClient: HTTPClient.shared)
            let error = try await #require(throws: AWSCredentialError.self) { _ = try await denied.credentials() }
            #expect(!error.retryable)
            #expect("\(error)".contains("HTTP 401"))
            #expect(!"\(error)".contains("leak"))
            let broken = ContainerCredentialProvider(
                environment: ["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": "/broken"],
                httpClient: HTTPClient.shared, relativeBaseURL: "http://127.0.0.1:\(port)")
            let failure = try await #require(throws: AWSCredentialError.self) { _ = try await broken.credentials() }
            #expect(failure.retryable)
        }
    }

    @Test("full URI over plain http is only allowed to loopback and the ECS/EKS hosts (checked without I/O)", arguments: [
        ("http://169.254.170.2/creds", true), ("http://169.254.170.23/v1/credentials", true),
        ("http://127.0.0.1:9/creds", true), ("http://[::1]:9/creds", true), ("http://localhost/creds", true),
        ("http://[fd00:ec2::23]/v1/credentials", true), ("https://creds.example.com/x", true),
        ("http://creds.example.com/x", false), ("http://10.0.0.1/x", false), ("not a url", false),
    ])
    func fullURIHosts(_ url: String, _ allowed: Bool) throws {
        let environment = ["AWS_CONTAINER_CREDENTIALS_FULL_URI": url]
        if allowed {
            #expect(try ContainerCredentialProvider.endpointURL(environment: environment) == url)
        } else {
            let error = try #require(throws: AWSCredentialError.self) {
                try ContainerCredentialProvider.endpointURL(environment: environment)
            }
            guard case .invalid = error else { Issue.record("\(url): \(error)"); return }
        }
    }

    @Test("a relative URI goes under http://169.254.170.2 and wins over a full URI")
    func relativeURI() throws {
        #expect(try ContainerCredentialProvider.endpointURL(environment: [
            "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": "/v2/credentials/abc",
            "AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://127.0.0.1/x",
        ]) == "http://169.254.170.2/v2/credentials/abc")
    }
}
