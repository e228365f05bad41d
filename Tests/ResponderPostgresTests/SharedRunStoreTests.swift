import Foundation
import ResponderCore
import ResponderPostgres
import Testing

@Suite("PostgreSQL shared run store: claims, leases, alert batches")
struct TransactionalRunStoreTests {
    static let t0 = Fixtures.start

    /// Claims due runs for `owner` at `now`, marks their first unfinished step running, and returns their ids.
    static func claim(_ store: PostgresStore, owner: String, at now: Date, lease: Duration = .seconds(30)) async throws -> [String] {
        try await store.transact(.due(limit: 10), owner: owner, now: now, lease: lease) { view in
            let claimed = view.runs.map { run in
                var run = run
                if let index = run.nextStepIndex {
                    run.steps[index].status = .running
                    run.steps[index].attempts += 1
                }
                return run
            }
            return RunTransactionOutcome(save: claimed, result: view.runs.map(\.id))
        }
    }

    @Test("a due run goes to exactly one of ten concurrent claimers on two replicas")
    func dueClaimedOnce() async throws {
        try await Fixtures.withStores(2) { stores in
            try await stores[0].save([Fixtures.run("run-1")])
            let claims = try await withThrowingTaskGroup(of: [String].self) { group in
                for index in 0..<10 {
                    let store = stores[index % 2]
                    group.addTask { try await Self.claim(store, owner: index % 2 == 0 ? "A" : "B", at: Self.t0) }
                }
                return try await group.reduce(into: [[String]]()) { $0.append($1) }
            }
            #expect(claims.filter { !$0.isEmpty } == [["run-1"]])
            #expect(try await stores[1].run(id: "run-1")?.steps[0].status == .running)
            #expect(try await stores[1].nextAttention() == Self.t0.addingTimeInterval(30), "the lease's expiry is the next attention")
        }
    }

    @Test("a leased run is not claimable before its lease expires, is taken over after, and renewals extend only the owner's")
    func leases() async throws {
        try await Fixtures.withStores(2) { stores in
            let steps = [Fixtures.step(0), Fixtures.step(1, to: 5, due: Self.t0.addingTimeInterval(120))]
            try await stores[0].save([Fixtures.run("run-1", steps: steps)])
            #expect(try await Self.claim(stores[0], owner: "A", at: Self.t0.addingTimeInterval(-1)).isEmpty, "not due yet")
            #expect(try await Self.claim(stores[0], owner: "A", at: Self.t0) == ["run-1"])
            #expect(try await Self.claim(stores[1], owner: "B", at: Self.t0.addingTimeInterval(10)).isEmpty)

            try await stores[1].renewLeases(owner: "B", runIDs: ["run-1"], now: Self.t0.addingTimeInterval(25), lease: .seconds(30))
            #expect(try await stores[1].nextAttention() == Self.t0.addingTimeInterval(30), "a non-owner's renewal changes nothing")
            try await stores[0].renewLeases(owner: "A", runIDs: ["run-1"], now: Self.t0.addingTimeInterval(20), lease: .seconds(30))
            #expect(try await stores[1].nextAttention() == Self.t0.addingTimeInterval(50))
            #expect(try await Self.claim(stores[1], owner: "B", at: Self.t0.addingTimeInterval(31)).isEmpty, "renewed")

            // A dies: B takes the run over once the lease has expired and finishes the step.
            #expect(try await Self.claim(stores[1], owner: "B", at: Self.t0.addingTimeInterval(51)) == ["run-1"])
            #expect(try await stores[0].run(id: "run-1")?.steps[0].attempts == 2)
            try await stores[1].transact(.run(id: "run-1"), owner: "B", now: Self.t0.addingTimeInterval(52), lease: .seconds(30)) { view in
                var run = view.runs[0]
                run.steps[0].status = .done
                return RunTransactionOutcome(save: [run], result: ())
            }
            // Released: no lease, due when step 1 is.
            #expect(try await stores[0].nextAttention() == Self.t0.addingTimeInterval(120))
            #expect(try await Self.claim(stores[0], owner: "A", at: Self.t0.addingTimeInterval(119)).isEmpty)
            #expect(try await Self.claim(stores[0], owner: "A", at: Self.t0.addingTimeInterval(120)) == ["run-1"])
        }
    }

