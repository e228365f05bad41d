import Hummingbird

/// Times every request into `responder_http_request_duration_seconds` and counts those in progress in
/// `responder_http_requests_in_flight`, labelled by matched route (not raw path, so probing random URLs cannot grow the
/// label set).
struct RequestMetricsMiddleware<Context: RequestContext>: RouterMiddleware {
    let metrics: ResponderMetrics

    /// Runs the rest of the chain and records its duration and status.
    func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let start = ContinuousClock.now
        let route = context.endpointPath ?? "unmatched"
        metrics.requestStarted(route: route)
        defer { metrics.requestEnded(route: route) }
        do {
            let response = try await next(request, context)
            record(request, context: context, status: response.status.code, start: start)
            return response
        } catch {
            let status = (error as? any HTTPResponseError)?.status.code ?? 500
            record(request, context: context, status: status, start: start)
            throw error
        }
    }

    private func record(_ request: Request, context: Context, status: Int, start: ContinuousClock.Instant) {
        metrics.request(
            route: context.endpointPath ?? "unmatched",
            method: request.method.rawValue,
            status: status,
            duration: ContinuousClock.now - start
        )
    }
}
