import AsyncHTTPClient
import Foundation
import ResponderCore
import ResponderSNS
import ResponderSNSHTTP
import Testing
import X509

@Suite("HTTPCertificateFetcher against a local server")
struct HTTPCertificateFetcherTests {
    /// Runs `body` with a server and a client configured as production does (redirects disallowed).
    private func withServer(
        _ routes: [String: TestHTTPServer.Route],
        clientConfiguration: HTTPClient.Configuration = HTTPCertificateFetcher.recommendedClientConfiguration(),
        _ body: (TestHTTPServer, HTTPClient) async throws -> Void
    ) async throws {
        let server = try await TestHTTPServer.start(routes: routes)
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: clientConfiguration)
        do {
            try await body(server, client)
        } catch {
            try await client.shutdown()
            try await server.shutdown()
            throw error
        }
        try await client.shutdown()
        try await server.shutdown()
    }

    @Test func fetchesAndParsesTheCertificate() async throws {
        let pem = try Vectors.certificatePEM()
        try await withServer(["/good.pem": .init(status: .ok, body: pem)]) { server, client in
            let fetcher = HTTPCertificateFetcher(client: client)
            let certificate = try await fetcher.certificate(for: try #require(URL(string: server.url("/good.pem"))))
            #expect(certificate == (try Vectors.certificate()))
            #expect(server.hits("/good.pem") == 1)
        }
    }

    @Test func redirectIsAnErrorAndNotFollowed() async throws {
        let pem = try Vectors.certificatePEM()
        try await withServer([
            "/moved.pem": .init(status: .movedPermanently, headers: [("Location", "/good.pem")]),
            "/good.pem": .init(status: .ok, body: pem),
        ]) { server, client in
            let fetcher = HTTPCertificateFetcher(client: client)
            let url = try #require(URL(string: server.url("/moved.pem")))
            await #expect(throws: SigningCertificateError.redirected(url: url.absoluteString)) {
                try await fetcher.certificate(for: url)
            }
            #expect(server.hits("/moved.pem") == 1)
            #expect(server.hits("/good.pem") == 0)
        }
    }

    @Test func redirectFollowedByAMisconfiguredClientIsStillRefused() async throws {
        let pem = try Vectors.certificatePEM()
        let following = HTTPClient.Configuration(redirectConfiguration: .follow(max: 3, allowCycles: false))
        try await withServer([
            "/moved.pem": .init(status: .found, headers: [("Location", "/good.pem")]),
            "/good.pem": .init(status: .ok, body: pem),
        ], clientConfiguration: following) { server, client in
            let fetcher = HTTPCertificateFetcher(client: client)
            let url = try #require(URL(string: server.url("/moved.pem")))
            await #expect(throws: SigningCertificateError.redirected(url: url.absoluteString)) {
                try await fetcher.certificate(for: url)
            }
            // The client did follow it; the fetcher refused the answer anyway.
            #expect(server.hits("/good.pem") == 1)
        }
    }

    @Test(arguments: [false, true])
    func sizeCapIsEnforced(chunked: Bool) async throws {
        var big = try Vectors.certificatePEM()
        big += Array(repeating: UInt8(ascii: "\n"), count: 70 * 1024)
        try await withServer(["/big.pem": .init(status: .ok, body: big, chunked: chunked)]) { server, client in
            let fetcher = HTTPCertificateFetcher(client: client)
            let url = try #require(URL(string: server.url("/big.pem")))
            await #expect(throws: SigningCertificateError.tooLarge(limit: 64 * 1024, url: url.absoluteString)) {
                try await fetcher.certificate(for: url)
            }
            // The same bytes are accepted under a larger cap, so the cap (not the content) caused the refusal.
            let roomy = HTTPCertificateFetcher(client: client, maxBytes: 128 * 1024)
            _ = try await roomy.certificate(for: url)
        }
    }

    @Test func non200IsAnError() async throws {
        try await withServer(["/gone.pem": .init(status: .forbidden, body: Array("denied".utf8))]) { server, client in
            let fetcher = HTTPCertificateFetcher(client: client)
            let url = try #require(URL(string: server.url("/gone.pem")))
            await #expect(throws: SigningCertificateError.httpStatus(403, url: url.absoluteString)) {
                try await fetcher.certificate(for: url)
            }
            let missing = try #require(URL(string: server.url("/missing.pem")))
            await #expect(throws: SigningCertificateError.httpStatus(404, url: missing.absoluteString)) {
                try await fetcher.certificate(for: missing)
            }
        }
    }

    @Test func notACertificateIsAnError() async throws {
        try await withServer(["/junk.pem": .init(status: .ok, body: Array("<html>hello</html>".utf8))]) { server, client in
            let fetcher = HTTPCertificateFetcher(client: client)
            let error = await #expect(throws: SigningCertificateError.self) {
                try await fetcher.certificate(for: try #require(URL(string: server.url("/junk.pem"))))
            }
            guard case .invalidPEM = error else { Issue.record("wrong error \(String(describing: error))"); return }
            #expect(error?.httpStatus == 503)
        }
    }

    @Test func cacheHitDoesNotRefetch() async throws {
        let pem = try Vectors.certificatePEM()
        try await withServer(["/good.pem": .init(status: .ok, body: pem)]) { server, client in
            let cache = CachingCertificateProvider(upstream: HTTPCertificateFetcher(client: client), now: { Vectors.now })
            let url = try #require(URL(string: server.url("/good.pem")))
            let first = try await cache.certificate(for: url)
            let second = try await cache.certificate(for: url)
            #expect(first == second)
            #expect(server.hits("/good.pem") == 1)
        }
    }
}
