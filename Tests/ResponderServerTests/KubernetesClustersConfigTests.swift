import Foundation
import ResponderServer
import Testing

/// `kubernetes.clusters` and `kubernetes.field_manager` in the configuration: what they become, and every mistake
/// refused with the file, line and what to write instead.
@Suite("configuration: kubernetes.clusters and kubernetes.field_manager")
struct KubernetesClustersConfigTests {
    static func load(_ yaml: String, environment: [String: String] = [:]) throws(ConfigError) -> ResponderConfig {
        try ConfigLoaderTests.loader(files: ["/etc/responder.yaml": yaml], environment: environment).load(path: "/etc/responder.yaml")
    }

    static func refusal(_ yaml: String) -> String {
        do {
            _ = try load(yaml)
            return "accepted"
        } catch {
            return error.description
        }
    }

    @Test("the top-level settings are the cluster named default; named clusters take a kubeconfig and context or in_cluster")
    func clusters() throws {
        let config = try Self.load("""
            kubernetes:
              kubeconfig: /etc/kube/home.yaml
              field_manager: responder-prod
              clusters:
                eu-west:
                  kubeconfig: /etc/responder/kubeconfigs/eu-west
                  context: responder@eu-west
                us-east:
                  kubeconfig: /etc/responder/kubeconfigs/us-east
                home:
                  in_cluster: true
            """)
        #expect(config.kubernetes.kubeconfig == "/etc/kube/home.yaml")
        #expect(config.kubernetes.fieldManager == "responder-prod")
        #expect(config.kubernetes.clusters == [
            "eu-west": .kubeconfig("/etc/responder/kubeconfigs/eu-west", context: "responder@eu-west"),
            "us-east": .kubeconfig("/etc/responder/kubeconfigs/us-east", context: nil),
            "home": .inCluster,
        ])
        #expect(config.kubernetes.clusterNames == ["default", "eu-west", "us-east", "home"])
        let defaults = try Self.load("listen: \":8443\"\n")
        #expect(defaults.kubernetes.fieldManager == "responder" && defaults.kubernetes.clusters.isEmpty)
        #expect(defaults.kubernetes.clusterNames == ["default"])
        let overridden = try Self.load("kubernetes:\n  clusters: {}\n", environment: ["RESPONDER_KUBERNETES_FIELD_MANAGER": "ops"])
        #expect(overridden.kubernetes.fieldManager == "ops")
    }

    @Test("bad cluster entries are refused at their line with what to write", arguments: [
        ("    Eu_West:\n      kubeconfig: /k", #"/etc/responder.yaml:3: kubernetes.clusters name "Eu_West" must be 1 to 63 lower-case"#),
        ("    default:\n      kubeconfig: /k", "/etc/responder.yaml:3: kubernetes.clusters.default: the cluster named default is"),
        ("    eu:", "/etc/responder.yaml:3: kubernetes.clusters.eu must be a mapping with kubeconfig (and context) or in_cluster: true"),
        ("    eu: /k", "/etc/responder.yaml:3: kubernetes.clusters.eu must be a mapping"),
        ("    eu:\n      context: x", "/etc/responder.yaml:4: kubernetes.clusters.eu needs kubeconfig"),
        ("    eu:\n      in_cluster: false", "/etc/responder.yaml:4: kubernetes.clusters.eu needs kubeconfig"),
        ("    eu:\n      kubeconfig: /k\n      in_cluster: true", "/etc/responder.yaml:4: kubernetes.clusters.eu: set kubeconfig (and context) or in_cluster: true, not both"),
        ("    eu:\n      in_cluster: true\n      context: x", "/etc/responder.yaml:4: kubernetes.clusters.eu: context belongs to a kubeconfig"),
        ("    eu:\n      kubeconfig: /k\n      token: abc", #"/etc/responder.yaml:5: unknown key "kubernetes.clusters.eu.token""#),
        ("    eu:\n      in_cluster: true\n    us:\n      in_cluster: true", "kubernetes: only one cluster can use the in-cluster service account, but eu and us do"),
    ])
    func badEntries(_ entry: String, _ expected: String) {
        let message = Self.refusal("kubernetes:\n  clusters:\n" + entry + "\n")
        #expect(message.hasPrefix(expected), "\(message)")
    }

    @Test("in_cluster on the default cluster and on a named one is refused: Responder runs in one cluster")
    func twoInCluster() {
        let message = Self.refusal("kubernetes:\n  in_cluster: true\n  clusters:\n    home:\n      in_cluster: true\n")
        #expect(message.contains("default (kubernetes.in_cluster) and home do"), "\(message)")
    }

    @Test("field_manager must be 1 to 128 printable ASCII characters", arguments: [
        "\"\"", String(repeating: "m", count: 129), "\"tab\\there\"", "\"café\"",
    ])
    func badFieldManager(_ value: String) {
        let message = Self.refusal("kubernetes:\n  field_manager: \(value)\n")
        #expect(message.hasPrefix("/etc/responder.yaml:2: kubernetes.field_manager must be 1 to 128 printable ASCII characters"),
                "\(message)")
    }

    @Test("128 printable ASCII characters, spaces and symbols included, are a field manager")
    func longestFieldManager() throws {
        let name = String(repeating: "r", count: 120) + " ops/+&="
        #expect(try Self.load("kubernetes:\n  field_manager: \"\(name)\"\n").kubernetes.fieldManager == name)
    }
}