    @Test("a run changed by another replica while A runs its step keeps A's lease; a step started here is leased here")
    func leaseKeptForOthersSteps() async throws {
        try await Fixtures.withStores(2) { stores in
            let steps = [Fixtures.step(0), Fixtures.step(1, to: 5, due: Self.t0.addingTimeInterval(120))]
            try await stores[0].save([Fixtures.run("run-1", steps: steps)])
            #expect(try await Self.claim(stores[0], owner: "A", at: Self.t0) == ["run-1"])
            // B handles an alert that touches run-1 (started nothing on it): A's lease must survive B's write.
            try await stores[1].transact(.run(id: "run-1"), owner: "B", now: Self.t0.addingTimeInterval(5), lease: .seconds(30)) { view in
                var run = view.runs[0]
                run.history.append(RunEvent(at: Self.t0.addingTimeInterval(5), message: "joined by another alert"))
                return RunTransactionOutcome(save: [run], started: [], result: ())
            }
            #expect(try await stores[1].nextAttention() == Self.t0.addingTimeInterval(30), "still A's lease, not B's from t0+5")
            try await stores[1].renewLeases(owner: "A", runIDs: ["run-1"], now: Self.t0.addingTimeInterval(10), lease: .seconds(30))
            #expect(try await stores[1].nextAttention() == Self.t0.addingTimeInterval(40), "A still owns it: its renewal applies")
            #expect(try await Self.claim(stores[1], owner: "B", at: Self.t0.addingTimeInterval(35)).isEmpty)
        }
    }

    @Test("held, ended and waiting runs are never claimed; nothing open means no next attention")
    func notClaimable() async throws {
        try await Fixtures.withStore { store in
            var waiting = Fixtures.run("run-3")
            waiting.steps[0].status = .waitingAck
            try await store.save([
                Fixtures.run("run-1", status: .held), Fixtures.run("run-2", status: .completed, endedAt: Self.t0), waiting,
            ])
            #expect(try await Self.claim(store, owner: "A", at: Self.t0.addingTimeInterval(3600)).isEmpty)
            #expect(try await store.nextAttention() == nil)
            try await store.save([Fixtures.run("run-4", steps: [])])
            #expect(try await Self.claim(store, owner: "A", at: Self.t0) == ["run-4"], "a run with nothing left is due at once")
        }
    }

    @Test("concurrent alert batches on two replicas are serialized: each sees the runs the previous ones created")
    func alertBatchesSerialize() async throws {
        try await Fixtures.withStores(2) { stores in
            let results = try await withThrowingTaskGroup(of: (id: String, seen: Int).self) { group in
                for index in 0..<10 {
                    let store = stores[index % 2]
                    group.addTask {
                        try await store.transact(.alerts(endedSince: Self.t0, candidates: [], touching: Self.worker), owner: "r\(index % 2)", now: Self.t0,
                                                 lease: .seconds(30)) { view in
                            let run = Fixtures.run("run-\(view.highestRunNumber + 1)", startedAt: Self.t0.addingTimeInterval(Double(index)))
                            return RunTransactionOutcome(save: [run], result: (run.id, view.runs.count))
                        }
                    }
                }
                return try await group.reduce(into: [(id: String, seen: Int)]()) { $0.append($1) }
            }
            #expect(Set(results.map(\.id)) == Set((1...10).map { "run-\($0)" }), "no run id was handed out twice")
            #expect(results.allSatisfy { "run-\($0.seen + 1)" == $0.id }, "each batch saw every run created before it")
            #expect(try await stores[0].highestRunNumber() == 10)
            #expect(try await stores[0].openRuns().count == 10)
        }
    }

    @Test("an alert batch sees unprocessed candidates and recently ended runs, and commits runs, notifications and marks together")
    func alertBatchView() async throws {
        try await Fixtures.withStore { store in
            let alerts = [Fixtures.alert("aa"), Fixtures.alert("bb"), Fixtures.alert("cc")]
            _ = try await store.record(Fixtures.delivery(), alerts: alerts)
            try await store.markProcessed([alerts[0].idempotencyKey])
            try await store.save([
                Fixtures.run("run-1", status: .completed, endedAt: Self.t0.addingTimeInterval(-60)),
                Fixtures.run("run-2", status: .aborted, endedAt: Self.t0.addingTimeInterval(-600)),
                Fixtures.run("run-3", status: .held),
            ])
            let candidates = ["unknown"] + alerts.reversed().map(\.idempotencyKey)
            let view = try await store.transact(.alerts(endedSince: Self.t0.addingTimeInterval(-120), candidates: candidates, touching: Self.worker),
                                                owner: "A", now: Self.t0, lease: .seconds(30)) { view in
                RunTransactionOutcome(
                    save: [Fixtures.run("run-4")], notifications: [Fixtures.note("run-4", .slack, .runMessage)],
                    processedAlerts: [alerts[1].idempotencyKey], result: view
                )
            }
            #expect(view.unprocessedAlerts == [alerts[1].idempotencyKey, alerts[2].idempotencyKey], "unprocessed ones, oldest first")
            #expect(Set(view.runs.map(\.id)) == ["run-1", "run-3"])
            #expect(view.highestRunNumber == 3)
            #expect(try await store.unprocessedAlerts(limit: 10).map(\.idempotencyKey) == [alerts[2].idempotencyKey])
            #expect(try await store.notifications(runID: "run-4").map(\.notification.kind) == [.runMessage])
            #expect(try await store.run(id: "run-4") == Fixtures.run("run-4"))
        }
    }

