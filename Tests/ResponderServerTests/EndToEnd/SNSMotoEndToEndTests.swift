import AsyncHTTPClient
import Foundation
import ResponderTestSupport
import GRDB
import NIOCore
import NIOSSL
import Testing
import X509

/// moto's SNS delivers CloudWatch alarms, signed by moto, to the real `responder serve` over HTTPS.
///
/// What moto 5.2.1 does (read in `moto/sns/models.py`, `urls.py`, `responses.py`) and how the test meets it:
/// - `Subscribe` with protocol https sends no SubscriptionConfirmation: the subscription is created with
///   `PendingConfirmation: false` at once (`SNSBackend.subscribe`), and `ConfirmSubscription` is a stub. So the
///   confirmation path (GET of SubscribeURL) cannot be exercised against moto; `SNSHookTests` covers it.
/// - Every Notification is signed with SignatureVersion 2 (RSA-SHA256) by a per-subscription RSA key, under a
///   certificate (CN `sns.amazonaws.com`, self-issued) generated for that one message and named
///   `SimpleNotificationService-<uuid4>.pem`; `SigningCertURL` is `https://sns.us-east-1.amazonaws.com/<name>`,
///   which Responder's policy accepts as is. moto serves the certificate at `/<name>`.
/// - Because the name is new for every message, a certificate cannot be pre-provisioned by name before moto sends
///   the message, as one can for real SNS. The test therefore (1) publishes a warm-up message that Responder refuses
///   with 503 because the certificate is not in `sns.certificate_dir` and fetching is off, (2) GETs that message's
///   certificate from moto (same key as every later message of the subscription), and (3) before each real
///   publish, seeds moto's random source (`POST /moto-api/seed`) and writes that certificate under the name moto
///   will use. Responder's verification is unchanged: policy, freshness, CN, validity and the RSA-SHA256 signature
///   are all checked, and an impostor certificate (right name and CN, another key) is refused with 403.
@Suite("SNSMotoEndToEnd: moto SNS delivers signed CloudWatch alarms to responder serve")
struct SNSMotoEndToEndTests {
    /// The repository (for `Playbooks/` and `samples/`).
    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    /// The SNS topic created in moto.
    static let topicName = "responder-alarms"
    /// Its ARN (moto's default account), the only one Responder accepts.
    static let topicArn = "arn:aws:sns:us-east-1:123456789012:responder-alarms"

