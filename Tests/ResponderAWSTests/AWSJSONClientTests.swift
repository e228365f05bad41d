import AsyncHTTPClient
import Foundation
import ResponderAWS
import ResponderCore
import Testing

/// The requests the JSON 1.1 client builds, and how it reads AWS error answers.
@Suite("AWS JSON 1.1 client")
struct AWSJSONClientTests {
    static let secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
    static let token = "SESSION-TOKEN-abcdefghijklmnop"
    static let date = Date(timeIntervalSince1970: 1_440_938_160)  // 2015-08-30T12:36:00Z

    static func client(
        _ service: AWSService = .ecs, endpoint: AWSEndpoint? = nil, token: String? = token,
        timeout: Duration = .seconds(5)
    ) -> AWSJSONClient {
        AWSJSONClient(
            service: service, region: "eu-west-1",
            credentials: StaticCredentials(AWSCredentials(accessKeyId: "AKIDEXAMPLE", secretAccessKey: secret, sessionToken: token)),
            httpClient: HTTPClient.shared, endpoint: endpoint, timeout: timeout)
    }

    @Test("UpdateService is a signed JSON 1.1 POST to the regional endpoint")
    func signedHeaders() throws {
        let client = Self.client()
        let body = Array(#"{"cluster":"c","desiredCount":3,"service":"s"}"#.utf8)
        let credentials = AWSCredentials(accessKeyId: "AKIDEXAMPLE", secretAccessKey: Self.secret, sessionToken: Self.token)
        let request = try client.signedRequest("UpdateService", body: body, credentials: credentials, date: Self.date)
        #expect(request.method == "POST")
        #expect(request.url == "https://ecs.eu-west-1.amazonaws.com/")
        #expect(request.header("Host") == "ecs.eu-west-1.amazonaws.com")
        #expect(request.header("Content-Type") == "application/x-amz-json-1.1")
        #expect(request.header("X-Amz-Target") == "AmazonEC2ContainerServiceV20141113.UpdateService")
        #expect(request.header("X-Amz-Date") == "20150830T123600Z")
        #expect(request.header("X-Amz-Security-Token") == Self.token)
        #expect(request.body == body)
        let authorization = try #require(request.header("Authorization"))
        let pattern = #/^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/eu-west-1/ecs/aws4_request, SignedHeaders=([a-z0-9;-]+), Signature=([0-9a-f]{64})$/#
        let match = try #require(authorization.wholeMatch(of: pattern))
        #expect(match.1 == "content-type;host;x-amz-date;x-amz-security-token;x-amz-target")
        #expect(!request.description.contains(Self.token))
        #expect(!authorization.contains(Self.secret))

        // The same request recomputed by the signer gives the same signature.
        let sigv4 = SigV4Request(method: "POST", path: "/", headers: [
            ("Host", "ecs.eu-west-1.amazonaws.com"), ("Content-Type", "application/x-amz-json-1.1"),
            ("X-Amz-Target", "AmazonEC2ContainerServiceV20141113.UpdateService"),
        ], body: body)
        let expected = try SigV4Signer.sign(sigv4, credentials: credentials, region: "eu-west-1", service: "ecs", date: Self.date)
        #expect(expected.last?.value == authorization)
    }

    @Test("Application Auto Scaling signs as application-autoscaling; no token header without a session token")
    func autoScalingHeaders() throws {
        let client = Self.client(.applicationAutoScaling, endpoint: AWSEndpoint(url: "http://127.0.0.1:5000"), token: nil)
        let credentials = AWSCredentials(accessKeyId: "AKIDEXAMPLE", secretAccessKey: Self.secret)
        let request = try client.signedRequest("RegisterScalableTarget", body: Array("{}".utf8), credentials: credentials, date: Self.date)
        #expect(request.url == "http://127.0.0.1:5000/")
        #expect(request.header("Host") == "127.0.0.1:5000")
        #expect(request.header("X-Amz-Target") == "AnyScaleFrontendService.RegisterScalableTarget")
        #expect(request.header("X-Amz-Security-Token") == nil)
        let authorization = try #require(request.header("Authorization"))
        #expect(authorization.hasPrefix("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/eu-west-1/application-autoscaling/aws4_request, "))
        #expect(authorization.contains("SignedHeaders=content-type;host;x-amz-date;x-amz-target, "))
    }

    @Test("endpoints: regional, China, overrides with and without a port")
    func endpoints() throws {
        #expect(AWSEndpoint.regional(service: "ecs", region: "eu-west-1").rootURL == "https://ecs.eu-west-1.amazonaws.com/")
        #expect(AWSEndpoint.regional(service: "ecs", region: "cn-north-1").rootURL == "https://ecs.cn-north-1.amazonaws.com.cn/")
        #expect(try #require(AWSEndpoint(url: "http://127.0.0.1:5000")).hostHeader == "127.0.0.1:5000")
        #expect(try #require(AWSEndpoint(url: "https://example.com:443/")).hostHeader == "example.com")
        #expect(AWSEndpoint(url: "ftp://example.com") == nil)
        #expect(AWSEndpoint(url: "http://example.com/some/path") == nil)
    }

    /// A canned error answer and what it must become.
    struct ErrorCase: Sendable, CustomTestStringConvertible {
        /// The HTTP status answered.
        var status: Int
        /// The body answered.
        var body: String
        /// Whether the resulting error must be retryable.
        var retryable: Bool
        /// Words the backend error message must contain.
        var mentions: [String]
        /// Shown in test output.
        var testDescription: String { "\(status) \(body.prefix(60))" }
    }

    static let errorCases: [ErrorCase] = [
        ErrorCase(status: 400, body: #"{"__type":"com.amazonaws.ecs#ThrottlingException","message":"Rate exceeded"}"#,
                  retryable: true, mentions: ["ThrottlingException", "Rate exceeded"]),
        ErrorCase(status: 400, body: #"{"__type":"TooManyRequestsException","Message":"slow down"}"#,
                  retryable: true, mentions: ["TooManyRequestsException", "slow down"]),
        ErrorCase(status: 400, body: #"{"__type":"RequestLimitExceeded","message":"limit"}"#,
                  retryable: true, mentions: ["RequestLimitExceeded"]),
        ErrorCase(status: 429, body: "", retryable: true, mentions: ["HTTP 429"]),
        ErrorCase(status: 503, body: #"{"__type":"ServerException","message":"internal"}"#,
                  retryable: true, mentions: ["ServerException", "503"]),
        ErrorCase(status: 500, body: "<html>oops</html>", retryable: true, mentions: ["HTTP 500"]),
        ErrorCase(status: 400, body: #"{"__type":"ConcurrentUpdateException","message":"busy"}"#,
                  retryable: true, mentions: ["ConcurrentUpdateException"]),
        ErrorCase(status: 400, body: #"{"__type":"com.amazon.coral.service#AccessDeniedException","Message":"User: arn:aws:iam::1:user/x is not authorized"}"#,
                  retryable: false, mentions: ["ecs:UpdateService", "AccessDeniedException", "not authorized"]),
        ErrorCase(status: 400, body: #"{"__type":"UnrecognizedClientException","message":"The security token included in the request is invalid."}"#,
                  retryable: false, mentions: ["AKIDEXAMPLE", "UnrecognizedClientException", "credential"]),
        ErrorCase(status: 403, body: #"{"__type":"InvalidSignatureException","message":"The request signature we calculated does not match. The Canonical String for this request should have been 'x-amz-security-token:SESSION-TOKEN-abcdefghijklmnop'"}"#,
                  retryable: false, mentions: ["InvalidSignatureException", "<redacted>"]),
        ErrorCase(status: 400, body: #"{"__type":"ExpiredTokenException","message":"The security token included in the request is expired"}"#,
                  retryable: false, mentions: ["ExpiredTokenException", "expired"]),
        ErrorCase(status: 400, body: #"{"__type":"ServiceNotFoundException","message":"Service not found."}"#,
                  retryable: false, mentions: ["ECS service prod/api in eu-west-1 not found", "ServiceNotFoundException"]),
        ErrorCase(status: 400, body: #"{"__type":"ClusterNotFoundException","message":"Cluster not found."}"#,
                  retryable: false, mentions: ["ECS service prod/api in eu-west-1 not found", "ClusterNotFoundException"]),
        ErrorCase(status: 400, body: #"{"__type":"ServiceNotActiveException","message":"Service was not ACTIVE."}"#,
                  retryable: false, mentions: ["prod/api", "ServiceNotActiveException"]),
        ErrorCase(status: 400, body: #"{"__type":"ObjectNotFoundException","message":"No scalable target"}"#,
                  retryable: false, mentions: ["prod/api", "ObjectNotFoundException"]),
        ErrorCase(status: 400, body: #"{"__type":"InvalidParameterException","message":"desiredCount must be >= 0"}"#,
                  retryable: false, mentions: ["InvalidParameterException", "desiredCount must be >= 0"]),
        ErrorCase(status: 400, body: #"{"__type":"ValidationException","message":"MaxCapacity < MinCapacity"}"#,
                  retryable: false, mentions: ["ValidationException", "MaxCapacity < MinCapacity"]),
    ]

    @Test("error answers map to retryable or permanent backend errors", arguments: errorCases)
    func errorMapping(_ errorCase: ErrorCase) async throws {
        try await FakeEndpoint.run(respond: { _ in
            .init(status: errorCase.status, body: errorCase.body, headers: ["Content-Type": "application/x-amz-json-1.1"])
        }) { port, hits in
            let client = Self.client(endpoint: AWSEndpoint(url: "http://127.0.0.1:\(port)"))
            let error = try await #require(throws: AWSError.self) {
                _ = try await client.send("UpdateService", body: Array("{}".utf8), resource: "ECS service prod/api in eu-west-1")
            }
            #expect(error.retryable == errorCase.retryable, "\(error)")
            let backend = error.backendError(label: "ECS service prod/api")
            #expect(backend.retryable == errorCase.retryable)
            #expect(backend.message.hasPrefix("ECS service prod/api: "))
            for word in errorCase.mentions { #expect(backend.message.contains(word), "\(backend.message)") }
            #expect(!backend.message.contains(Self.secret))
            #expect(!backend.message.contains(Self.token))
            let hit = try #require(hits.withLockedValue { $0.first })
            #expect(hit.header("X-Amz-Target") == "AmazonEC2ContainerServiceV20141113.UpdateService")
            #expect(hit.header("Authorization")?.hasPrefix("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/") == true)
        }
    }

    @Test("the error code also comes from the x-amzn-ErrorType header")
    func errorTypeHeader() async throws {
        try await FakeEndpoint.run(respond: { _ in
            .init(status: 400, body: "{}", headers: ["x-amzn-ErrorType": "ThrottlingException:http://internal.amazon.com/coral/"])
        }) { port, _ in
            let client = Self.client(endpoint: AWSEndpoint(url: "http://127.0.0.1:\(port)"))
            let error = try await #require(throws: AWSError.self) {
                _ = try await client.send("DescribeServices", body: Array("{}".utf8), resource: "x")
            }
            guard case .throttled(let detail) = error else { Issue.record("expected throttled, got \(error)"); return }
            #expect(detail.code == "ThrottlingException")
        }
    }

