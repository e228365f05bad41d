import AsyncHTTPClient
import Foundation
import ResponderTestSupport
import Logging
import NIOConcurrencyHelpers
import ResponderCore
import ResponderRuntime
import ResponderServer
import ResponderSNS
import ResponderSNSHTTP
import ResponderStore
import Testing

@Suite("POST /hooks/sns over HTTPS")
struct SNSHookTests {
    struct Vector: Decodable {
        var MessageId: String
        var TopicArn: String
        var SignatureVersion: String
    }

    static let vectorCertificate = "sns.us-east-2.SimpleNotificationService-7ff5318490ec183fbaddaa2a969abfda.pem"

    /// The AWS-signed vectors as raw JSON objects (bodies exactly as SNS sent them).
    static func vectorBodies() throws -> [[UInt8]] {
        let array = try JSONSerialization.jsonObject(with: Data(try Fixture.bytes("sns/http_fixtures.json"))) as? [Any] ?? []
        return try array.map { Array(try JSONSerialization.data(withJSONObject: $0)) }
    }

    static func vectors() throws -> [Vector] {
        try JSONDecoder().decode([Vector].self, from: Data(try Fixture.bytes("sns/http_fixtures.json")))
    }

    /// Runs a server whose SNS hook reads certificates from a temp folder (the AWS vector certificate and, when
    /// given, a test signer's) and confirms subscriptions through a real HTTP client.
    static func withSNSServer(
        now: Date,
        signer: TestSNSSigner? = nil,
        configure: @escaping @Sendable (inout ResponderConfig.SNS) -> Void,
        _ body: @Sendable (TestServer) async throws -> Void
    ) async throws {
        let temporary = try TemporaryFolder("sns-certs")
        let certificates = temporary.path
        defer { temporary.remove() }
        try Data(try Fixture.bytes("sns/\(vectorCertificate)"))
            .write(to: URL(fileURLWithPath: certificates + "/SimpleNotificationService-7ff5318490ec183fbaddaa2a969abfda.pem"))
        try signer?.provision(into: certificates)
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: HTTPCertificateFetcher.recommendedClientConfiguration())
        do {
            try await TestServer.with(
                configure: { config in
                    config.sns.certificateDirectory = certificates
                    config.sns.fetchCertificates = false
                    configure(&config.sns)
                },
                sns: { journal, config in
                    try SNSHookFactory.make(config: config.sns, journal: journal, httpClient: client, logger: Logger(label: "t"), now: { now })
                },
                clock: ManualClock(start: now)
            ) { server in try await body(server) }
            try await client.shutdown()
        } catch {
            try? await client.shutdown()
            throw error
        }
    }

    static func postSNS(_ server: TestServer, _ body: [UInt8], type: String? = nil) async throws -> (status: Int, body: String) {
        var headers = [("Content-Type", "text/plain; charset=UTF-8")]
        if let type { headers.append(("x-amz-sns-message-type", type)) }
        let result = try await server.send(.POST, "/hooks/sns", body: body, headers: headers)
        return (result.status, result.body)
    }

    static let vectorTime = RFC3339.parse("2022-07-28T21:30:00Z") ?? Date()

    @Test("real AWS-signed notifications (SignatureVersion 1 and 2) verify and are recorded once")
    func awsVectors() async throws {
        let vectors = try Self.vectors()
        let bodies = try Self.vectorBodies()
        #expect(vectors[0].SignatureVersion == "1")
        #expect(vectors[1].SignatureVersion == "2")
        try await Self.withSNSServer(now: Self.vectorTime, configure: { sns in
            sns.allowedRegions = ["us-east-2"]
            sns.allowedTopicArns = [vectors[0].TopicArn, vectors[1].TopicArn]
        }) { server in
            let first = try await Self.postSNS(server, bodies[0], type: "Notification")
            #expect(first.status == 200, "\(first.body)")
            #expect(first.body.contains(#""kind":"sns_unmatched""#))
            #expect(first.body.contains(#""status":"recorded""#))
            let again = try await Self.postSNS(server, bodies[0])
            #expect(again.body.contains(#""status":"duplicate""#))
            let second = try await Self.postSNS(server, bodies[1])
            #expect(second.status == 200, "\(second.body)")
            let deliveries = try await server.journal.recentDeliveries(limit: 10)
            #expect(deliveries.count == 2)
            #expect(deliveries.map(\.delivery.idempotencyKey) == ["sns:\(vectors[1].MessageId)", "sns:\(vectors[0].MessageId)"])
            #expect(deliveries.allSatisfy { $0.delivery.kind == .snsUnmatched })
        }
    }

    @Test("refusals: tampered, foreign topic, stale, wrong region, mismatched type header; nothing is recorded")
    func refusals() async throws {
        let vectors = try Self.vectors()
        let body = try Self.vectorBodies()[0]
        let tampered = Array(String(decoding: body, as: UTF8.self).replacingOccurrences(of: "Hello world", with: "Hello World").utf8)
        try await Self.withSNSServer(now: Self.vectorTime, configure: { sns in
            sns.allowedRegions = ["us-east-2"]
            sns.allowedTopicArns = [vectors[0].TopicArn]
        }) { server in
            let forged = try await Self.postSNS(server, tampered)
            #expect(forged.status == 403)
            #expect(forged.body.contains("signature"))
            let foreign = try await Self.postSNS(server, try Self.vectorBodies()[1])
            #expect(foreign.status == 403)
            #expect(foreign.body.contains("allowed_topic_arns"))
            let mismatch = try await Self.postSNS(server, body, type: "SubscriptionConfirmation")
            #expect(mismatch.status == 400)
            #expect(mismatch.body.contains("x-amz-sns-message-type"))
            #expect(try await server.journal.recentDeliveries(limit: 10).isEmpty)
        }
        try await Self.withSNSServer(now: Self.vectorTime.addingTimeInterval(7200), configure: { sns in
            sns.allowedRegions = ["us-east-2"]
            sns.allowedTopicArns = [vectors[0].TopicArn]
        }) { server in
            let stale = try await Self.postSNS(server, body)
            #expect(stale.status == 400)
            #expect(stale.body.lowercased().contains("old"))
        }
        try await Self.withSNSServer(now: Self.vectorTime, configure: { sns in
            sns.allowedRegions = ["us-east-1"]
            sns.allowedTopicArns = [vectors[0].TopicArn]
            sns.fetchCertificates = true
        }) { server in
            let region = try await Self.postSNS(server, body)
            #expect(region.status == 403, "refused by URL policy before any fetch: \(region.body)")
            #expect(region.body.contains("sns.us-east-2.amazonaws.com"))
        }
    }

    @Test("a signed CloudWatch alarm becomes a normalized alert in the journal")
    func cloudWatchAlarm() async throws {
        let signer = try TestSNSSigner(region: "us-east-2")
        let topic = "arn:aws:sns:us-east-2:111122223333:responder-alarms"
        let now = Date()
        let alarm = String(decoding: try Fixture.bytes("cloudwatch-metric-alarm.json"), as: UTF8.self)
        let body = try signer.notification(
            topicArn: topic, message: alarm, subject: "ALARM: \"prod-api-high-cpu\" in US East (Ohio)",
            timestamp: RFC3339.format(now)
        )
        try await Self.withSNSServer(now: now, signer: signer, configure: { sns in
            sns.allowedRegions = ["us-east-2"]
            sns.allowedTopicArns = ["arn:aws:sns:us-east-2:111122223333:*"]
        }) { server in
            let result = try await Self.postSNS(server, body, type: "Notification")
            #expect(result.status == 200, "\(result.body)")
            #expect(result.body.contains(#""kind":"cloudwatch_alarm""#))
            #expect(result.body.contains(#""new_alerts":1"#))
            #expect(try await Self.postSNS(server, body).body.contains(#""status":"duplicate""#))
            let alerts = try await server.journal.recentAlerts(limit: 10)
            let alert = try #require(alerts.first?.alert)
            #expect(alerts.count == 1)
            #expect(alert.source == .cloudwatch)
            #expect(alert.status == .firing)
            #expect(alert.labels["alarm_name"] == "prod-api-high-cpu")
            #expect(alert.labels["metric_name"] == "CPUUtilization")
            #expect(alert.labels["dimension_AutoScalingGroupName"] == "prod-api")
        }
    }

    @Test("an allowed SubscriptionConfirmation is confirmed once after it is recorded; unsubscribes are never followed")
    func subscriptions() async throws {
        let signer = try TestSNSSigner(region: "us-east-1")
        let topic = "arn:aws:sns:us-east-1:111122223333:responder-alarms"
        let endpoint = FakeHTTPEndpoint()
        try await endpoint.run { port in
            let now = Date()
            let subscribeURL = "http://127.0.0.1:\(port)/?Action=ConfirmSubscription&TopicArn=\(topic)&Token=secret-token"
            try await Self.withSNSServer(now: now, signer: signer, configure: { sns in
                sns.allowedRegions = ["us-east-1"]
                sns.allowedTopicArns = [topic]
                sns.testingExtraHosts = ["http://127.0.0.1:\(port)"]
            }) { server in
                let confirm = try signer.confirmation(
                    type: "SubscriptionConfirmation", topicArn: topic, subscribeURL: subscribeURL, token: "secret-token",
                    timestamp: RFC3339.format(now)
                )
                let result = try await Self.postSNS(server, confirm, type: "SubscriptionConfirmation")
                #expect(result.status == 200, "\(result.body)")
                #expect(result.body.contains(#""confirmed":true"#))
                #expect(!result.body.contains("secret-token"))
                #expect(endpoint.recorded.count == 1)
                #expect(endpoint.recorded.first?.query.contains("Action=ConfirmSubscription") == true)
                let kinds = try await server.journal.recentDeliveries(limit: 10).map(\.delivery.kind)
                #expect(kinds == [.snsSubscriptionConfirmation])

                let unsubscribe = try signer.confirmation(
                    type: "UnsubscribeConfirmation", topicArn: topic, subscribeURL: subscribeURL, token: "secret-token",
                    timestamp: RFC3339.format(now)
                )
                let unsubscribed = try await Self.postSNS(server, unsubscribe)
                #expect(unsubscribed.status == 200)
                #expect(endpoint.recorded.count == 1, "UnsubscribeConfirmation URLs are never fetched")

                let foreign = try signer.confirmation(
                    type: "SubscriptionConfirmation", topicArn: "arn:aws:sns:us-east-1:999999999999:other",
                    subscribeURL: subscribeURL, token: "t", timestamp: RFC3339.format(now)
                )
                #expect(try await Self.postSNS(server, foreign).status == 403)
                #expect(endpoint.recorded.count == 1, "a foreign topic's subscription is never confirmed")
            }
        }
    }

    @Test("a body over the 512 KiB SNS cap gets 413 and the connection is closed")
    func tooLarge() async throws {
        try await Self.withSNSServer(now: Self.vectorTime, configure: { sns in
            sns.allowedRegions = ["us-east-2"]
            sns.allowedTopicArns = ["arn:aws:sns:us-east-2:295079676684:*"]
        }) { server in
            let head = "POST /hooks/sns HTTP/1.1\r\nHost: localhost\r\nContent-Type: text/plain\r\nContent-Length: \(600 << 10)\r\n\r\n"
            let exchange = try await RawTLSClient.exchange(
                port: server.port, certificatePath: server.certificatePath, chunks: [Array(head.utf8)]
            )
            #expect(exchange.closedByServer)
            #expect(exchange.response.hasPrefix("HTTP/1.1 413"))
            #expect(exchange.response.contains("524288-byte limit"))
        }
    }

    @Test("with SNS not configured every delivery is refused with 403 saying what to set; half a config is an error")
    func notConfigured() async throws {
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        defer { _ = client.shutdown() }
        try await TestServer.with(sns: { journal, config in
            try SNSHookFactory.make(config: config.sns, journal: journal, httpClient: client, logger: Logger(label: "t"))
        }) { server in
            let result = try await Self.postSNS(server, try Self.vectorBodies()[0])
            #expect(result.status == 403)
            #expect(result.body.contains("sns.allowed_regions and sns.allowed_topic_arns"))
            #expect(try await server.journal.recentDeliveries(limit: 1).isEmpty)
        }
        var half = ResponderConfig.SNS()
        half.allowedRegions = ["us-east-1"]
        let journal = try SQLiteJournal(path: FileManager.default.temporaryDirectory.appendingPathComponent("\(UUID()).sqlite").path)
        #expect {
            _ = try SNSHookFactory.make(config: half, journal: journal, httpClient: client, logger: Logger(label: "t"))
        } throws: { error in
            "\(error)".contains("allowed_topic_arns is empty")
        }
    }
}
