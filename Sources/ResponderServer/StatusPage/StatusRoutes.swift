import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import ResponderCore
import ResponderRuntime
import ResponderNotify

/// `GET /`: the status page. Anyone who can reach the server sees runs and alerts; a user signed in with the admin
/// token (HTTP basic auth, any user name, the token as password; or a bearer token) also gets each run's actions, as
/// forms posting to fresh single-use signed links, so they go through the same path as the chat links. With an event
/// store, the page also lists the upcoming scheduled events.
struct StatusRoutes: Sendable {
    /// The token a visitor signs in with.
    let adminToken: Secret
    /// The runs shown, and the runs events started.
    let coordinator: any RunControl
    /// The recent alerts shown.
    let journal: any AlertJournal
    /// Signs the action links of a signed-in visitor; nil when actions are off.
    let signer: ActionLinkSigner?
    /// The scheduled events listed; nil when the server keeps none (the section is left out).
    let events: (any EventStore)?
    /// The clock.
    let now: @Sendable () -> Date

    /// Events read per page: the cancelled ones among them are dropped before the first
    /// ``StatusPage/maxUpcomingEvents`` are listed.
    static let eventsRead = 500

    /// Adds `GET /` to `router`.
    func register(on router: Router<BasicRequestContext>) {
        router.get("/") { request, _ in await self.page(request) }
    }

    /// The page, 401 for `?sign-in=1` without credentials, 503 while a store is unavailable.
    func page(_ request: Request) async -> Response {
        let signedIn = Self.isSignedIn(request.headers[.authorization], token: adminToken)
        if !signedIn, request.uri.queryParameters.get("sign-in") != nil { return Self.signInChallenge() }
        let at = now()
        let recent: [Run]
        let alerts: [JournaledAlert]
        var upcoming: [StatusPage.UpcomingEvent]?
        let pauses: [Pause]
        do {
            pauses = try await coordinator.pauses(liftedSince: at, limit: 0)
            recent = try await coordinator.recentRuns(limit: 100)
            alerts = try await journal.recentAlerts(limit: 20)
            if let events {
                let listed = try await events.events(endingAfter: at, limit: Self.eventsRead)
                upcoming = StatusPage.upcoming(listed, runs: try await EventRuns.lookUp(listed, in: coordinator), now: at)
            }
        } catch {
            return HTMLResponse.page(.serviceUnavailable, "<!doctype html><title>Responder</title><p>The store is unavailable; retry shortly.</p>")
        }
        let open = recent.filter(\.isOpen).sorted { $0.startedAt < $1.startedAt }
        var links: [String: [RunCommand: ActionLink]] = [:]
        if signedIn, let signer {
            let maker = ActionLinks(signer: signer, baseURL: "", ttl: .seconds(900))
            for run in open { links[run.id] = maker.links(for: run, now: at) }
        }
        let html = StatusPage.render(.init(runs: open, recentRuns: recent, alerts: alerts, now: at, links: links, signedIn: signedIn,
                                           events: upcoming, pauses: pauses))
        return Self.htmlResponse(.ok, html)
    }

    /// `html` with the pages' headers: no caching, the Content-Security-Policy of the page's own script and style, no
    /// referrer, no sniffing.
    static func htmlResponse(_ status: HTTPResponse.Status, _ html: String) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/html; charset=utf-8"
        headers[.cacheControl] = "no-store"
        headers[.contentSecurityPolicy] = Self.contentSecurityPolicy
        for (name, value) in [("Referrer-Policy", "no-referrer"), ("X-Content-Type-Options", "nosniff")] {
            if let field = HTTPField.Name(name) { headers[field] = value }
        }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    /// 401 asking the browser for the admin token (basic auth).
    static func signInChallenge() -> Response {
        var headers = HTTPFields()
        headers[.wwwAuthenticate] = #"Basic realm="Responder admin (password: the admin token)", charset="UTF-8""#
        headers[.contentType] = "text/plain; charset=utf-8"
        return Response(status: .unauthorized, headers: headers,
                        body: .init(byteBuffer: ByteBuffer(string: "Sign in with the admin token as the password.\n")))
    }

    /// Only the page's own inline script and style may run; forms post only to this server.
    static let contentSecurityPolicy: String = {
        func hash(_ text: String) -> String { "'sha256-" + Data(SHA256.hash(data: Array(text.utf8))).base64EncodedString() + "'" }
        return "default-src 'none'; script-src \(hash(StatusPage.script)); style-src \(hash(StatusPage.style)); "
            + "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
    }()

    /// Basic auth whose password is the admin token, or the admin token as a bearer token.
    static func isSignedIn(_ authorization: String?, token: Secret) -> Bool {
        guard let authorization else { return false }
        if authorization.lowercased().hasPrefix("bearer ") {
            return token.matches(String(authorization.dropFirst(7)))
        }
        guard authorization.lowercased().hasPrefix("basic "),
              let decoded = Data(base64Encoded: String(authorization.dropFirst(6)).trimmingCharacters(in: .whitespaces)),
              let text = String(data: decoded, encoding: .utf8), let colon = text.firstIndex(of: ":") else { return false }
        return token.matches(String(text[text.index(after: colon)...]))
    }
}