    @Test("no answer (connection refused) is retryable")
    func transportRetryable() async throws {
        // Port 1 on loopback refuses connections.
        let client = Self.client(endpoint: AWSEndpoint(url: "http://127.0.0.1:1"), timeout: .milliseconds(300))
        let error = try await #require(throws: AWSError.self) {
            _ = try await client.send("DescribeServices", body: Array("{}".utf8), resource: "x")
        }
        guard case .transport = error else { Issue.record("expected transport, got \(error)"); return }
        #expect(error.retryable)
    }

    @Test("credential failures surface as AWSError.credentials with their retryability")
    func credentialFailure() async throws {
        let client = AWSJSONClient(
            service: .ecs, region: "eu-west-1",
            credentials: EnvironmentCredentialProvider(environment: [:]), httpClient: HTTPClient.shared)
        let error = try await #require(throws: AWSError.self) {
            _ = try await client.send("DescribeServices", body: Array("{}".utf8), resource: "x")
        }
        #expect(error == .credentials(.notConfigured(
            source: "environment", reason: "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set")))
        #expect(!error.retryable)
    }
}

/// Fixed credentials for tests.
struct StaticCredentials: AWSCredentialProvider {
    /// What is handed out.
    var value: AWSCredentials
    /// Hands out `value`.
    init(_ value: AWSCredentials) { self.value = value }
    /// `value`.
    func credentials() async throws(AWSCredentialError) -> AWSCredentials { value }
}
