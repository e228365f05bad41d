import ResponderNotify
import Testing

@Suite struct NotifyErrorTests {
    @Test func descriptionSaysWhenToRetry() {
        #expect(NotifyError.retryable("HTTP 429", retryAfter: .seconds(3)).description == "HTTP 429 (retry after 3.0 seconds)")
        #expect(NotifyError.permanent("invalid_auth").description == "invalid_auth")
    }
}
