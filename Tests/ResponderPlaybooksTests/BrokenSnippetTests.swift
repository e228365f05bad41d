import Foundation
import ResponderCore
import ResponderPlaybooks
import Testing

/// One mistake, where it must be reported, and a fragment of the message.
struct Broken: CustomTestStringConvertible, Sendable {
    /// What the mistake is, as the test case is named.
    let label: String
    /// The whole file `t.yaml`, loaded next to `base.yaml`.
    let text: String
    /// Line the one problem must be reported at.
    let line: Int
    /// Part of the message the problem must have.
    let fragment: String

    /// The label.
    var testDescription: String { label }

    /// A target `t` whose lines after `- name: t` (line 2) start at line 3.
    static func target(_ label: String, _ body: String, line: Int, _ fragment: String) -> Broken {
        Broken(label: label, text: "targets:\n  - name: t\n" + body, line: line, fragment: fragment)
    }

    /// A playbook `p` (name line 2, kind line 3, match line 4) whose further lines start at line 5.
    static func playbook(_ label: String, kind: String = "emergency-scale", match: String = "[alertname=X]", _ body: String,
                         line: Int, _ fragment: String) -> Broken {
        Broken(label: label, text: "playbooks:\n  - name: p\n    kind: \(kind)\n    match: {matchers: \(match)}\n" + body,
               line: line, fragment: fragment)
    }

    /// A playbook whose only action is `action`, written on line 6.
    static func action(_ label: String, _ action: String, _ fragment: String, line: Int = 6) -> Broken {
        playbook(label, "    actions:\n      - \(action)\n", line: line, fragment)
    }
}

