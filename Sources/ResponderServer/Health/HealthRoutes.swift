import Foundation
import Hummingbird
import ResponderCore
import ResponderRuntime

/// `GET /healthz`, `GET /readyz` and `GET /metrics`.
struct HealthRoutes: Sendable {
    let journal: any AlertJournal
    let playbooks: PlaybookRegistry
    let metrics: ResponderMetrics
    /// The run driver, whose pauses `/metrics` shows; nil without a run store.
    let runs: (any RunControl)?
    let now: @Sendable () -> Date

    /// The process is up and serving HTTP.
    func healthz() -> Response {
        JSONResponse.make(.ok, ["status": "ok"])
    }

    /// Ready when the journal takes writes and the playbooks loaded; 503 naming what is not ready otherwise.
    func readyz() async -> Response {
        var checks: [String: String] = [:]
        var ready = true
        do {
            try await journal.checkWritable()
            checks["store"] = "ok"
        } catch {
            ready = false
            checks["store"] = "\(error)"
        }
        if let set = await playbooks.playbooks {
            var text = "ok: \(set.playbooks.count) playbook(s), \(set.targets.count) target(s) from \(set.files.count) file(s)"
            if let problems = await playbooks.problems {
                text += "; the last reload was refused and the running set kept: \(problems)"
            }
            checks["playbooks"] = text
        } else {
            ready = false
            checks["playbooks"] = await playbooks.problems ?? "not loaded"
        }
        return JSONResponse.make(ready ? .ok : .serviceUnavailable, ReadyReply(ready: ready, checks: checks))
    }

    /// Prometheus text exposition, with the pauses in force read from the store at the scrape (a store that cannot
    /// be read leaves the pause gauges as they were) and the ages of the oldest records as of now.
    func metricsText() async -> Response {
        metrics.recordStore(now: now())
        if let runs {
            let at = now()
            if let pauses = try? await runs.pauses(liftedSince: at, limit: 0) { metrics.pauses(pauses, now: at) }
        }
        return Response(
            status: .ok,
            headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: metrics.render()))
        )
    }
}

private struct ReadyReply: Encodable {
    var ready: Bool
    var checks: [String: String]
}
