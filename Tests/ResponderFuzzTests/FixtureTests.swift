import Foundation
import ResponderCore
import ResponderFuzzTargets
import Testing

/// The fixtures the targets run against load, and the seeds reach past the first refusal into the code behind it
/// (a fuzzer whose seeds all bounce off the first check only ever explores that check).
@Suite("fuzz fixtures and seeds")
struct FixtureTests {
    /// The seeds of `target` with their file names.
    static func seeds(_ target: String) -> [(name: String, bytes: [UInt8])] {
        CorpusReplayTests.files("corpus", target).compactMap { file in
            FileManager.default.contents(atPath: file).map { ((file as NSString).lastPathComponent, Array($0)) }
        }
    }

    @Test("the repository's playbooks and sample alert load")
    func fixturesLoad() {
        #expect(FuzzFixtures.playbooks.playbooks.count >= 10)
        #expect(FuzzFixtures.sampleAlert.labels["alertname"] == "TrafficSpike")
        #expect(FuzzFixtures.sampleAlert.source == .alertmanager)
    }

    @Test("the four AWS-signed SNS vectors verify and are accepted by the sns target")
    func snsVectorsVerify() async {
        let vectors = Self.seeds("sns").filter { $0.name.hasPrefix("vector-") }
        #expect(vectors.count == 4)
        for vector in vectors {
            let refusal = await OffPool.refusal { try SNSTarget.run(vector.bytes) }
            #expect(refusal == nil, "\(vector.name)")
        }
    }

    @Test("the Slack documentation's signed request passes the signature and the replay guard")
    func slackVectorVerifies() async throws {
        let seeds = Self.seeds("slack-signature")
        let vector = try #require(seeds.first { $0.name == "slack-docs-vector.bin" })
        // The example is a slash command, not a button press: it gets past the signature, then the decoder refuses it.
        let refusal = await OffPool.refusal { try SlackSignatureTarget.run(vector.bytes) }
        #expect(refusal == "Slack interaction body must have exactly one payload field")
        let signed = try #require(seeds.first { $0.name == "block-actions-self-signed.bin" })
        #expect(await OffPool.refusal { try SlackSignatureTarget.run(signed.bytes) } == nil)
    }

    @Test("the repository's playbook files load as seeds, so plans and simulations are fuzzed too")
    func playbookSeedsLoad() async {
        for seed in Self.seeds("playbooks") where !["billion_laughs.yaml", "deep_nesting_5000.yaml"].contains(seed.name) {
            let refusal = await OffPool.refusal { try PlaybookTarget.run(seed.bytes) }
            #expect(refusal == nil, "\(seed.name)")
        }
    }

    @Test("the repository's scenarios load as seeds and are simulated")
    func scenarioSeedsLoad() async {
        for seed in Self.seeds("scenarios") {
            #expect(!seed.bytes.contains(UInt8(ascii: "/")), "\(seed.name) holds a / and would be skipped")
            let refusal = await OffPool.refusal { try ScenarioTarget.run(seed.bytes) }
            #expect(refusal == nil, "\(seed.name)")
        }
    }

    @Test("the signed action-link seeds verify")
    func actionLinkSeedsVerify() async {
        for seed in Self.seeds("action-links") where seed.name.hasPrefix("valid-") {
            let refusal = await OffPool.refusal { try ActionLinkTarget.run(seed.bytes) }
            #expect(refusal == nil, "\(seed.name)")
        }
    }
}
