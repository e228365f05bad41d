import AsyncHTTPClient
import Foundation
import Logging

/// A client of one AWS JSON API in one region: `POST /` with `Content-Type: application/x-amz-json-1.1` (or 1.0) and
/// `X-Amz-Target: <prefix>.<Operation>`, signed with SigV4. Errors come back as ``AWSError``.
public struct AWSJSONClient: Sendable {
    /// The API.
    public let service: AWSService
    /// The region signed for.
    public let region: String
    /// Where requests go.
    public let endpoint: AWSEndpoint
    /// How long one call may take.
    public let timeout: Duration
    private let credentialProvider: any AWSCredentialProvider
    private let httpClient: HTTPClient
    private let logger: Logger
    private let now: AWSClock

    /// Creates a client; `endpoint` overrides the regional endpoint (e.g. `http://127.0.0.1:5000` for moto).
    public init(
        service: AWSService, region: String, credentials: any AWSCredentialProvider, httpClient: HTTPClient,
        endpoint: AWSEndpoint? = nil, timeout: Duration = .seconds(10),
        logger: Logger = Logger(label: "responder.aws"), now: @escaping AWSClock = Date.init
    ) {
        self.service = service
        self.region = region
        self.endpoint = endpoint ?? .regional(service: service.endpointPrefix, region: region)
        self.timeout = timeout
        self.credentialProvider = credentials
        self.httpClient = httpClient
        self.logger = logger
        self.now = now
    }

    /// The JSON body of `input` with sorted keys and unescaped slashes, as sent.
    public static func encode<Input: Encodable>(_ input: Input) throws(AWSError) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        do {
            return Array(try encoder.encode(input))
        } catch {
            throw .invalidRequest(AWSErrorDetail(operation: "encode", status: 0, code: "EncodingError", message: "\(error)"))
        }
    }

    /// The `X-Amz-Target` value of `operation`.
    public func target(_ operation: String) -> String { "\(service.targetPrefix).\(operation)" }

    /// The request line shown in dry runs: `POST <url> (X-Amz-Target: <target>) <body>`.
    public func describe(_ operation: String, body: [UInt8]) -> String {
        "POST \(endpoint.rootURL) (X-Amz-Target: \(target(operation))) \(String(decoding: body, as: UTF8.self))"
    }

    /// The signed request for `operation` with `body`, as it would be sent at `date`.
    public func signedRequest(
        _ operation: String, body: [UInt8], credentials: AWSCredentials, date: Date
    ) throws(AWSError) -> AWSSignedRequest {
        let headers: [(name: String, value: String)] = [
            ("Host", endpoint.hostHeader),
            ("Content-Type", service.contentType),
            ("X-Amz-Target", target(operation)),
        ]
        let request = SigV4Request(method: "POST", path: "/", headers: headers, body: body)
        do {
            let added = try SigV4Signer.sign(
                request, credentials: credentials, region: region, service: service.signingName, date: date)
            return AWSSignedRequest(method: "POST", url: endpoint.rootURL, headers: headers + added, body: body)
        } catch {
            throw .credentials(.invalid(source: "signing", reason: error.description))
        }
    }

    /// Sends `operation` with a raw JSON `body`; returns the answer's body. `resource` names what is addressed in
    /// not-found errors (`ECS service prod/api in eu-west-1`).
    public func send(_ operation: String, body: [UInt8], resource: String) async throws(AWSError) -> [UInt8] {
        let permission = service.permission(operation)
        let credentials: AWSCredentials
        do {
            credentials = try await credentialProvider.credentials()
        } catch {
            throw .credentials(error)
        }
        let request = try signedRequest(operation, body: body, credentials: credentials, date: now())
        let response: AWSHTTP.Response
        do {
            response = try await AWSHTTP.send(
                httpClient, method: .POST, url: request.url, headers: request.headers, body: body, timeout: timeout)
        } catch {
            logger.debug("AWS call failed", metadata: ["operation": "\(permission)", "error": "\(AWSHTTP.describe(error))"])
            throw .transport(operation: permission, reason: AWSHTTP.describe(error))
        }
        logger.debug("AWS call", metadata: ["operation": "\(permission)", "status": "\(response.status)"])
        guard (200..<300).contains(response.status) else {
            let parsed = AWSErrorClassifier.parse(body: response.body, headers: response.headers)
            throw AWSErrorClassifier.classify(
                status: response.status, code: parsed.code,
                message: AWSErrorClassifier.scrub(parsed.message, credentials: credentials), operation: permission,
                resource: resource, accessKeyId: credentials.accessKeyId)
        }
        return response.body
    }

    /// Sends `operation` with `input` encoded as JSON and decodes the answer as `Output`.
    public func call<Input: Encodable, Output: Decodable>(
        _ operation: String, _ input: Input, resource: String, as output: Output.Type = Output.self
    ) async throws(AWSError) -> Output {
        let body = try await send(operation, body: try Self.encode(input), resource: resource)
        do {
            return try JSONDecoder().decode(Output.self, from: Data(body.isEmpty ? Array("{}".utf8) : body))
        } catch {
            throw .unexpected(AWSErrorDetail(
                operation: service.permission(operation), status: 200, code: "UnreadableAnswer",
                message: "the answer is not the expected JSON: \(error)"))
        }
    }
}

/// An answer whose content is not needed (any JSON object).
public struct AWSNoOutput: Decodable, Sendable {}
