import Hummingbird
import ResponderCore
import ResponderRuntime

/// Admin endpoints, behind the admin bearer token.
struct AdminRoutes: Sendable {
    let token: Secret
    let playbooks: PlaybookRegistry

    /// `POST /-/reload`: reload the playbooks; 422 with the problems (and the running set kept) when invalid.
    func reload(_ request: Request) async -> Response {
        let authenticator = WebhookAuthenticator(bearerToken: token, basicUsername: nil, basicPassword: nil)
        guard authenticator.isAuthorized(request.headers) else {
            return JSONResponse.error(.unauthorized, "admin token required: Authorization: Bearer <admin token>")
        }
        switch await playbooks.reload() {
        case .success(let set):
            return JSONResponse.make(.ok, ReloadReply(status: "reloaded", files: set.files.count, playbooks: set.playbooks.count, targets: set.targets.count))
        case .failure(let failure):
            return JSONResponse.make(.unprocessableContent, ReloadRefusal(error: failure.problems, keptRunningSet: failure.keptRunningSet))
        }
    }
}

private struct ReloadReply: Encodable {
    var status: String
    var files: Int
    var playbooks: Int
    var targets: Int
}

private struct ReloadRefusal: Encodable {
    var error: String
    var keptRunningSet: Bool

    enum CodingKeys: String, CodingKey {
        case error
        case keptRunningSet = "kept_running_set"
    }
}
