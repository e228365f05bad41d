import Foundation
import ResponderCore
import ResponderPlaybooks
import Testing

@Suite("Names and references across files")
struct CrossFileTests {
    /// A playbook using `worker` (autoscaler, line 6) and `api` (env, line 7), defined elsewhere.
    static let playbookOnWorker = """
        playbooks:
          - name: scale-worker
            kind: emergency-scale
            match: {matchers: [alertname=QueueBacklog]}
            actions:
              - autoscaler: {target: worker, min: 4}
              - env: {target: api, set: {MODE: busy}}
        """

    @Test("a playbook uses targets defined in another file, read in name order")
    func crossFileTargets() throws {
        let set = try loaded([("b-playbooks.yaml", Self.playbookOnWorker), ("a-targets.yaml", baseTargets)])
        #expect(set.files == ["a-targets.yaml", "b-playbooks.yaml"])
        #expect(set.targets.count == 5)
        #expect(set.playbooks.map(\.name) == ["scale-worker"])
        #expect(set.playbooks.first?.location == FileLocation(file: "b-playbooks.yaml", line: 2))
    }

    @Test("a duplicate target name points at the second and names the first")
    func duplicateTarget() throws {
        let again = "targets:\n  - name: extra\n    compose: {project: p, service: s}\n    bounds: {floor: 1, ceiling: 2}\n"
            + "  - name: worker\n    compose: {project: p, service: s}\n    bounds: {floor: 1, ceiling: 2}\n"
        let found = try problems([("a.yaml", baseTargets), ("b.yaml", again)])
        #expect(found.map(\.description) == ["b.yaml:5: duplicate target name \"worker\"; first defined at a.yaml:8"])
    }

    @Test("a duplicate playbook name, in the same file or another")
    func duplicatePlaybook() throws {
        let one = "playbooks:\n  - name: p\n    kind: scale-down\n    match: {matchers: [a=b]}\n    actions: []\n"
        let found = try problems([("a.yaml", one), ("b.yaml", one + "  - name: p\n    kind: scale-down\n    match: {matchers: [a=c]}\n    actions: []\n")])
        #expect(found.map(\.description) == [
            "b.yaml:2: duplicate playbook name \"p\"; first defined at a.yaml:2",
            "b.yaml:6: duplicate playbook name \"p\"; first defined at a.yaml:2",
        ])
    }

    @Test("a target and a playbook may share a name")
    func separateNamespaces() throws {
        let playbook = "playbooks:\n  - name: api\n    kind: scale-down\n    match: {matchers: [a=b]}\n    actions: []\n"
        _ = try loaded([("a.yaml", baseTargets), ("b.yaml", playbook)])
    }

    @Test("a reference to a missing target, with and without other targets")
    func unknownTargets() throws {
        let lone = try problems([("p.yaml", Self.playbookOnWorker)])
        #expect(lone.map(\.description) == [
            "p.yaml:6: unknown target \"worker\"; no targets are defined",
            "p.yaml:7: unknown target \"api\"; no targets are defined",
        ])
    }

    @Test("a broken target is not also reported as unknown where it is used")
    func brokenTargetIsStillDeclared() throws {
        let broken = "targets:\n  - name: worker\n    ecs: {cluster: c, service: w, scalable_target: true}\n    bounds: {floor: 5, ceiling: 2}\n"
            + "  - name: api\n    kubernetes: {namespace: n, name: api}\n    bounds: {floor: 1, ceiling: 2, max_step: -1}\n"
        let found = try problems([("a.yaml", broken), ("b.yaml", Self.playbookOnWorker)])
        #expect(found.map(\.description) == [
            "a.yaml:4: bounds.ceiling (2) must be at least bounds.floor (5)",
            "a.yaml:7: bounds.max_step must be 1 to 100,000 (not -1)",
        ])
    }

    @Test("every problem of every file is reported, in file and line order")
    func collectsEverything() throws {
        let targets = "targets:\n  - name: a\n    compose: {project: p, service: s}\n    bounds: {floor: 0, ceiling: 2}\n"
            + "  - name: B\n    compose: {project: p}\n    bounds: {floor: 1, ceiling: 2}\n"
        let playbooks = "playbooks:\n  - name: one\n    kind: nope\n    match: {matchers: [a=b]}\n    actions: [{scale: {target: zz, to: 1}}]\n"
            + "  - name: two\n    kind: scale-down\n    match: {matchers: ['a=~\"(\"']}\n    actions: []\n    cooldown: 1x\n"
        let found = try problems([("z.yaml", playbooks), ("broken.yaml", "targets: [\n"), ("a.yaml", targets)])
        #expect(found.map { "\($0.location)" } == ["a.yaml:4", "a.yaml:5", "a.yaml:6", "broken.yaml:2", "z.yaml:3", "z.yaml:5", "z.yaml:8", "z.yaml:10"])
        let description = PlaybookProblems(found).description
        #expect(description.split(separator: "\n").count == 8)
        #expect(description.hasPrefix("a.yaml:4: bounds.floor must be at least 1"))
    }

    @Test("a folder whose files have problems reports them with the folder in the path")
    func brokenFolder() throws {
        let folder = try Fixture.path("broken")
        guard case .failure(let problems) = PlaybookLoader.load(directory: folder) else {
            Issue.record("expected problems")
            return
        }
        let a = (folder as NSString).appendingPathComponent("a.yaml")
        let b = (folder as NSString).appendingPathComponent("b.yaml")
        #expect(problems.problems.map(\.location) == [FileLocation(file: a, line: 4), FileLocation(file: b, line: 6)])
        #expect(problems.description.hasPrefix("\(a):4: bounds.floor must be at least 1"))
    }

    @Test("a missing folder is one problem without a line")
    func missingFolder() {
        guard case .failure(let problems) = PlaybookLoader.load(directory: "/nonexistent/playbooks") else {
            Issue.record("expected problems")
            return
        }
        #expect(problems.description == "/nonexistent/playbooks: cannot read the playbooks folder")
    }
}
