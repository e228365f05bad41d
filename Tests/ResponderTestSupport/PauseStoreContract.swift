import Foundation
import ResponderCore

/// What every ``TransactionalRunStore`` must do with pauses and the action ledger, run against the SQLite journal and
/// PostgreSQL alike (PostgreSQL with two store instances as replicas); each check returns what did not hold.
public enum PauseStoreContract {
    /// 2026-01-01T00:00:00Z.
    public static let t0 = RunSamples.start

    /// A pause request from `t0` by alice.
    public static func request(_ target: String?, _ direction: PauseDirection, until: Date? = nil) -> PauseRequest {
        PauseRequest(target: target, direction: direction, mode: .skip, reason: "bad deploy", by: "alice", since: t0, until: until)
    }

    /// An action of playbook `queue-burst` on `worker`.
    public static func action(_ run: String, _ step: Int, at: Date, dryRun: Bool = false) -> ActionRecord {
        ActionRecord(runID: run, step: step, playbook: "queue-burst", target: "worker", at: at, dryRun: dryRun)
    }

    /// What a transaction of `scope` at `now` sees, recording `actions` in it.
    public static func view(_ store: any TransactionalRunStore, _ scope: RunScope = .due(limit: 10), at now: Date = t0,
                            recording actions: [ActionRecord] = []) async throws -> RunTransactionView {
        try await store.transact(scope, owner: "A", now: now, lease: .seconds(30)) { view in
            RunTransactionOutcome(actions: actions, result: view)
        }
    }

    /// Pauses are numbered from 1, listed (in force by number, then the most recently lifted), lifted by id, by target
    /// and direction, and globally; a lifted pause is not lifted again. `stores` take turns (replicas of one database).
    public static func addListLift(_ stores: [any TransactionalRunStore]) async throws -> [String] {
        var failures: [String] = []
        func expect(_ condition: Bool, _ what: String) { if !condition { failures.append(what) } }
        func store(_ index: Int) -> any TransactionalRunStore { stores[index % stores.count] }
        let first = try await store(0).addPause(request(nil, .both))
        let second = try await store(1).addPause(request("worker", .down))
        _ = try await store(0).addPause(request("worker", .up))
        _ = try await store(1).addPause(request("api", .down))
        expect(first.id == "pause-1" && first.target == nil && first.mode == .skip && first.since == t0 && first.by == "alice", "\(first)")
        expect(second.id == "pause-2" && second.target == "worker" && second.direction == .down, "\(second)")
        let all = try await store(1).pauses(liftedSince: t0, limit: 10).map(\.id)
        expect(all == ["pause-1", "pause-2", "pause-3", "pause-4"], "listed: \(all)")

        let later = t0.addingTimeInterval(60)
        expect(try await store(0).liftPauses(.id("pause-9"), by: "bob", now: later).isEmpty, "no pause-9 to lift")
        let byID = try await store(0).liftPauses(.id("pause-4"), by: "bob", now: later)
        expect(byID.map(\.id) == ["pause-4"] && byID.first?.liftedBy == "bob" && byID.first?.liftedAt == later, "by id: \(byID)")
        expect(try await store(1).liftPauses(.id("pause-4"), by: "bob", now: later).isEmpty, "already lifted")
        let byScope = try await store(1).liftPauses(.scope(target: "worker", direction: .down), by: "bob", now: later.addingTimeInterval(1))
        expect(byScope.map(\.id) == ["pause-2"], "by target and direction: \(byScope)")
        let global = try await store(0).liftPauses(.scope(target: nil, direction: nil), by: "carol", now: later.addingTimeInterval(2))
        expect(global.map(\.id) == ["pause-1"], "global: \(global)")
        let listed = try await store(1).pauses(liftedSince: t0, limit: 10).map(\.id)
        expect(listed == ["pause-3", "pause-1", "pause-2", "pause-4"], "in force first, then most recently lifted: \(listed)")
        let limited = try await store(1).pauses(liftedSince: later.addingTimeInterval(1), limit: 1).map(\.id)
        expect(limited == ["pause-3", "pause-1"], "lifted since, limited: \(limited)")
        let inView = try await view(store(0)).pauses.map(\.id)
        expect(inView == ["pause-3"], "the view has the pauses not lifted: \(inView)")
        return failures
    }

