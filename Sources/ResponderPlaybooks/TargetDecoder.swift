import ResponderCore

/// Reads one item of a file's `targets:` list.
struct TargetDecoder {
    /// A target as read: its name even when the rest is broken, so references to it are not reported as unknown.
    struct Decoded {
        /// The name, when one was given.
        var name: String?
        /// Line of the name (or of the item when it has none).
        var nameLine: Int
        /// Where the item starts.
        var location: FileLocation
        /// The target, nil when it has problems.
        var target: Target?
    }

    /// The file being read.
    let file: String
    /// Where problems go.
    let log: ProblemLog
    /// The Kubernetes clusters of the configuration, when it is known; nil accepts any well-formed name.
    var clusters: Set<String>? = nil

    private static let backends = ["kubernetes", "ecs", "compose", "command"]

    /// Decodes `node`, reporting every problem found in it.
    func decode(_ node: YAMLNode) -> Decoded {
        let location = FileLocation(file: file, line: node.line)
        let before = log.count
        guard let fields = Fields(node, path: "", what: "target",
                                  allowed: ["name", "description"] + Self.backends + ["bounds"], file: file, log: log)
        else { return Decoded(name: nil, nameLine: node.line, location: location, target: nil) }
        let name = fields.string("name", required: true)
        let nameLine = fields.entry("name")?.value.line ?? node.line
        if let name, !Syntax.isName(name) {
            log.add(file, nameLine, "target name \"\(name)\" must be lower-case letters, digits and '-' (\(Syntax.namePattern))")
        }
        let description = fields.string("description")
        let backend = decodeBackend(fields, target: name)
        let bounds = fields.mapping("bounds", allowed: ["floor", "ceiling", "max_step", "allow_zero"], required: true)
            .flatMap(decodeBounds)
        guard log.count == before, let name, let backend, let bounds else {
            return Decoded(name: name, nameLine: nameLine, location: location, target: nil)
        }
        let target = Target(name: name, backend: backend, bounds: bounds, description: description, location: location)
        return Decoded(name: name, nameLine: nameLine, location: location, target: target)
    }

    private func decodeBackend(_ fields: Fields, target: String?) -> Target.Backend? {
        // In the order written, so the problem points at the second one.
        let present = Self.backends.compactMap { fields.entry($0) }.sorted { $0.keyLine < $1.keyLine }.map(\.key)
        guard present.count == 1, let kind = present.first else {
            if present.count > 1, let second = fields.entry(present[1]) {
                log.add(file, second.keyLine, "a target has exactly one of \(Self.backends.joined(separator: ", ")); "
                    + "this one has \(present.joined(separator: " and "))")
            } else {
                log.add(file, fields.line, "a target needs exactly one of \(Self.backends.joined(separator: ", "))")
            }
            return nil
        }
        switch kind {
        case "kubernetes":
            let keys = ["kind", "namespace", "name", "hpa", "container", "cluster"]
            guard let map = fields.mapping(kind, allowed: keys) else { return nil }
            let workload = map.choice("kind", Target.Kubernetes.WorkloadKind.self) ?? .deployment
            let cluster = map.string("cluster")
            if let cluster {
                checkCluster(cluster, line: map.lineOf("cluster"), target: target)
            }
            guard let namespace = map.string("namespace", required: true), let name = map.string("name", required: true)
            else { return nil }
            return .kubernetes(Target.Kubernetes(kind: workload, namespace: namespace, name: name,
                                                 hpa: map.string("hpa"), container: map.string("container"), cluster: cluster))
        case "ecs":
            let keys = ["cluster", "service", "region", "scalable_target"]
            guard let map = fields.mapping(kind, allowed: keys) else { return nil }
            let region = map.string("region")
            let scalable = map.bool("scalable_target") ?? false
            guard let cluster = map.string("cluster", required: true), let service = map.string("service", required: true)
            else { return nil }
            return .ecs(Target.ECS(cluster: cluster, service: service, region: region, scalableTarget: scalable))
        case "compose":
            guard let map = fields.mapping(kind, allowed: ["project", "service", "file"]) else { return nil }
            let composeFile = map.string("file")
            guard let project = map.string("project", required: true), let service = map.string("service", required: true)
            else { return nil }
            return .compose(Target.Compose(project: project, service: service, file: composeFile))
        default:
            guard let map = fields.mapping(kind, allowed: ["get", "set"]) else { return nil }
            let get = map.strings("get").flatMap { argv("command.get", $0, line: map.entry("get")?.value.line, setter: false) }
            let set = map.strings("set", required: true)
                .flatMap { argv("command.set", $0, line: map.entry("set")?.value.line, setter: true) }
            guard let set else { return nil }
            return .command(Target.Command(get: get, set: set))
        }
    }

