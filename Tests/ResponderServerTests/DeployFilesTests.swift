import Foundation
@testable import ResponderConfiguration
@testable import ResponderServer
import Testing
import Yams

/// The deployment files under `deploy/`: every YAML file parses, the Kubernetes manifests are complete and agree with
/// each other (names, mounts, secrets, probes, least-privilege RBAC), the kustomization lists every file and every
/// playbook, every Responder configuration loads with the real ``ConfigLoader``, the Alertmanager configurations
/// reach `/hooks/alertmanager` with a CA and `send_resolved`, and the Dockerfile, systemd unit, compose file and SNS
/// script have what the README promises. Needs neither docker nor a network; `kubectl` and `amtool` are used when
/// they are installed.
@Suite("deployment files under deploy/")
struct DeployFilesTests {
    // MARK: - Every file

    @Test("every YAML file under deploy/ parses and is checked by one of the tests below")
    func everyYAMLFileParses() throws {
        let files = Deploy.files(withExtensions: ["yaml", "yml"])
        #expect(files.count >= 15)
        for file in files {
            let documents = try Deploy.documents(file)
            #expect(!documents.isEmpty, "\(file) holds no YAML document")
            let known = file.hasPrefix("kubernetes/") || file.hasPrefix("kubernetes-replicas/")
                || file.hasPrefix("kubernetes-remote-cluster/")
                || Deploy.responderConfigs.contains(file)
                || Deploy.alertmanagerConfigs.contains(file) || file == "compose/compose.yaml"
                || file.hasPrefix("grafana/provisioning/")  // GrafanaDashboardTests checks these
            #expect(known, "\(file) is not checked by DeployFilesTests: add it to one of its lists")
        }
    }

    @Test("no file under deploy/ holds something that looks like a real secret")
    func noSecrets() throws {
        let patterns = [
            #"xox[abposr]-[0-9]{6,}"#,                 // Slack tokens
            #"AKIA[0-9A-Z]{16}"#,                       // AWS access key ids
            #"-----BEGIN [A-Z ]*PRIVATE KEY-----"#,     // PEM private keys
            #"hooks\.slack\.com/services/T[0-9A-Z]+/"#, // real incoming-webhook URLs
        ]
        for file in Deploy.files(withExtensions: nil) {
            let text = try Deploy.text(file)
            for pattern in patterns {
                #expect(text.range(of: pattern, options: .regularExpression) == nil, "\(file) matches \(pattern)")
            }
        }
    }

    // MARK: - Kubernetes

    @Test("every Kubernetes manifest has apiVersion, kind and metadata.name")
    func kubernetesManifestsHaveIdentity() throws {
        for file in Deploy.kubernetesManifestFiles {
            for document in try Deploy.documents(file) {
                #expect(document["apiVersion"]?.string?.isEmpty == false, "\(file): apiVersion")
                #expect(document["kind"]?.string?.isEmpty == false, "\(file): kind")
                #expect(document["metadata"]?["name"]?.string?.isEmpty == false, "\(file): metadata.name")
            }
        }
    }

