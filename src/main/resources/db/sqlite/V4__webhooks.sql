-- Webhooks (SPEC §9): the endpoints of a workspace, and the outbox of their deliveries.
-- The secret is kept as given: signing needs it, so it cannot be hashed like a key's.

CREATE TABLE webhooks (
    workspace_id INTEGER NOT NULL,
    id           TEXT    NOT NULL,
    url          TEXT    NOT NULL,
    events       TEXT    NOT NULL,
    secret       TEXT    NOT NULL,
    created_at   INTEGER NOT NULL,
    PRIMARY KEY (workspace_id, id)
);

-- One row per event and endpoint, written in the transaction of the write that caused the event.
-- next_attempt_at is set while the delivery is owed (the outbox) and cleared once it is settled.
CREATE TABLE webhook_deliveries (
    workspace_id    INTEGER NOT NULL,
    id              TEXT    NOT NULL,
    webhook_id      TEXT    NOT NULL,
    event_id        TEXT    NOT NULL,
    event_type      TEXT    NOT NULL,
    conversation_id TEXT    NOT NULL,
    request_id      TEXT,
    occurred_at     INTEGER NOT NULL,
    state           TEXT    NOT NULL,
    attempts        INTEGER NOT NULL,
    last_status     INTEGER,
    last_error      TEXT,
    last_attempt_at INTEGER,
    next_attempt_at INTEGER,
    claim           TEXT,
    PRIMARY KEY (workspace_id, id)
);
CREATE INDEX webhook_deliveries_recent ON webhook_deliveries (workspace_id, webhook_id, occurred_at DESC, id DESC);
-- the outbox: only deliveries still owed are in it
CREATE INDEX webhook_deliveries_owed ON webhook_deliveries (workspace_id, webhook_id, next_attempt_at)
    WHERE next_attempt_at IS NOT NULL;
