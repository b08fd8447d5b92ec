-- Review and insight (SPEC §11).

-- A conversation's review: one row a reviewed conversation; none for one never reviewed.
CREATE TABLE conversation_reviews (
    workspace_id    INTEGER NOT NULL,
    conversation_id TEXT    NOT NULL,
    status          TEXT,
    labels          TEXT    NOT NULL,
    note            TEXT,
    reviewed_by     TEXT    NOT NULL,
    reviewed_at     INTEGER NOT NULL,
    PRIMARY KEY (workspace_id, conversation_id)
) WITHOUT ROWID;
CREATE INDEX conversation_reviews_by_status ON conversation_reviews (workspace_id, status);

-- The label filter's lookup: one row a label of a review.
CREATE TABLE conversation_review_labels (
    workspace_id    INTEGER NOT NULL,
    label           TEXT    NOT NULL,
    conversation_id TEXT    NOT NULL,
    PRIMARY KEY (workspace_id, label, conversation_id)
) WITHOUT ROWID;
CREATE INDEX conversation_review_labels_of ON conversation_review_labels (workspace_id, conversation_id);

-- An answer that cites nothing: an empty basedOn and no web link in its text.
ALTER TABLE bot_requests ADD COLUMN uncited INTEGER NOT NULL DEFAULT 0;
UPDATE bot_requests SET uncited = 1
 WHERE based_on = '[]' AND lower(answer) NOT LIKE '%http://%' AND lower(answer) NOT LIKE '%https://%';

-- A conversation needs attention when one of its requests failed: escalated, thumbs down, uncited.
ALTER TABLE conversations ADD COLUMN attention INTEGER NOT NULL DEFAULT 0;
UPDATE conversations SET attention = 1
 WHERE EXISTS (SELECT 1 FROM bot_requests r
                WHERE r.workspace_id = conversations.workspace_id AND r.conversation_id = conversations.id
                  AND (r.escalation = 1 OR r.feedback_type = 'thumbs_down' OR r.uncited = 1));
-- How many bot requests a conversation has: the insight counts a window's requests without reading them.
ALTER TABLE conversations ADD COLUMN request_count INTEGER NOT NULL DEFAULT 0;
UPDATE conversations SET request_count = (SELECT COUNT(*) FROM bot_requests r
                WHERE r.workspace_id = conversations.workspace_id AND r.conversation_id = conversations.id);
CREATE INDEX conversations_needing_attention ON conversations (workspace_id, attention, created_at DESC, id DESC);
