import ArgumentParser
import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOSSL
import ResponderCore

/// Where the running server is and how to authenticate to its admin API: flags, else the environment, else the local
/// state folder `serve` wrote (`.responder/admin-token`, `.responder/tls/cert.pem`).
struct ServerOptions: ParsableArguments {
    @Option(help: "Server URL (default: $RESPONDER_URL, else https://localhost:8443).")
    var url: String?

    @Option(help: "State folder of the local server, for its admin token and certificate.")
    var state = ".responder"

    @Option(name: .customLong("token-file"), help: "Admin token file (default: $RESPONDER_ADMIN_TOKEN_FILE, else STATE/admin-token).")
    var tokenFile: String?

    @Option(name: .customLong("ca-file"), help: "CA certificate to trust (default: $RESPONDER_CA_FILE, else STATE/tls/cert.pem when present, else the system roots).")
    var caFile: String?

    @Option(help: "Output: table (for people), json (for scripts), or markdown (`runs report`; elsewhere the same as table).")
    var format: OutputFormat = .table

    /// How results are printed.
    enum OutputFormat: String, ExpressibleByArgument {
        case table, json, markdown
    }

    /// The process environment, which holds the defaults of the flags.
    var environment: [String: String] { ProcessInfo.processInfo.environment }

    /// The base URL without a trailing slash.
    var baseURL: String {
        let base = url ?? environment["RESPONDER_URL"] ?? "https://localhost:8443"
        return base.hasSuffix("/") ? String(base.dropLast()) : base
    }

    /// The admin token, read from its file.
    func token() throws -> String {
        let path = tokenFile ?? environment["RESPONDER_ADMIN_TOKEN_FILE"] ?? (state as NSString).appendingPathComponent("admin-token")
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw ValidationError("cannot read the admin token from \(path): pass --token-file or --state")
        }
        let token = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !token.isEmpty, !token.contains(where: { $0 == "\r" || $0 == "\n" }) else {
            throw ValidationError("\(path) holds no usable admin token")
        }
        return token
    }

    /// Who is acting, for the server's history: `given`, else $USER, else `cli`.
    func actor(_ given: String?) -> String {
        if let given { return given }
        if let user = environment["USER"], !user.isEmpty { return user }
        return "cli"
    }

    /// The CA file to trust, if any.
    var trustedCA: String? {
        if let caFile { return caFile }
        if let fromEnvironment = environment["RESPONDER_CA_FILE"] { return fromEnvironment }
        let local = (state as NSString).appendingPathComponent("tls/cert.pem")
        return FileManager.default.fileExists(atPath: local) ? local : nil
    }
}

/// One admin API call: the status and the body, with the server's `{"error": ...}` turned into a thrown message.
struct AdminClient {
    /// Where the server is and how to authenticate.
    let options: ServerOptions

    /// Sends `method path` with `body` (JSON) and returns the body of a 2xx answer; anything else is an error that
    /// quotes the server's message.
    func send(_ method: HTTPMethod, _ path: String, body: [String: Any]? = nil) async throws -> Data {
        var tls = TLSConfiguration.makeClientConfiguration()
        if let ca = options.trustedCA {
            do { tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(ca)) } catch {
                throw ValidationError("cannot read the CA certificate \(ca): \(error)")
            }
        }
        let client = HTTPClient(eventLoopGroupProvider: .singleton,
                                configuration: .init(tlsConfiguration: tls, redirectConfiguration: .disallow))
        do {
            let data = try await send(method, path, body: body, with: client)
            try await client.shutdown()
            return data
        } catch {
            try? await client.shutdown()
            throw error
        }
    }

    /// `text` percent-encoded as one path segment or query value (only RFC 3986's unreserved characters stay), so an
    /// id such as `a/b?c` stays one segment instead of naming another route.
    static func escape(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? ""
    }

    private static let unreserved = CharacterSet(
        charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

    private func send(_ method: HTTPMethod, _ path: String, body: [String: Any]?, with client: HTTPClient) async throws -> Data {
        var request = HTTPClientRequest(url: options.baseURL + path)
        request.method = method
        request.headers.add(name: "Authorization", value: "Bearer \(try options.token())")
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: body, options: [.sortedKeys])))
        }
        let response: HTTPClientResponse
        do { response = try await client.execute(request, timeout: .seconds(30)) } catch {
            throw ServerRefusal(description: "cannot reach \(options.baseURL): \(error) (is `responder serve` running? --url, --ca-file)")
        }
        let data = Data(buffer: try await response.body.collect(upTo: 8 << 20))
        guard (200..<300).contains(response.status.code) else {
            let message = (try? JSONSerialization.jsonObject(with: data) as? [String: Any])?["error"] as? String
            let text = message ?? String(decoding: data.prefix(300), as: UTF8.self)
            throw ServerRefusal(description: "\(response.status.code): \(TerminalText.printable(text, keepNewlines: false))")
        }
        return data
    }
}

/// The server refused a request (its status and reason) or could not be reached: printed as `Error: ...`, exit 1.
struct ServerRefusal: Error, CustomStringConvertible {
    let description: String
}
