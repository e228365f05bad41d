import Foundation
import ResponderServer
import Testing

@Suite("configuration: the prometheus section")
struct PrometheusConfigTests {
    static func load(_ yaml: String, files: [String: String] = [:], environment: [String: String] = [:]) throws(ConfigError) -> ResponderConfig {
        try ConfigLoaderTests.loader(files: files.merging(["/etc/responder.yaml": yaml]) { $1 }, environment: environment)
            .load(path: "/etc/responder.yaml")
    }

    /// The message of the error loading `yaml` throws (without its `file:line: ` origin), or a note that it loaded.
    static func problem(_ yaml: String, files: [String: String] = [:]) -> String {
        do {
            _ = try load(yaml, files: files)
            return "loaded"
        } catch {
            return "\(error)".replacingOccurrences(of: #"^/etc/responder\.yaml:\d+: "#, with: "", options: .regularExpression)
        }
    }

    @Test("no section: no URL, no auth, a 10 s timeout")
    func defaults() throws {
        let config = try ConfigLoaderTests.loader(files: [:]).load(path: nil)
        #expect(config.prometheus.url == nil)
        #expect(config.prometheus.bearerTokenFile == nil)
        #expect(config.prometheus.basicUsername == nil)
        #expect(config.prometheus.caFile == nil)
        #expect(config.prometheus.timeoutSeconds == 10)
    }

    @Test("url, bearer token file, CA file and timeout are read; the environment overrides them")
    func bearer() throws {
        let yaml = """
            prometheus:
              url: https://prometheus.monitoring:9090/prom
              bearer_token_file: /run/secrets/prom
              ca_file: /etc/responder/prom-ca.pem
              timeout_seconds: 2.5
            """
        let files = ["/run/secrets/prom": "token\n", "/etc/responder/prom-ca.pem": "-----BEGIN CERTIFICATE-----"]
        let config = try Self.load(yaml, files: files)
        #expect(config.prometheus.url == "https://prometheus.monitoring:9090/prom")
        #expect(config.prometheus.bearerTokenFile == "/run/secrets/prom")
        #expect(config.prometheus.caFile == "/etc/responder/prom-ca.pem")
        #expect(config.prometheus.timeoutSeconds == 2.5)
        let overridden = try Self.load(yaml, files: files, environment: ["RESPONDER_PROMETHEUS_URL": "http://127.0.0.1:9090"])
        #expect(overridden.prometheus.url == "http://127.0.0.1:9090")
    }

    @Test("basic auth takes a username and a password file")
    func basic() throws {
        let yaml = """
            prometheus:
              url: http://prometheus:9090
              basic_auth:
                username: responder
                password_file: /run/secrets/prom-password
            """
        let config = try Self.load(yaml, files: ["/run/secrets/prom-password": "pw"])
        #expect(config.prometheus.basicUsername == "responder")
        #expect(config.prometheus.basicPasswordFile == "/run/secrets/prom-password")
    }

    @Test("bad values are refused with the key, the line and what to do, never a secret")
    func refused() {
        #expect(Self.problem("prometheus:\n  url: ftp://prometheus:9090\n")
            == "prometheus.url must be an http(s) URL such as http://prometheus:9090")
        #expect(Self.problem("prometheus:\n  url: prometheus:9090\n").contains("must be an http(s) URL"))
        let credentials = Self.problem("prometheus:\n  url: http://admin:hunter2@prometheus:9090\n")
        #expect(credentials.contains("prometheus.url must not carry credentials: use prometheus.basic_auth"))
        #expect(!credentials.contains("hunter2"))
        #expect(Self.problem("prometheus:\n  url: http://p:9090/?x=1\n").contains("must not have a query"))
        #expect(Self.problem("prometheus:\n  bearer_token_file: /missing\n")
            == "cannot read prometheus.bearer_token_file /missing")
        #expect(Self.problem("prometheus:\n  bearer_token_file: /empty\n", files: ["/empty": " \n"])
            == "prometheus.bearer_token_file /empty is empty")
        #expect(Self.problem("prometheus:\n  basic_auth:\n    username: r\n")
            == "prometheus.basic_auth: set both username and password_file")
        #expect(Self.problem("prometheus:\n  bearer_token_file: /t\n  basic_auth:\n    username: r\n    password_file: /p\n",
                             files: ["/t": "t", "/p": "p"]) == "prometheus: set bearer_token_file or basic_auth, not both")
        #expect(Self.problem("prometheus:\n  timeout_seconds: 0\n").contains("prometheus.timeout_seconds must be a number of seconds from 0.1 to 300"))
        #expect(Self.problem("prometheus:\n  timeout_seconds: nan\n").contains("prometheus.timeout_seconds must be"))
        #expect(Self.problem("prometheus:\n  password: x\n") == "unknown key \"prometheus.password\"")
    }
}