@Suite("Broken playbook files: one problem each, at the right line")
struct BrokenSnippetTests {
    /// Mistakes in targets.
    static let targets: [Broken] = [
        .target("unknown bounds key", "    compose: {project: p, service: s}\n    bounds: {floor: 1, ceiling: 2, flor: 3}\n", line: 4,
                "unknown key \"flor\" in bounds; allowed: floor, ceiling, max_step, allow_zero"),
        .target("floor not a number", "    compose: {project: p, service: s}\n    bounds: {floor: two, ceiling: 2}\n", line: 4,
                "bounds.floor must be a whole number"),
        .target("floor quoted", "    compose: {project: p, service: s}\n    bounds:\n      floor: \"2\"\n      ceiling: 2\n", line: 5,
                "bounds.floor must be a whole number"),
        .target("bounds missing", "    compose: {project: p, service: s}\n", line: 2, "bounds is required"),
        .target("ceiling missing", "    compose: {project: p, service: s}\n    bounds:\n      floor: 1\n", line: 5, "bounds.ceiling is required"),
        .target("floor 0 without allow_zero", "    compose: {project: p, service: s}\n    bounds: {floor: 0, ceiling: 2}\n", line: 4,
                "set allow_zero: true"),
        .target("negative floor", "    compose: {project: p, service: s}\n    bounds: {floor: -1, ceiling: 2, allow_zero: true}\n", line: 4,
                "bounds.floor must be 0 to 100,000 (not -1)"),
        .target("ceiling below floor", "    compose: {project: p, service: s}\n    bounds: {floor: 3, ceiling: 1}\n", line: 4,
                "bounds.ceiling (1) must be at least bounds.floor (3)"),
        .target("max_step 0", "    compose: {project: p, service: s}\n    bounds: {floor: 1, ceiling: 2, max_step: 0}\n", line: 4,
                "bounds.max_step must be 1 to 100,000 (not 0)"),
        .target("allow_zero not a bool", "    compose: {project: p, service: s}\n    bounds: {floor: 1, ceiling: 2, allow_zero: yes}\n", line: 4,
                "bounds.allow_zero must be true or false"),
        .target("no backend", "    bounds: {floor: 1, ceiling: 2}\n", line: 2, "a target needs exactly one of kubernetes, ecs, compose, command"),
        .target("two backends", "    compose: {project: p, service: s}\n    ecs: {cluster: c, service: s}\n    bounds: {floor: 1, ceiling: 2}\n",
                line: 4, "this one has compose and ecs"),
        .target("namespace missing", "    kubernetes:\n      name: api\n    bounds: {floor: 1, ceiling: 2}\n", line: 4,
                "kubernetes.namespace is required"),
        .target("unknown workload kind", "    kubernetes: {kind: DaemonSet, namespace: n, name: a}\n    bounds: {floor: 1, ceiling: 2}\n", line: 3,
                "kubernetes.kind must be one of Deployment, StatefulSet (not \"DaemonSet\")"),
        .target("unknown kubernetes key", "    kubernetes: {namespace: n, name: a, replicas: 3}\n    bounds: {floor: 1, ceiling: 2}\n", line: 3,
                "unknown key \"replicas\" in kubernetes; allowed: kind, namespace, name, hpa, container"),
        .target("scalable_target not a bool", "    ecs: {cluster: c, service: s, scalable_target: \"true\"}\n    bounds: {floor: 1, ceiling: 2}\n",
                line: 3, "ecs.scalable_target must be true or false"),
        .target("compose service missing", "    compose: {project: p}\n    bounds: {floor: 1, ceiling: 2}\n", line: 3, "compose.service is required"),
        .target("command set without {replicas}", "    command: {set: [pool, set]}\n    bounds: {floor: 1, ceiling: 2}\n", line: 3,
                "command.set must pass the count as \"{replicas}\""),
        .target("command set with another placeholder", "    command:\n      set: [pool, \"{replicas}\", \"{zone}\"]\n    bounds: {floor: 1, ceiling: 2}\n",
                line: 4, "command.set cannot use {zone}; only {replicas} is replaced here"),
        .target("command get with {replicas}", "    command:\n      get: [pool, \"{replicas}\"]\n      set: [pool, \"{replicas}\"]\n"
                + "    bounds: {floor: 1, ceiling: 2}\n", line: 4, "command.get cannot use {replicas}"),
        .target("command set empty", "    command: {set: []}\n    bounds: {floor: 1, ceiling: 2}\n", line: 3, "command.set must start with the program"),
        .target("unknown target key", "    replicas: 3\n    compose: {project: p, service: s}\n    bounds: {floor: 1, ceiling: 2}\n", line: 3,
                "unknown key \"replicas\" in target; allowed: name, description, kubernetes, ecs, compose, command, bounds"),
        Broken(label: "invalid target name", text: "targets:\n  - name: API_Gateway\n    compose: {project: p, service: s}\n"
               + "    bounds: {floor: 1, ceiling: 2}\n", line: 2, fragment: "target name \"API_Gateway\" must be lower-case"),
        Broken(label: "name ending in '-'", text: "targets:\n  - name: api-\n    compose: {project: p, service: s}\n"
               + "    bounds: {floor: 1, ceiling: 2}\n", line: 2, fragment: "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$"),
        Broken(label: "target without a name", text: "targets:\n  - compose: {project: p, service: s}\n    bounds: {floor: 1, ceiling: 2}\n",
               line: 2, fragment: "name is required"),
        Broken(label: "unknown top-level key", text: "target:\n  - name: t\n", line: 1,
               fragment: "unknown key \"target\" in a playbook file; allowed: targets, playbooks"),
        Broken(label: "targets not a list", text: "targets:\n  name: t\n", line: 2, fragment: "targets must be a list, not a mapping"),
        Broken(label: "file not a mapping", text: "- name: t\n", line: 1, fragment: "a playbook file must be a mapping, not a list"),
    ]

