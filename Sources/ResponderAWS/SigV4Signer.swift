import Crypto
import Foundation

/// AWS Signature Version 4 signer (HMAC-SHA256). Pure: the signing time is always passed in.
public struct SigV4Signer: Sendable {
    /// The algorithm name written in the string to sign and the `Authorization` header.
    public static let algorithm = "AWS4-HMAC-SHA256"

    /// The credentials to sign with.
    public var credentials: AWSCredentials
    /// The region of the credential scope, e.g. `us-east-1`.
    public var region: String
    /// The service of the credential scope, e.g. `sts`.
    public var service: String
    /// Algorithm options.
    public var options: SigV4Options

    /// Creates a signer.
    public init(credentials: AWSCredentials, region: String, service: String, options: SigV4Options = SigV4Options()) {
        self.credentials = credentials
        self.region = region
        self.service = service
        self.options = options
    }

    /// Signs `request` in one call and returns the headers to add (see `sign(_:date:)`).
    public static func sign(
        _ request: SigV4Request, credentials: AWSCredentials, region: String, service: String,
        date: Date, options: SigV4Options = SigV4Options()
    ) throws(SigV4Error) -> [(name: String, value: String)] {
        try SigV4Signer(credentials: credentials, region: region, service: service, options: options)
            .sign(request, date: date)
    }

    // MARK: - Steps

    /// The canonical request for header signing (`presigned: false`) or for a presigned URL (`presigned: true`).
    public func canonicalRequest(for request: SigV4Request, date: Date, presigned: Bool = false) -> String {
        let payloadHash = Self.hexSHA256(request.body)
        let headers: [(name: String, value: String)]
        var query = request.query
        if presigned {
            headers = request.headers
            query += presignParameters(request, date: date).filter { $0.name != "X-Amz-Signature" }
        } else {
            headers = headersToSign(request, date: date, payloadHash: payloadHash)
        }
        let canonical = SigV4Canonical.canonicalHeaders(headers)
        return [
            request.method,
            SigV4Canonical.canonicalURI(request.path, options: options),
            SigV4Canonical.canonicalQuery(query),
            canonical.block,
            canonical.signed,
            payloadHash,
        ].joined(separator: "\n")
    }

    /// The string to sign for a canonical request.
    public func stringToSign(canonicalRequest: String, date: Date) -> String {
        let stamp = SigV4Date(date)
        return [
            Self.algorithm, stamp.dateTime, credentialScope(stamp),
            Self.hexSHA256(Array(canonicalRequest.utf8)),
        ].joined(separator: "\n")
    }

    /// The hex signature of a string to sign, with the key derived for `date`'s day, region and service.
    public func signature(stringToSign: String, date: Date) -> String {
        let stamp = SigV4Date(date)
        var key = SymmetricKey(data: Array("AWS4\(credentials.secretAccessKey)".utf8))
        for part in [stamp.day, region, service, "aws4_request"] {
            key = SymmetricKey(data: Data(HMAC<SHA256>.authenticationCode(for: Array(part.utf8), using: key)))
        }
        let mac = HMAC<SHA256>.authenticationCode(for: Array(stringToSign.utf8), using: key)
        return Self.hex(mac)
    }

    // MARK: - Signing

    /// Signs with headers. Returns, in order, the headers to add to the request:
    /// `X-Amz-Security-Token` (when credentials carry one), `X-Amz-Date`,
    /// `x-amz-content-sha256` (when `signBody`) and `Authorization`.
    public func sign(_ request: SigV4Request, date: Date) throws(SigV4Error) -> [(name: String, value: String)] {
        try validate()
        let stamp = SigV4Date(date)
        let canonical = canonicalRequest(for: request, date: date)
        let signed = SigV4Canonical.canonicalHeaders(
            headersToSign(request, date: date, payloadHash: Self.hexSHA256(request.body))).signed
        let sig = signature(stringToSign: stringToSign(canonicalRequest: canonical, date: date), date: date)
        var added: [(name: String, value: String)] = []
        if let token = credentials.sessionToken { added.append(("X-Amz-Security-Token", token)) }
        added.append(("X-Amz-Date", stamp.dateTime))
        if options.signBody { added.append(("x-amz-content-sha256", Self.hexSHA256(request.body))) }
        let credential = "\(credentials.accessKeyId)/\(credentialScope(stamp))"
        added.append((
            "Authorization",
            "\(Self.algorithm) Credential=\(credential), SignedHeaders=\(signed), Signature=\(sig)"
        ))
        return added
    }

