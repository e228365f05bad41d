import Foundation
import ResponderCore
import ResponderServer
import Testing

@Suite("configuration: the limits section")
struct LimitsConfigTests {
    @Test("no section limits nothing; the engine gets what the section says, the environment overrides it")
    func read() throws {
        #expect(try ConfigLoaderTests.loader(files: [:]).load(path: nil).limits == nil)
        let yaml = """
            limits:
              per_target: {actions: 6, window: 1h}
              total: {actions: 30, window: 90m}
              targets_per_run: 5
              on_limit: hold
            """
        let config = try PrometheusConfigTests.load(yaml)
        let expected = ActionLimits(perTarget: .init(actions: 6, window: .seconds(3_600)), total: .init(actions: 30, window: .seconds(5_400)),
                                    targetsPerRun: 5, onLimit: .hold)
        #expect(config.limits == expected)
        #expect(ServeAssembly.settings(config).limits == expected)
        let overridden = try PrometheusConfigTests.load(yaml, environment: ["RESPONDER_LIMITS_PER_TARGET_ACTIONS": "2"])
        #expect(overridden.limits?.perTarget?.actions == 2)
    }

    @Test("each mistake stops the server with the key and the range", arguments: [
        ("limits:\n  per_target: {actions: 6}\n", "limits.per_target needs both actions and window"),
        ("limits:\n  total: {actions: 0, window: 1h}\n", "limits.total.actions must be a whole number from 1 to 10,000"),
        ("limits:\n  total: {actions: 3, window: 2d}\n", "limits.total.window must be from 1m to 1d"),
        ("limits:\n  total: {actions: 3, window: soon}\n", "limits.total.window:"),
        ("limits:\n  targets_per_run: 1001\n", "limits.targets_per_run must be a whole number from 1 to 1,000"),
        ("limits:\n  on_limit: later\n", "limits.on_limit must be wait or hold"),
        ("limits:\n  per_hour: 3\n", "per_hour"),
    ])
    func refused(_ yaml: String, _ fragment: String) {
        let problem = PrometheusConfigTests.problem(yaml)
        #expect(problem.contains(fragment), "\(problem)")
    }
}
