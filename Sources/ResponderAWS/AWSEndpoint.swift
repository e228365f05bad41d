import Foundation

/// Where an AWS API is reached: `https://ecs.eu-west-1.amazonaws.com` or an override such as `http://127.0.0.1:5000`.
public struct AWSEndpoint: Sendable, Equatable, CustomStringConvertible {
    /// `http` or `https`.
    public var scheme: String
    /// The host name or address (IPv6 without brackets).
    public var host: String
    /// The port when not the scheme's default.
    public var port: Int?

    /// Creates an endpoint from parts.
    public init(scheme: String, host: String, port: Int? = nil) {
        self.scheme = scheme
        self.host = host
        self.port = port
    }

    /// Parses an endpoint URL; nil unless it is http(s) with a host (a path other than `/` is not allowed).
    public init?(url: String) {
        guard let components = URLComponents(string: url),
              let scheme = components.scheme?.lowercased(), scheme == "http" || scheme == "https",
              let host = components.host, !host.isEmpty,
              components.path.isEmpty || components.path == "/", components.query == nil
        else { return nil }
        let bare = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        let defaultPort = scheme == "https" ? 443 : 80
        self.init(scheme: scheme, host: bare, port: components.port == defaultPort ? nil : components.port)
    }

    /// The regional endpoint of a service: `https://<service>.<region>.amazonaws.com` (`.amazonaws.com.cn` in China).
    public static func regional(service: String, region: String) -> AWSEndpoint {
        let suffix = region.hasPrefix("cn-") ? "amazonaws.com.cn" : "amazonaws.com"
        return AWSEndpoint(scheme: "https", host: "\(service).\(region).\(suffix)")
    }

    /// The `Host` header value: the host, with the port when it is not the default.
    public var hostHeader: String {
        let host = self.host.contains(":") ? "[\(self.host)]" : self.host
        return port.map { "\(host):\($0)" } ?? host
    }

    /// The URL of the root path, e.g. `https://ecs.eu-west-1.amazonaws.com/`.
    public var rootURL: String { "\(scheme)://\(hostHeader)/" }

    /// Same as `rootURL` without the trailing slash.
    public var description: String { "\(scheme)://\(hostHeader)" }
}