    /// The whole path: subscribe, warm-up, impostor, ALARM, OK.
    @Test("subscribe, ALARM starts the matching playbook's run (dry-run), OK schedules its step-down")
    func alarmAndResolve() async throws {
        try await SNSMotoStack.with { stack in
            // Subscribing: moto confirms by itself and sends nothing.
            let setup = try await stack.driver.send(.init(op: "setup", topic: Self.topicName, endpoint: stack.hookURL))
            #expect(setup.topicArn == Self.topicArn)
            #expect(setup.attributes?["PendingConfirmation"] == "false", "moto confirms https subscriptions itself")
            #expect(setup.deliveriesOnSubscribe?.isEmpty == true, "moto 5.2.1 sends no SubscriptionConfirmation")

            // Warm-up: the certificate is not provisioned and fetching is off, so Responder refuses with 503.
            let warmUp = try await stack.publish("moto signing-key warm-up", seed: 7001)
            try stack.expectSigned(warmUp)
            #expect(warmUp.status == 503, "\(warmUp.answer ?? "")")
            let warmUpName = try stack.certificateName(of: warmUp)
            #expect(warmUp.answer?.contains("signing certificate not found at") == true, "\(warmUp.answer ?? "")")
            #expect(warmUp.answer?.contains(warmUpName) == true, "the refusal names the file to provision")
            #expect(try stack.journal("SELECT COUNT(*) FROM delivery") == [["0"]], "a refused delivery is not journaled")

            // The certificate moto serves for it.
            let served = try await stack.driver.send(.init(op: "pem", name: warmUpName))
            let pem = try #require(served.pem, "moto served no certificate")
            #expect(served.status == 200, "\(pem.prefix(300))")
            let certificate = try Certificate(pemEncoded: pem)
            #expect(certificate.subject.description.contains("CN=sns.amazonaws.com"), "\(certificate.subject)")

            // An impostor certificate under the right name (CN sns.amazonaws.com, valid, another RSA key): the
            // signature does not verify, so the provisioned file alone proves nothing.
            let impostor = try await stack.publishProvisioned(
                try Self.alarm(state: "ALARM", at: Date()), seed: 7002, pem: try TestSNSSigner().certificatePEM
            )
            #expect(impostor.status == 403, "\(impostor.answer ?? "")")
            #expect(impostor.answer?.contains("SNS signature does not verify (SignatureVersion 2") == true, "\(impostor.answer ?? "")")
            #expect(try stack.journal("SELECT COUNT(*) FROM delivery") == [["0"]])

            // ALARM.
            let alarm = try await stack.publishProvisioned(try Self.alarm(state: "ALARM", at: Date()), seed: 7003, pem: pem)
            #expect(alarm.status == 200, "Responder refused the signed ALARM: \(alarm.answer ?? "")\n\(stack.tails())")
            let alarmAnswer = try Self.object(alarm.answer)
            #expect(alarmAnswer["status"] as? String == "recorded")
            #expect(alarmAnswer["kind"] as? String == "cloudwatch_alarm")
            #expect(alarmAnswer["new_alerts"] as? Int == 1)
            #expect(alarmAnswer["message_id"] as? String == alarm.body["MessageId"])

            let deliveries = try stack.journal("SELECT kind, details, body FROM delivery ORDER BY id")
            try #require(deliveries.count == 1, "journal deliveries: \(deliveries)")
            #expect(deliveries[0][0] == "cloudwatch_alarm")
            let details = try Self.object(deliveries[0][1])
            #expect(details["message_id"] as? String == alarm.body["MessageId"])
            #expect(details["signature_version"] as? String == "2")
            #expect(details["topic_arn"] as? String == Self.topicArn)
            let journaledBody = try Self.object(deliveries[0][2])
            #expect(journaledBody["Signature"] as? String == alarm.body["Signature"], "the raw body moto sent is kept")

            let firing = try stack.journal("SELECT source, status, labels FROM alert ORDER BY id")
            try #require(firing.count == 1, "journal alerts: \(firing)")
            #expect(firing[0][0] == "cloudwatch")
            #expect(firing[0][1] == "firing")
            let labels = try Self.object(firing[0][2])
            #expect(labels["alertname"] as? String == "hyperverge-prod-api-cpu-high")
            #expect(labels["alarm_name"] as? String == "hyperverge-prod-api-cpu-high")
            #expect(labels["alarm_type"] as? String == "metric")
            #expect(labels["region"] as? String == "us-east-1")
            #expect(labels["namespace"] as? String == "AWS/ECS")
            #expect(labels["metric_name"] as? String == "CPUUtilization")
            #expect(labels["dimension_ClusterName"] as? String == "hyperverge-prod")
            #expect(labels["dimension_ServiceName"] as? String == "api")

            // The run of Playbooks/hyperverge-scale-up-triggers.yaml's hyperverge-api-cpu-high, first action done.
            let started = try await stack.waitForRun(playbook: "hyperverge-api-cpu-high", "its first action recorded") { run in
                run.steps.first?.status == "done"
            }
            #expect(started.status == "active")
            #expect(started.steps[0].phase == "actions")
            #expect(started.steps[0].outcome?.hasPrefix("dry-run: ") == true, "\(started.steps[0].outcome ?? "nil")")
            #expect(started.history.first?.message.contains("started by alert hyperverge-prod-api-cpu-high") == true)
            #expect(started.resolvedAt == nil)

            // OK.
            let ok = try await stack.publishProvisioned(try Self.alarm(state: "OK", at: Date()), seed: 7004, pem: pem)
            #expect(ok.status == 200, "Responder refused the signed OK: \(ok.answer ?? "")\n\(stack.tails())")
            #expect(try Self.object(ok.answer)["status"] as? String == "recorded")
            let statuses = try stack.journal("SELECT status FROM alert ORDER BY id")
            #expect(statuses == [["firing"], ["resolved"]])
            let resolved = try await stack.waitForRun(playbook: "hyperverge-api-cpu-high", "the resolve recorded") { run in
                run.resolvedAt != nil
            }
            #expect(resolved.id == started.id, "the OK joins the run the ALARM started")
            #expect(resolved.history.contains { $0.message.contains("resolved") }, "\(resolved.history.map(\.message))")
            let ladder = resolved.steps.filter { $0.phase == "ladder" }
            #expect(!ladder.isEmpty && ladder.allSatisfy { $0.due != nil }, "the step-down ladder is scheduled from the resolve")

            let metrics = try await stack.get("/metrics")
            #expect(metrics.contains(#"responder_deliveries_total{source="sns",outcome="accepted"} 2"#), "\(metrics.prefix(2000))")
            #expect(metrics.contains(#"responder_deliveries_total{source="sns",outcome="unavailable"} 1"#), "the warm-up")
            #expect(metrics.contains(#"responder_deliveries_total{source="sns",outcome="rejected"} 1"#), "the impostor")
        }
    }

