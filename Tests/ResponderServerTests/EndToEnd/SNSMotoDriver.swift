import Foundation
import NIOConcurrencyHelpers

/// One Python process that runs moto's SNS server (`ThreadedMotoServer` on a free loopback port) and drives it with
/// boto3, one JSON command per line on standard input, one JSON reply per line on standard output.
///
/// moto 5.2.1 delivers to an https subscription synchronously inside `Publish` (`requests.post(endpoint, json=...)`
/// in `moto/sns/models.py`, `Subscription.publish`), so when a `publish` reply arrives Responder has answered. The
/// driver wraps that `requests.post` only to record the delivered body and Responder's status and answer; the request
/// is passed on unchanged. `REQUESTS_CA_BUNDLE` (set by ``start(in:caBundle:)``) makes moto trust Responder's
/// self-signed certificate.
final class SNSMotoDriver: Sendable {
    /// The Python process.
    let process: SNSMotoCapturedProcess
    /// moto's endpoint, `http://127.0.0.1:<port>`.
    let endpoint: String
    private let repliesRead = NIOLockedValueBox(1)

    /// A command; nil fields are left out of the JSON.
    struct Command: Encodable {
        /// `setup`, `predict`, `publish` or `pem`.
        var op: String
        /// Topic name (`setup`).
        var topic: String?
        /// Subscription endpoint (`setup`).
        var endpoint: String?
        /// Topic ARN (`publish`).
        var topicArn: String?
        /// SNS `Message` (`publish`).
        var message: String?
        /// moto random seed set before publishing (`publish`), or whose names are predicted (`predict`).
        var seed: Int?
        /// Certificate file name to GET from moto (`pem`).
        var name: String?

        /// JSON names.
        enum CodingKeys: String, CodingKey {
            case op, topic, endpoint, seed, name, message
            case topicArn = "topic_arn"
        }
    }

    /// One HTTPS delivery moto made, as the driver observed it.
    struct Delivery: Decodable {
        /// Where moto posted.
        var url: String
        /// The JSON object moto posted (every value of moto's SNS envelope is a string).
        var body: [String: String]
        /// Responder's HTTP status, if it answered.
        var status: Int?
        /// Responder's answer body.
        var answer: String?
        /// The exception `requests.post` raised, if any.
        var error: String?
    }

    /// Every reply; which fields are set depends on the command.
    struct Reply: Decodable {
        /// Why the command failed (any command).
        var error: String?
        /// moto's endpoint (the first line, once moto answers).
        var ready: String?
        /// The created topic (`setup`).
        var topicArn: String?
        /// The subscription (`setup`).
        var subscriptionArn: String?
        /// The subscription's attributes right after subscribing (`setup`).
        var attributes: [String: String]?
        /// Deliveries moto made while subscribing (`setup`).
        var deliveriesOnSubscribe: [Delivery]?
        /// The published or predicted MessageId (`publish`, `predict`).
        var messageId: String?
        /// The predicted certificate file name (`predict`).
        var certificate: String?
        /// The exception moto's Publish raised (`publish`).
        var publishError: String?
        /// Deliveries moto made while publishing (`publish`).
        var deliveries: [Delivery]?
        /// HTTP status of moto's certificate answer (`pem`).
        var status: Int?
        /// The certificate moto served (`pem`).
        var pem: String?

        /// JSON names.
        enum CodingKeys: String, CodingKey {
            case error, ready, attributes, certificate, deliveries, status, pem
            case topicArn = "topic_arn", subscriptionArn = "subscription_arn"
            case deliveriesOnSubscribe = "deliveries_on_subscribe", messageId = "message_id"
            case publishError = "publish_error"
        }
    }

    private init(process: SNSMotoCapturedProcess, endpoint: String) {
        self.process = process
        self.endpoint = endpoint
    }

    /// Writes the driver script into `folder`, starts it with `caBundle` as `REQUESTS_CA_BUNDLE`, and waits (at
    /// most 20 s) until moto answers.
    static func start(in folder: String, caBundle: String) async throws -> SNSMotoDriver {
        let script = folder + "/sns_moto_driver.py"
        try Self.script.write(toFile: script, atomically: true, encoding: .utf8)
        let process: SNSMotoCapturedProcess
        do {
            process = try SNSMotoCapturedProcess(
                executable: URL(fileURLWithPath: "/usr/bin/env"),
                arguments: ["python3", "-u", script],
                environment: ["REQUESTS_CA_BUNDLE": caBundle, "NO_PROXY": "127.0.0.1,localhost", "no_proxy": "127.0.0.1,localhost"],
                withStdin: true
            )
        } catch {
            throw SNSMotoFailure("cannot run python3 (\(error)): install Python 3 and pip install 'moto[server]' boto3")
        }
        let first: Reply
        do {
            first = try await Self.readReply(process, index: 0, limit: .seconds(20), what: "moto to start")
        } catch {
            await process.stop()
            throw error
        }
        guard let ready = first.ready else {
            await process.stop()
            throw SNSMotoFailure(
                "the moto driver did not start (\(first.error ?? "no reason")): pip install 'moto[server]' boto3\n"
                    + process.tail()
            )
        }
        return SNSMotoDriver(process: process, endpoint: ready)
    }

