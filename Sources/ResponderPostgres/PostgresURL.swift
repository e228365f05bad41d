import Foundation
import ResponderCore

/// A parsed `postgres://user:password@host:port/database?sslmode=…` URL (`postgresql://` too).
public struct PostgresURL: Sendable, Equatable {
    /// How the connection uses TLS, as libpq's `sslmode` names it.
    public enum SSLMode: String, Sendable, Equatable, CaseIterable {
        /// Plain TCP.
        case disable
        /// TLS when the server offers it, without verifying its certificate; plain TCP otherwise.
        case prefer
        /// TLS always, without verifying the server's certificate.
        case require
        /// TLS always; the certificate must chain to a trusted root and name the host.
        case verifyFull = "verify-full"
    }

    /// User to log in as.
    public var user: String
    /// Password, if the URL has one (percent-decoded).
    public var password: String?
    /// Host name or address.
    public var host: String
    /// TCP port (5432 when the URL names none).
    public var port: Int
    /// Database name.
    public var database: String
    /// TLS mode (`prefer` when the URL names none).
    public var sslMode: SSLMode

    /// Parses `text`; the error says what is wrong and never repeats the password.
    public init(parsing text: String) throws(JournalError) {
        let shape = "expected postgres://user:password@host:port/database?sslmode=disable|prefer|require|verify-full"
        guard let scheme = text.range(of: "://"),
              ["postgres", "postgresql"].contains(text[..<scheme.lowerBound].lowercased()) else {
            throw .unavailable("the PostgreSQL URL must start with postgres:// or postgresql:// (\(shape))")
        }
        // Split at the last "@" first: a password may hold "?", "/" or "#", and nothing before it is ever echoed.
        let rest = text[scheme.upperBound...]
        guard let at = rest.lastIndex(of: "@") else {
            throw .unavailable("the PostgreSQL URL has no user (\(shape))")
        }
        let userInfo = rest[..<at]
        var location = rest[rest.index(after: at)...]
        var query = Substring("")
        if let mark = location.firstIndex(of: "?") {
            query = location[location.index(after: mark)...]
            location = location[..<mark]
        }
        guard let slash = location.firstIndex(of: "/") else {
            throw .unavailable("the PostgreSQL URL has no database name after the host (\(shape))")
        }
        let databaseText = location[location.index(after: slash)...]
        location = location[..<slash]

        let userText = userInfo.firstIndex(of: ":").map { userInfo[..<$0] } ?? userInfo
        let passwordText = userInfo.firstIndex(of: ":").map { userInfo[userInfo.index(after: $0)...] }
        guard let user = Self.decode(userText), !user.isEmpty else {
            throw .unavailable("the PostgreSQL URL has an empty or badly percent-encoded user (\(shape))")
        }
        var password: String?
        if let passwordText {
            guard let decoded = Self.decode(passwordText) else {
                throw .unavailable("the PostgreSQL URL's password is not valid percent-encoding: encode reserved characters like %40 for @")
            }
            password = decoded
        }
        let (host, port) = try Self.hostAndPort(location, shape: shape)
        guard let database = Self.decode(databaseText), !database.isEmpty, !database.contains("/") else {
            throw .unavailable("the PostgreSQL URL has no database name after the host (\(shape))")
        }
        var sslMode = SSLMode.prefer
        for pair in query.split(separator: "&") where !pair.isEmpty {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = String(parts[0])
            let value = parts.count > 1 ? String(parts[1]) : ""
            guard name == "sslmode" else {
                throw .unavailable("the PostgreSQL URL has parameter \(name), which Responder does not support: only sslmode")
            }
            guard let mode = SSLMode(rawValue: value) else {
                throw .unavailable("sslmode=\(value) is not supported: use disable, prefer, require or verify-full")
            }
            sslMode = mode
        }
        self.user = user
        self.password = password
        self.host = host
        self.port = port
        self.database = database
        self.sslMode = sslMode
    }

    /// The URL with the password replaced by `***`, safe for logs.
    public var redacted: String {
        let credentials = password == nil ? Self.encode(user) : "\(Self.encode(user)):***"
        let hostPart = host.contains(":") ? "[\(host)]" : host
        return "postgres://\(credentials)@\(hostPart):\(port)/\(Self.encode(database))?sslmode=\(sslMode.rawValue)"
    }

    private static func hostAndPort(_ location: Substring, shape: String) throws(JournalError) -> (String, Int) {
        var host = location
        var portText: Substring?
        if location.hasPrefix("[") {
            guard let close = location.firstIndex(of: "]") else {
                throw .unavailable("the PostgreSQL URL's IPv6 host has no closing ] (\(shape))")
            }
            host = location[location.index(after: location.startIndex)..<close]
            let after = location[location.index(after: close)...]
            if after.hasPrefix(":") { portText = after.dropFirst() } else if !after.isEmpty {
                throw .unavailable("the PostgreSQL URL has text after the IPv6 host (\(shape))")
            }
        } else if let colon = location.firstIndex(of: ":") {
            host = location[..<colon]
            portText = location[location.index(after: colon)...]
        }
        guard !host.isEmpty else {
            throw .unavailable("the PostgreSQL URL has no host (\(shape))")
        }
        guard let portText else { return (String(host), 5432) }
        guard let port = Int(portText), (1...65535).contains(port) else {
            throw .unavailable("the PostgreSQL URL's port \(portText) is not a number from 1 to 65535 (\(shape))")
        }
        return (String(host), port)
    }

    private static func decode(_ text: Substring) -> String? {
        String(text).removingPercentEncoding
    }

    private static func encode(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~"))) ?? text
    }
}
