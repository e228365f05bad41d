import Tracing

/// Runs work in a span with typed errors kept (swift-distributed-tracing's `withSpan` rethrows untyped): the span is
/// the current context while `body` runs, records a thrown error and ends when `body` returns.
public enum Traced {
    /// Runs `body` in a span named `name`, a child of `context` (by default the current context).
    public static func span<T, E: Error>(
        _ name: String,
        context: ServiceContext = .current ?? .topLevel,
        ofKind kind: SpanKind = .internal,
        attributes: SpanAttributes = [:],
        isolation: isolated (any Actor)? = #isolation,
        _ body: (any Span) async throws(E) -> T
    ) async throws(E) -> T {
        let span = startSpan(name, context: context, ofKind: kind)
        defer { span.end() }
        if !attributes.isEmpty { span.attributes.merge(attributes) }
        let result: Result<T, E> = await ServiceContext.withValue(span.context, isolation: isolation) {
            do throws(E) {
                return .success(try await body(span))
            } catch {
                return .failure(error)
            }
        }
        switch result {
        case .success(let value):
            return value
        case .failure(let error):
            span.recordError(error)
            span.setStatus(SpanStatus(code: .error))
            throw error
        }
    }
}
