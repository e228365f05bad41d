/// A request as the local fakes see it: method, path, lower-cased header names, raw body.
public struct FakeHTTPRequest: Sendable {
    /// `POST`.
    public var method: String
    /// `/api/chat.postMessage`.
    public var path: String
    /// Header values by lower-cased name (repeated headers joined with `, `).
    public var headers: [String: String]
    /// The raw body.
    public var body: [UInt8]
    /// The query string without `?` (empty when none).
    public var query: String

    /// Creates a request.
    public init(method: String, path: String, headers: [String: String], body: [UInt8], query: String = "") {
        self.method = method
        self.path = path
        self.headers = headers
        self.body = body
        self.query = query
    }
}

/// What a local fake answers.
public struct FakeHTTPReply: Sendable, Equatable {
    /// Status code.
    public var status: Int
    /// `Retry-After` header value, when one is sent.
    public var retryAfter: String?
    /// `Content-Type`.
    public var contentType: String
    /// Body text.
    public var body: String
    /// Further response headers.
    public var headers: [String: String]
    /// How long the host waits before answering (nil: at once).
    public var delay: Duration? = nil

    /// Creates a reply.
    public init(status: Int, retryAfter: String? = nil, contentType: String = "application/json; charset=utf-8",
                body: String, headers: [String: String] = [:]) {
        self.status = status
        self.retryAfter = retryAfter
        self.contentType = contentType
        self.body = body
        self.headers = headers
    }
}
