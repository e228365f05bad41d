/// All targets and playbooks loaded together from the playbooks folder.
public struct PlaybookSet: Sendable, Equatable {
    /// Targets by name.
    public var targets: [String: Target]
    /// Playbooks in file order.
    public var playbooks: [Playbook]
    /// Files read, relative names, sorted.
    public var files: [String]

    /// Creates a set.
    public init(targets: [String: Target], playbooks: [Playbook], files: [String]) {
        self.targets = targets
        self.playbooks = playbooks
        self.files = files
    }
}