    /// What an alert batch for the sample playbook on `worker` touches.
    static let worker = RunFootprint(fingerprints: ["fp-1"], targets: ["worker"], playbooks: ["queue-burst"])

    @Test("an alert batch reads only the runs it can touch: open ones of its alerts or targets, ended ones of its playbooks")
    func alertBatchFootprint() async throws {
        try await Fixtures.withStore { store in
            var elsewhere = Fixtures.run("run-1", fingerprint: "fp-other")
            elsewhere.targets = ["api"]
            var sameAlert = Fixtures.run("run-2")
            sameAlert.targets = ["api"]
            var sameTarget = Fixtures.run("run-3", fingerprint: "fp-other")
            sameTarget.targets = ["cache", "worker"]
            var otherPlaybook = Fixtures.run("run-4", status: .completed, endedAt: Self.t0, fingerprint: "fp-other")
            otherPlaybook.playbook = "other"
            let endedSame = Fixtures.run("run-5", status: .completed, endedAt: Self.t0, fingerprint: "fp-other")
            let endedLongAgo = Fixtures.run("run-6", status: .completed, endedAt: Self.t0.addingTimeInterval(-7200))
            try await store.save([elsewhere, sameAlert, sameTarget, otherPlaybook, endedSame, endedLongAgo])
            let footprint = RunFootprint(fingerprints: ["fp-1"], targets: ["worker"], playbooks: ["queue-burst"])
            let seen = try await store.transact(.alerts(endedSince: Self.t0.addingTimeInterval(-3600), candidates: [], touching: footprint),
                                                owner: "A", now: Self.t0, lease: .seconds(30)) { view in
                RunTransactionOutcome(result: view.runs.map(\.id))
            }
            #expect(Set(seen) == ["run-2", "run-3", "run-5"], "\(seen)")
            #expect(seen.allSatisfy { id in [sameAlert, sameTarget, endedSame].first { $0.id == id }.map { footprint.covers($0, endedSince: Self.t0.addingTimeInterval(-3600)) } == true },
                    "the in-memory rule (SQLite) agrees with the query")
        }
    }

    @Test("when the store refuses part of an outcome, nothing of it is written")
    func outcomeAllOrNothing() async throws {
        try await Fixtures.withStore { store in
            let alert = Fixtures.alert("aa")
            _ = try await store.record(Fixtures.delivery(), alerts: [alert])
            // PostgreSQL text cannot hold NUL: the notification insert fails after the run was written.
            await #expect {
                try await store.transact(.alerts(endedSince: Self.t0, candidates: [alert.idempotencyKey], touching: Self.worker), owner: "A", now: Self.t0,
                                         lease: .seconds(30)) { _ in
                    RunTransactionOutcome(save: [Fixtures.run("run-1")], notifications: [Fixtures.note("run-1", .slack, .threadReply, "a\u{0}b")],
                                          processedAlerts: [alert.idempotencyKey], result: ())
                }
            } throws: { error in
                guard case JournalError.unavailable(let message) = error else { return false }
                return message.contains("run a transaction")
            }
            #expect(try await store.run(id: "run-1") == nil)
            #expect(try await store.notifications(runID: "run-1").isEmpty)
            #expect(try await store.unprocessedAlerts(limit: 10).map(\.idempotencyKey) == [alert.idempotencyKey])
        }
    }

    @Test("concurrent transactions on one run wait for each other: no update is lost")
    func runScopeSerializes() async throws {
        try await Fixtures.withStores(2) { stores in
            try await stores[0].save([Fixtures.run("run-1")])
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<10 {
                    let store = stores[index % 2]
                    group.addTask {
                        try await store.transact(.run(id: "run-1"), owner: "A", now: Self.t0, lease: .seconds(30)) { view in
                            var run = view.runs[0]
                            run.history.append(RunEvent(at: Self.t0, message: "event \(index)"))
                            return RunTransactionOutcome(save: [run], result: ())
                        }
                    }
                }
                try await group.waitForAll()
            }
            #expect(try await stores[0].run(id: "run-1")?.history.count == 10)
            let missing = try await stores[1].transact(.run(id: "run-9"), owner: "A", now: Self.t0, lease: .seconds(30)) { view in
                RunTransactionOutcome(result: view.runs.count)
            }
            #expect(missing == 0)
        }
    }
}