    @Test("the kustomization lists every manifest, the configuration and every playbook, in namespace responder")
    func kustomizationListsEverything() throws {
        let kustomization = try #require(try Deploy.documents("kubernetes/kustomization.yaml").first)
        #expect(kustomization["namespace"]?.string == "responder")
        let resources = Set(Deploy.strings(kustomization["resources"]))
        let excluded: Set<String> = ["secret.example.yaml"]
        #expect(resources == Set(Deploy.kubernetesManifestFiles.map { ($0 as NSString).lastPathComponent }).subtracting(excluded))
        for resource in resources {
            #expect(FileManager.default.fileExists(atPath: Deploy.path("kubernetes/" + resource)), "\(resource) is missing")
        }
        let generators = Deploy.sequence(kustomization["configMapGenerator"])
        let config = try #require(generators.first { $0["name"]?.string == "responder-config" })
        #expect(Deploy.strings(config["files"]) == ["responder.yaml"])
        let playbooks = try #require(generators.first { $0["name"]?.string == "responder-playbooks" })
        let listed = Deploy.strings(playbooks["files"])
        #expect(listed.allSatisfy { $0.hasPrefix("../../Playbooks/") })
        #expect(listed.map { ($0 as NSString).lastPathComponent }.sorted() == Deploy.playbookFiles,
                "kustomization.yaml must list exactly the files Playbooks/*.yaml")
    }

    @Test("the Deployment: one replica, Recreate, non-root, read-only, HTTPS probes on 8443, mounts that match the configuration")
    func deployment() throws {
        let deployment = try Deploy.manifest(kind: "Deployment")
        let spec = try #require(deployment["spec"])
        #expect(spec["replicas"]?.int == 1)
        #expect(spec["strategy"]?["type"]?.string == "Recreate")
        let pod = try #require(spec["template"]?["spec"])
        #expect(pod["securityContext"]?["runAsNonRoot"]?.bool == true)
        #expect((pod["securityContext"]?["runAsUser"]?.int ?? 0) > 0)
        #expect(pod["securityContext"]?["seccompProfile"]?["type"]?.string == "RuntimeDefault")
        #expect(pod["serviceAccountName"]?.string == (try Deploy.manifest(kind: "ServiceAccount"))["metadata"]?["name"]?.string)

        let containers = Deploy.sequence(pod["containers"])
        #expect(containers.count == 1)
        let container = try #require(containers.first)
        let security = try #require(container["securityContext"])
        #expect(security["readOnlyRootFilesystem"]?.bool == true)
        #expect(security["allowPrivilegeEscalation"]?.bool == false)
        #expect(Deploy.strings(security["capabilities"]?["drop"]) == ["ALL"])
        #expect(Deploy.sequence(container["ports"]).contains { $0["containerPort"]?.int == 8443 })
        #expect(container["resources"]?["requests"] != nil && container["resources"]?["limits"]?["memory"] != nil)

        for (probe, path) in [("livenessProbe", "/healthz"), ("readinessProbe", "/readyz")] {
            let get = try #require(container[probe]?["httpGet"], "\(probe) must be an httpGet probe")
            #expect(get["path"]?.string == path, "\(probe)")
            #expect(get["scheme"]?.string == "HTTPS", "\(probe)")
            #expect(get["port"]?.int == 8443, "\(probe)")
        }

        // The mounts the configuration relies on.
        let config = try Deploy.loadConfig("kubernetes/responder.yaml")
        let arguments = Deploy.strings(container["args"])
        let configIndex = try #require(arguments.firstIndex(of: "--config"))
        let configPath = try #require(arguments.indices.contains(configIndex + 1) ? arguments[configIndex + 1] : nil)
        let mounts = Deploy.sequence(container["volumeMounts"])
        let volumes = Deploy.sequence(pod["volumes"])
        func volume(mountedAt path: String) throws -> Node {
            let mount = try #require(mounts.first { $0["mountPath"]?.string == path }, "nothing is mounted at \(path)")
            return try #require(volumes.first { $0["name"]?.string == mount["name"]?.string }, "no volume for \(path)")
        }
        #expect(try volume(mountedAt: configPath)["configMap"]?["name"]?.string == "responder-config")
        #expect(try volume(mountedAt: config.playbooksDirectory)["configMap"]?["name"]?.string == "responder-playbooks")
        #expect(config.playbooksDirectory == "/etc/responder/Playbooks")
        let pvc = try Deploy.manifest(kind: "PersistentVolumeClaim")
        #expect(try volume(mountedAt: config.stateDirectory)["persistentVolumeClaim"]?["claimName"]?.string
            == pvc["metadata"]?["name"]?.string)
        #expect(config.stateDirectory == "/var/lib/responder")
        #expect(Deploy.strings(pvc["spec"]?["accessModes"]) == ["ReadWriteOnce"])
        #expect(mounts.contains { $0["mountPath"]?.string == "/tmp" }, "SQLite needs a writable /tmp")

        // TLS from the Secret responder-tls, with the keys a kubernetes.io/tls Secret has.
        let certificate = try #require(config.tlsCertificateFile)
        let key = try #require(config.tlsKeyFile)
        let tlsVolume = try volume(mountedAt: (certificate as NSString).deletingLastPathComponent)
        let tlsSecret = try #require(tlsVolume["secret"]?["secretName"]?.string)
        #expect(try Deploy.exampleSecretKeys(tlsSecret) == [(certificate as NSString).lastPathComponent,
                                                           (key as NSString).lastPathComponent].sorted())
    }

    @Test("every secret the Deployment and its configuration use is in secret.example.yaml, with placeholders")
    func secretsAgree() throws {
        let deployment = try Deploy.manifest(kind: "Deployment")
        let pod = try #require(deployment["spec"]?["template"]?["spec"])
        let container = try Deploy.container(of: deployment)
        let mounts = Deploy.sequence(container["volumeMounts"])

        // *_file keys of the configuration point into a mounted Secret, at one of its keys.
        var read: [String] = []
        _ = try Deploy.loadConfig("kubernetes/responder.yaml") { read.append($0) }
        #expect(!read.isEmpty, "the Kubernetes configuration should take its tokens from files")
        for path in read {
            let folder = (path as NSString).deletingLastPathComponent
            let mount = try #require(mounts.first { $0["mountPath"]?.string == folder }, "\(path) is not in a mount")
            let volume = try #require(Deploy.sequence(pod["volumes"]).first { $0["name"]?.string == mount["name"]?.string })
            let secret = try #require(volume["secret"]?["secretName"]?.string, "\(folder) is not a Secret")
            #expect(try Deploy.exampleSecretKeys(secret).contains((path as NSString).lastPathComponent), "\(path)")
        }

        // Environment from secretKeyRef: the Secret and key exist in the example, and the variable is a real key.
        let variables = Deploy.configVariables
        for variable in Deploy.sequence(container["env"]) {
            let name = try #require(variable["name"]?.string)
            #expect(variables.contains(name), "\(name) is not a RESPONDER_* configuration variable")
            if let reference = variable["valueFrom"]?["secretKeyRef"] {
                let secret = try #require(reference["name"]?.string)
                let key = try #require(reference["key"]?.string)
                #expect(try Deploy.exampleSecretKeys(secret).contains(key), "\(secret)/\(key)")
            }
        }

        // The example holds placeholders only and is not applied by the kustomization.
        for document in try Deploy.documents("kubernetes/secret.example.yaml") {
            #expect(document["kind"]?.string == "Secret")
            #expect(document["data"] == nil, "use stringData placeholders")
            for (key, value) in document["stringData"]?.mapping ?? [:] {
                let text = value.string ?? ""
                #expect(text.hasPrefix("REPLACE-WITH-") || key.string == "slack-channel", "\(key.string ?? ""): \(text)")
            }
        }
    }

    @Test("RBAC grants get and patch on exactly the documented resources, nothing with *, to Responder's account")
    func rbac() throws {
        let documents = try Deploy.documents("kubernetes/rbac.yaml")
        let roles = documents.filter { ["Role", "ClusterRole"].contains($0["kind"]?.string) }
        #expect(roles.count == 1)
        let role = try #require(roles.first)
        var granted: Set<String> = []
        for rule in Deploy.sequence(role["rules"]) {
            #expect(rule["resourceNames"] == nil && rule["nonResourceURLs"] == nil)
            for group in Deploy.strings(rule["apiGroups"]) {
                for resource in Deploy.strings(rule["resources"]) {
                    for verb in Deploy.strings(rule["verbs"]) {
                        #expect(![group, resource, verb].contains { $0.contains("*") }, "wildcard in \(rule)")
                        granted.insert("\(verb) \(group)/\(resource)")
                    }
                }
            }
        }
        let expected: Set<String> = [
            "get apps/deployments/scale", "patch apps/deployments/scale",
            "get apps/statefulsets/scale", "patch apps/statefulsets/scale",
            "get autoscaling/horizontalpodautoscalers", "patch autoscaling/horizontalpodautoscalers",
            "get apps/deployments", "patch apps/deployments",       // env and annotations only
            "get apps/statefulsets", "patch apps/statefulsets",
        ]
        #expect(granted == expected)

        let bindings = documents.filter { ["RoleBinding", "ClusterRoleBinding"].contains($0["kind"]?.string) }
        #expect(bindings.count == 1)
        let binding = try #require(bindings.first)
        #expect(binding["roleRef"]?["kind"]?.string == role["kind"]?.string)
        #expect(binding["roleRef"]?["name"]?.string == role["metadata"]?["name"]?.string)
        let account = try Deploy.manifest(kind: "ServiceAccount")
        let subjects = Deploy.sequence(binding["subjects"])
        #expect(subjects.count == 1)
        #expect(subjects.first?["kind"]?.string == "ServiceAccount")
        #expect(subjects.first?["name"]?.string == account["metadata"]?["name"]?.string)
        #expect(subjects.first?["namespace"]?.string == "responder")
    }

    @Test("other clusters: the pod mounts the optional Secret of kubeconfigs the configuration's example names")
    func kubeconfigsSecret() throws {
        let deployment = try Deploy.manifest(kind: "Deployment")
        let container = try Deploy.container(of: deployment)
        let mount = try #require(Deploy.sequence(container["volumeMounts"]).first { $0["name"]?.string == "kubeconfigs" })
        let folder = try #require(mount["mountPath"]?.string)
        #expect(mount["readOnly"]?.bool == true)
        let volume = try #require(Deploy.sequence(deployment["spec"]?["template"]?["spec"]?["volumes"]).first {
            $0["name"]?.string == "kubeconfigs"
        })
        #expect(volume["secret"]?["secretName"]?.string == "responder-kubeconfigs")
        #expect(volume["secret"]?["optional"]?.bool == true, "a single-cluster install has no such Secret")
        let keys = try Deploy.exampleSecretKeys("responder-kubeconfigs")
        // The commented example in responder.yaml, uncommented, loads and points into the mounted Secret.
        let lines = try Deploy.text("kubernetes/responder.yaml").split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let start = try #require(lines.firstIndex(of: "  # clusters:"))
        var uncommented = lines
        for index in start..<lines.count {
            guard lines[index].hasPrefix("  # ") else { break }
            uncommented[index] = "  " + lines[index].dropFirst(4)
        }
        let example = uncommented.joined(separator: "\n")
        let config = try ConfigLoader(environment: [:]) { _ in example }.load(path: "responder.yaml")
        #expect(config.kubernetes.clusters.count == 2)
        for (name, cluster) in config.kubernetes.clusters {
            guard case .kubeconfig(let path, _) = cluster else { Issue.record("\(name) is not a kubeconfig"); continue }
            #expect((path as NSString).deletingLastPathComponent == folder, "\(path)")
            #expect(keys.contains((path as NSString).lastPathComponent), "\(path)")
        }
    }

    @Test("each other cluster gets the same RBAC, the ServiceAccount and a token Secret for it")
    func remoteCluster() throws {
        let kustomization = try #require(try Deploy.documents("kubernetes-remote-cluster/kustomization.yaml").first)
        #expect(kustomization["namespace"]?.string == "responder")
        #expect(Deploy.strings(kustomization["resources"]) == [
            "../kubernetes/namespace.yaml", "../kubernetes/serviceaccount.yaml", "../kubernetes/rbac.yaml", "token.yaml",
        ], "the home cluster's RBAC, not a copy of it")
        let token = try #require(try Deploy.documents("kubernetes-remote-cluster/token.yaml").first)
        #expect(token["type"]?.string == "kubernetes.io/service-account-token")
        #expect(token["metadata"]?["annotations"]?["kubernetes.io/service-account.name"]?.string
            == (try Deploy.manifest(kind: "ServiceAccount"))["metadata"]?["name"]?.string)
    }

    @Test("kubectl kustomize renders what another cluster needs, in namespace responder, with the token of Responder's account",
          .enabled(if: Deploy.executable("kubectl") != nil, "kubectl is not installed"))
    func remoteClusterRenders() throws {
        let documents = try Deploy.kustomize("kubernetes-remote-cluster")
        #expect(documents.compactMap { $0["kind"]?.string }.sorted()
            == ["ClusterRole", "ClusterRoleBinding", "Namespace", "Secret", "ServiceAccount"])
        for document in documents where ["Secret", "ServiceAccount"].contains(document["kind"]?.string) {
            #expect(document["metadata"]?["namespace"]?.string == "responder", "\(document["kind"]?.string ?? "")")
        }
        let binding = try #require(documents.first { $0["kind"]?.string == "ClusterRoleBinding" })
        #expect(Deploy.sequence(binding["subjects"]).first?["namespace"]?.string == "responder")
    }

    @Test("the Service maps 443 to the pod's 8443 and selects the Deployment's pods")
    func service() throws {
        let service = try Deploy.manifest(kind: "Service")
        #expect(service["spec"]?["type"]?.string == "ClusterIP")
        let ports = Deploy.sequence(service["spec"]?["ports"])
        let port = try #require(ports.first)
        #expect(ports.count == 1 && port["port"]?.int == 443)
        let deployment = try Deploy.manifest(kind: "Deployment")
        let container = try Deploy.container(of: deployment)
        let target = try #require(port["targetPort"])
        let containerPort = Deploy.sequence(container["ports"]).first {
            $0["name"]?.string == target.string || $0["containerPort"]?.int == target.int
        }
        #expect(containerPort?["containerPort"]?.int == 8443)
        let podLabels = deployment["spec"]?["template"]?["metadata"]?["labels"]?.mapping ?? [:]
        let selector = service["spec"]?["selector"]?.mapping ?? [:]
        #expect(!selector.isEmpty)
        for (key, value) in selector {
            #expect(podLabels[key] == value, "selector \(key.string ?? "") does not match the pod")
        }
        let matchLabels = deployment["spec"]?["selector"]?["matchLabels"]?.mapping ?? [:]
        for (key, value) in matchLabels {
            #expect(podLabels[key] == value)
        }
    }

    @Test("kubectl kustomize renders the playbooks ConfigMap with every Playbooks/*.yaml and wires it to the pod",
          .enabled(if: Deploy.executable("kubectl") != nil, "kubectl is not installed"))
    func kustomizeRenders() throws {
        let documents = try Deploy.kustomize("kubernetes")
        let maps = documents.filter { $0["kind"]?.string == "ConfigMap" }
        let playbooks = try #require(maps.first { $0["metadata"]?["name"]?.string?.hasPrefix("responder-playbooks-") == true })
        let data = playbooks["data"]?.mapping ?? [:]
        #expect(data.keys.compactMap(\.string).sorted() == Deploy.playbookFiles)
        for (key, value) in data {
            let name = try #require(key.string)
            #expect(value.string == (try String(contentsOfFile: Deploy.root + "/Playbooks/" + name, encoding: .utf8)), "\(name)")
        }
        #expect(maps.contains { $0["data"]?["responder.yaml"] != nil })
        for document in documents where document["kind"]?.string != "Namespace" && document["kind"]?.string?.hasPrefix("Cluster") != true {
            #expect(document["metadata"]?["namespace"]?.string == "responder", "\(document["kind"]?.string ?? "")")
        }
        let deployment = try #require(documents.first { $0["kind"]?.string == "Deployment" })
        let volumes = Deploy.sequence(deployment["spec"]?["template"]?["spec"]?["volumes"])
        #expect(volumes.contains { $0["configMap"]?["name"]?.string == playbooks["metadata"]?["name"]?.string })
    }

    @Test("the replicas overlay renders 3 replicas on PostgreSQL: no state volume claim, shared link keys, a disruption budget",
          .enabled(if: Deploy.executable("kubectl") != nil, "kubectl is not installed"))
    func replicasOverlayRenders() throws {
        let documents = try Deploy.kustomize("kubernetes-replicas")
        #expect(!documents.contains { $0["kind"]?.string == "PersistentVolumeClaim" }, "the shared store replaces the state volume")
        let deployment = try #require(documents.first { $0["kind"]?.string == "Deployment" })
        #expect(deployment["spec"]?["replicas"]?.int == 3)
        #expect(deployment["spec"]?["strategy"]?["type"]?.string == "RollingUpdate")
        let pod = try #require(deployment["spec"]?["template"]?["spec"])
        let volumes = Deploy.sequence(pod["volumes"])
        let state = try #require(volumes.first { $0["name"]?.string == "state" })
        #expect(state["persistentVolumeClaim"] == nil && state["emptyDir"] != nil)
        let container = try Deploy.container(of: deployment)
        let env = Deploy.sequence(container["env"])
        for variable in env {
            let name = try #require(variable["name"]?.string)
            #expect(Deploy.configVariables.contains(name), "\(name) is not a RESPONDER_* configuration variable")
            if let reference = variable["valueFrom"]?["secretKeyRef"] {
                #expect(try Deploy.exampleSecretKeys(try #require(reference["name"]?.string)).contains(try #require(reference["key"]?.string)))
            }
        }
        #expect(env.contains { $0["name"]?.string == "RESPONDER_DATABASE_URL" && $0["valueFrom"]?["secretKeyRef"]?["name"]?.string == "responder-database" })
        // Every replica signs and checks links with the same keys, mounted from a Secret the example shows.
        let keysFile = try #require(env.first { $0["name"]?.string == "RESPONDER_LINKS_KEYS_FILE" }?["value"]?.string)
        let mount = try #require(Deploy.sequence(container["volumeMounts"]).first { keysFile.hasPrefix(($0["mountPath"]?.string ?? "-") + "/") })
        let volume = try #require(volumes.first { $0["name"]?.string == mount["name"]?.string })
        let secret = try #require(volume["secret"]?["secretName"]?.string)
        #expect(try Deploy.exampleSecretKeys(secret).contains((keysFile as NSString).lastPathComponent))
        let budget = try #require(documents.first { $0["kind"]?.string == "PodDisruptionBudget" })
        #expect(budget["metadata"]?["namespace"]?.string == "responder")
        let selector = try #require(deployment["spec"]?["selector"]?["matchLabels"])
        #expect(budget["spec"]?["selector"]?["matchLabels"] == selector, "the budget must select the Deployment's pods")
        #expect(budget["spec"]?["maxUnavailable"]?.int == 1)
    }

    // MARK: - Responder configurations

    @Test("every Responder configuration under deploy/ loads with the real ConfigLoader, dry-run by default",
          arguments: Deploy.responderConfigs)
    func configurationLoads(file: String) throws {
        let config = try Deploy.loadConfig(file)
        #expect(config.listenPort == 8443)
        #expect(config.executors.dryRun, "\(file) should stay dry-run until someone goes live on purpose")
        #expect(config.sns.testingExtraHosts.isEmpty)
    }

    @Test("the Kubernetes and systemd configurations still load with their RESPONDER_* variables set")
    func configurationWithEnvironment() throws {
        let deployment = try Deploy.manifest(kind: "Deployment")
        let container = try Deploy.container(of: deployment)
        var environment: [String: String] = [:]
        for variable in Deploy.sequence(container["env"]) {
            environment[variable["name"]?.string ?? ""] = "placeholder"
        }
        let kubernetes = try Deploy.loadConfig("kubernetes/responder.yaml", environment: environment)
        #expect(kubernetes.slack.channel == "placeholder")
        #expect(kubernetes.pagerDuty.routingKey != nil)

        let unit = try Deploy.systemdUnit()
        var systemd: [String: String] = [:]
        for assignment in unit["Service", "Environment"] {
            let parts = assignment.split(separator: "=", maxSplits: 1).map(String.init)
            systemd[parts[0]] = parts.count > 1 ? parts[1].replacingOccurrences(of: "%d", with: "/run/credentials/responder.service") : ""
        }
        var read: [String] = []
        let config = try Deploy.loadConfig("systemd/responder.yaml", environment: systemd) { read.append($0) }
        #expect(config.alertmanager.bearerToken != nil && config.adminToken != nil)
        #expect(read.allSatisfy { $0.hasPrefix("/run/credentials/responder.service/") })
    }

    // MARK: - Alertmanager

    @Test("the Alertmanager configurations post to /hooks/alertmanager over HTTPS with a CA, a token and resolves",
          arguments: Deploy.alertmanagerConfigs)
    func alertmanager(file: String) throws {
        let document = try #require(try Deploy.documents(file).first)
        let receivers = Deploy.sequence(document["receivers"])
        let routed = try #require(document["route"]?["receiver"]?.string)
        let receiver = try #require(receivers.first { $0["name"]?.string == routed }, "the route's receiver is missing")
        let webhooks = Deploy.sequence(receiver["webhook_configs"])
        #expect(!webhooks.isEmpty)
        for webhook in webhooks {
            let url = try #require(webhook["url"]?.string)
            #expect(url.hasPrefix("https://") && url.hasSuffix("/hooks/alertmanager"), "\(url)")
            #expect(webhook["send_resolved"]?.bool == true)
            #expect(webhook["http_config"]?["tls_config"]?["ca_file"]?.string?.isEmpty == false)
            #expect(webhook["http_config"]?["tls_config"]?["insecure_skip_verify"]?.bool != true)
            #expect(webhook["http_config"]?["authorization"]?["type"]?.string == "Bearer")
            #expect(webhook["http_config"]?["authorization"]?["credentials_file"]?.string?.isEmpty == false)
        }
    }

    @Test("amtool accepts the Alertmanager configurations",
          .enabled(if: Deploy.executable("amtool") != nil, "amtool is not installed"))
    func amtoolChecks() throws {
        let amtool = try #require(Deploy.executable("amtool"))
        let output = try Deploy.run(amtool, ["check-config"] + Deploy.alertmanagerConfigs.map(Deploy.path))
        #expect(output.status == 0, "\(output.text)")
    }

    // MARK: - Container image, compose, systemd, SNS

    @Test("the Dockerfile: two stages, the Swift 6 build of the responder product, a non-root runtime on 8443")
    func dockerfile() throws {
        let lines = try Deploy.dockerfileInstructions()
        let froms = lines.filter { $0.hasPrefix("FROM ") }
        #expect(froms.count == 2)
        #expect(froms.first?.hasSuffix(" AS build") == true)
        let swiftImage = try #require(lines.first { $0.hasPrefix("ARG SWIFT_IMAGE=") })
        #expect(swiftImage.hasPrefix("ARG SWIFT_IMAGE=swift:6."))
        let build = try #require(lines.first { $0.contains("swift build") })
        #expect(build.contains("-c release") && build.contains("--product responder") && build.contains("--static-swift-stdlib"))
        let runtime = lines.drop { !$0.hasPrefix("FROM ") }.dropFirst().drop { !$0.hasPrefix("FROM ") }
        #expect(runtime.contains { $0.hasPrefix("RUN ") && $0.contains("libsqlite3-0") && $0.contains("ca-certificates") })
        let user = try #require(runtime.last { $0.hasPrefix("USER ") })
        let uid = try #require(Int(user.dropFirst(5).split(separator: ":").first ?? ""), "USER must be numeric")
        #expect(uid > 0)
        #expect(runtime.contains("EXPOSE 8443"))
        #expect(runtime.contains { $0.hasPrefix("COPY Playbooks ") })
        #expect(runtime.contains(#"ENTRYPOINT ["/usr/local/bin/responder"]"#))
        let ignore = try Deploy.text("Dockerfile.dockerignore")
        for needed in ["!Package.swift", "!Package.resolved", "!Sources/", "!Tests/", "!Playbooks/", "**/.build"] {
            #expect(ignore.contains(needed), "Dockerfile.dockerignore: \(needed)")
        }
    }

    @Test("compose: every service has an image or a build, files and volumes exist, Alertmanager reaches responder")
    func compose() throws {
        let compose = try #require(try Deploy.documents("compose/compose.yaml").first)
        let services = compose["services"]?.mapping ?? [:]
        #expect(services.count >= 2)
        let declaredVolumes = Set((compose["volumes"]?.mapping ?? [:]).keys.compactMap(\.string))
        for (name, service) in services {
            #expect(service["image"] != nil || service["build"] != nil, "\(name.string ?? "") has neither image nor build")
            for volume in Deploy.strings(service["volumes"]) {
                let source = String(volume.split(separator: ":").first ?? "")
                if source.hasPrefix(".") {
                    #expect(FileManager.default.fileExists(atPath: Deploy.path("compose/" + source)), "\(source)")
                } else {
                    #expect(declaredVolumes.contains(source), "volume \(source) is not declared")
                }
            }
        }
        let responder = try #require(compose["services"]?["responder"])
        let context = try #require(responder["build"]?["context"]?.string)
        let dockerfile = try #require(responder["build"]?["dockerfile"]?.string)
        let contextPath = Deploy.path("compose/" + context)
        #expect(FileManager.default.fileExists(atPath: contextPath + "/Package.swift"))
        #expect(FileManager.default.fileExists(atPath: contextPath + "/" + dockerfile))
        #expect(responder["hostname"]?.string == "responder")

        // Alertmanager calls the host name the generated certificate covers, with the token and CA it generated.
        let alertmanager = try #require(compose["services"]?["alertmanager"])
        #expect(alertmanager["image"]?.string?.hasPrefix("prom/alertmanager") == true)
        let stateMount = try #require(Deploy.strings(alertmanager["volumes"]).first { $0.hasPrefix("responder-state:") })
        let statePath = stateMount.split(separator: ":")[1]
        let alertmanagerConfig = try #require(try Deploy.documents("compose/alertmanager.yml").first)
        let receiver = try #require(Deploy.sequence(alertmanagerConfig["receivers"]).first)
        let webhook = try #require(Deploy.sequence(receiver["webhook_configs"]).first)
        #expect(webhook["url"]?.string == "https://responder:8443/hooks/alertmanager")
        #expect(webhook["http_config"]?["authorization"]?["credentials_file"]?.string == "\(statePath)/alertmanager-token")
        #expect(webhook["http_config"]?["tls_config"]?["ca_file"]?.string == "\(statePath)/tls/cert.pem")
        let config = try Deploy.loadConfig("compose/responder.yaml")
        #expect(Deploy.strings(responder["volumes"]).contains { $0.hasPrefix("responder-state:\(config.stateDirectory)") })
    }

    @Test("the systemd unit: simple service as user responder, hardened, SIGHUP reload, credentials for secrets")
    func systemd() throws {
        let unit = try Deploy.systemdUnit()
        let execStart = try #require(unit["Service", "ExecStart"].first)
        #expect(execStart.hasPrefix("/usr/local/bin/responder serve --config "))
        #expect(unit["Service", "Type"] == ["simple"])
        #expect(unit["Service", "User"] == ["responder"])
        #expect(unit["Service", "Group"] == ["responder"])
        #expect(unit["Service", "ExecReload"] == ["/bin/kill -HUP $MAINPID"])
        #expect(unit["Service", "KillSignal"] == ["SIGTERM"])
        #expect(unit["Service", "Restart"] == ["on-failure"])
        #expect(unit["Service", "StateDirectory"] == ["responder"])
        for (key, value) in [("NoNewPrivileges", "yes"), ("ProtectSystem", "strict"), ("ProtectHome", "yes"),
                             ("PrivateTmp", "yes"), ("CapabilityBoundingSet", ""), ("AmbientCapabilities", ""),
                             ("ReadWritePaths", "/var/lib/responder")] {
            #expect(unit["Service", key] == [value], "\(key)")
        }
        #expect(unit["Install", "WantedBy"] == ["multi-user.target"])
        let config = try Deploy.loadConfig("systemd/responder.yaml")
        #expect(config.stateDirectory == "/var/lib/responder")
        // Every %d/NAME a variable points at is loaded with LoadCredential=NAME:..., and the variable is a real key.
        let credentials = Set(unit["Service", "LoadCredential"].map { String($0.split(separator: ":").first ?? "") })
        for assignment in unit["Service", "Environment"] {
            let parts = assignment.split(separator: "=", maxSplits: 1).map(String.init)
            #expect(Deploy.configVariables.contains(parts[0]), "\(parts[0])")
            if parts.count == 2, parts[1].hasPrefix("%d/") {
                #expect(credentials.contains(String(parts[1].dropFirst(3))), "\(assignment)")
            }
        }
    }

    @Test("the SNS script subscribes the HTTPS endpoint, wires CloudWatch alarm and OK actions, names the config keys")
    func snsScript() throws {
        let script = try Deploy.text("sns/subscribe.sh")
        for needed in ["aws sns create-topic", "aws sns subscribe", "--protocol https", "--notification-endpoint",
                       "/hooks/sns", "put-metric-alarm", "--alarm-actions", "--ok-actions",
                       "allowed_regions", "allowed_topic_arns", "set -euo pipefail"] {
            #expect(script.contains(needed), "subscribe.sh: \(needed)")
        }
        let attributes = try FileManager.default.attributesOfItem(atPath: Deploy.path("sns/subscribe.sh"))
        #expect(((attributes[.posixPermissions] as? Int) ?? 0) & 0o100 != 0, "subscribe.sh should be executable")
        if let bash = Deploy.executable("bash") {
            let output = try Deploy.run(bash, ["-n", Deploy.path("sns/subscribe.sh")])
            #expect(output.status == 0, "\(output.text)")
        }
    }
}

