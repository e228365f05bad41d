import Foundation

/// Credentials from the shared credentials file (`AWS_SHARED_CREDENTIALS_FILE`, else `~/.aws/credentials`),
/// profile `AWS_PROFILE` (default `default`): `aws_access_key_id`, `aws_secret_access_key`, `aws_session_token`.
/// The file is read once; later calls reuse what it held.
public struct SharedCredentialsFileProvider: AWSCredentialProvider {
    /// The source name used in errors.
    public static let source = "shared credentials file"
    /// The file read.
    public let path: String?
    /// The profile read.
    public let profile: String
    private let cache: CredentialCache

    /// Creates a provider; `path` and `profile` override what `environment` says.
    public init(
        environment: [String: String] = ProcessInfo.processInfo.environment, path: String? = nil, profile: String? = nil
    ) {
        let home = environment.awsValue("HOME")
        var file = path ?? environment.awsValue("AWS_SHARED_CREDENTIALS_FILE") ?? home.map { "\($0)/.aws/credentials" }
        if let expanded = file, expanded.hasPrefix("~/"), let home { file = home + expanded.dropFirst(1) }
        let chosen = profile ?? environment.awsValue("AWS_PROFILE") ?? "default"
        let resolved = file
        self.path = resolved
        self.profile = chosen
        self.cache = CredentialCache(now: Date.init) { () throws(AWSCredentialError) -> AWSCredentials in
            try Self.read(path: resolved, profile: chosen)
        }
    }

    /// The profile's credentials.
    public func credentials() async throws(AWSCredentialError) -> AWSCredentials {
        try await cache.credentials()
    }

    /// Reads `profile` from the file at `path`.
    static func read(path: String?, profile: String) throws(AWSCredentialError) -> AWSCredentials {
        guard let path else {
            throw .notConfigured(source: source, reason: "neither AWS_SHARED_CREDENTIALS_FILE nor HOME is set")
        }
        guard FileManager.default.fileExists(atPath: path) else {
            throw .notConfigured(source: source, reason: "no file \(path) (profile \(profile))")
        }
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw .invalid(source: source, reason: "cannot read \(path) (profile \(profile)): \(error.localizedDescription)")
        }
        guard let section = INIProfiles(parsing: text).sections[profile] else {
            throw .notConfigured(source: source, reason: "no profile [\(profile)] in \(path)")
        }
        guard let keyId = section["aws_access_key_id"], !keyId.isEmpty,
              let secret = section["aws_secret_access_key"], !secret.isEmpty
        else {
            throw .notConfigured(
                source: source,
                reason: "profile [\(profile)] in \(path) has no aws_access_key_id and aws_secret_access_key "
                    + "(role, SSO and process profiles are not supported)")
        }
        let token = section["aws_session_token"] ?? section["aws_security_token"]
        return AWSCredentials(accessKeyId: keyId, secretAccessKey: secret, sessionToken: token?.isEmpty == true ? nil : token)
    }
}
