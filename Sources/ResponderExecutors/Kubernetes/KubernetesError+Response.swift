import AsyncHTTPClient
import NIOSSL

extension KubernetesError {
    /// Classifies a non-2xx answer to `request`, using the API's `Status` body for the details.
    public static func response(status: Int, body: [UInt8], request: KubernetesRequest) -> KubernetesError {
        let parsed = KubernetesStatus.parse(body)
        let said = parsed?.message.map { " API: \($0)" } ?? ""
        let object = request.object
        let resource = object.resource
        let what = "\(resource.kind) \"\(object.name)\" in namespace \"\(object.namespace)\""
        let call = "\(request.method.rawValue) \(object.path)"
        switch status {
        case 401:
            return KubernetesError(.unauthorized, statusCode: status, message:
                "Kubernetes rejected Responder's credentials (HTTP 401) for \(call): the token expired, was revoked or "
                + "belongs to another cluster; check the service-account token or kubeconfig user Responder uses.\(said)")
        case 403:
            let group = resource.group.isEmpty ? "\"\"" : "\"\(resource.group)\""
            return KubernetesError(.forbidden, statusCode: status, message:
                "Kubernetes RBAC forbids Responder to \(request.method.verb) \(resource.rbacName) \"\(object.name)\" in "
                + "namespace \"\(object.namespace)\": add a Role rule in namespace \"\(object.namespace)\" with "
                + "apiGroups: [\(group)], resources: [\"\(resource.rbacName)\"], verbs: [\"\(request.method.verb)\"] "
                + "and bind it to Responder's service account.\(said)")
        case 404:
            let hint = resource.plural == KubernetesResource.horizontalPodAutoscalers.plural
                ? "check the target's hpa name and namespace (autoscaling/v2 needs Kubernetes 1.23 or later)"
                : "check the target's name, namespace and kind"
            return KubernetesError(.notFound, statusCode: status, message: "\(what) not found (\(call)): \(hint).\(said)")
        case 409:
            return KubernetesError(.conflict, statusCode: status, message:
                "\(what) changed while Responder was updating it (HTTP 409 Conflict); it is read again on retry.\(said)")
        case 400, 422:
            return KubernetesError(.invalid, statusCode: status, message:
                "Kubernetes refused the change to \(what) as invalid (HTTP \(status)).\(said)")
        case 429:
            return KubernetesError(.throttled, statusCode: status, message:
                "Kubernetes API is throttling requests (HTTP 429) for \(call).\(said)")
        case 408:
            return KubernetesError(.transport, statusCode: status, message: "Kubernetes API timed out (HTTP 408) on \(call).\(said)")
        case 500...599:
            return KubernetesError(.serverError, statusCode: status, message: "Kubernetes API failed (HTTP \(status)) on \(call).\(said)")
        default:
            return KubernetesError(.unexpectedStatus, statusCode: status, message:
                "Kubernetes API answered HTTP \(status) to \(call).\(said)")
        }
    }

    /// Classifies a failure to get an answer at all (connection refused, TLS, timeout).
    public static func transport(_ error: any Error, request: KubernetesRequest, server: String) -> KubernetesError {
        let call = "\(request.method.rawValue) \(KubernetesRequest.url(server: server, path: request.object.path))"
        // A TLS failure is almost always configuration (a wrong CA or server address), so the message says where to look.
        if error is NIOSSLError || error is BoringSSLError || error is NIOSSLExtraError {
            return KubernetesError(.transport, message:
                "TLS with the Kubernetes API failed on \(call): \(error); check the cluster CA (certificate-authority) "
                + "and the server address.")
        }
        if let client = error as? HTTPClientError, client == .deadlineExceeded || client == .readTimeout
            || client == .connectTimeout || client == .tlsHandshakeTimeout {
            return KubernetesError(.transport, message: "Kubernetes API did not answer in time on \(call): \(client).")
        }
        return KubernetesError(.transport, message: "Could not reach the Kubernetes API on \(call): \(error).")
    }
}
