import Foundation
import ResponderServer
import Testing

@Suite("configuration loading")
struct ConfigLoaderTests {
    static func loader(files: [String: String], environment: [String: String] = [:]) -> ConfigLoader {
        ConfigLoader(environment: environment) { path in
            guard let text = files[path] else { throw CocoaError(.fileNoSuchFile) }
            return text
        }
    }

    @Test("no file and no environment gives the embedded defaults")
    func defaults() throws {
        let config = try Self.loader(files: [:]).load(path: nil)
        #expect(config.listenHost == "0.0.0.0")
        #expect(config.listenPort == 8443)
        #expect(config.stateDirectory == ".responder")
        #expect(config.playbooksDirectory == "Playbooks")
        #expect(config.alertmanager.maxBodyBytes == 1_048_576)
        #expect(config.sns.maxBodyBytes == 524_288)
        #expect(config.sns.maxMessageAgeSeconds == 3600)
        #expect(config.alertmanager.bearerToken == nil)
    }

    @Test("a full file is read, secrets come from *_file, and the environment overrides the file")
    func fileAndEnvironment() throws {
        let yaml = """
            listen: "127.0.0.1:9443"
            state_dir: /var/lib/responder
            alertmanager:
              bearer_token_file: /run/secrets/am
              basic_auth:
                username: am
                password: inline-password
              max_body_bytes: 2048
            sns:
              allowed_regions: [us-east-1, eu-west-1]
              allowed_topic_arns:
                - arn:aws:sns:us-east-1:123456789012:alarms
              fetch_certificates: false
            """
        let config = try Self.loader(
            files: ["/etc/responder.yaml": yaml, "/run/secrets/am": "token-from-file\n"],
            environment: ["RESPONDER_SNS_ALLOWED_REGIONS": "us-west-2, ap-south-1", "RESPONDER_LISTEN": ":8444"]
        ).load(path: "/etc/responder.yaml")
        #expect(config.listenHost == "0.0.0.0")
        #expect(config.listenPort == 8444)
        #expect(config.stateDirectory == "/var/lib/responder")
        #expect(config.alertmanager.bearerToken?.value == "token-from-file")
        #expect(config.alertmanager.basicUsername == "am")
        #expect(config.alertmanager.basicPassword?.value == "inline-password")
        #expect(config.alertmanager.maxBodyBytes == 2048)
        #expect(config.sns.allowedRegions == ["us-west-2", "ap-south-1"])
        #expect(config.sns.allowedTopicArns == ["arn:aws:sns:us-east-1:123456789012:alarms"])
        #expect(config.sns.fetchCertificates == false)
    }

    @Test("executors are dry-run by default; executors, kubernetes and aws keys are read from the file and the environment")
    func executorKeys() throws {
        #expect(try Self.loader(files: [:]).load(path: nil).executors.dryRun == true)
        let yaml = """
            executors:
              dry_run: false
            kubernetes:
              kubeconfig: /etc/responder/kubeconfig
              context: prod
              in_cluster: false
            aws:
              region: eu-west-1
              endpoint_url: http://127.0.0.1:5000
            """
        let config = try Self.loader(files: ["c.yaml": yaml], environment: ["RESPONDER_AWS_REGION": "us-east-1"]).load(path: "c.yaml")
        #expect(config.executors.dryRun == false)
        #expect(config.kubernetes.kubeconfig == "/etc/responder/kubeconfig")
        #expect(config.kubernetes.context == "prod")
        #expect(config.kubernetes.inCluster == false)
        #expect(config.aws.region == "us-east-1", "the environment wins over the file")
        #expect(config.aws.endpointURL == "http://127.0.0.1:5000")
    }

