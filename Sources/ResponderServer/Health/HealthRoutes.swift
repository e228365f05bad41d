import Foundation
import Hummingbird
import ResponderCore
import ResponderRuntime

/// `GET /healthz`, `GET /readyz` and `GET /metrics`.
struct HealthRoutes: Sendable {
    let journal: any AlertJournal
    let playbooks: PlaybookRegistry
    let metrics: ResponderMetrics
    /// The disk under the store; nil leaves the check out.
    let disk: DiskReadiness?
    /// Wall clock, for the ages of the oldest records.
    let now: @Sendable () -> Date

    /// The process is up and serving HTTP.
    func healthz() -> Response {
        JSONResponse.make(.ok, ["status": "ok"])
    }

    /// Ready when the journal takes writes, the disk under it is not full and the playbooks loaded; 503 naming what
    /// is not ready otherwise. Low disk space is a warning in the `disk` check and still ready: taking the only
    /// replica out of service before the disk is full would refuse deliveries that still fit.
    func readyz() async -> Response {
        var checks: [String: String] = [:]
        var ready = true
        if let disk {
            let check = disk.check()
            checks["disk"] = check.text
            ready = ready && check.ready
        }
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

    /// Prometheus text exposition, with the ages of the oldest records as of now. It never waits for a store: the run
    /// driver records the pauses as it reads them, the retention service the store's size and oldest records.
    func metricsText() -> Response {
        metrics.recordStore(now: now())
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
