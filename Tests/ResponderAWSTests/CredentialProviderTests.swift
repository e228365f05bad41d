import AsyncHTTPClient
import Foundation
import ResponderAWS
import Testing

/// The environment and shared-file providers, and the default chain's order and error.
@Suite("AWS credential providers: environment, shared file, chain")
struct CredentialProviderTests {
    static let secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"

    @Test("environment: keys and session token")
    func environment() async throws {
        let provider = EnvironmentCredentialProvider(environment: [
            "AWS_ACCESS_KEY_ID": "AKIDENV", "AWS_SECRET_ACCESS_KEY": Self.secret, "AWS_SESSION_TOKEN": "TOKEN-ENV",
        ])
        let credentials = try await provider.credentials()
        #expect(credentials == AWSCredentials(accessKeyId: "AKIDENV", secretAccessKey: Self.secret, sessionToken: "TOKEN-ENV"))
        #expect(!"\(credentials)".contains(Self.secret))
        #expect(!"\(credentials)".contains("TOKEN-ENV"))
    }

    @Test("environment: absent is not configured; half a pair is invalid")
    func environmentErrors() async throws {
        let absent = try await #require(throws: AWSCredentialError.self) {
            _ = try await EnvironmentCredentialProvider(environment: ["AWS_ACCESS_KEY_ID": ""]).credentials()
        }
        guard case .notConfigured = absent else { Issue.record("\(absent)"); return }
        let half = try await #require(throws: AWSCredentialError.self) {
            _ = try await EnvironmentCredentialProvider(environment: ["AWS_SECRET_ACCESS_KEY": Self.secret]).credentials()
        }
        guard case .invalid = half else { Issue.record("\(half)"); return }
        #expect(!"\(half)".contains(Self.secret))
    }

    static let credentialsFile = """
        # a comment
        [default]
        aws_access_key_id = AKIDDEFAULT
        aws_secret_access_key = \(secret)

        [prod]
        aws_access_key_id=AKIDPROD
        aws_secret_access_key =  prod-secret-value  ; trailing comment
        aws_session_token = PROD-TOKEN
        s3 =
          max_concurrent_requests = 20

        [profile roles]
        role_arn = arn:aws:iam::1:role/x
        source_profile = default
        """

    @Test("shared file: the default profile, AWS_PROFILE, AWS_SHARED_CREDENTIALS_FILE and ~/.aws/credentials")
    func sharedFile() async throws {
        let directory = try TempDirectory()
        let file = try directory.write("creds.ini", Self.credentialsFile)
        let byDefault = SharedCredentialsFileProvider(environment: ["AWS_SHARED_CREDENTIALS_FILE": file])
        #expect(try await byDefault.credentials() == AWSCredentials(accessKeyId: "AKIDDEFAULT", secretAccessKey: Self.secret))
        let prod = SharedCredentialsFileProvider(environment: ["AWS_SHARED_CREDENTIALS_FILE": file, "AWS_PROFILE": "prod"])
        #expect(try await prod.credentials()
            == AWSCredentials(accessKeyId: "AKIDPROD", secretAccessKey: "prod-secret-value", sessionToken: "PROD-TOKEN"))

        try directory.write("home/.aws/credentials", Self.credentialsFile)
        let home = SharedCredentialsFileProvider(environment: ["HOME": directory.path + "/home", "AWS_PROFILE": "prod"])
        #expect(home.path == directory.path + "/home/.aws/credentials")
        #expect(try await home.credentials().accessKeyId == "AKIDPROD")
    }

    @Test("shared file: a missing file or profile is an error naming the file and the profile")
    func sharedFileErrors() async throws {
        let directory = try TempDirectory()
        let file = try directory.write("creds.ini", Self.credentialsFile)
        let noProfile = try await #require(throws: AWSCredentialError.self) {
            _ = try await SharedCredentialsFileProvider(environment: ["AWS_SHARED_CREDENTIALS_FILE": file, "AWS_PROFILE": "staging"]).credentials()
        }
        #expect("\(noProfile)".contains("[staging]"))
        #expect("\(noProfile)".contains(file))

        let noFile = try await #require(throws: AWSCredentialError.self) {
            _ = try await SharedCredentialsFileProvider(environment: ["AWS_SHARED_CREDENTIALS_FILE": directory.path + "/absent"]).credentials()
        }
        #expect("\(noFile)".contains(directory.path + "/absent"))
        #expect("\(noFile)".contains("default"))

        let roleOnly = try await #require(throws: AWSCredentialError.self) {
            _ = try await SharedCredentialsFileProvider(environment: ["AWS_SHARED_CREDENTIALS_FILE": file], profile: "roles").credentials()
        }
        #expect("\(roleOnly)".contains("[roles]"))
        #expect(!"\(roleOnly)".contains(Self.secret))
    }

    @Test("chain: environment wins over web identity, which wins over the shared file")
    func chainOrder() async throws {
        let directory = try TempDirectory()
        let file = try directory.write("creds.ini", Self.credentialsFile)
        var environment = [
            "AWS_SHARED_CREDENTIALS_FILE": file, "AWS_ACCESS_KEY_ID": "AKIDENV", "AWS_SECRET_ACCESS_KEY": "env-secret",
        ]
        let first = DefaultCredentialChain(environment: environment, httpClient: HTTPClient.shared)
        #expect(try await first.credentials().accessKeyId == "AKIDENV")

        environment["AWS_ACCESS_KEY_ID"] = nil
        environment["AWS_SECRET_ACCESS_KEY"] = nil
        let second = DefaultCredentialChain(environment: environment, httpClient: HTTPClient.shared)
        #expect(try await second.credentials().accessKeyId == "AKIDDEFAULT")

        // Web identity comes before the file: with it configured (STS unreachable) its error is the answer.
        let token = try directory.write("token", "jwt")
        environment["AWS_WEB_IDENTITY_TOKEN_FILE"] = token
        environment["AWS_ROLE_ARN"] = "arn:aws:iam::1:role/r"
        let third = DefaultCredentialChain(
            environment: environment, httpClient: HTTPClient.shared, stsEndpoint: "http://127.0.0.1:1",
            timeout: .milliseconds(300))
        let error = try await #require(throws: AWSCredentialError.self) { _ = try await third.credentials() }
        guard case .unavailable(let source, _) = error else { Issue.record("\(error)"); return }
        #expect(source == "web identity")
        #expect(error.retryable)
    }

    @Test("chain: with nothing configured the error lists every source tried, in order")
    func chainError() async throws {
        let directory = try TempDirectory()
        let chain = DefaultCredentialChain(environment: ["HOME": directory.path], httpClient: HTTPClient.shared)
        let error = try await #require(throws: AWSCredentialError.self) { _ = try await chain.credentials() }
        guard case .noCredentials(let tried) = error else { Issue.record("\(error)"); return }
        #expect(tried.count == 4)
        let text = "\(error)"
        let order = ["environment", "web identity", "shared credentials file", "container credentials endpoint"]
        let positions = order.compactMap { text.range(of: $0)?.lowerBound }
        #expect(positions.count == 4)
        #expect(positions == positions.sorted())
        #expect(text.contains(directory.path + "/.aws/credentials"))
        #expect(text.contains("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"))
    }
}
