/// Why a step's request could not be built from its playbook action and the alert.
public enum TemplateRefusal: Error, Sendable, Equatable, CustomStringConvertible {
    /// The values (or the stored action) would give a request that must not be sent; the step fails for good.
    case refused(String)
    /// The action reads alert values but the run's alert could not be read; trying again may help.
    case alertUnavailable

    /// What happened, for the run history.
    public var description: String {
        switch self {
        case .refused(let message): return message
        case .alertUnavailable: return "the run's alert could not be read, and this step uses its values"
        }
    }
}

/// Where rendering reads alert values from: the run's alert, or nothing when it could not be read (a step that uses
/// no alert value still renders then).
public struct TemplateValues: Sendable {
    /// The alert, when known.
    public var template: AlertTemplate?

    /// Values from `template`.
    public init(_ template: AlertTemplate?) {
        self.template = template
    }

    /// The value of `reference`; throws ``TemplateRefusal/alertUnavailable`` without an alert.
    public func value(of reference: String) throws(TemplateRefusal) -> String {
        guard let template else { throw .alertUnavailable }
        return template.value(of: reference)
    }

    /// `text` with references replaced verbatim (for text that is not re-parsed: notify messages, env values).
    public func render(_ text: String) throws(TemplateRefusal) -> String {
        var out = ""
        for piece in TemplatePiece.parse(text) {
            switch piece {
            case .literal(let literal): out += literal
            case .reference(let reference): out += try value(of: reference)
            }
        }
        return out
    }
}
