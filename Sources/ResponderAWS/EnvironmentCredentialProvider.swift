import Foundation

/// Credentials from `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and optionally `AWS_SESSION_TOKEN`.
public struct EnvironmentCredentialProvider: AWSCredentialProvider {
    /// The source name used in errors.
    public static let source = "environment"
    private let environment: [String: String]

    /// Creates a provider reading `environment` (the process environment by default).
    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.environment = environment
    }

    /// The credentials in the environment; `notConfigured` when neither key variable is set.
    public func credentials() async throws(AWSCredentialError) -> AWSCredentials {
        let keyId = environment.awsValue("AWS_ACCESS_KEY_ID")
        let secret = environment.awsValue("AWS_SECRET_ACCESS_KEY")
        switch (keyId, secret) {
        case (let keyId?, let secret?):
            return AWSCredentials(
                accessKeyId: keyId, secretAccessKey: secret, sessionToken: environment.awsValue("AWS_SESSION_TOKEN"))
        case (nil, nil):
            throw .notConfigured(source: Self.source, reason: "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set")
        case (nil, _):
            throw .invalid(source: Self.source, reason: "AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID is not")
        case (_, nil):
            throw .invalid(source: Self.source, reason: "AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not")
        }
    }
}