    /// Presigns: returns the query items (already URI-encoded) to append to the request's query,
    /// ending with `X-Amz-Signature`.
    public func presign(_ request: SigV4Request, date: Date) throws(SigV4Error) -> [(name: String, value: String)] {
        try validate()
        guard (1...604_800).contains(options.expirationSeconds) else {
            throw .invalidExpiration(options.expirationSeconds)
        }
        let canonical = canonicalRequest(for: request, date: date, presigned: true)
        let sig = signature(stringToSign: stringToSign(canonicalRequest: canonical, date: date), date: date)
        var items = presignParameters(request, date: date)
        if options.omitSessionToken, let token = credentials.sessionToken {
            items.append(("X-Amz-Security-Token", token))
        }
        items.append(("X-Amz-Signature", sig))
        return items.map { (SigV4Canonical.uriEncode($0.name, keepSlash: false),
                            SigV4Canonical.uriEncode($0.value, keepSlash: false)) }
    }

    // MARK: - Helpers

    private func validate() throws(SigV4Error) {
        if credentials.accessKeyId.isEmpty || credentials.secretAccessKey.isEmpty { throw .missingCredentials }
    }

    private func credentialScope(_ stamp: SigV4Date) -> String {
        "\(stamp.day)/\(region)/\(service)/aws4_request"
    }

    /// The request headers (minus any stale signing headers) plus the ones the signature covers.
    private func headersToSign(
        _ request: SigV4Request, date: Date, payloadHash: String
    ) -> [(name: String, value: String)] {
        var replaced: Set<String> = ["authorization", "x-amz-date"]
        if credentials.sessionToken != nil { replaced.insert("x-amz-security-token") }
        if options.signBody { replaced.insert("x-amz-content-sha256") }
        var headers = request.headers.filter { !replaced.contains($0.name.lowercased()) }
        headers.append(("x-amz-date", SigV4Date(date).dateTime))
        if let token = credentials.sessionToken, !options.omitSessionToken {
            headers.append(("x-amz-security-token", token))
        }
        if options.signBody { headers.append(("x-amz-content-sha256", payloadHash)) }
        return headers
    }

    /// Unencoded presign parameters, without the signature (token only when signed).
    private func presignParameters(_ request: SigV4Request, date: Date) -> [(name: String, value: String)] {
        let stamp = SigV4Date(date)
        var items: [(name: String, value: String)] = [
            ("X-Amz-Algorithm", Self.algorithm),
            ("X-Amz-Credential", "\(credentials.accessKeyId)/\(credentialScope(stamp))"),
            ("X-Amz-Date", stamp.dateTime),
            ("X-Amz-SignedHeaders", SigV4Canonical.canonicalHeaders(request.headers).signed),
            ("X-Amz-Expires", String(options.expirationSeconds)),
        ]
        if let token = credentials.sessionToken, !options.omitSessionToken {
            items.append(("X-Amz-Security-Token", token))
        }
        return items
    }

    /// Lower-case hex SHA-256 of `bytes`.
    static func hexSHA256(_ bytes: [UInt8]) -> String { hex(SHA256.hash(data: bytes)) }

    /// Lower-case hex of a byte sequence.
    static func hex<S: Sequence>(_ bytes: S) -> String where S.Element == UInt8 {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
