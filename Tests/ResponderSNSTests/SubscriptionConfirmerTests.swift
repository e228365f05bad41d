import AsyncHTTPClient
import Foundation
import ResponderSNS
import ResponderSNSHTTP
import Testing

@Suite("HTTPSubscriptionConfirmer against a local server")
struct SubscriptionConfirmerTests {
    private func withConfirmer(
        _ routes: [String: TestHTTPServer.Route],
        _ body: (TestHTTPServer, HTTPSubscriptionConfirmer) async throws -> Void
    ) async throws {
        let server = try await TestHTTPServer.start(routes: routes)
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: HTTPCertificateFetcher.recommendedClientConfiguration())
        do {
            try await body(server, HTTPSubscriptionConfirmer(client: client))
        } catch {
            try await client.shutdown()
            try await server.shutdown()
            throw error
        }
        try await client.shutdown()
        try await server.shutdown()
    }

    private static let path = "/?Action=ConfirmSubscription&Token=secret-token-123"

    @Test func twoHundredConfirms() async throws {
        try await withConfirmer([Self.path: .init(status: .ok, body: Array("<ConfirmSubscriptionResponse/>".utf8))]) { server, confirmer in
            try await confirmer.confirm(try #require(URL(string: server.url(Self.path))))
            #expect(server.hits(Self.path) == 1)
        }
    }

    @Test func redirectIsAnErrorAndNotFollowed() async throws {
        try await withConfirmer([
            Self.path: .init(status: .temporaryRedirect, headers: [("Location", "/elsewhere")]),
            "/elsewhere": .init(status: .ok),
        ]) { server, confirmer in
            let error = await #expect(throws: SubscriptionConfirmationError.self) {
                try await confirmer.confirm(try #require(URL(string: server.url(Self.path))))
            }
            #expect(error?.message.contains("redirect") == true)
            #expect(error?.message.contains("secret-token") == false)
            #expect(server.hits("/elsewhere") == 0)
        }
    }

    @Test func non2xxIsAnErrorWithoutTheToken() async throws {
        try await withConfirmer([Self.path: .init(status: .forbidden)]) { server, confirmer in
            let error = await #expect(throws: SubscriptionConfirmationError.self) {
                try await confirmer.confirm(try #require(URL(string: server.url(Self.path))))
            }
            #expect(error?.message.contains("HTTP 403") == true)
            #expect(error?.message.contains("secret-token") == false)
        }
    }
}
