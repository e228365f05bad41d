import ResponderNotify

/// What Slack's `{"ok":false,"error":"..."}` codes mean for Responder: retry later, or tell a person what to fix.
/// Codes from https://docs.slack.dev/reference/methods/chat.postMessage and chat.update.
enum SlackErrorCatalog {
    /// Codes that pass on their own: Slack is busy or briefly broken.
    static let retryable: Set<String> = [
        "ratelimited", "rate_limited", "internal_error", "fatal_error", "service_unavailable", "request_timeout",
        "message_limit_exceeded", "team_added_to_org",
    ]

    /// The error for `code` answered to `method`; `channel` and `needed` (the missing scope) make the advice exact,
    /// `detail` is Slack's own explanation (block errors), already free of secrets.
    static func error(code: String, method: String, channel: String?, needed: String?, detail: String?,
                      retryAfter: Duration?) -> NotifyError {
        let quoted = plain(code)
        if retryable.contains(code) {
            return .retryable("Slack \(method) answered \(quoted)", retryAfter: retryAfter)
        }
        let inChannel = channel.map { " \(plain($0))" } ?? ""
        let advice: String
        switch code {
        case "not_authed":
            advice = "no bot token was sent: set slack.bot_token (or slack.bot_token_file)"
        case "invalid_auth":
            advice = "the bot token is not valid: set slack.bot_token to the app's Bot User OAuth Token (xoxb-...)"
        case "account_inactive", "token_revoked", "token_expired", "org_login_required":
            advice = "the bot token no longer works (app uninstalled, token revoked or expired): reinstall the Slack app and set the new bot token"
        case "missing_scope", "no_permission", "not_allowed_token_type":
            let scope = needed.map { plain($0) } ?? "chat:write"
            advice = "the bot token lacks the \(scope) scope: add it (chat:write, and chat:write.public to post in channels the bot has not joined) under OAuth & Permissions, reinstall the app and set the new token"
        case "channel_not_found":
            advice = "channel\(inChannel) was not found: use the channel ID (C..., from the channel's details), and invite the bot if the channel is private"
        case "not_in_channel":
            advice = "the bot is not in channel\(inChannel): invite it (/invite @your-bot in the channel) or add the chat:write.public scope"
        case "is_archived":
            advice = "channel\(inChannel) is archived: unarchive it or configure another slack.channel"
        case "restricted_action", "restricted_action_read_only_channel", "restricted_action_thread_only_channel",
             "restricted_action_non_threadable_channel", "access_denied", "team_access_not_granted", "ekm_access_denied":
            advice = "the workspace does not let the bot post in channel\(inChannel): ask a Slack admin to allow it, or pick another channel"
        case "msg_too_long":
            advice = "the message is too long for Slack (a Responder bug: messages are truncated before sending)"
        case "invalid_blocks", "invalid_blocks_format", "too_many_blocks":
            advice = "Slack refused the message's blocks (a Responder bug)"
        case "no_text":
            advice = "the message had neither text nor blocks (a Responder bug)"
        case "message_not_found":
            advice = "the message to update no longer exists (deleted?): a new one is needed"
        case "cant_update_message", "edit_window_closed":
            advice = "the message cannot be updated by this bot: a new one is needed"
        case "thread_not_found", "invalid_thread_ts", "cannot_reply_to_message":
            advice = "the run's thread cannot be replied to: post a new message"
        case "invalid_arguments", "invalid_arg_name", "invalid_array_arg", "invalid_charset", "invalid_form_data",
             "invalid_post_type", "missing_post_type", "invalid_json", "json_not_object", "unknown_method":
            advice = "Slack did not understand the request (a Responder bug, or slack.base_url is not Slack's Web API)"
        default:
            advice = "see https://docs.slack.dev/reference/methods/\(method)#errors"
        }
        let extra = detail.map { " (\($0))" } ?? ""
        return .permanent("Slack \(method) refused: \(quoted)\(extra): \(advice)")
    }

    /// `text` when it is a plain identifier Slack would send (letters, digits, `_`, `.`, `:`, `-`), else a
    /// placeholder: an error code is quoted in logs, so it must not carry anything else.
    static func plain(_ text: String) -> String {
        let allowed = text.unicodeScalars.allSatisfy {
            ($0.properties.isASCIIHexDigit || ("a"..."z").contains($0) || ("A"..."Z").contains($0)
                || "_.:-,".unicodeScalars.contains($0))
        }
        return allowed && !text.isEmpty && text.count <= 100 ? text : "(unreadable)"
    }
}
