import Foundation

/// How much a store holds: its size and the oldest record of each kind (what `/metrics` shows).
public struct StoreFootprint: Sendable, Equatable {
    /// Bytes the store takes on disk; nil when the store cannot tell cheaply.
    public var bytes: Int64?
    /// When the oldest record of each kind was written (received, ended, used); a kind without records is absent.
    public var oldest: [RetentionKind: Date]

    /// A footprint.
    public init(bytes: Int64?, oldest: [RetentionKind: Date]) {
        self.bytes = bytes
        self.oldest = oldest
    }
}
