/// A signed request ready to send, built without I/O. Its description hides the session token.
public struct AWSSignedRequest: Sendable, CustomStringConvertible {
    /// `POST`.
    public var method: String
    /// The full URL, e.g. `https://ecs.eu-west-1.amazonaws.com/`.
    public var url: String
    /// Every header sent, in order, including `Host` and the signing headers.
    public var headers: [(name: String, value: String)]
    /// The body bytes.
    public var body: [UInt8]

    /// Creates a request.
    public init(method: String, url: String, headers: [(name: String, value: String)], body: [UInt8]) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
    }

    /// The value of the first header named `name` (case-insensitive).
    public func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    /// Method, URL and headers with the session token redacted.
    public var description: String {
        let shown = headers.map { header in
            header.name.lowercased() == "x-amz-security-token" ? "\(header.name): <redacted>" : "\(header.name): \(header.value)"
        }
        return "\(method) \(url) [\(shown.joined(separator: ", "))]"
    }
}
