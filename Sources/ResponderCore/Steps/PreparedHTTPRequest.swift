/// The exact HTTP request a step sends: rendered once by ``HTTPRequestRenderer`` and then shown by `plan`,
/// `simulate` and the dry-run record, or sent by the live executor.
public struct PreparedHTTPRequest: Sendable, Equatable {
    /// Method, upper case.
    public var method: String
    /// The URL, every alert value percent-encoded.
    public var url: String
    /// Headers in order, values checked for control characters.
    public var headers: [HTTPHeaderField]
    /// The body, if any.
    public var body: String?
    /// Give up after this long.
    public var timeout: Duration
    /// Statuses counted as success.
    public var expectStatus: [Int]

    /// Creates a request.
    public init(method: String, url: String, headers: [HTTPHeaderField], body: String?, timeout: Duration, expectStatus: [Int]) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeout = timeout
        self.expectStatus = expectStatus
    }

    /// `POST https://… headers X-Region: eu, Authorization: <redacted> body {...}`: the request as sent, with the
    /// values of credential headers hidden.
    public var display: String {
        var text = "\(method) \(url)"
        if !headers.isEmpty {
            text += " headers " + headers.map { field in
                "\(field.name): \(HeaderTemplate.isSensitive(field.name) ? "<redacted>" : field.value)"
            }.joined(separator: ", ")
        }
        if let body { text += " body " + body }
        return text
    }
}

/// One header of a ``PreparedHTTPRequest``.
public struct HTTPHeaderField: Sendable, Equatable {
    /// Name, as the playbook wrote it.
    public var name: String
    /// Value.
    public var value: String

    /// Creates a field.
    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}
