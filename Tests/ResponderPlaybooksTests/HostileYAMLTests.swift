import Foundation
import ResponderCore
import ResponderPlaybooks
import Testing

@Suite("Hostile YAML fails fast")
struct HostileYAMLTests {
    /// Loads `text` as one file, returning the problems and how long it took.
    private func timed(_ name: String, _ text: String) throws -> ([PlaybookProblem], Duration) {
        let clock = ContinuousClock()
        var found: [PlaybookProblem] = []
        let elapsed = try clock.measure {
            found = try problems([(name, text)])
        }
        print("\(name): \(elapsed) for \(text.utf8.count) bytes")
        return (found, elapsed)
    }

    @Test("billion laughs is refused at its first anchor")
    func billionLaughs() throws {
        let (found, elapsed) = try timed("billion_laughs.yaml", try Fixture.text("hostile/billion_laughs.yaml"))
        #expect(elapsed < .seconds(1))
        #expect(found.map(\.description) == [
            "billion_laughs.yaml:2: \"&a\" reads as a YAML anchor or alias, and anchors and aliases are not allowed in playbooks "
                + "(if it is text, reword or quote it)",
        ])
    }

    @Test("5000 levels of nesting are refused")
    func deepNesting() throws {
        let (found, elapsed) = try timed("deep_nesting_5000.yaml", try Fixture.text("hostile/deep_nesting_5000.yaml"))
        #expect(elapsed < .seconds(1))
        #expect(found.count == 1)
        #expect(found.first?.message == "YAML nesting deeper than 64 levels is not allowed in playbooks")
        #expect(found.first?.location.line == 1)
    }

    @Test("nesting just under libyaml's own limit is parsed, then refused by depth", arguments: [65, 500, 999])
    func deepButParseable(_ depth: Int) throws {
        let flow = "targets: " + String(repeating: "[", count: depth) + String(repeating: "]", count: depth) + "\n"
        let (found, elapsed) = try timed("flow-\(depth).yaml", flow)
        #expect(elapsed < .seconds(1))
        #expect(found.map(\.message) == ["YAML nesting deeper than 64 levels is not allowed in playbooks"])

        var block = ""
        for level in 0..<depth { block += String(repeating: " ", count: level) + "k:\n" }
        let (blockFound, blockElapsed) = try timed("block-\(depth).yaml", block)
        #expect(blockElapsed < .seconds(1))
        #expect(blockFound.map(\.message) == ["YAML nesting deeper than 64 levels is not allowed in playbooks"])
    }

    @Test("64 levels are allowed by the reader (and then the schema speaks)")
    func sixtyFourLevels() throws {
        let text = "targets: " + String(repeating: "[", count: 63) + String(repeating: "]", count: 63) + "\n"
        let found = try problems([("t.yaml", text)])
        #expect(found.map(\.message) == ["target must be a mapping, not a list"])
    }

    @Test("an alias used as a mapping key is refused before Yams hashes it")
    func aliasAsKey() throws {
        // Yams hashes mapping keys to find duplicates; hashing *i walks all 9^9 leaves (minutes, even in release).
        var text = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
        for (previous, name) in zip("abcdefgh", "bcdefghi") {
            text += "\(name): &\(name) [" + Array(repeating: "*\(previous)", count: 9).joined(separator: ", ") + "]\n"
        }
        text += "x: {? *i : 1, ? *h : 2}\n"
        let (found, elapsed) = try timed("key_bomb.yaml", text)
        #expect(elapsed < .seconds(1))
        #expect(found.map(\.location.line) == [1])
    }

    @Test("a file larger than 1 MiB is refused without parsing")
    func hugeFile() throws {
        let text = "targets: []\n" + String(repeating: "# padding\n", count: 110_000)
        let (found, elapsed) = try timed("huge.yaml", text)
        #expect(elapsed < .seconds(1))
        #expect(found.map(\.description) == ["huge.yaml: the file is larger than 1024 KiB"])
    }
}