    /// Mistakes in a playbook outside its actions.
    static let playbooks: [Broken] = [
        .playbook("invalid kind", kind: "emergency", "    actions: []\n", line: 3,
                  "kind must be one of emergency-scale, pre-event, scale-down (not \"emergency\")"),
        Broken(label: "kind missing", text: "playbooks:\n  - name: p\n    match: {matchers: [a=b]}\n    actions: []\n", line: 2,
               fragment: "kind is required"),
        Broken(label: "match missing", text: "playbooks:\n  - name: p\n    kind: scale-down\n    actions: []\n", line: 2,
               fragment: "match is required"),
        .playbook("actions missing", "    cooldown: 5m\n", line: 2, "actions is required"),
        .playbook("actions not a list", "    actions: {scale: {target: api, to: 1}}\n", line: 5, "actions must be a list"),
        .playbook("invalid playbook name", "    actions: []\n    description: x\n", line: 2, "playbook name")
            .renamed(to: "Scale_API"),
        .playbook("unknown playbook key", "    actions: []\n    dedup: 5m\n", line: 6,
                  "unknown key \"dedup\" in playbook; allowed: name, kind, description, match, actions, step_down, gates, event"),
        .playbook("invalid matcher regex", match: "['alertname=~\"(\"']", "    actions: []\n", line: 4,
                  "match.matchers: invalid regular expression"),
        .playbook("matcher without operator", match: "[alertname]", "    actions: []\n", line: 4, "needs an operator"),
        .playbook("no matchers", match: "[]", "    actions: []\n", line: 4, "match.matchers needs at least one matcher"),
        Broken(label: "unknown source", text: "playbooks:\n  - name: p\n    kind: scale-down\n    match:\n      sources: [prometheus]\n"
               + "      matchers: [a=b]\n    actions: []\n", line: 5,
               fragment: "match.sources items must be one of alertmanager, cloudwatch (not \"prometheus\")"),
        .playbook("cooldown without unit", "    actions: []\n    cooldown: 5\n", line: 6, "cooldown: invalid duration \"5\": the number 5 has no unit"),
        .playbook("dedup_window unknown unit", "    actions: []\n    dedup_window: 5x\n", line: 6, "dedup_window: invalid duration \"5x\": unknown unit"),
        .playbook("duration units out of order", "    actions: []\n    cooldown: 30m1h\n", line: 6, "largest to smallest"),
        .playbook("missed_deadline unknown", "    actions: []\n    missed_deadline: retry\n", line: 6,
                  "missed_deadline must be one of fire, skip, wait-for-ack"),
        .playbook("page not a bool", "    actions: []\n    page: yes\n", line: 6, "page must be true or false"),
        .playbook("step_down without every", "    actions: []\n    step_down:\n      levels: {api: [2]}\n", line: 7, "step_down.every is required"),
        .playbook("step_down every 0s", "    actions: []\n    step_down: {every: 0s, levels: {api: [2]}}\n", line: 6,
                  "step_down.every must be more than 0s"),
        .playbook("step_down without levels", "    actions: []\n    step_down: {every: 5m}\n", line: 6, "step_down.levels is required"),
        .playbook("empty level list", "    actions: []\n    step_down:\n      every: 5m\n      levels:\n        api: []\n", line: 9,
                  "step_down.levels.api must be a non-empty list"),
        .playbook("negative level", "    actions: []\n    step_down:\n      every: 5m\n      levels:\n        api: [4, -1]\n", line: 9,
                  "step_down.levels.api items must be replica counts from 0 to 100,000 or floor (not -1)"),
        .playbook("ladder on an unknown target", "    actions: []\n    step_down:\n      every: 5m\n      levels:\n        apii: [2]\n", line: 9,
                  "unknown target \"apii\""),
        .playbook("unknown step_down key", "    actions: []\n    step_down: {every: 5m, levels: {api: [2]}, steps: 3}\n", line: 6,
                  "unknown key \"steps\" in step_down; allowed: hold, every, levels, restore"),
        .playbook("on_resolve outside scale-down", "    actions: []\n    gates:\n      on_resolve: continue\n", line: 7,
                  "gates.on_resolve only applies to scale-down playbooks; this one is emergency-scale"),
        .playbook("unknown on_refire", "    actions: []\n    gates: {on_refire: retry}\n", line: 6, "gates.on_refire must be one of abort, re-escalate"),
        .playbook("event outside pre-event", kind: "scale-down", "    actions: []\n    event: {lead: 1h}\n", line: 6,
                  "event only applies to pre-event playbooks; this one is scale-down"),
        .playbook("bad event lead", kind: "pre-event", "    actions: []\n    event: {lead: soon}\n", line: 6, "event.lead: invalid duration"),
    ]

