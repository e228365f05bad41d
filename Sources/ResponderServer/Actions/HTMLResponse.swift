import HTTPTypes
import Hummingbird
import ResponderNotify

/// Server-rendered HTML answers of the action links: never cached, never framed, no scripts.
enum HTMLResponse {
    /// `html` with `status` and the headers ``ActionPage`` recommends (CSP, no-store, no referrer, nosniff).
    static func page(_ status: HTTPResponse.Status, _ html: String) -> Response {
        var headers = HTTPFields()
        for (name, value) in ActionPage.recommendedHeaders {
            if let field = HTTPField.Name(name) { headers[field] = value }
        }
        if let frameOptions = HTTPField.Name("X-Frame-Options") { headers[frameOptions] = "DENY" }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: html)))
    }
}
