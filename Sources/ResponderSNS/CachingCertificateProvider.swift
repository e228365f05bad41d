import Foundation
import X509

/// Remembers certificates by URL so each is fetched once: bounded entry count, each entry expiring at the
/// certificate's `notValidAfter` (or after ``maxEntryAge``, whichever comes first). Concurrent requests for the same
/// URL share one upstream call. Failures are not cached.
public actor CachingCertificateProvider: SigningCertificateProvider {
    private struct Entry {
        var certificate: Certificate
        var expiresAt: Date
    }

    private let upstream: any SigningCertificateProvider
    private let maxEntries: Int
    private let maxEntryAge: TimeInterval
    private let now: @Sendable () -> Date
    private var entries: [String: Entry] = [:]
    private var inFlight: [String: Task<Result<Certificate, SigningCertificateError>, Never>] = [:]

    /// Wraps `upstream`. `now` is the clock used for expiry (inject a fixed one in tests).
    public init(
        upstream: any SigningCertificateProvider,
        maxEntries: Int = 64,
        maxEntryAge: TimeInterval = 24 * 3600,
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.upstream = upstream
        self.maxEntries = max(1, maxEntries)
        self.maxEntryAge = maxEntryAge
        self.now = now
    }

    /// Number of entries currently held (expired ones included until evicted).
    public var count: Int { entries.count }

    /// The cached certificate for `url`, or the upstream's answer (cached when it succeeds).
    public func certificate(for url: URL) async throws(SigningCertificateError) -> Certificate {
        let key = url.absoluteString
        let current = now()
        if let entry = entries[key] {
            if current < entry.expiresAt { return entry.certificate }
            entries[key] = nil
        }
        let task: Task<Result<Certificate, SigningCertificateError>, Never>
        if let running = inFlight[key] {
            task = running
        } else {
            let upstream = upstream
            task = Task {
                do throws(SigningCertificateError) {
                    return .success(try await upstream.certificate(for: url))
                } catch {
                    return .failure(error)
                }
            }
            inFlight[key] = task
        }
        let result = await task.value
        if inFlight[key] == task { inFlight[key] = nil }
        let certificate = try result.get()
        store(certificate, key: key, at: now())
        return certificate
    }

    /// Drops every entry.
    public func removeAll() {
        entries.removeAll()
    }

    private func store(_ certificate: Certificate, key: String, at time: Date) {
        let expiresAt = min(certificate.notValidAfter, time.addingTimeInterval(maxEntryAge))
        guard time < expiresAt else { return }
        if entries[key] == nil, entries.count >= maxEntries {
            entries = entries.filter { time < $0.value.expiresAt }
            while entries.count >= maxEntries, let soonest = entries.min(by: { $0.value.expiresAt < $1.value.expiresAt }) {
                entries[soonest.key] = nil
            }
        }
        entries[key] = Entry(certificate: certificate, expiresAt: expiresAt)
    }
}