    /// Sends `command` and waits at most `limit` for its reply; a reply with `error` is a failure.
    func send(_ command: Command, limit: Duration = .seconds(15)) async throws -> Reply {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        try process.write(line: String(decoding: try encoder.encode(command), as: UTF8.self))
        let index = repliesRead.withLockedValue { value in
            defer { value += 1 }
            return value
        }
        let reply = try await Self.readReply(process, index: index, limit: limit, what: "the reply to \(command.op)")
        if let error = reply.error {
            throw SNSMotoFailure("moto driver command \(command.op) failed: \(error)\n" + process.tail())
        }
        return reply
    }

    /// Waits for the `index`-th line of standard output and decodes it.
    private static func readReply(
        _ process: SNSMotoCapturedProcess, index: Int, limit: Duration, what: String
    ) async throws -> Reply {
        let deadline = ContinuousClock.now + limit
        while ContinuousClock.now < deadline {
            let lines = process.stdoutLines
            if lines.count > index {
                let line = lines[index]
                do {
                    return try JSONDecoder().decode(Reply.self, from: Data(line.utf8))
                } catch {
                    throw SNSMotoFailure("moto driver wrote a line that is not a reply (\(error)): \(line.prefix(500))\n" + process.tail())
                }
            }
            guard process.process.isRunning else {
                // The output may still be arriving after the exit.
                try await Task.sleep(for: .milliseconds(50))
                if process.stdoutLines.count > index { continue }
                throw SNSMotoFailure("the moto driver exited (status \(process.process.terminationStatus)) before \(what)\n" + process.tail())
            }
            try await Task.sleep(for: .milliseconds(10))
        }
        throw SNSMotoFailure("no answer from the moto driver within \(limit) waiting for \(what)\n" + process.tail())
    }

    /// Closes the driver's standard input (it stops moto and exits), then terminates it if it lingers.
    func stop() async {
        await process.stop()
    }

    /// The Python side. `predict` mirrors moto 5.2.1's use of its seeded random source in `Publish`: the first
    /// `uuid4()` after `/moto-api/seed` is the MessageId (`SNSBackend.publish`), the second the certificate name
    /// `SimpleNotificationService-<uuid4 hex>.pem` (`Subscription.get_post_data`).
    static let script = #"""
        import json, socket, sys
        try:
            import boto3, requests
            from moto.server import ThreadedMotoServer
            from moto.moto_api._internal.moto_random import MotoRandom
            import moto.sns.models as sns_models
        except ImportError as error:
            print(json.dumps({"error": "missing " + str(error)}), flush=True)
            sys.exit(3)

        deliveries = []
        _post = sns_models.requests.post

        def observed_post(url, **kwargs):
            # Records what moto sends and what the endpoint answers; the request is passed on unchanged.
            record = {"url": url, "body": kwargs.get("json")}
            deliveries.append(record)
            try:
                response = _post(url, **kwargs)
            except Exception as error:
                record["error"] = repr(error)
                raise
            record["status"] = response.status_code
            record["answer"] = response.text
            return response

        sns_models.requests.post = observed_post

        s = socket.socket(); s.bind(("127.0.0.1", 0)); port = s.getsockname()[1]; s.close()
        server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
        server.start()
        endpoint = f"http://127.0.0.1:{port}"
        sns = boto3.client("sns", endpoint_url=endpoint, region_name="us-east-1",
                           aws_access_key_id="testing", aws_secret_access_key="testing")
        sns.list_topics()

        def predict(seed):
            r = MotoRandom(); r.seed(seed)
            message_id = str(r.uuid4())
            certificate = "SimpleNotificationService-" + str(r.uuid4()).replace("-", "") + ".pem"
            return {"message_id": message_id, "certificate": certificate}

        def handle(command):
            op = command["op"]
            if op == "setup":
                topic = sns.create_topic(Name=command["topic"])["TopicArn"]
                before = len(deliveries)
                arn = sns.subscribe(TopicArn=topic, Protocol="https", Endpoint=command["endpoint"])["SubscriptionArn"]
                attributes = sns.get_subscription_attributes(SubscriptionArn=arn)["Attributes"]
                return {"topic_arn": topic, "subscription_arn": arn, "attributes": attributes,
                        "deliveries_on_subscribe": deliveries[before:]}
            if op == "predict":
                return predict(command["seed"])
            if op == "publish":
                requests.post(f"{endpoint}/moto-api/seed?a={command['seed']}").raise_for_status()
                before = len(deliveries)
                try:
                    message_id = sns.publish(TopicArn=command["topic_arn"], Message=command["message"])["MessageId"]
                except Exception as error:
                    return {"publish_error": repr(error), "deliveries": deliveries[before:]}
                return {"message_id": message_id, "deliveries": deliveries[before:]}
            if op == "pem":
                # moto's server picks the service of an unsigned GET from its path only; a SigV4-shaped
                # Authorization header (never checked) routes it to SNS, which serves the certificate.
                response = requests.get(f"{endpoint}/{command['name']}", headers={
                    "Authorization": "AWS4-HMAC-SHA256 Credential=testing/20260101/us-east-1/sns/aws4_request, "
                                     "SignedHeaders=host, Signature=0"})
                return {"status": response.status_code, "pem": response.text}
            return {"error": "unknown op " + op}

        import moto
        print(json.dumps({"ready": endpoint, "moto_version": moto.__version__}), flush=True)
        for line in sys.stdin:
            if not line.strip():
                continue
            try:
                reply = handle(json.loads(line))
            except Exception as error:
                reply = {"error": repr(error)}
            print(json.dumps(reply), flush=True)
        server.stop()
        """#
}