    /// `samples/alerts/hyperverge-api-cpu-high.cloudwatch-alarm.json` in `state` (`ALARM` or `OK`) at `time`.
    static func alarm(state: String, at time: Date) throws -> String {
        let path = repositoryRoot.appendingPathComponent("samples/alerts/hyperverge-api-cpu-high.cloudwatch-alarm.json").path
        var alarm = try object(try String(contentsOfFile: path, encoding: .utf8))
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd'T'HH:mm:ss.SSS'+0000'"
        alarm["NewStateValue"] = state
        alarm["OldStateValue"] = state == "OK" ? "ALARM" : "OK"
        alarm["StateChangeTime"] = formatter.string(from: time)
        if state == "OK" {
            alarm["NewStateReason"] = "Threshold Crossed: 5 datapoints were not greater than the threshold (70.0)."
        }
        let data = try JSONSerialization.data(withJSONObject: alarm, options: [.sortedKeys])
        return String(decoding: data, as: UTF8.self)
    }

    /// Parses a JSON object.
    static func object(_ text: String?) throws -> [String: Any] {
        let object = try JSONSerialization.jsonObject(with: Data((text ?? "").utf8))
        return try #require(object as? [String: Any], "not a JSON object: \(text ?? "nil")")
    }
}

/// The runs API's view of one run: the fields the test reads.
struct SNSMotoRunView: Decodable {
    /// One step.
    struct Step: Decodable {
        /// Position.
        var index: Int
        /// `actions` or `ladder`.
        var phase: String
        /// `pending`, `done`, ...
        var status: String
        /// What the executor recorded.
        var outcome: String?
        /// When it is due, once known.
        var due: String?
    }

    /// One history entry.
    struct Event: Decodable {
        /// What happened.
        var message: String
    }

    /// `run-<n>`.
    var id: String
    /// The playbook carried out.
    var playbook: String
    /// `active`, `held`, ...
    var status: String
    /// When the alert resolved, once it has.
    var resolvedAt: String?
    /// Steps in order.
    var steps: [Step]
    /// History, oldest first.
    var history: [Event]
}

/// Responder (`responder serve --config`, dry-run, the repository's `Playbooks/`) and the moto driver, in one temp
/// folder; stopped and removed by ``with(_:)``.
struct SNSMotoStack: Sendable {
    /// Everything of the test: config, state, certificates, driver script.
    let folder: TemporaryFolder
    /// `responder serve`.
    let responder: SNSMotoCapturedProcess
    /// moto and boto3.
    let driver: SNSMotoDriver
    /// A client trusting Responder's generated certificate.
    let client: HTTPClient
    /// Responder's port on 127.0.0.1.
    let port: Int
    /// The generated admin token.
    let adminToken: String

    /// `sns.certificate_dir`.
    var certificates: String { folder.path + "/sns-certs" }
    /// `state_dir`.
    var state: String { folder.path + "/state" }
    /// The subscription endpoint.
    var hookURL: String { "https://127.0.0.1:\(port)/hooks/sns" }

