-- Privacy (SPEC §10): each workspace's redaction and retention settings, the audit log of
-- erasures, the progress of `workspace redact`, and the lease that lets one instance sweep at a time.

-- A workspace without a row has the defaults: card numbers redacted, history kept for ever.
CREATE TABLE workspace_privacy (
    workspace_id   BIGINT  PRIMARY KEY,
    redact_email   BOOLEAN NOT NULL,
    redact_phone   BOOLEAN NOT NULL,
    redact_card    BOOLEAN NOT NULL,
    retention_days INTEGER
);

-- Never the erased text nor the user id: what was done, when, by which key, to how many.
CREATE TABLE privacy_audit (
    id            BIGSERIAL PRIMARY KEY,
    workspace_id  BIGINT  NOT NULL,
    at            BIGINT  NOT NULL,
    key_id        TEXT,
    action        TEXT    NOT NULL,
    conversations INTEGER NOT NULL
);
CREATE INDEX privacy_audit_newest_first ON privacy_audit (workspace_id, id DESC);

-- Where an interrupted `workspace redact` goes on from, and with which kinds it began.
CREATE TABLE redaction_runs (
    workspace_id BIGINT  PRIMARY KEY,
    kinds        TEXT    NOT NULL,
    after_id     TEXT    NOT NULL,
    changed      INTEGER NOT NULL
);

-- One row: the instance that sweeps, until when.
CREATE TABLE retention_lease (
    id     INTEGER PRIMARY KEY CHECK (id = 1),
    holder TEXT    NOT NULL,
    until  BIGINT  NOT NULL
);
INSERT INTO retention_lease (id, holder, until) VALUES (1, '', 0);

-- The retention sweep finds the oldest conversations by their last change.
CREATE INDEX conversations_by_update ON conversations (workspace_id, updated_at);
