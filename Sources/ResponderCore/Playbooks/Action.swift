/// One thing a playbook does.
public enum Action: Sendable, Equatable, Codable {
    /// Set a target's replica count.
    case scale(target: String, change: ScaleChange)
    /// Raise (or set) the HorizontalPodAutoscaler / scalable-target min and max of a target; the originals are
    /// snapshotted and restored by a ladder with `restore: true`.
    case autoscaler(target: String, min: Int?, max: Int?)
    /// Set environment variables on a Kubernetes workload's container (merge patch); originals snapshotted.
    case env(target: String, set: [String: String])
    /// Set (or, with a nil value, remove) annotations on the workload or its HPA; originals snapshotted.
    case annotate(target: String, object: AnnotatedObject, set: [String: String?])
    /// Call an HTTP endpoint (cache warm-up, admin rate-limit endpoints).
    case http(HTTPCall)
    /// Run a command (argv, never a shell).
    case command(CommandCall)
    /// Tell people something (Slack / PagerDuty change event).
    case notify(message: String)

    /// How a scale action changes the count.
    public enum ScaleChange: Sendable, Equatable, Codable {
        /// To an absolute value.
        case to(Int)
        /// To the target's ceiling.
        case toMax
        /// To the target's floor.
        case toFloor
        /// By a signed delta (+2, -1).
        case by(Int)
        /// By a factor (2 doubles).
        case factor(Double)
    }

    /// Which object an annotation goes on.
    public enum AnnotatedObject: String, Sendable, Equatable, CaseIterable, Codable {
        /// The Deployment / StatefulSet.
        case workload
        /// Its HorizontalPodAutoscaler.
        case hpa
    }

    /// An HTTP call. The URL's path and query and the header values may use `${labels.NAME}`, `${annotations.NAME}`,
    /// `${alert.status}`, `${alert.fingerprint}`, `${playbook}`, each encoded for where it lands
    /// (``HTTPRequestRenderer``); a JSON body is built from `json`, never by pasting values into text.
    public struct HTTPCall: Sendable, Equatable, Codable {
        /// HTTP method.
        public var method: String
        /// URL (templated in the path, query and fragment only).
        public var url: String
        /// Headers (templated values).
        public var headers: [String: String]
        /// A literal body (no alert values).
        public var body: String?
        /// A JSON body whose strings may hold alert values.
        public var json: JSONTemplate?
        /// Give up after this long.
        public var timeout: Duration
        /// Statuses counted as success.
        public var expectStatus: [Int]
        /// Only record this call, even when the run acts (`dry_run: true` on the action: costly or risky calls).
        public var dryRun: Bool?

        /// Creates an HTTP call.
        public init(method: String, url: String, headers: [String: String] = [:], body: String? = nil,
                    json: JSONTemplate? = nil, timeout: Duration = .seconds(10), expectStatus: [Int] = [200, 201, 202, 204]) {
            self.method = method
            self.url = url
            self.headers = headers
            self.body = body
            self.json = json
            self.timeout = timeout
            self.expectStatus = expectStatus
        }
    }

    /// A command run as argv. Alert values reach it only through `env` or through `params`, each validated
    /// against a pattern before it may replace `{name}` in `argv`.
    public struct CommandCall: Sendable, Equatable, Codable {
        /// argv; `{param}` placeholders only.
        public var argv: [String]
        /// Environment variables (templated values).
        public var env: [String: String]
        /// Named parameters taken from the alert and validated.
        public var params: [String: Parameter]
        /// Give up after this long.
        public var timeout: Duration
        /// Only record this command, even when the run acts (`dry_run: true` on the action).
        public var dryRun: Bool?

        /// Creates a command call.
        public init(argv: [String], env: [String: String] = [:], params: [String: Parameter] = [:], timeout: Duration = .seconds(60)) {
            self.argv = argv
            self.env = env
            self.params = params
            self.timeout = timeout
        }

        /// A validated parameter.
        public struct Parameter: Sendable, Equatable, Codable {
            /// `labels.NAME` or `annotations.NAME`.
            public var from: String
            /// Anchored regex the value must match (`k8s-name` means `^[a-z0-9]([-a-z0-9]*[a-z0-9])?$`).
            public var pattern: String

            /// Creates a parameter.
            public init(from: String, pattern: String) {
                self.from = from
                self.pattern = pattern
            }
        }
    }

    /// Whether the action itself says it is only recorded (`dry_run: true` on an http or command action).
    public var isDryRunOnly: Bool {
        switch self {
        case .http(let call): return call.dryRun == true
        case .command(let call): return call.dryRun == true
        default: return false
        }
    }

    /// The target an action touches, if any.
    public var target: String? {
        switch self {
        case .scale(let target, _), .autoscaler(let target, _, _), .env(let target, _), .annotate(let target, _, _):
            return target
        case .http, .command, .notify:
            return nil
        }
    }
}
