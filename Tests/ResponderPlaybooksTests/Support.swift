import Foundation
import ResponderCore
import ResponderPlaybooks
import Testing

/// Test fixtures copied into this target's resources.
enum Fixture {
    /// Absolute path of `Fixtures/<relative>`.
    static func path(_ relative: String) throws -> String {
        let url = try #require(Bundle.module.url(forResource: "Fixtures/\(relative)", withExtension: nil))
        return url.path
    }

    /// Text of `Fixtures/<relative>`.
    static func text(_ relative: String) throws -> String {
        try String(contentsOfFile: path(relative), encoding: .utf8)
    }
}

/// Targets of every kind that snippets refer to, loaded next to them as `base.yaml`.
let baseTargets = """
    targets:
      - name: api
        kubernetes: {namespace: prod, name: api, hpa: api-hpa}
        bounds: {floor: 2, ceiling: 20, max_step: 10}
      - name: web
        kubernetes: {namespace: prod, name: web}
        bounds: {floor: 1, ceiling: 5}
      - name: worker
        ecs: {cluster: prod, service: worker, scalable_target: true}
        bounds: {floor: 2, ceiling: 20}
      - name: notifier
        ecs: {cluster: prod, service: notifier}
        bounds: {floor: 1, ceiling: 5}
      - name: backend
        compose: {project: labelmint, service: backend}
        bounds: {floor: 1, ceiling: 10}
    """

/// Loads `files`, expecting failure, and returns the problems.
func problems(_ files: [(name: String, text: String)], sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> [PlaybookProblem] {
    switch PlaybookLoader.load(files: files) {
    case .success(let set):
        Issue.record("expected problems, loaded \(set.summary)", sourceLocation: sourceLocation)
        return []
    case .failure(let problems):
        return problems.problems
    }
}

/// Loads `files`, expecting success.
func loaded(_ files: [(name: String, text: String)], sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> PlaybookSet {
    switch PlaybookLoader.load(files: files) {
    case .success(let set):
        return set
    case .failure(let problems):
        Issue.record("unexpected problems:\n\(problems)", sourceLocation: sourceLocation)
        throw problems
    }
}

/// Loads `broken` beside the base targets and expects exactly one problem, at its line, saying its fragment.
func expectOneProblem(_ broken: Broken, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
    let found = try problems([("base.yaml", baseTargets), ("t.yaml", broken.text)], sourceLocation: sourceLocation)
    #expect(found.count == 1, "\(found.map(\.description))", sourceLocation: sourceLocation)
    let problem = try #require(found.first, sourceLocation: sourceLocation)
    #expect(problem.description.hasPrefix("t.yaml:\(broken.line): "), "\(problem)", sourceLocation: sourceLocation)
    #expect(problem.message.contains(broken.fragment), "\(problem)", sourceLocation: sourceLocation)
}
