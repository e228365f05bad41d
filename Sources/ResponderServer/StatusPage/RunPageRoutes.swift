import Foundation
import Hummingbird
import ResponderCore
import ResponderRuntime
import ResponderStore

/// `GET /runs/{id}` (the run page) and `GET /runs` (ended runs with filters): HTML, beside the JSON API under
/// `/api/runs`. Like the status page, anyone who reaches the server sees runs; the notifications and the requests a
/// run's steps made are shown only to a visitor signed in with the admin token.
struct RunPageRoutes: Sendable {
    /// The token a visitor signs in with.
    let adminToken: Secret
    /// The runs.
    let coordinator: any RunControl
    /// The notifications of a run; nil when the server keeps none.
    let outbox: (any NotificationOutbox)?
    /// The requests the dry-run executor recorded; nil when the store keeps none.
    let ledger: (any DryRunLedger)?
    /// The clock.
    let now: @Sendable () -> Date

    /// Longest run id looked up; longer ones (and ids with other characters than `[A-Za-z0-9._-]`) are malformed.
    static let maxID = 100

    /// Adds the two routes to `router`.
    func register(on router: Router<BasicRequestContext>) {
        router.get("/runs") { request, _ in await self.ended(request) }
        router.get("/runs/:id") { request, context in await self.page(request, id: context.parameters.get("id") ?? "") }
    }

    /// The run page; 400 for a malformed id, 404 for an unknown one, 503 while the store is unavailable.
    func page(_ request: Request, id: String) async -> Response {
        let signedIn = StatusRoutes.isSignedIn(request.headers[.authorization], token: adminToken)
        if !signedIn, request.uri.queryParameters.get("sign-in") != nil { return StatusRoutes.signInChallenge() }
        let at = now()
        guard Self.wellFormed(id) else {
            return StatusRoutes.htmlResponse(.badRequest, RunPage.message("Malformed run id",
                "A run id is at most \(Self.maxID) letters, digits, dots, dashes or underscores, such as run-12.", now: at, signedIn: signedIn))
        }
        do {
            guard let run = try await coordinator.run(id: id) else {
                return StatusRoutes.htmlResponse(.notFound, RunPage.message("No such run", "There is no run \(id).", now: at, signedIn: signedIn))
            }
            var content = RunPage.Content(run: run, now: at, signedIn: signedIn)
            if signedIn {
                content.notifications = try await outbox?.notifications(runID: id)
                content.calls = try await ledger?.recordedCalls(runID: id)
            }
            return StatusRoutes.htmlResponse(.ok, RunPage.render(content))
        } catch JournalError.incompatible(let message) {
            return StatusRoutes.htmlResponse(.internalServerError, RunPage.message("Unreadable run", message, now: at, signedIn: signedIn))
        } catch {
            return StatusRoutes.htmlResponse(.serviceUnavailable, RunPage.message("Store unavailable", "The store is unavailable; retry shortly.", now: at, signedIn: signedIn))
        }
    }

    /// The ended-runs page; 400 with the reason for a bad filter, 503 while the store is unavailable.
    func ended(_ request: Request) async -> Response {
        let signedIn = StatusRoutes.isSignedIn(request.headers[.authorization], token: adminToken)
        let at = now()
        let query = request.uri.queryParameters
        let filter: RunFilter
        do {
            filter = try RunFilter.parse { query.get($0) }
        } catch {
            return StatusRoutes.htmlResponse(.badRequest, RunPage.message("Bad filter", error.description, now: at, signedIn: signedIn))
        }
        do {
            let found = try await coordinator.endedRuns(matching: filter.storeQuery)
            let html = EndedRunsPage.render(.init(filter: filter, runs: Array(found.prefix(filter.limit)), more: found.count > filter.limit,
                                                  now: at, signedIn: signedIn))
            return StatusRoutes.htmlResponse(.ok, html)
        } catch {
            return StatusRoutes.htmlResponse(.serviceUnavailable, RunPage.message("Store unavailable", "The store is unavailable; retry shortly.", now: at, signedIn: signedIn))
        }
    }

    /// Whether `id` can be a run id.
    static func wellFormed(_ id: String) -> Bool {
        !id.isEmpty && id.utf8.count <= maxID
            && id.unicodeScalars.allSatisfy { $0.isASCII && (CharacterSet.alphanumerics.contains($0) || "._-".unicodeScalars.contains($0)) }
    }
}
