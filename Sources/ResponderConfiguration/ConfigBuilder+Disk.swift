import Foundation
import ResponderCore

extension ConfigBuilder {
    /// The `disk:` section: warn when the free space under the SQLite journal is below `warn_free_bytes` or below
    /// `warn_free_percent` of the file system (0 turns either off).
    func disk() throws(ConfigError) -> DiskThresholds {
        var thresholds = DiskThresholds()
        thresholds.warnFreeBytes = try int("disk.warn_free_bytes") ?? thresholds.warnFreeBytes
        let key = "disk.warn_free_percent"
        if let text = try string(key) {
            let range = DiskThresholds.warnFreePercentRange
            guard let value = Double(text), value.isFinite, range.contains(value) else {
                throw ConfigError("\(values[key]?.origin ?? key): \(key) must be a percentage from "
                    + "\(Int(range.lowerBound)) to \(Int(range.upperBound)) (0 turns it off), got \"\(text.prefix(40))\"")
            }
            thresholds.warnFreePercent = value
        }
        return thresholds
    }
}