    /// Mistakes in actions.
    static let actions: [Broken] = [
        .action("scale with to and by", "scale: {target: api, to: 3, by: 2}", "scale needs exactly one of to, by, factor (found to and by)"),
        .action("scale with none", "scale: {target: api}", "scale needs exactly one of to, by, factor"),
        .action("scale without target", "scale: {to: 3}", "scale.target is required"),
        .action("scale to negative", "scale: {target: api, to: -1}", "scale.to must be 0 to 100,000 replicas, max or floor (not -1)"),
        .action("scale to a word", "scale: {target: api, to: maximum}", "scale.to must be a whole number from 0 to 100,000, max or floor"),
        .action("scale by 0", "scale: {target: api, by: 0}", "scale.by must be a non-zero whole number"),
        .action("scale factor 0", "scale: {target: api, factor: 0}", "scale.factor must be a number greater than 0"),
        .action("scale factor negative", "scale: {target: api, factor: -2}", "scale.factor must be a number greater than 0"),
        .action("scale factor nan", "scale: {target: api, factor: .nan}", "scale.factor must be a number greater than 0"),
        .action("scale an unknown target", "scale: {target: apii, to: 3}", "unknown target \"apii\"; known targets: api, backend, notifier, web, worker"),
        .action("unknown scale key", "scale: {target: api, to: 3, ceiling: 5}", "unknown key \"ceiling\" in scale; allowed: target, to, by, factor"),
        .action("autoscaler on compose", "autoscaler: {target: backend, min: 2}", "is a compose target"),
        .action("autoscaler without hpa", "autoscaler: {target: web, min: 2}", "kubernetes target \"web\" (base.yaml:5) has no hpa"),
        .action("autoscaler without scalable target", "autoscaler: {target: notifier, max: 2}", "does not have scalable_target: true"),
        .action("autoscaler min above max", "autoscaler: {target: api, min: 5, max: 3}", "autoscaler.min (5) must not be above autoscaler.max (3)"),
        .action("autoscaler without min or max", "autoscaler: {target: api}", "autoscaler needs min, max or both"),
        .action("env on ecs", "env: {target: worker, set: {A: \"1\"}}", "env only works on kubernetes targets; \"worker\" (base.yaml:8) is a ecs target"),
        .action("env bad variable name", "env: {target: api, set: {RATE-LIMIT: \"2\"}}", "\"RATE-LIMIT\" is not an environment variable name"),
        .action("env without set", "env: {target: api}", "env.set is required"),
        .action("env with an empty set", "env: {target: api, set: {}}", "env.set must set at least one value"),
        .action("annotate hpa without hpa", "annotate: {target: web, object: hpa, set: {a: b}}", "annotate with object: hpa needs a target with an hpa"),
        .action("annotate on compose", "annotate: {target: backend, set: {a: b}}", "annotate only works on kubernetes targets"),
        .action("annotate unknown object", "annotate: {target: api, object: pod, set: {a: b}}", "annotate.object must be one of workload, hpa (not \"pod\")"),
        .action("http unknown method", "http: {method: FETCH, url: \"https://x\"}", "http.method must be one of GET, POST, PUT, PATCH, DELETE (not \"FETCH\")"),
        .action("http lower-case method", "http: {method: post, url: \"https://x\"}", "http.method must be one of GET"),
        .action("http ftp url", "http: {url: \"ftp://x\"}", "http.url must start with http:// or https://"),
        .action("http templated url", "http: {url: \"${annotations.url}\"}", "http.url must start with http:// or https://"),
        .action("http without url", "http: {method: GET}", "http.url is required"),
        .action("http unknown template", "http: {url: \"https://x/${label.name}\"}", "http.url: unknown template \"${label.name}\"; allowed:"),
        .action("http unterminated template", "http: {url: \"https://x/${labels.name\"}", "is missing its closing }"),
        .action("http status out of range", "http: {url: \"https://x\", expect_status: [700]}", "http.expect_status items must be HTTP statuses"),
        .action("http timeout 0s", "http: {url: \"https://x\", timeout: 0s}", "http.timeout must be more than 0s"),
        .action("command empty argv", "command: {argv: []}", "command.argv must start with the program to run"),
        .action("command without argv", "command: {timeout: 5s}", "command.argv is required"),
        .action("command undeclared placeholder", "command: {argv: [run, \"{deployment}\"]}", "uses {deployment}, which is not declared in command.params"),
        .action("command {replicas}", "command: {argv: [run, \"{replicas}\"]}", "{replicas} is only replaced in a target's command.set"),
        .action("command ${...} in argv", "command: {argv: [run, \"${labels.x}\"]}", "command.argv cannot use ${...} templates"),
        .action("command placeholder as program", "command: {argv: [\"{tool}\"], params: {tool: {from: labels.tool, pattern: k8s-name}}}",
                "command.argv[0] (the program) cannot be a placeholder"),
        .action("command param bad regex", "command: {argv: [run, \"{d}\"], params: {d: {from: labels.d, pattern: \"([a-z\"}}}",
                "command.params.d.pattern is not a valid regular expression"),
        .action("command param from body", "command: {argv: [run, \"{d}\"], params: {d: {from: body.d, pattern: k8s-name}}}",
                "command.params.d.from must be labels.NAME or annotations.NAME"),
        .action("command param without pattern", "command: {argv: [run, \"{d}\"], params: {d: {from: labels.d}}}",
                "command.params.d.pattern is required"),
        .action("command env unknown template", "command: {argv: [run], env: {A: \"${alert.name}\"}}", "command.env.A: unknown template \"${alert.name}\""),
        .action("command timeout bad", "command: {argv: [run], timeout: forever}", "command.timeout: invalid duration"),
        .action("notify empty", "notify: \"\"", "notify must be a message"),
        .action("notify mapping", "notify: {text: hi}", "notify must be a message"),
        .action("notify unknown template", "notify: \"${labels}\"", "notify: unknown template \"${labels}\""),
        .action("unknown action", "restart: {target: api}", "unknown action \"restart\"; allowed: scale, autoscaler, env, annotate, http, command, notify"),
        .action("two keys in one action", "{scale: {target: api, to: 1}, notify: hi}", "an action is a mapping with exactly one key"),
        .action("action as a string", "scale api to 3", "an action is a mapping with exactly one key"),
    ]

