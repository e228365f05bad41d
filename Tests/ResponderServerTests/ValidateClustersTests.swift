import Foundation
import ResponderTestSupport
import Testing

/// `responder validate --config`: the playbooks are checked against the configuration's Kubernetes clusters, as
/// `serve` loads them.
@Suite("responder validate --config checks cluster: against kubernetes.clusters")
struct ValidateClustersTests {
    static let playbook = """
        targets:
          - name: api-eu
            kubernetes:
              namespace: prod
              name: api
              cluster: eu-wset
            bounds: {floor: 2, ceiling: 10}
        playbooks:
          - name: spike
            kind: emergency-scale
            match: {matchers: ['alertname="Spike"']}
            actions:
              - scale: {target: api-eu, to: max}

        """

    @Test("an unknown cluster is refused at its line naming the target and the clusters; a known one passes")
    func validate() async throws {
        let temporary = try TemporaryFolder("clusters")
        defer { temporary.remove() }
        let folder = temporary.path + "/Playbooks"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try Self.playbook.write(toFile: folder + "/eu.yaml", atomically: true, encoding: .utf8)
        let config = temporary.path + "/responder.yaml"
        // The secret files a configuration names exist only where serve runs; validate does not read them.
        try "admin:\n  token_file: /nonexistent/admin-token\nkubernetes:\n  clusters:\n    eu-west:\n      kubeconfig: /etc/responder/kubeconfigs/eu-west\n"
            .write(toFile: config, atomically: true, encoding: .utf8)

        let refused = try ResponderProcess(arguments: ["validate", "--config", config, folder])
        #expect(try await refused.waitForExit() == 1)
        #expect(refused.stdout.contains(folder + #"/eu.yaml:6: target api-eu: kubernetes.cluster "eu-wset" is not a cluster of the "#
            + "configuration (it has default, eu-west): add it to kubernetes.clusters or fix the name"), "\(refused.stdout)")

        let unchecked = try ResponderProcess(arguments: ["validate", folder])
        #expect(try await unchecked.waitForExit() == 0, "without --config any well-formed name goes")

        try Self.playbook.replacingOccurrences(of: "eu-wset", with: "eu-west").write(toFile: folder + "/eu.yaml", atomically: true, encoding: .utf8)
        let accepted = try ResponderProcess(arguments: ["validate", "--config", config, folder])
        #expect(try await accepted.waitForExit() == 0, "\(accepted.stdout)")

        try "kubernetes:\n  clusters:\n    EU:\n      in_cluster: true\n".write(toFile: config, atomically: true, encoding: .utf8)
        let badConfig = try ResponderProcess(arguments: ["validate", "--config", config, folder])
        #expect(try await badConfig.waitForExit() == 1)
        #expect(badConfig.stdout.contains(config + #":3: kubernetes.clusters name "EU" must be"#), "\(badConfig.stdout)")

        let kubernetesDeploy = try ResponderProcess(arguments: [
            "validate", "--config", DefaultPlaybooksTests.root + "/deploy/kubernetes/responder.yaml", DefaultPlaybooksTests.root + "/Playbooks",
        ])
        #expect(try await kubernetesDeploy.waitForExit() == 0, "the shipped configuration checks the shipped playbooks: \(kubernetesDeploy.stdout)")
    }
}
