import AsyncHTTPClient
import Foundation
import NIOCore
import NIOSSL
import Testing

/// `responder simulate` and `responder serve` (dry-run executors) given the same playbooks and the same hostile alert:
/// the run ends the same way, the same steps run, and a step's outcome (the request it records, or why it was refused)
/// is the same text. The scenarios live in samples/hostile/Playbooks/scenarios.
@Suite("simulate and serve agree on hostile alerts")
struct SimulateAgreesWithServeTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path
    static let playbooks = root + "/samples/hostile/Playbooks"

    struct Case: Sendable, CustomTestStringConvertible {
        var scenario: String
        var alert: String
        var status: String
        var testDescription: String { scenario }
    }

    static let cases: [Case] = [
        Case(scenario: "restart-worker-refused-parameter", alert: "worker-stuck-hostile.json", status: "failed"),
        Case(scenario: "warm-cache-encoded-values", alert: "cache-cold-hostile.json", status: "completed"),
        Case(scenario: "warm-cache-header-injection", alert: "cache-cold-header-injection.json", status: "failed"),
    ]

    /// What a run did, as both commands report it: per executed step, its index and (for http and command steps) its
    /// outcome text; the final status.
    struct Ending: Equatable {
        var status: String
        var executed: [Int]
        var outcomes: [String]
    }

    @Test("the same run ending, the same steps, the same outcome texts", arguments: cases)
    func agree(_ item: Case) async throws {
        let simulated = try await Self.simulate(item.scenario)
        #expect(simulated.status == item.status)
        let served = try await Self.serve(alert: item.alert)
        #expect(served == simulated)
    }

    static func simulate(_ scenario: String) async throws -> Ending {
        let process = try ResponderProcess(arguments: [
            "simulate", "\(playbooks)/scenarios/\(scenario).yaml", "--playbooks", playbooks, "--format", "json",
        ])
        #expect(try await process.waitForExit() == 0, "the scenario's expectations hold: \(process.stdout)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(process.stdout.utf8)) as? [String: Any])
        let runs = try #require(object["runs"] as? [[String: Any]])
        #expect(runs.count == 1)
        let steps = (object["timeline"] as? [[String: Any]] ?? []).filter { $0["type"] as? String == "step" }
        var outcomes: [String] = []
        for step in steps where ["http", "command"].contains(step["action"] as? String ?? "") {
            // simulate prefixes a refusal with "refused: "; the run history of serve has the bare message.
            let text = step["outcome"] as? String ?? ""
            outcomes.append(text.hasPrefix("refused: ") ? String(text.dropFirst(9)) : text)
        }
        return Ending(status: runs.first?["status"] as? String ?? "", executed: steps.compactMap { $0["step"] as? Int },
                      outcomes: outcomes)
    }

    static func serve(alert: String) async throws -> Ending {
        let folders = try ServeFolders("agree")
        defer { folders.remove() }
        let (server, port, _) = try await ResponderProcess.serve([
            "serve", "--state", folders.state, "--listen", "127.0.0.1:0", "--playbooks", playbooks,
        ])
        defer { server.process.terminate() }
        func token(_ name: String) throws -> String {
            try String(contentsOfFile: folders.state + "/" + name, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        }
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(folders.state + "/tls/cert.pem"))
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(tlsConfiguration: tls))
        do {
            let ending = try await poll(client: client, port: port, alert: alert, alertToken: try token("alertmanager-token"),
                                        admin: try token("admin-token"))
            try await client.shutdown()
            return ending
        } catch {
            try? await client.shutdown()
            throw error
        }
    }

    static func poll(client: HTTPClient, port: Int, alert: String, alertToken: String, admin: String) async throws -> Ending {

        var post = HTTPClientRequest(url: "https://localhost:\(port)/hooks/alertmanager")
        post.method = .POST
        post.headers.add(name: "Authorization", value: "Bearer \(alertToken)")
        post.body = .bytes(ByteBuffer(bytes: Array(try Data(contentsOf: URL(fileURLWithPath: root + "/samples/hostile/alerts/\(alert)")))))
        #expect(try await client.execute(post, timeout: .seconds(30)).status == .ok)

        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            var get = HTTPClientRequest(url: "https://localhost:\(port)/api/runs/run-1")
            get.headers.add(name: "Authorization", value: "Bearer \(admin)")
            let response = try await client.execute(get, timeout: .seconds(30))
            let body = try await response.body.collect(upTo: 1 << 20)
            if response.status == .ok,
               let object = try JSONSerialization.jsonObject(with: Data(buffer: body)) as? [String: Any],
               let run = object["run"] as? [String: Any], let status = run["status"] as? String, status != "active" {
                let steps = run["steps"] as? [[String: Any]] ?? []
                let ran = steps.filter { ["done", "failed"].contains($0["status"] as? String ?? "") }
                let outcomes = ran.filter { step in
                    let work = step["work"] as? [String: Any]
                    let action = (work?["action"] as? [String: Any])?["_0"] as? [String: Any]
                    return action?["http"] != nil || action?["command"] != nil
                }.map { $0["outcome"] as? String ?? "" }
                return Ending(status: status, executed: ran.compactMap { $0["index"] as? Int }, outcomes: outcomes)
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        Issue.record("run-1 did not end within 30 s")
        return Ending(status: "", executed: [], outcomes: [])
    }
}
