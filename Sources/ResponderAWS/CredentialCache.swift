import Foundation

/// Holds the last credentials fetched from one source and fetches again `refreshMargin` before they expire.
/// Concurrent callers share a single fetch; if a refresh fails while the old credentials still work, they are used.
actor CredentialCache {
    /// Fetches fresh credentials from the source.
    typealias Fetch = @Sendable () async throws(AWSCredentialError) -> AWSCredentials

    private let fetch: Fetch
    private let now: AWSClock
    private let refreshMargin: TimeInterval
    private var cached: AWSCredentials?
    private var inFlight: Task<Result<AWSCredentials, AWSCredentialError>, Never>?

    /// Creates a cache over `fetch`.
    init(refreshMargin: TimeInterval = 300, now: @escaping AWSClock, fetch: @escaping Fetch) {
        self.fetch = fetch
        self.now = now
        self.refreshMargin = refreshMargin
    }

    /// The cached credentials while fresh, otherwise freshly fetched ones.
    func credentials() async throws(AWSCredentialError) -> AWSCredentials {
        let time = now()
        if let cached, Self.isFresh(cached, at: time, margin: refreshMargin) { return cached }
        let task: Task<Result<AWSCredentials, AWSCredentialError>, Never>
        if let inFlight {
            task = inFlight
        } else {
            let fetch = self.fetch
            task = Task {
                do throws(AWSCredentialError) { return .success(try await fetch()) } catch { return .failure(error) }
            }
            inFlight = task
        }
        let result = await task.value
        if inFlight == task { inFlight = nil }
        switch result {
        case .success(let credentials):
            cached = credentials
            return credentials
        case .failure(let error):
            // Still-valid credentials beat an error: the refresh is retried on the next call.
            if let cached, let expiration = cached.expiration, expiration > now() { return cached }
            throw error
        }
    }

    /// True while `credentials` need no refresh: no expiry, or more than `margin` seconds left.
    static func isFresh(_ credentials: AWSCredentials, at time: Date, margin: TimeInterval) -> Bool {
        guard let expiration = credentials.expiration else { return true }
        return expiration.timeIntervalSince(time) > margin
    }
}
