import Foundation
import NIOConcurrencyHelpers
import ResponderCore
import ResponderPostgres
import ResponderTestSupport
import Testing

/// The fault tests' black-hole proxy does what they rely on: passes a PostgreSQL session, holds it without closing,
/// and passes it again.
@Suite("black-hole proxy in front of PostgreSQL")
struct BlackHoleProxyTests {
    @Test("a store works through the proxy, waits while it is a black hole, and carries on when it resumes")
    func blackHoleAndResume() async throws {
        let server = try await PostgresServer.shared()
        let direct = try await server.createDatabase()
        let proxy = try await BlackHoleProxy(upstreamPort: server.port)
        let url = direct.replacingOccurrences(of: ":\(server.port)/", with: ":\(proxy.port)/")
        try await PostgresStore.withConnected(url: url, logger: Fixtures.logger, operationTimeout: .seconds(60)) { store in
            try await store.save([Fixtures.run("run-1")])
            proxy.blackHole()
            let answered = NIOLockedValueBox(false)
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    _ = try await store.run(id: "run-1")
                    answered.withLockedValue { $0 = true }
                }
                // The query's bytes are held: it cannot have been answered, and it is once the proxy resumes.
                await proxy.waitUntilHolding()
                #expect(!answered.withLockedValue { $0 }, "nothing answered while the proxy held the bytes")
                proxy.resume()
                try await group.waitForAll()
            }
            #expect(answered.withLockedValue { $0 })
            #expect(try await store.run(id: "run-1") == Fixtures.run("run-1"))
        }
        await proxy.close()
    }
}
