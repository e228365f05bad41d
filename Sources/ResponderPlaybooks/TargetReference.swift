import ResponderCore

/// A playbook's use of a target, checked once every file is read (targets may live in another file).
struct TargetReference {
    /// What the playbook does with the target; some uses need a particular kind of target.
    enum Use: Equatable {
        /// `scale`: any target.
        case scale
        /// `autoscaler`: a Kubernetes target with `hpa`, or an ECS target with `scalable_target: true`.
        case autoscaler
        /// `env`: a Kubernetes target.
        case env
        /// `annotate`: a Kubernetes target, with `hpa` when the object is the HPA.
        case annotate(Action.AnnotatedObject)
        /// A `step_down.levels` entry: any target.
        case ladder
    }

    /// The target's name as written.
    var target: String
    /// What the playbook does with it.
    var use: Use
    /// Where the name was written.
    var location: FileLocation
}
