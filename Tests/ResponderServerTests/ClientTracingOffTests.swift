import Foundation
import ResponderSNSHTTP
import Testing

/// AsyncHTTPClient traces every request with the bootstrapped tracer unless told not to, and its spans record the full
/// URL (a Slack webhook's path, tokens in a query) and add a second `traceparent`. Responder's adapters make their own
/// client spans, so every client `serve` makes turns AsyncHTTPClient's off.
@Suite("serve's HTTP clients leave AsyncHTTPClient's own tracing off")
struct ClientTracingOffTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test("the shared client's configuration has no tracer")
    func sharedConfiguration() {
        #expect(HTTPCertificateFetcher.recommendedClientConfiguration().tracing.tracer == nil)
    }

    @Test("every HTTPClient made in the server's modules turns tracing off or takes the shared configuration")
    func everyClient() throws {
        var problems: [String] = []
        var clients = 0
        let sources = Self.root.appendingPathComponent("Sources")
        let walker = FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil)
        while let url = walker?.nextObject() as? URL {
            // The admin CLI (`Sources/responder`) never bootstraps a tracer.
            guard url.pathExtension == "swift", !url.path.contains("/Sources/responder/") else { continue }
            let text = try String(contentsOf: url, encoding: .utf8)
            let made = text.components(separatedBy: "\n").filter { $0.contains("HTTPClient(") && !$0.contains("///") }
            guard !made.isEmpty else { continue }
            clients += made.count
            if !text.contains("tracing.tracer = nil"), !text.contains("recommendedClientConfiguration()") {
                problems.append(url.lastPathComponent)
            }
        }
        #expect(clients >= 2, "found \(clients) clients")
        #expect(problems.isEmpty, "HTTPClient made with AsyncHTTPClient's tracing on: \(problems)")
    }
}
