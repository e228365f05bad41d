import ResponderCore

/// The statements of SQLite retention: each picks one batch oldest first through an index and keeps what is needed.
enum RetentionSQL {
    /// Empties raw bodies; the delivery row and its idempotency key stay (``RetentionKind/deliveryKeys``).
    static let rawBodies = """
        UPDATE delivery SET body = '' WHERE id IN (
            SELECT id FROM delivery WHERE body != '' AND received_at < ? ORDER BY received_at LIMIT ?)
        """

    /// Alerts handed to the engine, of no open run, and not the newest firing alert of their fingerprint: Alertmanager
    /// re-sends a firing alert with the same key every `repeat_interval`, and that key must stay a duplicate.
    static let alerts = """
        DELETE FROM alert WHERE id IN (
            SELECT a.id FROM alert AS a
            WHERE a.received_at < ? AND a.processed_at IS NOT NULL
              AND NOT (a.status = 'firing'
                       AND a.id = (SELECT MAX(b.id) FROM alert AS b WHERE b.source = a.source AND b.fingerprint = a.fingerprint))
              AND NOT EXISTS (SELECT 1 FROM run AS r WHERE r.alert_fingerprint = a.fingerprint
                                                    AND (r.ended_at IS NULL OR r.status IN ('active', 'held')))
            ORDER BY a.received_at LIMIT ?)
        """

    /// The one statement that deletes a batch of each kind (cutoff, limit); ended runs take several (their rows in
    /// other tables go with them) and are not here.
    static let batch: [RetentionKind: String] = [
        .rawBodies: rawBodies, .alerts: alerts, .actionLinks: actionLinks, .deliveryKeys: deliveryKeys,
    ]

    /// Ended runs with no notification still to send (it needs the run's Slack message to thread under), never the
    /// highest-numbered run: the next run's number is one more than the highest stored, and a reused number would
    /// find the old run's executor calls and skip its steps as done.
    static let endedRuns = """
        SELECT r.id FROM run AS r
        WHERE r.ended_at IS NOT NULL AND r.ended_at < ? AND r.status NOT IN ('active', 'held')
          AND NOT EXISTS (SELECT 1 FROM outbox AS o WHERE o.run_id = r.id AND o.status = 'pending')
          AND r.id IS NOT (SELECT id FROM run WHERE id LIKE 'run-%' ORDER BY CAST(substr(id, 5) AS INTEGER) DESC LIMIT 1)
        ORDER BY r.ended_at LIMIT ?
        """

    /// The executor calls of the runs in `list` (placeholders), but the last recorded scale of each target: the
    /// dry-run executor reads a target's replicas from it (``SQLiteJournal/lastScaled(targets:)``).
    static func endedRunCalls(_ list: String) -> String {
        """
        DELETE FROM executor_call WHERE run_id IN (\(list))
          AND NOT (action = 'scale' AND value IS NOT NULL
                   AND id = (SELECT MAX(c.id) FROM executor_call AS c
                             WHERE c.target = executor_call.target AND c.action = 'scale' AND c.value IS NOT NULL))
        """
    }

    /// Used action-link nonces.
    static let actionLinks = """
        DELETE FROM action_token_use WHERE nonce IN (
            SELECT nonce FROM action_token_use WHERE used_at < ? ORDER BY used_at LIMIT ?)
        """

    /// Deliveries (and their idempotency keys) whose alerts are all gone.
    static let deliveryKeys = """
        DELETE FROM delivery WHERE id IN (
            SELECT d.id FROM delivery AS d
            WHERE d.received_at < ? AND NOT EXISTS (SELECT 1 FROM alert AS a WHERE a.delivery_id = d.id)
            ORDER BY d.received_at LIMIT ?)
        """

    /// The oldest record of each kind, each read through an index.
    static let oldest: [(RetentionKind, String)] = [
        (.rawBodies, "SELECT MIN(received_at) FROM delivery WHERE body != ''"),
        (.deliveryKeys, "SELECT MIN(received_at) FROM delivery"),
        (.alerts, "SELECT MIN(received_at) FROM alert"),
        (.endedRuns, "SELECT MIN(ended_at) FROM run WHERE ended_at IS NOT NULL"),
        (.actionLinks, "SELECT MIN(used_at) FROM action_token_use"),
    ]
}
