import Foundation
import ResponderCore

/// Reads an event time from the API: RFC 3339 with an offset, or a local date-time with the request's `time_zone`
/// (``EventTime``); the refusal names the field.
enum EventTimeText {
    /// Why a time was refused, naming the field.
    struct Problem: Error {
        let message: String
    }

    static func parse(_ text: String, zone: String?, field: String) -> Result<Date, Problem> {
        do {
            return .success(try EventTime.parse(text, timeZone: zone).instant)
        } catch {
            return .failure(Problem(message: "\(field): \(error.description)"))
        }
    }
}
