import ResponderCore

/// Why an SNS delivery was not accepted (or its subscription not confirmed), with the HTTP status to answer.
public enum SNSDeliveryError: Error, Equatable, Sendable {
    /// The delivery is invalid, forged, stale or not allowed: answer ``IngestError/httpStatus`` (4xx); SNS should
    /// not retry.
    case rejected(IngestError)
    /// The signing certificate could not be obtained: answer 503 so SNS retries later.
    case certificateUnavailable(SigningCertificateError)
    /// The SubscribeURL GET failed (after the delivery was stored): answer 503 so SNS re-sends the confirmation.
    case confirmationFailed(SubscriptionConfirmationError)

    /// HTTP status for the answer to SNS.
    public var httpStatus: Int {
        switch self {
        case .rejected(let error): return error.httpStatus
        case .certificateUnavailable(let error): return error.httpStatus
        case .confirmationFailed: return 503
        }
    }

    /// Message for the JSON error body; never contains secrets.
    public var message: String {
        switch self {
        case .rejected(let error): return error.message
        case .certificateUnavailable(let error): return error.message
        case .confirmationFailed(let error): return error.message
        }
    }
}
