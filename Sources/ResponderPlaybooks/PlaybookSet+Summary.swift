import ResponderCore

/// How `responder validate` describes a loaded set.
extension PlaybookSet {
    /// `3 files, 9 targets, 8 playbooks`, as `responder validate` prints it.
    public var summary: String {
        func count(_ number: Int, _ noun: String) -> String { "\(number) \(noun)\(number == 1 ? "" : "s")" }
        return "\(count(files.count, "file")), \(count(targets.count, "target")), \(count(playbooks.count, "playbook"))"
    }
}
