import ResponderCore

extension ActionPage {
    /// What the confirmation page shows about the run.
    public struct RunSummary: Sendable, Equatable {
        /// The run id.
        public var id: String
        /// The playbook that started the run.
        public var playbook: String
        /// The alert that triggered it, when known.
        public var alert: String?
        /// Where the run stands now.
        public var status: RunStatus
        /// What happens next (for example "scale api to 4 at 14:05 UTC"), when something is pending.
        public var nextStep: String?

        /// Creates a summary.
        public init(id: String, playbook: String, alert: String?, status: RunStatus, nextStep: String? = nil) {
            self.id = id
            self.playbook = playbook
            self.alert = alert
            self.status = status
            self.nextStep = nextStep
        }
    }

    /// Which result page to show, with the HTTP status that goes with it.
    public enum Outcome: String, Sendable, Equatable, CaseIterable {
        /// The command was carried out.
        case done
        /// The link was already used (its nonce is spent).
        case alreadyUsed
        /// The link has expired.
        case expired
        /// The link is malformed or its signature does not match.
        case invalid
        /// The run has ended; nothing left to do.
        case finished

        /// The status code to answer with.
        public var httpStatus: Int {
            switch self {
            case .done: return 200
            case .alreadyUsed, .finished: return 409
            case .expired: return 410
            case .invalid: return 403
            }
        }
    }
}

extension RunCommand {
    /// The button label of the command on the confirmation page.
    var actionPageVerb: String {
        switch self {
        case .ack: return "Acknowledge"
        case .hold: return "Hold step-down"
        case .resume: return "Resume"
        case .abort: return "Abort run"
        }
    }

    /// What pressing the button does, in one sentence.
    var actionPageEffect: String {
        switch self {
        case .ack: return "The run is marked acknowledged (mirrored to PagerDuty) and steps waiting for an acknowledgement are released."
        case .hold: return "The step-down is held: no further step fires until someone resumes the run."
        case .resume: return "The run resumes after its hold; the remaining steps keep their spacing."
        case .abort: return "The run stops: every pending step is cancelled."
        }
    }
}
