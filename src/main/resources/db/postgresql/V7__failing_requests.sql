-- The failing bot requests (SPEC §11: escalated, thumbs down or uncited), each with what the
-- failing-questions insight groups and filters by, keyed in the order of their conversations'
-- time: a window's failing requests are one range of this narrow table, not lookups scattered
-- over bot_requests. Kept by the writers of bot_requests, in the same transaction, from the
-- same stored flags.
CREATE TABLE failing_requests (
    workspace_id            BIGINT  NOT NULL,
    conversation_created_at BIGINT  NOT NULL,
    conversation_id         UUID    NOT NULL,
    request_id              UUID    NOT NULL,
    source                  TEXT    NOT NULL,
    created_at              BIGINT  NOT NULL,
    question                TEXT    NOT NULL,
    escalation              BOOLEAN NOT NULL,
    thumbs_down             BOOLEAN NOT NULL,
    uncited                 BOOLEAN NOT NULL,
    categories              TEXT    NOT NULL,
    PRIMARY KEY (workspace_id, conversation_created_at, conversation_id, request_id)
);

-- written in key order, so that a window's rows lie together in the table too
INSERT INTO failing_requests (workspace_id, conversation_created_at, conversation_id, request_id, source,
                              created_at, question, escalation, thumbs_down, uncited, categories)
SELECT r.workspace_id, c.created_at, c.id, r.id, c.source, r.created_at, r.question, r.escalation,
       COALESCE(r.feedback_type = 'thumbs_down', false), r.uncited, r.categories
  FROM conversations c
  JOIN bot_requests r ON r.workspace_id = c.workspace_id AND r.conversation_id = c.id
 WHERE r.escalation OR r.feedback_type = 'thumbs_down' OR r.uncited
 ORDER BY c.workspace_id, c.created_at, c.id, r.id;

-- A conversation's failing requests, for the writers that change or delete them.
CREATE INDEX failing_requests_of ON failing_requests (workspace_id, conversation_id);

-- The window's requests are counted from the conversations' request_count: this index holds it,
-- so the count reads the index's range alone (an index-only scan), not each conversation's row.
CREATE INDEX conversations_requests_in_time ON conversations (workspace_id, created_at) INCLUDE (source, request_count);
