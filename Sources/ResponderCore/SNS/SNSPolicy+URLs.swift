import Foundation

/// The URL checks of the policy: signing-certificate and subscription URLs.
extension SNSPolicy {
    /// Checks the unsigned `SigningCertURL` before anything is fetched, and returns it as a `URL`.
    ///
    /// Accepted: `https://sns.<region>.amazonaws.com/<path>.pem` (`.amazonaws.com.cn` for `cn-` regions) for a region
    /// in ``allowedRegions``, host compared case-insensitively but exactly, no user info, no port other than 443,
    /// no query or fragment, a path of letters, digits and `-._~/` only (so no `%`-escapes) with no `.`/`..` segment.
    /// Hosts in ``testingExtraHosts`` are accepted with their configured scheme and port.
    /// - Throws: ``IngestError/forbidden(_:)`` saying what is wrong.
    public func checkSigningCertURL(_ text: String) throws(IngestError) -> URL {
        let url = try parseTrusted(text, field: "SigningCertURL")
        guard url.query == nil, !url.hasFragment else {
            throw refusal("SigningCertURL", text, "must not have a query or fragment")
        }
        let segments = url.path.split(separator: "/", omittingEmptySubsequences: false).dropFirst()
        guard url.path.hasPrefix("/"), url.path.hasSuffix(".pem"),
              FieldText.isAlphanumeric(url.path, plus: "-._~/"),
              segments.allSatisfy({ !$0.isEmpty && $0 != "." && $0 != ".." })
        else {
            throw refusal(
                "SigningCertURL", text,
                "must have a plain path ending in .pem (letters, digits, -._~/ only, no empty, . or .. segments)"
            )
        }
        return try foundationURL(text, field: "SigningCertURL")
    }

    /// Checks a `SubscribeURL` before it is ever requested: same scheme, host and port rules as the certificate URL;
    /// any path and query (the confirmation token travels in the query), no fragment.
    /// - Throws: ``IngestError/forbidden(_:)`` saying what is wrong.
    public func checkSubscribeURL(_ text: String) throws(IngestError) -> URL {
        let url = try parseTrusted(text, field: "SubscribeURL")
        guard !url.hasFragment else { throw refusal("SubscribeURL", text, "must not have a fragment") }
        return try foundationURL(text, field: "SubscribeURL")
    }

    /// The SNS endpoint host names accepted for ``allowedRegions``.
    public var allowedSNSHosts: [String] {
        allowedRegions.map { region in
            let lower = region.lowercased()
            return lower.hasPrefix("cn-") ? "sns.\(lower).amazonaws.com.cn" : "sns.\(lower).amazonaws.com"
        }
    }

    private func parseTrusted(_ text: String, field: String) throws(IngestError) -> StrictURL {
        let url: StrictURL
        switch StrictURL.parse(text) {
        case .success(let parsed): url = parsed
        case .failure(let problem): throw refusal(field, text, problem.reason)
        }
        guard !url.hasUserInfo else { throw refusal(field, text, "must not contain user info (user@host)") }
        if testingExtraHosts.contains(where: { ExtraOrigin($0)?.matches(url) == true }) {
            return url
        }
        guard url.scheme == "https" else { throw refusal(field, text, "must use https") }
        guard url.port == nil || url.port == 443 else { throw refusal(field, text, "must not name a port other than 443") }
        guard allowedSNSHosts.contains(url.host) else {
            let regions = allowedRegions.isEmpty ? "none configured" : allowedRegions.joined(separator: ", ")
            throw refusal(
                field, text,
                "must be on host sns.<region>.amazonaws.com for a region in sns.allowed_regions (\(regions))"
            )
        }
        return url
    }

    private func foundationURL(_ text: String, field: String) throws(IngestError) -> URL {
        guard let url = URL(string: text) else { throw refusal(field, text, "is not a valid URL") }
        return url
    }

    private func refusal(_ field: String, _ text: String, _ reason: String) -> IngestError {
        // The token-bearing query of a SubscribeURL is never echoed.
        let shown = field == "SubscribeURL" ? String(text.prefix(while: { $0 != "?" })) : text
        return .forbidden("\(field) \(quoted(shown, limit: 200)) is refused: it \(reason)")
    }
}

/// One ``SNSPolicy/testingExtraHosts`` entry: `host:port` (https) or `scheme://host[:port]`.
struct ExtraOrigin: Equatable {
    /// `http` or `https`.
    var scheme: String
    /// Lower-cased `host` or `host:port`.
    var authority: String

    /// Parses a configuration entry; nil when it is not an origin.
    init?(_ entry: String) {
        let text = entry.contains("://") ? entry : "https://" + entry
        guard case .success(let url) = StrictURL.parse(text), !url.hasUserInfo, url.path.isEmpty || url.path == "/",
              url.query == nil, !url.hasFragment, url.scheme == "https" || url.scheme == "http"
        else { return nil }
        scheme = url.scheme
        authority = url.authority
    }

    /// True when `url` has exactly this scheme, host and port.
    func matches(_ url: StrictURL) -> Bool {
        url.scheme == scheme && url.authority == authority
    }
}