    @Test("slack, pagerduty and links keys; secrets from files; a bot token needs a channel")
    func notificationKeys() throws {
        let yaml = """
            slack:
              bot_token_file: /run/secrets/slack-bot
              channel: C0RESPONDER
              signing_secret_file: /run/secrets/slack-signing
              api_url: http://127.0.0.1:9000/api
            pagerduty:
              routing_key_file: /run/secrets/pd
            links:
              base_url: https://responder.example.com
              keys_file: /etc/responder/link-keys
              ttl_seconds: 3600
            """
        let files = ["c.yaml": yaml, "/run/secrets/slack-bot": "xoxb-1\n", "/run/secrets/slack-signing": "s3cr3t\n", "/run/secrets/pd": "R0UT1NG\n"]
        let config = try Self.loader(files: files).load(path: "c.yaml")
        #expect(config.slack.botToken?.value == "xoxb-1")
        #expect(config.slack.channel == "C0RESPONDER")
        #expect(config.slack.signingSecret?.value == "s3cr3t")
        #expect(config.slack.apiURL == "http://127.0.0.1:9000/api")
        #expect(config.pagerDuty.routingKey?.value == "R0UT1NG")
        #expect(config.pagerDuty.eventsURL == "https://events.pagerduty.com")
        #expect(config.links.baseURL == "https://responder.example.com")
        #expect(config.links.keysFile == "/etc/responder/link-keys")
        #expect(config.links.ttlSeconds == 3600)
        #expect { try Self.loader(files: ["c.yaml": "slack:\n  bot_token: xoxb-1\n"]).load(path: "c.yaml") } throws: { error in
            "\(error)".contains("slack.channel is required") && !"\(error)".contains("xoxb-1")
        }
    }

    @Test("mistakes are errors that name the file and line", arguments: [
        ("listen: x\nalertmanger:\n  bearer_token: t\n", "c.yaml:2: unknown key \"alertmanger\""),
        ("alertmanager:\n  max_body_bytes: lots\n", "c.yaml:2: alertmanager.max_body_bytes must be a whole number from 1,024 to 67,108,864"),
        ("sns:\n  allowed_regions: us-east-1\n", "c.yaml:2: \"sns.allowed_regions\" must be a mapping or a list"),
        ("base: &b x\nlisten: *b\n", "unknown key \"base\""),
        ("state_dir: &b x\nplaybooks_dir: *b\n", "c.yaml:1: YAML anchors and aliases are not allowed"),
        ("listen: nowhere\n", "c.yaml:1: listen address \"nowhere\" must be HOST:PORT"),
        ("alertmanager:\n  bearer_token: a\n  bearer_token_file: /f\n", "not both"),
        ("alertmanager:\n  basic_auth:\n    username: u\n", "set both username and password"),
        ("sns:\n  fetch_certificates: maybe\n", "must be true or false"),
    ])
    func errors(_ yaml: String, _ expected: String) {
        #expect {
            _ = try Self.loader(files: ["c.yaml": yaml, "/f": "x"]).load(path: "c.yaml")
        } throws: { error in
            "\(error)".contains(expected)
        }
    }

    @Test("database: SQLite unless a URL is given; the URL from a file or the environment; leases of at least 3 s")
    func database() throws {
        let defaults = try Self.loader(files: [:]).load(path: nil)
        #expect(defaults.database.url == nil)
        #expect(defaults.database.leaseSeconds == 30)
        let yaml = """
            database:
              url_file: /run/secrets/db
              lease_seconds: 12
              replica_id: responder-0
            """
        let file = try Self.loader(files: ["c.yaml": yaml, "/run/secrets/db": "postgres://r:pw@db/responder\n"]).load(path: "c.yaml")
        #expect(file.database.url?.value == "postgres://r:pw@db/responder")
        #expect(file.database.leaseSeconds == 12)
        #expect(file.database.replicaID == "responder-0")
        let environment = try Self.loader(files: [:], environment: ["RESPONDER_DATABASE_URL": "postgres://e@db/x"]).load(path: nil)
        #expect(environment.database.url?.value == "postgres://e@db/x")
        #expect(throws: ConfigError.self) {
            try Self.loader(files: ["c.yaml": "database:\n  lease_seconds: 2\n"]).load(path: "c.yaml")
        }
    }

    /// Each ranged key: its lowest and highest accepted values, then values one past each end and non-finite ones.
    static let ranges: [(key: String, low: String, high: String, refused: [String], range: String)] = [
        ("server.idle_timeout_seconds", "1", "3600", ["0.999", "3600.001", "inf", "nan", "1e400"], "1 to 3,600"),
        ("alertmanager.max_body_bytes", "1024", "67108864", ["1023", "67108865", "99999999999999999999"], "1,024 to 67,108,864"),
        ("sns.max_body_bytes", "1024", "67108864", ["1023", "67108865"], "1,024 to 67,108,864"),
        ("sns.max_message_age_seconds", "1", "86400", ["0", "86401", "-inf", "NaN"], "1 to 86,400"),
        ("database.lease_seconds", "3", "3600", ["2.9", "3601", "1e400"], "3 to 3,600"),
        ("database.operation_timeout_seconds", "0.1", "300", ["0.09", "300.5", "0", "-1", "nan"], "0.1 to 300"),
        ("links.ttl_seconds", "60", "2592000", ["59", "2592001", "infinity"], "60 to 2,592,000"),
    ]

    @Test("every ranged number is accepted at both ends and refused one past them, naming the origin and the range",
          arguments: 0..<ranges.count)
    func rangedNumbers(_ index: Int) throws {
        let entry = Self.ranges[index]
        let parts = entry.key.split(separator: ".").map(String.init)
        func yaml(_ value: String) -> String { "\(parts[0]):\n  \(parts[1]): \(value)\n" }
        for value in [entry.low, entry.high] {
            _ = try Self.loader(files: ["c.yaml": yaml(value)]).load(path: "c.yaml")
        }
        let variable = "RESPONDER_" + entry.key.uppercased().replacingOccurrences(of: ".", with: "_")
        for value in entry.refused {
            #expect {
                _ = try Self.loader(files: ["c.yaml": yaml(value)]).load(path: "c.yaml")
            } throws: { error in
                "\(error)".hasPrefix("c.yaml:2: \(entry.key) must be a ") && "\(error)".contains("from \(entry.range)")
            }
            #expect {
                _ = try Self.loader(files: [:], environment: [variable: value]).load(path: nil)
            } throws: { error in
                "\(error)".hasPrefix("\(variable): \(entry.key) must be a ") && "\(error)".contains("got \"\(value)\"")
            }
        }
    }

    @Test("the default of every ranged key lies in its range")
    func defaultsInRange() throws {
        let config = try Self.loader(files: [:]).load(path: nil)
        #expect((1...3_600).contains(config.idleTimeoutSeconds))
        #expect((1_024...67_108_864).contains(config.alertmanager.maxBodyBytes))
        #expect((1_024...67_108_864).contains(config.sns.maxBodyBytes))
        #expect((1...86_400).contains(config.sns.maxMessageAgeSeconds))
        #expect((3...3_600).contains(config.database.leaseSeconds))
        #expect((60...2_592_000).contains(config.links.ttlSeconds))
    }

    @Test("an empty section or a null value leaves the defaults in place")
    func nulls() throws {
        let config = try Self.loader(files: ["c.yaml": "tls:\n  # nothing yet\nstate_dir: ~\nsns:\n"]).load(path: "c.yaml")
        #expect(config.tlsCertificateFile == nil)
        #expect(config.stateDirectory == ".responder")
    }

    @Test("secrets never print themselves")
    func redaction() throws {
        let config = try Self.loader(files: [:], environment: ["RESPONDER_ALERTMANAGER_BEARER_TOKEN": "hunter2"]).load(path: nil)
        let token = try #require(config.alertmanager.bearerToken)
        #expect("\(token)" == "<redacted>")
        #expect(!String(describing: config).contains("hunter2"))
        #expect(token.matches("hunter2"))
        #expect(!token.matches("hunter"))
    }

    @Test("the shipped example configuration loads and matches the defaults it documents")
    func shippedExample() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let path = root.appendingPathComponent("deploy/responder.example.yaml").path
        let config = try ConfigLoader(environment: [:]).load(path: path)
        let defaults = try ConfigLoader(environment: [:]).load(path: nil)
        #expect(config.listenPort == defaults.listenPort)
        #expect(config.alertmanager.maxBodyBytes == defaults.alertmanager.maxBodyBytes)
        #expect(config.sns.maxBodyBytes == defaults.sns.maxBodyBytes)
        #expect(config.sns.maxMessageAgeSeconds == defaults.sns.maxMessageAgeSeconds)
        #expect(config.idleTimeoutSeconds == defaults.idleTimeoutSeconds)
    }
}
