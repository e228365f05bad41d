import Foundation

/// Which way a step moves capacity, for pauses that cover one direction.
public enum ScaleDirection: String, Sendable, Equatable, Codable, CaseIterable {
    /// Adds capacity (or prepares for load).
    case up
    /// Removes capacity (or puts back what a run changed).
    case down
}

extension RunStep {
    /// The step's direction: a scale step's planned counts decide (`to` above `from` is up, below is down); otherwise
    /// restores, undo and ladder steps go down, and actions go up, except in a scale-down playbook.
    public func direction(kind: Playbook.Kind) -> ScaleDirection {
        if let from, let to, from != to { return to > from ? .up : .down }
        if work == .restore { return .down }
        switch phase {
        case .ladder, .undo: return .down
        case .actions: return kind == .scaleDown ? .down : .up
        }
    }
}
