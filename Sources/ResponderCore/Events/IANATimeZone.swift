import Foundation

/// IANA time zone identifiers (`Europe/Berlin`, `America/New_York`, `UTC`) as events and recurring windows name them.
///
/// On Linux, Foundation reads zone rules from the ICU data built into the Swift toolchain, not from the system's
/// tzdata: a rule change reaches Responder with a new toolchain.
public enum IANATimeZone {
    /// The longest identifier accepted; the longest in the IANA database is about 30 characters.
    public static let maxIdentifierLength = 64

    /// The zone called `identifier`, or nil when it is not an IANA identifier this system's zone data knows.
    ///
    /// The spelling must be exact, case included. Names without a `/` are limited to the IANA ones still in common
    /// use (`UTC`, `GMT`, `EST`, `CET`, ...), because Foundation also accepts offsets (`GMT+0200`) and ICU's three-letter
    /// aliases, some of which mislead (`BST` is Bangladesh, not British Summer Time); the identifier is stored and
    /// shown as written, so it must be the real name.
    public static func named(_ identifier: String) -> TimeZone? {
        guard !identifier.isEmpty, identifier.utf8.count <= maxIdentifierLength,
              identifier.utf8.allSatisfy({ allowed.contains($0) }),
              identifier.contains("/") || withoutArea.contains(identifier),
              let zone = TimeZone(identifier: identifier),
              // Foundation answers some spellings with another zone's name (`UTC+2` is GMT+0200); UTC is called GMT.
              zone.identifier == identifier || identifier == "UTC"
        else { return nil }
        return zone
    }

    /// What messages say about identifiers.
    public static let hint = "use an IANA time zone name such as Europe/Berlin, America/New_York or UTC"

    /// Bytes an IANA identifier may contain.
    private static let allowed = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789/_-+".utf8)

    /// IANA identifiers without an area that are accepted.
    private static let withoutArea: Set<String> = [
        "UTC", "UCT", "GMT", "Universal", "Zulu", "Greenwich", "EST", "MST", "HST", "CET", "EET", "WET", "MET",
        "EST5EDT", "CST6CDT", "MST7MDT", "PST8PDT",
    ]
}