    /// A cluster name is well formed and, when the configuration is known, one of its clusters.
    private func checkCluster(_ cluster: String, line: Int, target: String?) {
        if !Syntax.isName(cluster) {
            log.add(file, line, "kubernetes.cluster \"\(cluster)\" must name a cluster of kubernetes.clusters in the "
                + "configuration: lower-case letters, digits and '-' (\(Syntax.namePattern))")
        } else if let clusters, !clusters.contains(cluster) {
            let named = target.map { "target \($0): " } ?? ""
            log.add(file, line, "\(named)kubernetes.cluster \"\(cluster)\" is not a cluster of the configuration (it has "
                + "\(clusters.sorted().joined(separator: ", "))): add it to kubernetes.clusters or fix the name")
        }
    }

    /// Checks a target command: not empty, a fixed program, `{replicas}` only (and required) in `set`.
    private func argv(_ name: String, _ items: [(text: String, line: Int)], line: Int?, setter: Bool) -> [String]? {
        guard let program = items.first, !program.text.isEmpty else {
            log.add(file, items.first?.line ?? line ?? 0, "\(name) must start with the program to run")
            return nil
        }
        var clean = true
        for (index, item) in items.enumerated() {
            for brace in Syntax.braces(in: item.text) {
                let written = brace.dollar ? "${\(brace.content)}" : "{\(brace.content)}"
                if index == 0 {
                    log.add(file, item.line, "\(name): the program cannot use \(written)")
                } else if !setter {
                    log.add(file, item.line, "\(name) cannot use \(written); only command.set gets {replicas}")
                } else if brace.dollar || brace.content != "replicas" {
                    log.add(file, item.line, "\(name) cannot use \(written); only {replicas} is replaced here")
                } else {
                    continue
                }
                clean = false
            }
        }
        if setter, clean, !items.contains(where: { $0.text.contains("{replicas}") }) {
            log.add(file, line ?? program.line, "\(name) must pass the count as \"{replicas}\"")
            clean = false
        }
        return clean ? items.map(\.text) : nil
    }

    private func decodeBounds(_ bounds: Fields) -> Target.Bounds? {
        let before = log.count
        let floor = bounds.int("floor", in: Limits.replicas, required: true)
        let ceiling = bounds.int("ceiling", in: Limits.replicas, required: true)
        let maxStep = bounds.int("max_step", in: Limits.maxStep)
        let allowZero = bounds.bool("allow_zero") ?? false
        let floorLine = bounds.lineOf("floor")
        if let floor, floor < 1, !(floor == 0 && allowZero) {
            log.add(file, floorLine, floor == 0
                ? "bounds.floor must be at least 1; set allow_zero: true to let this target scale to zero"
                : "bounds.floor must be at least 1 (0 only with allow_zero: true)")
        }
        if let floor, let ceiling, ceiling < floor {
            log.add(file, bounds.lineOf("ceiling"), "bounds.ceiling (\(ceiling)) must be at least bounds.floor (\(floor))")
        }
        guard log.count == before, let floor, let ceiling else { return nil }
        return Target.Bounds(floor: floor, ceiling: ceiling, maxStep: maxStep, allowZero: allowZero)
    }
}
