import Foundation
import ResponderCore

/// The UTC stamps SigV4 needs: `yyyyMMdd'T'HHmmss'Z'` and `yyyyMMdd`, cut from the RFC 3339 form (whole seconds,
/// rounded down) so the calendar arithmetic lives in one place.
struct SigV4Date: Sendable {
    /// `20150830T123600Z`.
    let dateTime: String
    /// `20150830`.
    let day: String

    init(_ date: Date) {
        // RFC3339.format gives `2015-08-30T12:36:00.000Z`.
        let text = Array(RFC3339.format(date))
        day = String(text[0..<10]).replacingOccurrences(of: "-", with: "")
        dateTime = day + "T" + String(text[11..<19]).replacingOccurrences(of: ":", with: "") + "Z"
    }
}
