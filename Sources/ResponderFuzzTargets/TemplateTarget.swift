import Foundation
import ResponderCore

/// `templates`: playbook strings rendered with values from an alert, which are untrusted, in every place they can
/// land: `notify` text, an `http` URL, a header value, a JSON body, a command's argv and environment.
///
/// Input: `template NUL labels NUL annotations`, labels and annotations as `name=value` lines, on top of the sample
/// alert's source, status and fingerprint. Besides never trapping, each renderer must keep its promise whatever the
/// values: a URL keeps the template's origin and gains no `/ ? # & =` of its own, a header value holds no control
/// character, a JSON body parses to exactly the keys the playbook wrote with the value as text, a command keeps its
/// argv length and carries no NUL.
public enum TemplateTarget {
    static let name = "templates"

    /// Renders the template in every context against an alert carrying the input's labels and annotations.
    public static func run(_ bytes: [UInt8]) throws {
        let input = FuzzInput(bytes, limit: 3)
        var alert = FuzzFixtures.sampleAlert
        alert.labels = input.pairs(1)
        alert.annotations = input.pairs(2)
        let template = input.text(0)
        let values = TemplateValues(AlertTemplate(alert: alert, playbook: "fuzz"))
        let text = AlertTemplate(alert: alert, playbook: "fuzz").render(template)
        try refusalsAllowed { try url(template, values: values) }
        try refusalsAllowed { try header(template, values: values) }
        try refusalsAllowed { try json(template, text: text, values: values) }
        try refusalsAllowed { try command(template, values: values) }
    }

    /// Runs one renderer: a refusal (a ``TemplateRefusal``) is the expected answer to a bad value, a broken promise is not.
    static func refusalsAllowed(_ body: () throws -> Void) throws {
        do {
            try body()
        } catch let violation as FuzzInvariantViolation {
            throw violation
        } catch {
            return
        }
    }

    /// A URL keeps the literal origin and gets no structural character from a value.
    static func url(_ template: String, values: TemplateValues) throws {
        let url = try URLTemplate.render(template, values: values)
        let literal = TemplatePiece.parse(template).map { piece -> String in
            if case .literal(let text) = piece { return text }
            return ""
        }.joined()
        for character in "/?#&=" {
            let inURL = url.filter { $0 == character }.count
            let written = literal.filter { $0 == character }.count
            guard inURL == written else {
                throw FuzzInvariantViolation(target: name, "URL \(url.debugDescription) has \(inURL) \"\(character)\", the template "
                    + "\(template.debugDescription) wrote \(written)")
            }
        }
        guard let scheme = ["https://", "http://"].first(where: { template.hasPrefix($0) }) else { return }
        let authority = template.dropFirst(scheme.count).prefix { !"/?#".contains($0) }
        guard url.hasPrefix(scheme + authority) else {
            throw FuzzInvariantViolation(target: name, "URL \(url.debugDescription) does not keep the origin \(scheme + authority)")
        }
    }

    /// A header value never holds a control character other than tab.
    static func header(_ template: String, values: TemplateValues) throws {
        let value = try HeaderTemplate.render(name: "X-Fuzz", value: template, values: values)
        if value.unicodeScalars.contains(where: { ($0.value < 0x20 && $0 != "\t") || $0.value == 0x7F }) {
            throw FuzzInvariantViolation(target: name, "header value \(value.debugDescription) holds a control character")
        }
    }

    /// A JSON body parses back to the playbook's keys, with the rendered text as the string value.
    static func json(_ template: String, text: String, values: TemplateValues) throws {
        let body = try JSONTemplate.object([
            JSONMember(key: "v", value: .string(template)), JSONMember(key: "n", value: .number("1")),
        ]).render(values: values)
        guard let object = try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any],
              Set(object.keys) == ["v", "n"] else {
            throw FuzzInvariantViolation(target: name, "JSON body \(body.debugDescription) does not parse to the keys v and n")
        }
        // Foundation reads the text back through its own Unicode handling; compare scalars, not graphemes.
        guard let value = object["v"] as? String, Array(value.unicodeScalars) == Array(text.unicodeScalars) else {
            throw FuzzInvariantViolation(target: name, "JSON body \(body.debugDescription) does not carry \(text.debugDescription)")
        }
    }

    /// A command keeps its argv length, its validated parameter and no NUL anywhere.
    static func command(_ template: String, values: TemplateValues) throws {
        let call = Action.CommandCall(argv: ["tool", "{p}", "x{p}y"], env: ["E": template],
                                      params: ["p": .init(from: "labels.p", pattern: "[a-z0-9.{}-]+")])
        let command = try CommandRenderer.render(call, values: values)
        guard command.argv.count == 3, command.argv[0] == "tool",
              !command.argv.contains(where: { $0.utf8.contains(0) }), !(command.environment["E"] ?? "").utf8.contains(0)
        else {
            throw FuzzInvariantViolation(target: name, "command \(command.display.debugDescription) lost its shape")
        }
    }
}
