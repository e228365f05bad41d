/// Why the start or end of a one-off event could not be read, and what to write instead.
public struct EventTimeError: Error, Equatable, Sendable, CustomStringConvertible {
    /// What kind of problem it is, for callers that answer differently (all are the user's input to fix).
    public enum Kind: Equatable, Sendable {
        /// Neither RFC 3339 with an offset nor a local date-time `YYYY-MM-DDTHH:MM[:SS]`.
        case malformed
        /// A year outside 1970–9999, or an instant that falls outside them once its offset is applied.
        case outOfRange
        /// A local date-time without a time zone.
        case missingTimeZone
        /// A time zone that is not an IANA identifier this system knows.
        case unknownTimeZone
        /// A local time that the clocks skip (a daylight-saving gap) in the zone.
        case skippedByDaylightSaving
    }

    /// What kind of problem it is.
    public var kind: Kind
    /// What is wrong and what to write instead.
    public var description: String

    /// Creates an error.
    public init(_ kind: Kind, _ description: String) {
        self.kind = kind
        self.description = description
    }
}
