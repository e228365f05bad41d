import ResponderCore
import ResponderTracing
import Tracing

/// The span of one step's execution: a child of the engine span that started the step (same trace as the delivery
/// when the step fired at once, a timer pass's trace otherwise). The backend call (Kubernetes, AWS, the HTTP action,
/// the command) is its child span.
enum StepSpan {
    /// Executes `execution` with `executor` in its span; returns the result and the span's context (the step result's
    /// transaction continues from it).
    static func execute(_ execution: StepExecution, with executor: any StepExecutor) async -> (StepResult, ServiceContext, [String]) {
        let step = execution.step
        var attributes: SpanAttributes = ["responder.run.id": "\(execution.runID)", "responder.step.work": "\(work(step.work))"]
        attributes["responder.step.index"] = step.index
        attributes["responder.step.attempt"] = step.attempts
        attributes["responder.dry_run"] = execution.dryRun
        if let target = step.target { attributes["responder.target"] = target }
        if let to = step.to { attributes["responder.step.replicas"] = to }
        return await Traced.span("step", context: execution.trace ?? .topLevel, attributes: attributes) { span in
            // Every outbound call the step makes writes itself down here (OutboundCall), for the run's page.
            let log = RequestLog()
            let result = await RequestLog.$current.withValue(log) {
                await executor.execute(step, runID: execution.runID, snapshot: execution.snapshot, dryRun: execution.dryRun)
            }
            record(result, on: span)
            return (result, span.context, log.lines)
        }
    }

    /// The outcome on the span; a failure marks it failed with the step's message (which carries no secrets: it is
    /// what the run's history and Slack show).
    static func record(_ result: StepResult, on span: any Span) {
        switch result {
        case .success:
            span.attributes["responder.step.outcome"] = "success"
        case .retryable(let message):
            span.attributes["responder.step.outcome"] = "retryable"
            span.setStatus(SpanStatus(code: .error, message: String(message.prefix(300))))
        case .permanent(let message):
            span.attributes["responder.step.outcome"] = "permanent"
            span.setStatus(SpanStatus(code: .error, message: String(message.prefix(300))))
        case .waiting(let wait):
            span.attributes["responder.step.outcome"] = "waiting"
            span.attributes["responder.step.check"] = wait.check
        }
    }

    /// A word for what the step does.
    static func work(_ work: RunStep.Work) -> String {
        switch work {
        case .restore: "restore"
        case .action(.scale): "scale"
        case .action(.autoscaler): "autoscaler"
        case .action(.env): "env"
        case .action(.annotate): "annotate"
        case .action(.http): "http"
        case .action(.command): "command"
        case .action(.notify): "notify"
        }
    }
}
