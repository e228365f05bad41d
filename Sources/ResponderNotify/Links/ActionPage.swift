import Foundation
import ResponderCore

/// The server-rendered pages behind action links: a confirmation page for the GET (chat and mail scanners prefetch
/// links, so a GET never acts) and a result page after the POST. No script, no external asset; every value is
/// HTML-escaped, since run ids, playbook and alert names can carry text an attacker influenced.
///
/// Recommended response headers (see ``recommendedHeaders``):
/// `Content-Security-Policy: default-src 'none'; style-src 'sha256-…'; form-action 'self'; base-uri 'none';
/// frame-ancestors 'none'` (the exact value is ``contentSecurityPolicy``: it allows only the pages' own inline style,
/// posting back to the same origin, and no framing), plus `Referrer-Policy: no-referrer` (the token is in the URL),
/// `Cache-Control: no-store`, `X-Content-Type-Options: nosniff` and `Content-Type: text/html; charset=utf-8`.
public enum ActionPage {
    /// The form field holding the optional "who are you" name.
    public static let actorField = "actor"
    /// Longest name accepted in ``actorField``.
    public static let maxActorLength = 100

    /// The Content-Security-Policy the server should send with both pages.
    public static var contentSecurityPolicy: String {
        "default-src 'none'; style-src \(ActionPageHTML.styleHash); form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
    }

    /// Every header the server should send with both pages.
    public static var recommendedHeaders: [(name: String, value: String)] {
        [
            ("Content-Type", "text/html; charset=utf-8"),
            ("Content-Security-Policy", contentSecurityPolicy),
            ("Referrer-Policy", "no-referrer"),
            ("Cache-Control", "no-store"),
            ("X-Content-Type-Options", "nosniff"),
        ]
    }

    /// The confirmation page: what the link will do to which run, and a POST form to `formAction` with an optional
    /// name field (``actorField``, at most ``maxActorLength`` characters) and the submit button.
    public static func confirm(claim: ActionClaim, runSummary: RunSummary, formAction: String) -> String {
        let escape = ActionPageHTML.escape
        let verb = claim.action.actionPageVerb
        var rows: [(String, String)] = [
            ("Run", runSummary.id),
            ("Playbook", runSummary.playbook),
            ("Alert", runSummary.alert ?? "unknown"),
            ("Status", runSummary.status.rawValue),
        ]
        if let next = runSummary.nextStep { rows.append(("Next step", next)) }
        rows.append(("Link expires", RFC3339.format(claim.expiresAt)))
        let table = rows.map { "<tr><th>\(escape($0.0))</th><td>\(escape($0.1))</td></tr>" }.joined(separator: "\n")
        let body = """
            <h1>\(escape(verb))?</h1>
            <p class="box">\(escape(claim.action.actionPageEffect))</p>
            <table>
            \(table)
            </table>
            <p>Nothing happens until you press the button.</p>
            <form method="post" action="\(escape(formAction))">
            <label for="\(actorField)">Who are you? (optional)</label>
            <input id="\(actorField)" name="\(actorField)" type="text" maxlength="\(maxActorLength)" autocomplete="name">
            <button type="submit">\(escape(verb))</button>
            </form>
            """
        return ActionPageHTML.page(title: "\(verb) \(runSummary.id)", body: body)
    }

    /// A result page: `title` as the heading and `message` below it, framed according to `status`.
    public static func result(title: String, message: String, status: Outcome) -> String {
        let escape = ActionPageHTML.escape
        let body = """
            <h1>\(escape(title))</h1>
            <p class="box \(status.rawValue)">\(escape(message))</p>
            """
        return ActionPageHTML.page(title: title, body: body)
    }

    /// `text` escaped for HTML, between tags and inside quoted attribute values (the status page uses it too).
    public static func escapeHTML(_ text: String) -> String { ActionPageHTML.escape(text) }

    /// The name typed into the confirmation form, from the POST's `application/x-www-form-urlencoded` body: trimmed,
    /// control characters removed, cut to ``maxActorLength`` characters; nil when absent, empty or not decodable.
    public static func actorName(formBody: [UInt8]) -> String? {
        guard formBody.count <= 4096, let fields = try? InboundFormBody.parse(formBody),
              let raw = fields.first(where: { $0.name == actorField })?.value
        else { return nil }
        // Format characters go too: a right-to-left override would make the name read differently in chat.
        let kept = raw.unicodeScalars.filter { ![.control, .format].contains($0.properties.generalCategory) }
        let cleaned = String(String.UnicodeScalarView(kept)).trimmingCharacters(in: .whitespaces)
        guard !cleaned.isEmpty else { return nil }
        return String(cleaned.prefix(maxActorLength))
    }
}
