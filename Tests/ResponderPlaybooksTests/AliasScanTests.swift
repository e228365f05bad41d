@testable import ResponderPlaybooks
import Testing

@Suite("The anchor and alias pre-scan")
struct AliasScanTests {
    @Test("finds anchors and aliases wherever libyaml could read one", arguments: [
        ("a: &x 1", 1, "&x"), ("a: *x", 1, "*x"), ("- &x\n", 1, "&x"), ("a: [1, *x]", 1, "*x"), ("a: {k: *x}", 1, "*x"),
        ("a:\n  b: c\n  d: *long_name-2\n", 3, "*long_name-2"), ("*x : 1", 1, "*x"), ("a: [*x,*y]", 1, "*x"),
        ("? *x\n: 1", 1, "*x"), ("a: !!str &x b", 1, "&x"), ("a: \"q\" # &x in a trailing comment", 1, "&x"),
        ("# a comment line with a \"quote\" &x\n", 1, "&x"),
    ] as [(String, Int, String)])
    func finds(_ text: String, _ line: Int, _ token: String) throws {
        let found = try #require(AliasScan.first(in: text))
        #expect(found.line == line)
        #expect(found.token == token)
    }

    @Test("leaves ordinary playbook text alone", arguments: [
        "url: \"https://x/?a=1&b=2\"", "url: https://x/?a=1&b=2", "argv: [run, \"*.log\"]", "cron: \"*/5 * * * *\"",
        "description: |\n  * first\n  * second\n", "notify: R&D scaled", "cmd: \"make && deploy\"", "note: 2 * 3 = 6",
        "description: the *api* service", "# TODO: handle &anchors one day\n", "  # *x in an indented comment\n",
        "notify: \"Scale *now*\"", "description: 'it''s &nbsp;'",
    ])
    func ignores(_ text: String) {
        #expect(AliasScan.first(in: text) == nil)
    }
}
