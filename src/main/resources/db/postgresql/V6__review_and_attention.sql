-- Review and insight (SPEC §11).

-- A conversation's review: one row a reviewed conversation; none for one never reviewed.
CREATE TABLE conversation_reviews (
    workspace_id    BIGINT NOT NULL,
    conversation_id UUID   NOT NULL,
    status          TEXT,
    labels          TEXT   NOT NULL,
    note            TEXT,
    reviewed_by     TEXT   NOT NULL,
    reviewed_at     BIGINT NOT NULL,
    PRIMARY KEY (workspace_id, conversation_id)
);
CREATE INDEX conversation_reviews_by_status ON conversation_reviews (workspace_id, status);

-- The label filter's lookup: one row a label of a review.
CREATE TABLE conversation_review_labels (
    workspace_id    BIGINT NOT NULL,
    label           TEXT   NOT NULL,
    conversation_id UUID   NOT NULL,
    PRIMARY KEY (workspace_id, label, conversation_id)
);
CREATE INDEX conversation_review_labels_of ON conversation_review_labels (workspace_id, conversation_id);

-- An answer that cites nothing: an empty basedOn and no web link in its text.
ALTER TABLE bot_requests ADD COLUMN uncited BOOLEAN NOT NULL DEFAULT false;
UPDATE bot_requests SET uncited = true
 WHERE based_on = '[]' AND answer !~* 'https?://';

-- A conversation needs attention when one of its requests failed: escalated, thumbs down, uncited.
ALTER TABLE conversations ADD COLUMN attention BOOLEAN NOT NULL DEFAULT false;
UPDATE conversations c SET attention = true
 WHERE EXISTS (SELECT 1 FROM bot_requests r
                WHERE r.workspace_id = c.workspace_id AND r.conversation_id = c.id
                  AND (r.escalation OR r.feedback_type = 'thumbs_down' OR r.uncited));
-- How many bot requests a conversation has: the insight counts a window's requests without reading them.
ALTER TABLE conversations ADD COLUMN request_count INTEGER NOT NULL DEFAULT 0;
UPDATE conversations c SET request_count = n.requests
  FROM (SELECT workspace_id, conversation_id, COUNT(*) AS requests FROM bot_requests
         GROUP BY workspace_id, conversation_id) n
 WHERE n.workspace_id = c.workspace_id AND n.conversation_id = c.id;
CREATE INDEX conversations_needing_attention ON conversations (workspace_id, attention, created_at DESC, id DESC);
