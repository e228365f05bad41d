import Foundation
import ResponderCore

/// Escaping, truncation and date formatting for Slack `mrkdwn` text.
///
/// Alert labels, annotations, executor output and actor names are attacker-controlled: once `&`, `<` and `>` are
/// escaped, they cannot form a link, a user mention or a `<!channel>` broadcast.
public enum SlackMrkdwn {
    /// `text` with `&`, `<` and `>` escaped as Slack asks (`&amp;`, `&lt;`, `&gt;`).
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            default: out.append(character)
            }
        }
        return out
    }

    /// `text` cut to at most `limit` UTF-16 units (Slack's limits are in characters; UTF-16 units never undercount
    /// them), at a character boundary, ending with `…` when cut.
    public static func truncate(_ text: String, to limit: Int) -> String {
        guard text.utf16.count > limit else { return text }
        guard limit > 1 else { return limit == 1 ? "…" : "" }
        var out = ""
        var used = 0
        for character in text {
            let size = character.utf16.count
            if used + size > limit - 1 { break }
            out.append(character)
            used += size
        }
        return out + "…"
    }

    /// `text` escaped, after cutting the raw text to `limit` characters (so the cut never splits an escape).
    public static func escaped(_ text: String, limit: Int) -> String {
        escape(truncate(text, to: limit))
    }

    /// A Slack date token showing `date` in each reader's time zone, with a UTC fallback for clients that cannot.
    public static func date(_ date: Date, format: String = "{date_short_pretty} {time}") -> String {
        "<!date^\(Int(saturating: date.timeIntervalSince1970))^\(format)|\(utcFallback(date))>"
    }

    /// `2026-11-24 12:24 UTC`: the fallback of ``date(_:format:)`` and the plain-text form of a time.
    public static func utcFallback(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? calendar.timeZone
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        func two(_ value: Int?) -> String { String(format: "%02d", value ?? 0) }
        return "\(parts.year ?? 0)-\(two(parts.month))-\(two(parts.day)) \(two(parts.hour)):\(two(parts.minute)) UTC"
    }

    /// A link `<url|label>`; the URL is Responder's own, the label is escaped.
    public static func link(_ url: String, label: String) -> String {
        "<\(escape(url))|\(escape(label))>"
    }
}
