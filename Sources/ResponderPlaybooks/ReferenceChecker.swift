import ResponderCore

/// Checks what single files cannot: that names are unique across all files and that playbooks use targets that exist
/// and can do what they are asked (`autoscaler`, `env`, `annotate`).
struct ReferenceChecker {
    /// Where problems go.
    let log: ProblemLog

    /// Reports a name seen twice, pointing at the second and naming the first's location. Returns the first
    /// location of each name, for the caller's own use.
    @discardableResult
    func uniqueNames(_ items: [(name: String?, line: Int, location: FileLocation)], what: String) -> [String: FileLocation] {
        var first: [String: FileLocation] = [:]
        for item in items {
            guard let name = item.name else { continue }
            let at = FileLocation(file: item.location.file, line: item.line)
            if let earlier = first[name] {
                log.add(at.file, at.line, "duplicate \(what) name \"\(name)\"; first defined at \(earlier)")
            } else {
                first[name] = at
            }
        }
        return first
    }

    /// Reports uses of unknown targets and uses a target's kind does not support. `declared` holds every target name
    /// written (even of broken targets, whose uses are then not checked further), `targets` the ones that loaded.
    func check(_ references: [TargetReference], declared: Set<String>, targets: [String: Target]) {
        for reference in references {
            let file = reference.location.file
            let line = reference.location.line
            guard declared.contains(reference.target) else {
                let known = declared.sorted()
                let hint = known.isEmpty ? "no targets are defined" : known.count <= 12
                    ? "known targets: \(known.joined(separator: ", "))" : "\(known.count) targets are defined"
                log.add(file, line, "unknown target \"\(reference.target)\"; \(hint)")
                continue
            }
            guard let target = targets[reference.target], let problem = Self.problem(reference.use, target) else { continue }
            log.add(file, line, problem)
        }
    }

    private static func problem(_ use: TargetReference.Use, _ target: Target) -> String? {
        let name = "\"\(target.name)\" (\(target.location))"
        switch (use, target.backend) {
        case (.scale, _), (.ladder, _):
            return nil
        case (.autoscaler, .kubernetes(let kubernetes)):
            return kubernetes.hpa == nil
                ? "autoscaler needs a target with an autoscaler; kubernetes target \(name) has no hpa" : nil
        case (.autoscaler, .ecs(let ecs)):
            return ecs.scalableTarget ? nil
                : "autoscaler needs a target with an autoscaler; ecs target \(name) does not have scalable_target: true"
        case (.autoscaler, let backend):
            return "autoscaler needs a kubernetes target with hpa or an ecs target with scalable_target: true; "
                + "\(name) is a \(backend.kindName) target"
        case (.env, .kubernetes):
            return nil
        case (.env, let backend):
            return "env only works on kubernetes targets; \(name) is a \(backend.kindName) target"
        case (.annotate(let object), .kubernetes(let kubernetes)):
            return object == .hpa && kubernetes.hpa == nil
                ? "annotate with object: hpa needs a target with an hpa; \(name) has none" : nil
        case (.annotate, let backend):
            return "annotate only works on kubernetes targets; \(name) is a \(backend.kindName) target"
        }
    }
}
