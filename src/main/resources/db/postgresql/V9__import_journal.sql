-- Imports commit in short transactions (issue 20); this journal makes one all or nothing again.

-- An import in progress: which process runs it, until when its lease holds, and whether it is
-- running, being undone, or done (its journal rows still being cleared).
CREATE TABLE import_runs (
    workspace_id BIGINT NOT NULL,
    id           UUID   NOT NULL,
    owner        TEXT   NOT NULL,
    state        TEXT   NOT NULL,
    lease_until  BIGINT NOT NULL,
    PRIMARY KEY (workspace_id, id)
);

-- Each conversation an import wrote: what it replaced (its export line and its requests'
-- fingerprints; null when it was new) and the change number the import last wrote it with.
CREATE TABLE import_undo (
    workspace_id    BIGINT NOT NULL,
    import_id       UUID   NOT NULL,
    conversation_id UUID   NOT NULL,
    replaced        TEXT,
    fingerprints    TEXT,
    written_seq     BIGINT NOT NULL,
    PRIMARY KEY (workspace_id, import_id, conversation_id)
);