    /// YAML the reader refuses before the schema is looked at.
    static let yaml: [Broken] = [
        Broken(label: "YAML syntax error", text: "targets:\n  - name: t\n    bounds: {floor: 1\n", line: 4, fragment: "invalid YAML"),
        Broken(label: "duplicate YAML key", text: "targets:\n  - name: t\n    compose: {project: p, service: s}\n    bounds: {floor: 1, ceiling: 2}\n"
               + "    bounds: {floor: 1, ceiling: 3}\n", line: 4, fragment: "duplicate key \"bounds\""),
        Broken(label: "anchor and alias", text: "targets:\n  - name: t\n    compose: &c {project: p, service: s}\n", line: 3,
               fragment: "\"&c\" reads as a YAML anchor or alias"),
        Broken(label: "merge key", text: "targets:\n  - name: t\n    <<: *c\n", line: 3, fragment: "\"*c\" reads as a YAML anchor or alias"),
        Broken(label: "two documents", text: "targets: []\n---\nplaybooks: []\n", line: 2, fragment: "invalid YAML"),
        Broken(label: "nesting deeper than 64", text: "targets: " + String(repeating: "[", count: 70) + String(repeating: "]", count: 70) + "\n",
               line: 1, fragment: "nesting deeper than 64 levels"),
    ]

    @Test("target mistakes", arguments: targets)
    func target(_ broken: Broken) throws { try check(broken) }

    @Test("playbook mistakes", arguments: playbooks)
    func playbook(_ broken: Broken) throws { try check(broken) }

    @Test("action mistakes", arguments: actions)
    func action(_ broken: Broken) throws { try check(broken) }

    @Test("YAML the loader refuses", arguments: yaml)
    func yamlLevel(_ broken: Broken) throws { try check(broken) }

    private func check(_ broken: Broken) throws {
        let found = try problems([("base.yaml", baseTargets), ("t.yaml", broken.text)])
        #expect(found.count == 1, "\(found.map(\.description))")
        let problem = try #require(found.first)
        #expect(problem.description.hasPrefix("t.yaml:\(broken.line): "), "\(problem)")
        #expect(problem.message.contains(broken.fragment), "\(problem)")
    }
}

/// Variations of a snippet.
extension Broken {
    /// The same snippet with the playbook named `name` instead of `p`.
    func renamed(to name: String) -> Broken {
        Broken(label: label, text: text.replacingOccurrences(of: "  - name: p\n", with: "  - name: \(name)\n"), line: line, fragment: fragment)
    }
}