    /// Starts everything, runs `body`, and stops and removes everything whatever happens.
    static func with(_ body: (SNSMotoStack) async throws -> Void) async throws {
        let folder = try TemporaryFolder("sns-moto")
        let certificates = folder.path + "/sns-certs"
        let state = folder.path + "/state"
        try FileManager.default.createDirectory(atPath: certificates, withIntermediateDirectories: true)
        let config = """
            listen: "127.0.0.1:0"
            state_dir: \(state)
            playbooks_dir: \(SNSMotoEndToEndTests.repositoryRoot.appendingPathComponent("Playbooks").path)
            log_level: info
            sns:
              allowed_regions: [us-east-1]
              allowed_topic_arns: ["\(SNSMotoEndToEndTests.topicArn)"]
              certificate_dir: \(certificates)
              fetch_certificates: false
            executors:
              dry_run: true
            """
        try config.write(toFile: folder.path + "/responder.yaml", atomically: true, encoding: .utf8)

        var responder: SNSMotoCapturedProcess?
        var driver: SNSMotoDriver?
        var client: HTTPClient?
        do {
            let process = try SNSMotoCapturedProcess(
                executable: ResponderProcess.binary, arguments: ["serve", "--config", folder.path + "/responder.yaml"]
            )
            responder = process
            let port = try await Self.waitForPort(process)
            let adminToken = try String(contentsOfFile: state + "/admin-token", encoding: .utf8)
                .trimmingCharacters(in: .whitespacesAndNewlines)
            var tls = TLSConfiguration.makeClientConfiguration()
            tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(state + "/tls/cert.pem"))
            client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(tlsConfiguration: tls))
            driver = try await SNSMotoDriver.start(in: folder.path, caBundle: state + "/tls/cert.pem")
            if let driver, let client {
                let stack = SNSMotoStack(
                    folder: folder, responder: process, driver: driver, client: client, port: port, adminToken: adminToken
                )
                try await body(stack)
            }
        } catch {
            await Self.stop(responder: responder, driver: driver, client: client, folder: folder)
            throw error
        }
        await Self.stop(responder: responder, driver: driver, client: client, folder: folder)
    }

    private static func stop(
        responder: SNSMotoCapturedProcess?, driver: SNSMotoDriver?, client: HTTPClient?, folder: TemporaryFolder
    ) async {
        try? await client?.shutdown()
        await driver?.stop()
        await responder?.stop()
        folder.remove()
    }

    /// Waits (at most 60 s: a CI machine running the whole suite on 2 cores has taken 20 s to start it) for `Responder listening on https://127.0.0.1:<port>`.
    private static func waitForPort(_ process: SNSMotoCapturedProcess) async throws -> Int {
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            if let match = process.stdout.firstMatch(of: /Responder listening on https:\/\/127\.0\.0\.1:(\d+)/),
               let port = Int(match.1) {
                return port
            }
            guard process.process.isRunning else { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw SNSMotoFailure("responder serve did not report its port within 60 s (running: \(process.process.isRunning))\n" + process.tail())
    }

    /// Both processes' output tails.
    func tails() -> String {
        "=== responder ===\n\(responder.tail())\n=== moto driver ===\n\(driver.process.tail())"
    }

    /// Seeds moto with `seed` and publishes `message`; returns the one delivery moto made to Responder.
    func publish(_ message: String, seed: Int) async throws -> SNSMotoDriver.Delivery {
        let reply = try await driver.send(.init(op: "publish", topicArn: SNSMotoEndToEndTests.topicArn, message: message, seed: seed))
        if let problem = reply.publishError {
            throw SNSMotoFailure("moto's Publish failed (\(problem)); deliveries: \(reply.deliveries ?? [])\n" + tails())
        }
        guard let deliveries = reply.deliveries, deliveries.count == 1, let delivery = deliveries.first else {
            throw SNSMotoFailure("expected one delivery to \(hookURL), moto made \(reply.deliveries?.count ?? 0)\n" + tails())
        }
        if let error = delivery.error {
            throw SNSMotoFailure("moto could not POST to \(delivery.url): \(error)\n" + tails())
        }
        return delivery
    }

    /// Writes `pem` under the certificate name moto will use after `seed`, then publishes `message` with that seed
    /// and checks that moto signed with exactly that URL.
    func publishProvisioned(_ message: String, seed: Int, pem: String) async throws -> SNSMotoDriver.Delivery {
        let predicted = try await driver.send(.init(op: "predict", seed: seed))
        let name = try #require(predicted.certificate)
        try pem.write(toFile: certificates + "/" + name, atomically: true, encoding: .utf8)
        let delivery = try await publish(message, seed: seed)
        try expectSigned(delivery)
        guard try certificateName(of: delivery) == name else {
            throw SNSMotoFailure(
                "moto signed with \(delivery.body["SigningCertURL"] ?? "nil"), not the predicted \(name): moto's use of its "
                    + "seeded random source in Publish changed (see SNSMotoDriver.script)\n" + tails()
            )
        }
        return delivery
    }

    /// Checks that moto signed `delivery` the way Responder's policy accepts: SignatureVersion 2, certificate URL on
    /// `sns.us-east-1.amazonaws.com`, path ending in `.pem`.
    func expectSigned(_ delivery: SNSMotoDriver.Delivery) throws {
        #expect(delivery.url == hookURL)
        #expect(delivery.body["Type"] == "Notification")
        #expect(delivery.body["TopicArn"] == SNSMotoEndToEndTests.topicArn)
        #expect(delivery.body["SignatureVersion"] == "2")
        #expect(delivery.body["Signature"]?.isEmpty == false)
        let url = try #require(delivery.body["SigningCertURL"])
        #expect(url.hasPrefix("https://sns.us-east-1.amazonaws.com/SimpleNotificationService-") && url.hasSuffix(".pem"), "\(url)")
    }

    /// The last path component of the delivery's `SigningCertURL`.
    func certificateName(of delivery: SNSMotoDriver.Delivery) throws -> String {
        let url = try #require(delivery.body["SigningCertURL"])
        return String(try #require(url.split(separator: "/").last))
    }

    /// Rows of a read-only query of the journal, every column as text ("NULL" for null).
    func journal(_ sql: String) throws -> [[String]] {
        var configuration = Configuration()
        configuration.readonly = true
        let queue = try DatabaseQueue(path: state + "/responder.sqlite", configuration: configuration)
        return try queue.read { db in
            try Row.fetchAll(db, sql: sql).map { row in
                (0..<row.count).map { index in
                    let value: DatabaseValue = row[index]
                    return String.fromDatabaseValue(value) ?? (value.isNull ? "NULL" : value.description)
                }
            }
        }
    }

    /// GETs `path` from Responder with the admin token; fails on a non-200 answer.
    func get(_ path: String) async throws -> String {
        var request = HTTPClientRequest(url: "https://127.0.0.1:\(port)\(path)")
        request.headers.add(name: "Authorization", value: "Bearer \(adminToken)")
        let response = try await client.execute(request, timeout: .seconds(10))
        let body = String(buffer: try await response.body.collect(upTo: 4 << 20))
        guard response.status.code == 200 else {
            throw SNSMotoFailure("GET \(path) answered \(response.status.code): \(body.prefix(500))\n" + tails())
        }
        return body
    }

    /// Polls the runs API (at most 10 s) until the run of `playbook` satisfies `condition`.
    func waitForRun(
        playbook: String, _ what: String, _ condition: (SNSMotoRunView) -> Bool
    ) async throws -> SNSMotoRunView {
        /// `GET /api/runs`.
        struct List: Decodable {
            /// One run.
            struct Summary: Decodable {
                /// `run-<n>`.
                var id: String
                /// Its playbook.
                var playbook: String
            }
            /// Every run.
            var runs: [Summary]
        }
        /// `GET /api/runs/{id}`.
        struct Detail: Decodable {
            /// The run.
            var run: SNSMotoRunView
        }
        let deadline = ContinuousClock.now + .seconds(10)
        var last = "no run of \(playbook)"
        while ContinuousClock.now < deadline {
            let list = try JSONDecoder().decode(List.self, from: Data(try await get("/api/runs").utf8))
            if let summary = list.runs.first(where: { $0.playbook == playbook }) {
                let text = try await get("/api/runs/\(summary.id)")
                let run = try JSONDecoder().decode(Detail.self, from: Data(text.utf8)).run
                if condition(run) { return run }
                last = text
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw SNSMotoFailure("no run of \(playbook) with \(what) within 10 s; last seen: \(last.prefix(3000))\n" + tails())
    }
}
