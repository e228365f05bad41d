/// Every fuzz target, by the name `scripts/fuzz`, the fuzzer (`RESPONDER_FUZZ_TARGET`) and the corpus folders use.
public enum FuzzTargets {
    /// All targets, in the order `scripts/fuzz` runs them.
    public static let all: [FuzzTarget] = [
        FuzzTarget(name: "strict-json", maxLength: 4096, summary: "StrictJSON validation of every JSON body",
                   body: StrictJSONTarget.run),
        FuzzTarget(name: "alertmanager", maxLength: 8192, summary: "Alertmanager webhook decoder, then ingest planning",
                   body: AlertmanagerTarget.run),
        FuzzTarget(name: "sns", maxLength: 8192,
                   summary: "SNS delivery: parse, string to sign, policy, signature, classification, ingest planning",
                   body: SNSTarget.run),
        FuzzTarget(name: "cloudwatch", maxLength: 4096, summary: "CloudWatch alarm message parser, then ingest planning",
                   body: CloudWatchTarget.run),
        FuzzTarget(name: "rfc3339", maxLength: 64, summary: "RFC 3339 parser and formatter round trip",
                   body: RFC3339Target.run),
        FuzzTarget(name: "events", maxLength: 2048,
                   summary: "events API body: decode, times, scheduling rules, the event's alert and plan",
                   body: EventsTarget.run),
        FuzzTarget(name: "matchers", maxLength: 512, summary: "Alertmanager-style matcher parsing and evaluation",
                   body: MatcherTarget.run),
        FuzzTarget(name: "durations", maxLength: 64, summary: "playbook durations and their printed form",
                   body: DurationTarget.run),
        FuzzTarget(name: "playbooks", maxLength: 12288,
                   summary: "playbook loader, then plans against sample alerts and a short simulation",
                   body: PlaybookTarget.run),
        FuzzTarget(name: "scenarios", maxLength: 4096, summary: "scenario loader, then the simulation",
                   body: ScenarioTarget.run),
        FuzzTarget(name: "config", maxLength: 4096, summary: "configuration loader with environment overrides",
                   body: ConfigTarget.run),
        FuzzTarget(name: "slack-form", maxLength: 4096, summary: "Slack interaction and confirmation form bodies",
                   body: SlackFormTarget.run),
        FuzzTarget(name: "slack-signature", maxLength: 4096,
                   summary: "Slack v0 request signature, replay guard, interaction decoding", body: SlackSignatureTarget.run),
        FuzzTarget(name: "action-links", maxLength: 1100, summary: "action-link token verification and signing",
                   body: ActionLinkTarget.run),
        FuzzTarget(name: "templates", maxLength: 1024, summary: "playbook templates rendered with alert values",
                   body: TemplateTarget.run),
        FuzzTarget(name: "gates", maxLength: 4096,
                   summary: "Prometheus query_range answers read into samples, then a load check's decision",
                   body: GatesTarget.run),
        FuzzTarget(name: "pauses", maxLength: 2048,
                   summary: "pause API body into a pause, then StepGuard under that pause and hostile limits and ledgers",
                   body: PausesTarget.run),
        FuzzTarget(name: "run-filter", maxLength: 1024,
                   summary: "the ended-runs page's query into a filter, its store query and the links it prints",
                   body: RunFilterTarget.run),
        FuzzTarget(name: "timeline", maxLength: 8192,
                   summary: "a stored run's JSON, validated as the stores do, laid out as the status page's timeline",
                   body: TimelineTarget.run),
        FuzzTarget(name: "schedule", maxLength: 512,
                   summary: "cron expressions, recurring-window occurrences across DST, one-off event times",
                   body: ScheduleTarget.run),
    ]

    /// The target called `name`, if any.
    public static func named(_ name: String) -> FuzzTarget? {
        all.first { $0.name == name }
    }
}
