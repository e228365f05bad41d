import Crypto
import Foundation

/// HTML escaping and the shared page frame of ``ActionPage``.
enum ActionPageHTML {
    /// The only style on the pages; the CSP allows exactly this text by hash.
    static let style = """
        body{font-family:system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;color:#1d1d1f}\
        table{border-collapse:collapse;margin:1rem 0}th,td{text-align:left;padding:.25rem .75rem .25rem 0;vertical-align:top}\
        th{color:#555;font-weight:normal}td{word-break:break-all}\
        .box{border-left:4px solid #888;padding:.5rem 1rem;background:#f5f5f7}\
        .done{border-color:#2a7d2e}.alreadyUsed,.finished{border-color:#b26b00}.expired,.invalid{border-color:#b00020}\
        label{display:block;margin:1rem 0 .25rem}input{font-size:1rem;padding:.4rem;width:100%;max-width:20rem}\
        button{margin-top:1rem;font-size:1rem;padding:.5rem 1.25rem;cursor:pointer}
        """

    /// `'sha256-…'` of ``style``, for the `style-src` directive.
    static let styleHash: String = {
        let digest = SHA256.hash(data: Array(style.utf8))
        return "'sha256-\(Data(digest).base64EncodedString())'"
    }()

    /// Escapes text for use both between tags and inside double- or single-quoted attribute values.
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "\u{0}": out += "\u{FFFD}"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// A complete page around `body` (already HTML); `title` is escaped here.
    static func page(title: String, body: String) -> String {
        """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="robots" content="noindex">
        <meta name="referrer" content="no-referrer">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(escape(title)) · Responder</title>
        <style>\(style)</style>
        </head>
        <body>
        \(body)
        </body>
        </html>

        """
    }
}
