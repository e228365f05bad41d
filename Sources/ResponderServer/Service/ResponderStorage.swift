import ResponderCore
import ResponderStore

/// Everything `responder serve` keeps durably, whichever database holds it: the SQLite journal in the state folder
/// (one process) or PostgreSQL (`--database-url`, several replicas).
public typealias ResponderStorage = AlertJournal & AlertBacklog & RunRepository & NotificationOutbox & ChatThreadStore
    & ActionTokenLedger & DryRunLedger & EventStore
