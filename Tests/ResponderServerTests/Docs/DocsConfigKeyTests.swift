import Foundation
import Testing

@testable import ResponderConfiguration

/// Configuration keys in the docs: a key or `RESPONDER_*` variable the docs name is one the configuration loader
/// reads, and every key it reads is in `deploy/responder.example.yaml`, the reference the docs point to.
@Suite struct DocsConfigKeyTests {
    /// `RESPONDER_*` variables that are not configuration keys: the admin CLI's and the test tools' own.
    static let otherVariables: Set<String> = [
        "RESPONDER_URL",  // the admin CLI's server URL
        "RESPONDER_CA_FILE",  // the admin CLI's CA
        "RESPONDER_FUZZ_TARGET",  // the fuzzer's target selector
        "RESPONDER_BIN",  // scripts: which binary to run
        "RESPONDER_TEST_ARTIFACTS",  // the browser tests: where screenshots go
    ]

    /// OpenTelemetry attribute names that share a first part with a configuration section (`server:`).
    static let spanAttributes: Set<String> = ["server.address", "server.port"]

    /// File and host name endings: `tls.key`, `prometheus.io`, `sns.<region>.amazonaws.com` name no key.
    static let notKeyEndings: Set<String> = ["com", "io", "key", "pem", "crt", "lua", "yaml", "yml", "json", "md", "sh"]

    /// The top-level sections of the configuration (`sns`, `slack`, …): a dotted name starting with one of them is
    /// read as a configuration key.
    static let sections: Set<String> = Set(ConfigLoader.schema.keys.compactMap { $0.split(separator: ".").first.map(String.init) })

    /// What a code span names: dotted keys (with `<name>` as `*`) and `RESPONDER_*` variables.
    static func names(in span: String) -> [String] {
        let generic = span.replacingOccurrences(of: #"<[^>]*>"#, with: "*", options: .regularExpression)
        return generic.components(separatedBy: CharacterSet(charactersIn: " \t/,=():;$\"'{}[]"))
            .map { $0.trimmingCharacters(in: CharacterSet(charactersIn: ".")) }
            .filter { !$0.isEmpty }
    }

    /// A dotted name whose first part is a configuration section, and whose parts are key-like.
    static func isKeyLike(_ name: String) -> Bool {
        let parts = name.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count >= 2, let first = parts.first, sections.contains(String(first)),
              let last = parts.last, !notKeyEndings.contains(String(last)) else { return false }
        return parts.allSatisfy { part in
            part == "*" || (!part.isEmpty && part.allSatisfy { $0.isLowercase || $0.isNumber || $0 == "_" || $0 == "-" })
        }
    }

    /// The key a `RESPONDER_*` variable overrides, if any.
    static func key(forVariable variable: String) -> String? {
        ConfigLoader.schema.keys.first { !$0.contains("*") && "RESPONDER_" + $0.uppercased().replacingOccurrences(of: ".", with: "_") == variable }
    }

    @Test func everyDocumentedKeyIsRead() throws {
        var problems: [String] = []
        var keys = 0
        var variables = 0
        // The playbook docs' dotted names (`kubernetes.namespace`) are playbook keys, checked by the playbook tests.
        for document in try DocsTests.documents() where !document.path.hasPrefix("Playbooks/") {
            for (line, span) in document.codeSpans {
                for name in Self.names(in: span) {
                    if name.hasPrefix("RESPONDER_"), name != "RESPONDER_", name.allSatisfy({ $0.isUppercase || $0.isNumber || $0 == "_" }) {
                        variables += 1
                        if Self.key(forVariable: name) == nil, !Self.otherVariables.contains(name) {
                            problems.append("\(document.path):\(line): \(name) is no configuration variable")
                        }
                    } else if Self.isKeyLike(name), !Self.spanAttributes.contains(name) {
                        keys += 1
                        if ConfigLoader.kind(of: name) == nil, !ConfigLoader.isSection(name) {
                            problems.append("\(document.path):\(line): `\(name)` is no configuration key")
                        }
                    }
                }
            }
        }
        #expect(keys > 50, "only \(keys) configuration keys found in the docs")
        #expect(variables > 5, "only \(variables) RESPONDER_* variables found in the docs")
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
    }

    @Test func everyKeyReadIsInTheExample() throws {
        let text = try String(contentsOf: DocsTests.root.appendingPathComponent("deploy/responder.example.yaml"), encoding: .utf8)
        let example = try ConfigYAML(file: "responder.example.yaml").flatten(Self.uncommented(text))
        let named = Set(example.keys.map { ConfigLoader.schema[$0] == nil ? ConfigLoader.wildcard($0) : $0 })
        #expect(named.count > 40, "only \(named.count) keys read from the example")
        // A secret's inline form (`admin.token`) is documented by its `_file` form, which the example recommends.
        let missing = ConfigLoader.schema.keys.filter { !named.contains($0) && !named.contains($0 + "_file") }
        #expect(missing.isEmpty, "keys the server reads that deploy/responder.example.yaml does not show: \(missing.sorted())")
    }

    /// The example with its optional keys (`  # token_file: …`) uncommented, so they are read as keys too.
    static func uncommented(_ text: String) -> String {
        text.components(separatedBy: "\n").map { line in
            line.replacingOccurrences(of: #"^(\s*)# ?(\s*[a-z_][a-z0-9_-]*:(\s.*)?)$"#, with: "$1$2", options: .regularExpression)
        }.joined(separator: "\n")
    }
}