    /// A pause added through `writer` and an action recorded there are in the next view of `reader`, in every scope.
    public static func viewOfEveryScope(writer: any TransactionalRunStore, reader: any TransactionalRunStore) async throws -> [String] {
        var failures: [String] = []
        try await writer.save([RunSamples.run("run-1", steps: [RunSamples.step(0, .action(.scale(target: "worker", change: .to(9))),
                                                                                 target: "worker", to: 9)])])
        let pause = try await writer.addPause(request("worker", .both))
        let recorded = action("run-1", 0, at: t0)
        _ = try await view(writer, .run(id: "run-1"), recording: [recorded])
        let alerts = RunScope.alerts(endedSince: t0, candidates: [], touching: RunFootprint(targets: ["worker"]))
        for scope in [alerts, .run(id: "run-1"), .due(limit: 10)] {
            let seen = try await view(reader, scope, at: t0.addingTimeInterval(1))
            if seen.pauses != [pause] || seen.actions != [recorded] || seen.runs.map(\.id) != ["run-1"] {
                failures.append("\(scope): pauses \(seen.pauses.map(\.id)), actions \(seen.actions), runs \(seen.runs.map(\.id))")
            }
        }
        return failures
    }

    /// Actions recorded are in later views; a step recorded again moves its time without adding a row; a record past
    /// ``Guardrails/actionHorizon`` leaves the view and is deleted by the next write. `stored` lists the stored records
    /// as `run/step`, oldest first.
    public static func ledger(_ store: any TransactionalRunStore, stored: () async throws -> [String]) async throws -> [String] {
        var failures: [String] = []
        func expect(_ condition: Bool, _ what: String) { if !condition { failures.append(what) } }
        _ = try await view(store, recording: [action("run-1", 0, at: t0), action("run-1", 1, at: t0, dryRun: true)])
        let moved = action("run-1", 0, at: t0.addingTimeInterval(120))
        _ = try await view(store, .run(id: "run-1"), at: t0.addingTimeInterval(120), recording: [moved])
        let later = try await view(store, at: t0.addingTimeInterval(180)).actions
        expect(later == [action("run-1", 1, at: t0, dryRun: true), moved], "moved, not added: \(later)")
        let rows = try await stored()
        expect(rows == ["run-1/1", "run-1/0"], "an upsert adds no row: \(rows)")

        // A day and a minute on, the first record is past the horizon: out of the view, and deleted by the next write.
        let dayOn = t0.addingTimeInterval(86_400 + 60)
        let fresh = action("run-2", 0, at: dayOn)
        let before = try await view(store, at: dayOn, recording: [fresh]).actions
        expect(before == [moved], "past the horizon, out of the view: \(before)")
        let after = try await view(store, at: dayOn).actions
        expect(after == [moved, fresh], "recorded: \(after)")
        let left = try await stored()
        expect(left == ["run-1/0", "run-2/0"], "the record past the horizon is deleted: \(left)")
        return failures
    }

    /// An expired pause is marked lifted by `expiry` at its expiry, once, and leaves the view.
    public static func expiry(_ store: any TransactionalRunStore) async throws -> [String] {
        var failures: [String] = []
        func expect(_ condition: Bool, _ what: String) { if !condition { failures.append(what) } }
        let until = t0.addingTimeInterval(600)
        _ = try await store.addPause(request("worker", .down, until: until))
        _ = try await store.addPause(request(nil, .up))
        expect(try await store.expirePauses(now: until.addingTimeInterval(-1)).isEmpty, "not expired before its expiry")
        expect(try await store.liftPauses(.id("pause-1"), by: "bob", now: until).isEmpty, "not in force at its expiry")
        let expired = try await store.expirePauses(now: until.addingTimeInterval(5))
        expect(expired.map(\.id) == ["pause-1"] && expired.first?.liftedBy == "expiry" && expired.first?.liftedAt == until, "\(expired)")
        expect(try await store.expirePauses(now: until.addingTimeInterval(10)).isEmpty, "marked once")
        expect(try await view(store).pauses.map(\.id) == ["pause-2"], "gone from the view")
        let listed = try await store.pauses(liftedSince: t0, limit: 10)
        expect(listed.last?.liftedAt == until && listed.last?.liftedBy == "expiry", "listed as lifted by expiry: \(listed)")
        return failures
    }
}
