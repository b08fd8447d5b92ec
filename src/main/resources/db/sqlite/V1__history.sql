-- Every table's key and every index start with the workspace id (SPEC §7).

CREATE TABLE workspaces (
    id          INTEGER PRIMARY KEY,
    name        TEXT    NOT NULL UNIQUE,
    created_at  INTEGER NOT NULL
);

CREATE TABLE api_keys (
    workspace_id INTEGER NOT NULL REFERENCES workspaces (id),
    id           TEXT    NOT NULL,
    secret_hash  TEXT    NOT NULL,
    scopes       TEXT    NOT NULL,
    created_at   INTEGER NOT NULL,
    revoked_at   INTEGER,
    PRIMARY KEY (workspace_id, id)
);
-- Authentication finds a key by the hash of the secret it was shown, before it knows the
-- workspace: this small table is a reference table, replicated whole when distributed.
CREATE UNIQUE INDEX api_keys_by_hash ON api_keys (secret_hash);
CREATE UNIQUE INDEX api_keys_by_id ON api_keys (id);

CREATE TABLE conversations (
    workspace_id            INTEGER NOT NULL,
    id                      TEXT    NOT NULL,
    external_id             TEXT,
    source                  TEXT    NOT NULL,
    channel                 TEXT,
    escalation              INTEGER NOT NULL,
    has_links               INTEGER NOT NULL,
    feedback_type           TEXT,
    expecting_user_followup INTEGER NOT NULL,
    url                     TEXT,
    categories              TEXT    NOT NULL,
    created_at              INTEGER NOT NULL,
    updated_at              INTEGER NOT NULL,
    user_id                 TEXT,
    change_seq              INTEGER NOT NULL,
    PRIMARY KEY (workspace_id, id)
) WITHOUT ROWID;
CREATE INDEX conversations_newest_first ON conversations (workspace_id, created_at DESC, id DESC);
CREATE INDEX conversations_by_source ON conversations (workspace_id, source, created_at DESC, id DESC);
CREATE INDEX conversations_by_user ON conversations (workspace_id, user_id, created_at DESC, id DESC);
CREATE INDEX conversations_by_ticket ON conversations (workspace_id, external_id, created_at DESC, id DESC);
CREATE INDEX conversations_by_change ON conversations (workspace_id, change_seq);

CREATE TABLE bot_requests (
    workspace_id            INTEGER NOT NULL,
    id                      TEXT    NOT NULL,
    conversation_id         TEXT    NOT NULL,
    position                INTEGER NOT NULL,
    question                TEXT    NOT NULL,
    answer                  TEXT    NOT NULL,
    question_folded         TEXT    NOT NULL,
    answer_folded           TEXT    NOT NULL,
    categories              TEXT    NOT NULL,
    escalation              INTEGER NOT NULL,
    reasoning               TEXT,
    feedback_type           TEXT,
    expecting_user_followup INTEGER NOT NULL,
    created_at              INTEGER NOT NULL,
    based_on                TEXT    NOT NULL,
    content_hash            TEXT,
    PRIMARY KEY (workspace_id, id)
);
CREATE INDEX bot_requests_in_order ON bot_requests (workspace_id, conversation_id, position);

-- Lookup tables that keep a rare category or a cited source from scanning the workspace.
CREATE TABLE conversation_categories (
    workspace_id    INTEGER NOT NULL,
    category        TEXT    NOT NULL,
    created_at      INTEGER NOT NULL,
    conversation_id TEXT    NOT NULL,
    PRIMARY KEY (workspace_id, category, created_at, conversation_id)
) WITHOUT ROWID;
CREATE INDEX conversation_categories_of ON conversation_categories (workspace_id, conversation_id);

CREATE TABLE conversation_citations (
    workspace_id    INTEGER NOT NULL,
    source_id       TEXT    NOT NULL,
    created_at      INTEGER NOT NULL,
    conversation_id TEXT    NOT NULL,
    PRIMARY KEY (workspace_id, source_id, created_at, conversation_id)
) WITHOUT ROWID;
CREATE INDEX conversation_citations_of ON conversation_citations (workspace_id, conversation_id);

-- Deleted conversations, for the changes feed that mirrors deletions.
CREATE TABLE conversation_tombstones (
    workspace_id    INTEGER NOT NULL,
    conversation_id TEXT    NOT NULL,
    deleted_at      INTEGER NOT NULL,
    change_seq      INTEGER NOT NULL,
    PRIMARY KEY (workspace_id, conversation_id)
) WITHOUT ROWID;
CREATE INDEX conversation_tombstones_by_change ON conversation_tombstones (workspace_id, change_seq);

CREATE TABLE change_sequence (last_value INTEGER NOT NULL);
INSERT INTO change_sequence VALUES (0);
