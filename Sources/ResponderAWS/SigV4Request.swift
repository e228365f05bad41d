/// A request to sign, as it goes on the wire.
public struct SigV4Request: Sendable {
    /// The HTTP method, e.g. `GET`.
    public var method: String
    /// The path as sent on the wire (already percent-encoded once, or raw), without the query.
    public var path: String
    /// Query items as raw `(name, value)` pairs as they appear on the wire (percent-encoded or not).
    public var query: [(name: String, value: String)]
    /// Headers in their original order; repeated names are allowed.
    public var headers: [(name: String, value: String)]
    /// The body bytes.
    public var body: [UInt8]

    /// Creates a request from its parts.
    public init(
        method: String,
        path: String,
        query: [(name: String, value: String)] = [],
        headers: [(name: String, value: String)] = [],
        body: [UInt8] = []
    ) {
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
    }

    /// Creates a request from a request target such as `/a/b?x=1&y`, splitting path and query.
    public init(
        method: String,
        target: String,
        headers: [(name: String, value: String)] = [],
        body: [UInt8] = []
    ) {
        var path = target
        var query: [(name: String, value: String)] = []
        if let mark = target.firstIndex(of: "?") {
            path = String(target[..<mark])
            let rawQuery = target[target.index(after: mark)...]
            for item in rawQuery.split(separator: "&", omittingEmptySubsequences: true) {
                if let eq = item.firstIndex(of: "=") {
                    query.append((String(item[..<eq]), String(item[item.index(after: eq)...])))
                } else {
                    query.append((String(item), ""))
                }
            }
        }
        self.init(method: method, path: path, query: query, headers: headers, body: body)
    }
}

/// Options of the signing algorithm.
public struct SigV4Options: Sendable, Equatable {
    /// Remove `.`/`..` segments and collapse repeated slashes in the path (false for S3).
    public var normalizePath: Bool
    /// URI-encode the wire path once more ("double encoding"); true for every service but S3.
    public var doubleURIEncode: Bool
    /// Add and sign an `x-amz-content-sha256` header carrying the payload hash.
    public var signBody: Bool
    /// Leave the session token out of the signature and add it afterwards (e.g. IoT, some STS flows).
    public var omitSessionToken: Bool
    /// Validity of a presigned URL, in seconds (`X-Amz-Expires`).
    public var expirationSeconds: Int

    /// Creates options; the defaults suit every service but S3.
    public init(
        normalizePath: Bool = true,
        doubleURIEncode: Bool = true,
        signBody: Bool = false,
        omitSessionToken: Bool = false,
        expirationSeconds: Int = 3600
    ) {
        self.normalizePath = normalizePath
        self.doubleURIEncode = doubleURIEncode
        self.signBody = signBody
        self.omitSessionToken = omitSessionToken
        self.expirationSeconds = expirationSeconds
    }

    /// Options for Amazon S3: no path normalization, no double encoding, signed body hash header.
    public static let s3 = SigV4Options(normalizePath: false, doubleURIEncode: false, signBody: true)
}
