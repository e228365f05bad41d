extension BackendError {
    /// `value` when it is a replica count Responder accepts (``Limits/replicas``, 0 to 100,000); otherwise a
    /// permanent error naming the backend and the field, so an absurd answer never reaches a plan's arithmetic.
    public static func checkedCount(_ value: Int, _ field: String, of label: String) throws(BackendError) -> Int {
        guard Limits.replicas.contains(value) else {
            throw .permanent("\(label) reported \(field) \(value), outside the \(Limits.text(Limits.replicas)) replicas "
                + "Responder accepts: check the object (or the command's output) by hand")
        }
        return value
    }

    /// `state` when its min, max and desired are all accepted replica counts; otherwise a permanent error.
    public static func checkedAutoscaler(_ state: AutoscalerState?, fields: (min: String, max: String, desired: String),
                                         of label: String) throws(BackendError) -> AutoscalerState? {
        guard let state else { return nil }
        _ = try checkedCount(state.min, fields.min, of: label)
        _ = try checkedCount(state.max, fields.max, of: label)
        if let desired = state.desired { _ = try checkedCount(desired, fields.desired, of: label) }
        return state
    }
}