/// Reading the files under `deploy/`.
private enum Deploy {
    /// The repository root.
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    /// Responder configuration files, relative to `deploy/`.
    static let responderConfigs = [
        "responder.example.yaml", "kubernetes/responder.yaml", "compose/responder.yaml", "systemd/responder.yaml",
    ]

    /// Alertmanager configuration files, relative to `deploy/`.
    static let alertmanagerConfigs = ["alertmanager/receiver.yaml", "compose/alertmanager.yml"]

    /// Every `RESPONDER_*` variable the configuration loader reads.
    static let configVariables = Set(ConfigLoader.schema.keys.map {
        "RESPONDER_" + $0.uppercased().replacingOccurrences(of: ".", with: "_")
    })

    /// The Kubernetes manifests (everything in `deploy/kubernetes/` but the kustomization and the configuration).
    static var kubernetesManifestFiles: [String] {
        files(withExtensions: ["yaml", "yml"]).filter {
            $0.hasPrefix("kubernetes/") && !["kubernetes/kustomization.yaml", "kubernetes/responder.yaml"].contains($0)
        }
    }

    /// The names of `Playbooks/*.yaml`, sorted.
    static var playbookFiles: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: root + "/Playbooks")) ?? [])
            .filter { $0.hasSuffix(".yaml") }.sorted()
    }

    /// Absolute path of a file under `deploy/`.
    static func path(_ relative: String) -> String {
        root + "/deploy/" + relative
    }

    /// Files under `deploy/` (relative paths, sorted), optionally only those with one of `extensions`.
    static func files(withExtensions extensions: Set<String>?) -> [String] {
        let base = root + "/deploy"
        guard let enumerator = FileManager.default.enumerator(atPath: base) else { return [] }
        var found: [String] = []
        while let next = enumerator.nextObject() as? String {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: base + "/" + next, isDirectory: &isDirectory),
                  !isDirectory.boolValue else { continue }
            if let extensions, !extensions.contains((next as NSString).pathExtension) { continue }
            found.append(next)
        }
        return found.sorted()
    }

    /// The text of a file under `deploy/`.
    static func text(_ relative: String) throws -> String {
        try String(contentsOfFile: path(relative), encoding: .utf8)
    }

    /// Every YAML document of a file under `deploy/`.
    static func documents(_ relative: String) throws -> [Node] {
        try Yams.compose_all(yaml: text(relative)).map { $0 }
    }

    /// The one document of `kind` among the Kubernetes manifests.
    static func manifest(kind: String) throws -> Node {
        let matches = try kubernetesManifestFiles.filter { $0 != "kubernetes/secret.example.yaml" }
            .flatMap(documents).filter { $0["kind"]?.string == kind }
        #expect(matches.count == 1, "expected one \(kind), found \(matches.count)")
        return try #require(matches.first)
    }

    /// The first container of a Deployment's pod template.
    static func container(of deployment: Node) throws -> Node {
        let containers = sequence(deployment["spec"]?["template"]?["spec"]?["containers"])
        return try #require(containers.first, "the Deployment has no container")
    }

    /// The keys of the example Secret `name` in `secret.example.yaml`, sorted.
    static func exampleSecretKeys(_ name: String) throws -> [String] {
        let secret = try documents("kubernetes/secret.example.yaml").first { $0["metadata"]?["name"]?.string == name }
        let keys = ((secret?["stringData"] ?? secret?["data"])?.mapping ?? [:]).keys.compactMap(\.string)
        #expect(!keys.isEmpty, "secret.example.yaml has no Secret \(name)")
        return keys.sorted()
    }

    /// The nodes of a sequence, or none.
    static func sequence(_ node: Node?) -> [Node] {
        node?.sequence.map(Array.init) ?? []
    }

    /// The strings of a sequence, or none.
    static func strings(_ node: Node?) -> [String] {
        sequence(node).compactMap(\.string)
    }

    /// Loads a configuration under `deploy/` with the real loader. Files other than the configuration itself (the
    /// `*_file` secrets, which do not exist here) read as a placeholder and are reported to `secretRead`.
    static func loadConfig(
        _ relative: String, environment: [String: String] = [:], secretRead: (String) -> Void = { _ in }
    ) throws -> ResponderConfig {
        let configPath = path(relative)
        let reads = ReadLog()
        let loader = ConfigLoader(environment: environment) { file in
            if file == configPath { return try String(contentsOfFile: file, encoding: .utf8) }
            reads.append(file)
            return "placeholder-secret\n"
        }
        let config = try loader.load(path: configPath)
        reads.paths.forEach(secretRead)
        return config
    }

    /// The `[Section]` / `Key=value` lines of `systemd/responder.service`, comments skipped.
    static func systemdUnit() throws -> UnitFile {
        var unit = UnitFile()
        var section = ""
        for raw in try text("systemd/responder.service").split(separator: "\n", omittingEmptySubsequences: false) {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix(";") { continue }
            if line.hasPrefix("["), line.hasSuffix("]") {
                section = String(line.dropFirst().dropLast())
                continue
            }
            let parts = line.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            #expect(parts.count == 2, "unit line without =: \(line)")
            unit.entries.append((section, String(parts[0]), parts.count == 2 ? String(parts[1]) : ""))
        }
        return unit
    }

    /// The Dockerfile's instructions: comments dropped, continuation lines joined.
    static func dockerfileInstructions() throws -> [String] {
        var instructions: [String] = []
        var current = ""
        for raw in try text("Dockerfile").split(separator: "\n") {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("#") { continue }
            if line.hasSuffix("\\") {
                current += line.dropLast() + " "
            } else {
                instructions.append((current + line).trimmingCharacters(in: .whitespaces))
                current = ""
            }
        }
        return instructions.filter { !$0.isEmpty }
    }

    /// The first executable named `name` on PATH (or in /usr/bin, /usr/local/bin).
    static func executable(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        let folders = path.split(separator: ":").map(String.init) + ["/usr/local/bin", "/usr/bin"]
        return folders.map { $0 + "/" + name }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// The documents `kubectl kustomize` renders from a folder under `deploy/` (the playbooks lie outside it, hence
    /// the lifted load restrictor); a failed render is recorded as an issue.
    static func kustomize(_ folder: String) throws -> [Node] {
        let kubectl = try #require(executable("kubectl"))
        let output = try run(kubectl, ["kustomize", "--load-restrictor", "LoadRestrictionsNone", path(folder)])
        #expect(output.status == 0, "\(output.text)")
        return try Yams.compose_all(yaml: output.text).map { $0 }
    }

    /// Runs a program to completion and returns its exit status with standard output and error together.
    static func run(_ program: String, _ arguments: [String]) throws -> (status: Int32, text: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}

/// The entries of a systemd unit file, in order.
private struct UnitFile {
    var entries: [(section: String, key: String, value: String)] = []

    /// Every value of `key` in `section`, in order.
    subscript(section: String, key: String) -> [String] {
        entries.filter { $0.section == section && $0.key == key }.map(\.value)
    }
}

/// The files the configuration loader asked for, collected from its `@Sendable` reader.
private final class ReadLog: @unchecked Sendable {
    private let lock = NSLock()
    private var collected: [String] = []

    /// Records one path.
    func append(_ path: String) {
        lock.lock()
        defer { lock.unlock() }
        collected.append(path)
    }

    /// Every path recorded so far.
    var paths: [String] {
        lock.lock()
        defer { lock.unlock() }
        return collected
    }
}
