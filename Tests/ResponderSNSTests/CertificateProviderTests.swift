import Foundation
import ResponderCore
import ResponderSNS
import Testing
import X509

/// A fresh temporary directory, removed afterwards.
func withTemporaryDirectory(_ body: (URL) async throws -> Void) async throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("responder-sns-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    try await body(directory)
}

@Suite("Certificate providers: directory, chain, cache")
struct CertificateProviderTests {
    @Test func directoryReadsTheLastPathComponent() async throws {
        try await withTemporaryDirectory { directory in
            try Data(Vectors.certificatePEM()).write(to: directory.appendingPathComponent(Vectors.certFileName))
            let provider = DirectoryCertificateProvider(directory: directory)
            let certificate = try await provider.certificate(for: Vectors.certURL)
            #expect(certificate == (try Vectors.certificate()))
        }
    }

    @Test func directoryNamesTheMissingFile() async throws {
        try await withTemporaryDirectory { directory in
            let provider = DirectoryCertificateProvider(directory: directory)
            let expected = directory.appendingPathComponent(Vectors.certFileName).path
            let error = await #expect(throws: SigningCertificateError.notProvisioned(expectedPath: expected)) {
                try await provider.certificate(for: Vectors.certURL)
            }
            #expect(error?.message.contains(expected) == true)
        }
    }

    @Test(arguments: [
        "https://sns.us-east-2.amazonaws.com/..",
        "https://sns.us-east-2.amazonaws.com/x%2F..%2F..%2Fetc%2Fpasswd.pem",
        "https://sns.us-east-2.amazonaws.com/.hidden.pem",
        "https://sns.us-east-2.amazonaws.com/",
    ])
    func directoryRefusesNonPlainFileNames(url: String) async throws {
        try await withTemporaryDirectory { directory in
            let provider = DirectoryCertificateProvider(directory: directory)
            let error = await #expect(throws: SigningCertificateError.self) {
                try await provider.certificate(for: try #require(URL(string: url)))
            }
            guard case .invalidFileName = error else { Issue.record("wrong error \(String(describing: error))"); return }
        }
    }

    @Test func directoryRefusesOversizedAndInvalidFiles() async throws {
        try await withTemporaryDirectory { directory in
            let big = try Vectors.certificatePEM() + Array(repeating: UInt8(ascii: "\n"), count: 70 * 1024)
            try Data(big).write(to: directory.appendingPathComponent("big.pem"))
            try Data("not a certificate".utf8).write(to: directory.appendingPathComponent("junk.pem"))
            let provider = DirectoryCertificateProvider(directory: directory)
            let tooBig = await #expect(throws: SigningCertificateError.self) {
                try await provider.certificate(for: try #require(URL(string: "https://sns.us-east-2.amazonaws.com/big.pem")))
            }
            guard case .unreadable = tooBig else { Issue.record("wrong error \(String(describing: tooBig))"); return }
            let junk = await #expect(throws: SigningCertificateError.self) {
                try await provider.certificate(for: try #require(URL(string: "https://sns.us-east-2.amazonaws.com/junk.pem")))
            }
            guard case .invalidPEM = junk else { Issue.record("wrong error \(String(describing: junk))"); return }
        }
    }

    @Test func chainPrefersTheDirectoryAndFetchesOnlyWhenEnabled() async throws {
        try await withTemporaryDirectory { directory in
            let certificate = try Vectors.certificate()
            let fetcher = CountingProvider(certificate: certificate)
            let directoryProvider = DirectoryCertificateProvider(directory: directory)
            let chain = ChainedCertificateProvider(directory: directoryProvider, fetcher: fetcher)
            let noFetch = ChainedCertificateProvider(directory: directoryProvider, fetcher: nil)

            // Not provisioned: fetched when enabled, a clear error when not.
            #expect(try await chain.certificate(for: Vectors.certURL) == certificate)
            #expect(fetcher.requested == [Vectors.certURL])
            let expected = directory.appendingPathComponent(Vectors.certFileName).path
            await #expect(throws: SigningCertificateError.notProvisioned(expectedPath: expected)) {
                try await noFetch.certificate(for: Vectors.certURL)
            }

            // Provisioned: the file wins and nothing is fetched.
            try Data(Vectors.certificatePEM()).write(to: directory.appendingPathComponent(Vectors.certFileName))
            #expect(try await chain.certificate(for: Vectors.certURL) == certificate)
            #expect(try await noFetch.certificate(for: Vectors.certURL) == certificate)
            #expect(fetcher.requested.count == 1)

            // A provisioned but broken file is an error, not a reason to fetch.
            try Data("broken".utf8).write(to: directory.appendingPathComponent(Vectors.certFileName))
            await #expect(throws: SigningCertificateError.self) { try await chain.certificate(for: Vectors.certURL) }
            #expect(fetcher.requested.count == 1)
        }
    }

    @Test func chainWithoutDirectoryOrFetcherFails() async {
        let chain = ChainedCertificateProvider(directory: nil, fetcher: nil)
        await #expect(throws: SigningCertificateError.self) { try await chain.certificate(for: Vectors.certURL) }
    }

    @Test func cacheServesHitsUntilTheCertificateExpires() async throws {
        let clock = TestClock(Vectors.now)
        let upstream = CountingProvider(certificate: try Vectors.certificate())
        let cache = CachingCertificateProvider(upstream: upstream, now: { clock.now })
        _ = try await cache.certificate(for: Vectors.certURL)
        _ = try await cache.certificate(for: Vectors.certURL)
        #expect(upstream.requested.count == 1)

        // One second after notValidAfter (2022-08-17T23:59:59Z) the entry is gone.
        clock.set(try #require(RFC3339.parse("2022-08-18T00:00:00Z")))
        _ = try await cache.certificate(for: Vectors.certURL)
        #expect(upstream.requested.count == 2)
    }

    @Test func cacheEntriesAlsoExpireAfterMaxEntryAge() async throws {
        let clock = TestClock(Vectors.now)
        let upstream = CountingProvider(certificate: try Vectors.certificate())
        let cache = CachingCertificateProvider(upstream: upstream, maxEntryAge: 3600, now: { clock.now })
        _ = try await cache.certificate(for: Vectors.certURL)
        clock.set(Vectors.now.addingTimeInterval(3599))
        _ = try await cache.certificate(for: Vectors.certURL)
        #expect(upstream.requested.count == 1)
        clock.set(Vectors.now.addingTimeInterval(3601))
        _ = try await cache.certificate(for: Vectors.certURL)
        #expect(upstream.requested.count == 2)
    }

    @Test func cacheIsBoundedAndKeyedByURL() async throws {
        let upstream = CountingProvider(certificate: try Vectors.certificate())
        let cache = CachingCertificateProvider(upstream: upstream, maxEntries: 2, now: { Vectors.now })
        let urls = try (1...3).map { try #require(URL(string: "https://sns.us-east-2.amazonaws.com/cert-\($0).pem")) }
        for url in urls { _ = try await cache.certificate(for: url) }
        #expect(await cache.count == 2)
        #expect(upstream.requested == urls)
        _ = try await cache.certificate(for: urls[2])
        #expect(upstream.requested.count == 3)
    }

    @Test func cacheDoesNotRememberFailures() async throws {
        let certificate = try Vectors.certificate()
        let upstream = CountingProvider { url, call throws(SigningCertificateError) in
            if call == 1 { throw .timedOut(url: url.absoluteString) }
            return certificate
        }
        let cache = CachingCertificateProvider(upstream: upstream, now: { Vectors.now })
        await #expect(throws: SigningCertificateError.timedOut(url: Vectors.certURL.absoluteString)) {
            try await cache.certificate(for: Vectors.certURL)
        }
        #expect(try await cache.certificate(for: Vectors.certURL) == certificate)
        #expect(upstream.requested.count == 2)
    }
}
