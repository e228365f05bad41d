import ResponderCore

/// `templates`: playbook strings (`notify` text, `command` arguments, `http` URLs, headers and bodies) rendered with
/// values from an alert, which are untrusted.
///
/// Input: `template NUL labels NUL annotations`, labels and annotations as `name=value` lines, on top of the sample
/// alert's source, status and fingerprint.
public enum TemplateTarget {
    /// Renders the template against an alert carrying the input's labels and annotations.
    public static func run(_ bytes: [UInt8]) throws {
        let input = FuzzInput(bytes, limit: 3)
        var alert = FuzzFixtures.sampleAlert
        alert.labels = input.pairs(1)
        alert.annotations = input.pairs(2)
        _ = try render(input.text(0), alert: alert)
    }

    /// The one call into the template engine, kept apart so the target follows the engine when its API changes.
    static func render(_ template: String, alert: NormalizedAlert) throws -> String {
        AlertTemplate(alert: alert, playbook: "fuzz").render(template)
    }
}
