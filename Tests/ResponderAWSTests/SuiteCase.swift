import Foundation
import ResponderAWS

/// One case folder of the aws-c-auth v4 suite, parsed.
struct SuiteCase: Sendable {
    /// context.json: credentials, scope, timestamp and options of a case.
    struct Context: Decodable, Sendable {
        /// The `credentials` object.
        struct Credentials: Decodable, Sendable {
            var access_key_id: String
            var secret_access_key: String
            var token: String?
        }
        var credentials: Credentials
        var expiration_in_seconds: Int
        var normalize: Bool
        var region: String
        var service: String
        var sign_body: Bool
        var timestamp: String
        var omit_session_token: Bool?
    }

    /// Why a fixture could not be read.
    enum Failure: Error { case noFixtures, badRequestLine(String), badTimestamp(String) }

    /// The case folder name.
    let name: String
    /// The case folder.
    let folder: URL

    /// The bundled aws-c-auth-v4 folder.
    static var root: URL {
        get throws {
            guard let base = Bundle.module.resourceURL else { throw Failure.noFixtures }
            return base.appendingPathComponent("Fixtures/aws-c-auth-v4", isDirectory: true)
        }
    }

    /// Every case folder name, sorted (empty if the fixtures are missing, which the count test catches).
    static let allNames: [String] = {
        guard let root = try? root,
              let entries = try? FileManager.default.contentsOfDirectory(atPath: root.path) else { return [] }
        return entries.filter { entry in
            FileManager.default.fileExists(atPath: root.appendingPathComponent(entry).appendingPathComponent("context.json").path)
        }.sorted()
    }()

    /// Opens the case folder `name`.
    init(name: String) throws {
        self.name = name
        self.folder = try Self.root.appendingPathComponent(name, isDirectory: true)
    }

    /// The contents of one file of the case.
    func text(_ file: String) throws -> String {
        try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
    }

    /// The decoded context.json.
    func context() throws -> Context {
        try JSONDecoder().decode(Context.self, from: Data(contentsOf: folder.appendingPathComponent("context.json")))
    }

    /// The signing time of the case.
    func date() throws -> Date {
        let stamp = try context().timestamp
        guard let date = ISO8601DateFormatter().date(from: stamp) else { throw Failure.badTimestamp(stamp) }
        return date
    }

    /// A signer configured from context.json (double URI encoding: the suite's service is not S3).
    func signer() throws -> SigV4Signer {
        let ctx = try context()
        let credentials = AWSCredentials(
            accessKeyId: ctx.credentials.access_key_id,
            secretAccessKey: ctx.credentials.secret_access_key,
            sessionToken: ctx.credentials.token)
        let options = SigV4Options(
            normalizePath: ctx.normalize, doubleURIEncode: true, signBody: ctx.sign_body,
            omitSessionToken: ctx.omit_session_token ?? false, expirationSeconds: ctx.expiration_in_seconds)
        return SigV4Signer(credentials: credentials, region: ctx.region, service: ctx.service, options: options)
    }

    /// Parses request.txt: request line, headers (with folded continuation lines), blank line, body.
    func request() throws -> SigV4Request {
        try Self.parse(text("request.txt"))
    }

    /// Parses a raw HTTP request; continuation lines are kept with their line break for the signer to fold.
    static func parse(_ raw: String) throws -> SigV4Request {
        var lines = raw.components(separatedBy: "\n")
        let requestLine = lines.removeFirst()
        guard let firstSpace = requestLine.firstIndex(of: " "),
              let lastSpace = requestLine.lastIndex(of: " "), firstSpace < lastSpace else {
            throw Failure.badRequestLine(requestLine)
        }
        let method = String(requestLine[..<firstSpace])
        let target = String(requestLine[requestLine.index(after: firstSpace)..<lastSpace])
        var headers: [(name: String, value: String)] = []
        var bodyLines: [String] = []
        var inBody = false
        for line in lines {
            if inBody { bodyLines.append(line); continue }
            if line.isEmpty { inBody = true; continue }
            if let first = line.first, first == " " || first == "\t", !headers.isEmpty {
                headers[headers.count - 1].value += "\n" + line
                continue
            }
            guard let colon = line.firstIndex(of: ":") else { throw Failure.badRequestLine(line) }
            headers.append((String(line[..<colon]), String(line[line.index(after: colon)...])))
        }
        let body = Array(bodyLines.joined(separator: "\n").utf8)
        return SigV4Request(method: method, target: target, headers: headers, body: body)
    }
}
