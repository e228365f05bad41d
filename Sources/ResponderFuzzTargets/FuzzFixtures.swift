import Foundation
import ResponderCore
import ResponderPlaybooks

/// The fixed things the targets run against: the repository's playbooks and sample alerts, the SNS signing certificate
/// of the test vectors, and fixed instants, so that a run depends only on its input.
///
/// Files are found from the repository root: `RESPONDER_FUZZ_ROOT` when set, else the checkout this file was compiled
/// from (the fuzzer and the tests both run where they were built).
public enum FuzzFixtures {
    /// The repository root.
    public static let root: String = {
        if let root = ProcessInfo.processInfo.environment["RESPONDER_FUZZ_ROOT"], !root.isEmpty { return root }
        // Sources/ResponderFuzzTargets/FuzzFixtures.swift → the root is three levels up.
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().path
    }()

    /// The instant every target treats as now: the day the SNS test vectors were signed (their certificate is valid
    /// 2021-09-07 to 2022-08-17), so a delivery signed by SNS verifies.
    public static let now = Date(timeIntervalSince1970: 1_659_043_438)  // 2022-07-28T21:23:58Z

    /// The repository's `Playbooks/` set, loaded once; empty when it does not load (the targets then plan against
    /// nothing, and the replay tests that check the fixtures fail).
    public static let playbooks: PlaybookSet = {
        switch PlaybookLoader.load(directory: path("Playbooks")) {
        case .success(let set): return set
        case .failure: return PlaybookSet(targets: [:], playbooks: [], files: [])
        }
    }()

    /// The folder scenario inputs read alert files from (the repository's sample alerts).
    public static let alertsDirectory = path("samples/alerts")

    /// The sample alert planned against fuzzed playbooks: `samples/alerts/hyperverge-emergency-scale.json`, or the
    /// same alert written inline when the file is missing.
    public static let sampleAlert: NormalizedAlert = {
        if let data = FileManager.default.contents(atPath: path("samples/alerts/hyperverge-emergency-scale.json")),
           let alert = try? AlertFileReader.alerts(in: Array(data)).first {
            return alert
        }
        return Scenario.inlineAlert(
            alertname: "TrafficSpike", labels: ["ecs_cluster": "hyperverge-prod", "severity": "critical"],
            annotations: ["summary": "requests per second far above normal"]
        )
    }()

    /// The SNS signing certificate of the test vectors (PEM), empty when missing.
    public static let snsCertificatePEM: String = {
        let file = path("fuzz/fixtures/sns/sns.us-east-2.SimpleNotificationService-7ff5318490ec183fbaddaa2a969abfda.pem")
        return FileManager.default.contents(atPath: file).map { String(decoding: $0, as: UTF8.self) } ?? ""
    }()

    /// `relative` under the repository root.
    public static func path(_ relative: String) -> String {
        (root as NSString).appendingPathComponent(relative)
    }
}
