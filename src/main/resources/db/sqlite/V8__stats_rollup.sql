-- Stats that stay cheap as history grows (issue 20). The store keeps, per workspace, UTC day of
-- the conversation's createdAt, source and escalation, what GET /v2/bots/stats adds up: rows of
-- stats_rollup with no category count whole conversations, rows with a category count those
-- having it; stats_category_pairs counts the conversations having both of two categories (the
-- top categories among those having one).
--
-- A conversation's share depends on its own row alone (its flags, its categories and its
-- request_count, which the writers keep, V6), so the triggers on conversations take the
-- old row's share away and add the new row's, once for each change of the row: the rollup is
-- exact inside every write's own transaction, whichever path writes (exchange, feedback,
-- import, erasure, sweep, bulk load) and in whatever order it touches its tables.
--
-- Writes only ever INSERT signed deltas: no row is updated by two writes, so concurrent writers
-- never wait on one another here (a counter row updated by every write would serialise them on
-- PostgreSQL). A reader sums; StatsCompaction folds the deltas (compacted = 0) of a key into one
-- row now and then.

CREATE TABLE stats_rollup (
    workspace_id  INTEGER NOT NULL,
    day           INTEGER NOT NULL,
    source        TEXT    NOT NULL,
    escalation    INTEGER NOT NULL,
    category      TEXT,
    conversations INTEGER NOT NULL,
    with_links    INTEGER NOT NULL,
    thumbs_up     INTEGER NOT NULL,
    thumbs_down   INTEGER NOT NULL,
    bot_requests  INTEGER NOT NULL,
    compacted     INTEGER NOT NULL DEFAULT 0
);
-- covering: a reader never visits the table
CREATE INDEX stats_rollup_by_category ON stats_rollup (workspace_id, category, day, source, escalation,
    conversations, with_links, thumbs_up, thumbs_down, bot_requests);
CREATE INDEX stats_rollup_deltas ON stats_rollup (workspace_id) WHERE compacted = 0;

CREATE TABLE stats_category_pairs (
    workspace_id  INTEGER NOT NULL,
    day           INTEGER NOT NULL,
    source        TEXT    NOT NULL,
    escalation    INTEGER NOT NULL,
    category      TEXT    NOT NULL,
    co_category   TEXT    NOT NULL,
    conversations INTEGER NOT NULL,
    compacted     INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX stats_category_pairs_by_category ON stats_category_pairs (workspace_id, category, day, source,
    escalation, co_category, conversations);
CREATE INDEX stats_category_pairs_deltas ON stats_category_pairs (workspace_id) WHERE compacted = 0;

-- The history there already, counted once.
INSERT INTO stats_rollup (workspace_id, day, source, escalation, category, conversations, with_links, thumbs_up,
                          thumbs_down, bot_requests, compacted)
SELECT workspace_id, created_at / 86400000, source, escalation, NULL, COUNT(*), SUM(has_links),
       SUM(CASE WHEN feedback_type = 'thumbs_up' THEN 1 ELSE 0 END),
       SUM(CASE WHEN feedback_type = 'thumbs_down' THEN 1 ELSE 0 END), SUM(request_count), 1
FROM conversations GROUP BY workspace_id, created_at / 86400000, source, escalation;

INSERT INTO stats_rollup (workspace_id, day, source, escalation, category, conversations, with_links, thumbs_up,
                          thumbs_down, bot_requests, compacted)
SELECT c.workspace_id, c.created_at / 86400000, c.source, c.escalation, k.value, COUNT(*), SUM(c.has_links),
       SUM(CASE WHEN c.feedback_type = 'thumbs_up' THEN 1 ELSE 0 END),
       SUM(CASE WHEN c.feedback_type = 'thumbs_down' THEN 1 ELSE 0 END), SUM(c.request_count), 1
FROM conversations c, json_each(c.categories) k
WHERE k.key = (SELECT MIN(d.key) FROM json_each(c.categories) d WHERE d.value = k.value) -- each category once
GROUP BY c.workspace_id, c.created_at / 86400000, c.source, c.escalation, k.value;

INSERT INTO stats_category_pairs (workspace_id, day, source, escalation, category, co_category, conversations,
                                  compacted)
SELECT c.workspace_id, c.created_at / 86400000, c.source, c.escalation, a.value, b.value, COUNT(*), 1
FROM conversations c, json_each(c.categories) a, json_each(c.categories) b
WHERE a.key = (SELECT MIN(d.key) FROM json_each(c.categories) d WHERE d.value = a.value)
  AND b.key = (SELECT MIN(d.key) FROM json_each(c.categories) d WHERE d.value = b.value)
GROUP BY c.workspace_id, c.created_at / 86400000, c.source, c.escalation, a.value, b.value;

-- A row's share: whole, and in each of its categories; and its pairs of categories.
CREATE TRIGGER stats_conversation_insert AFTER INSERT ON conversations BEGIN
    INSERT INTO stats_rollup (workspace_id, day, source, escalation, category, conversations, with_links,
                              thumbs_up, thumbs_down, bot_requests)
    SELECT NEW.workspace_id, NEW.created_at / 86400000, NEW.source, NEW.escalation, k.category, 1, NEW.has_links,
           CASE WHEN NEW.feedback_type = 'thumbs_up' THEN 1 ELSE 0 END,
           CASE WHEN NEW.feedback_type = 'thumbs_down' THEN 1 ELSE 0 END, NEW.request_count
    FROM (SELECT NULL AS category UNION SELECT value FROM json_each(NEW.categories)) k;
    INSERT INTO stats_category_pairs (workspace_id, day, source, escalation, category, co_category, conversations)
    SELECT NEW.workspace_id, NEW.created_at / 86400000, NEW.source, NEW.escalation, a.category, b.category, 1
    FROM (SELECT DISTINCT value AS category FROM json_each(NEW.categories)) a,
         (SELECT DISTINCT value AS category FROM json_each(NEW.categories)) b;
END;

CREATE TRIGGER stats_conversation_delete AFTER DELETE ON conversations BEGIN
    INSERT INTO stats_rollup (workspace_id, day, source, escalation, category, conversations, with_links,
                              thumbs_up, thumbs_down, bot_requests)
    SELECT OLD.workspace_id, OLD.created_at / 86400000, OLD.source, OLD.escalation, k.category, -1, -OLD.has_links,
           CASE WHEN OLD.feedback_type = 'thumbs_up' THEN -1 ELSE 0 END,
           CASE WHEN OLD.feedback_type = 'thumbs_down' THEN -1 ELSE 0 END, -OLD.request_count
    FROM (SELECT NULL AS category UNION SELECT value FROM json_each(OLD.categories)) k;
    INSERT INTO stats_category_pairs (workspace_id, day, source, escalation, category, co_category, conversations)
    SELECT OLD.workspace_id, OLD.created_at / 86400000, OLD.source, OLD.escalation, a.category, b.category, -1
    FROM (SELECT DISTINCT value AS category FROM json_each(OLD.categories)) a,
         (SELECT DISTINCT value AS category FROM json_each(OLD.categories)) b;
END;

-- A row whose counted flags or categories change moves its share.
CREATE TRIGGER stats_conversation_update AFTER UPDATE OF created_at, source, escalation, has_links, feedback_type,
    categories, request_count ON conversations
    WHEN OLD.created_at / 86400000 IS NOT NEW.created_at / 86400000 OR OLD.source IS NOT NEW.source
        OR OLD.escalation IS NOT NEW.escalation OR OLD.has_links IS NOT NEW.has_links
        OR OLD.feedback_type IS NOT NEW.feedback_type OR OLD.categories IS NOT NEW.categories
BEGIN
    INSERT INTO stats_rollup (workspace_id, day, source, escalation, category, conversations, with_links,
                              thumbs_up, thumbs_down, bot_requests)
    SELECT OLD.workspace_id, OLD.created_at / 86400000, OLD.source, OLD.escalation, k.category, -1, -OLD.has_links,
           CASE WHEN OLD.feedback_type = 'thumbs_up' THEN -1 ELSE 0 END,
           CASE WHEN OLD.feedback_type = 'thumbs_down' THEN -1 ELSE 0 END, -OLD.request_count
    FROM (SELECT NULL AS category UNION SELECT value FROM json_each(OLD.categories)) k;
    INSERT INTO stats_rollup (workspace_id, day, source, escalation, category, conversations, with_links,
                              thumbs_up, thumbs_down, bot_requests)
    SELECT NEW.workspace_id, NEW.created_at / 86400000, NEW.source, NEW.escalation, k.category, 1, NEW.has_links,
           CASE WHEN NEW.feedback_type = 'thumbs_up' THEN 1 ELSE 0 END,
           CASE WHEN NEW.feedback_type = 'thumbs_down' THEN 1 ELSE 0 END, NEW.request_count
    FROM (SELECT NULL AS category UNION SELECT value FROM json_each(NEW.categories)) k;
END;

-- Only the count of requests changed: the requests alone move, where the row is counted.
CREATE TRIGGER stats_conversation_requests AFTER UPDATE OF request_count ON conversations
    WHEN OLD.request_count <> NEW.request_count
        AND OLD.created_at / 86400000 IS NEW.created_at / 86400000 AND OLD.source IS NEW.source
        AND OLD.escalation IS NEW.escalation AND OLD.has_links IS NEW.has_links
        AND OLD.feedback_type IS NEW.feedback_type AND OLD.categories IS NEW.categories
BEGIN
    INSERT INTO stats_rollup (workspace_id, day, source, escalation, category, conversations, with_links,
                              thumbs_up, thumbs_down, bot_requests)
    SELECT NEW.workspace_id, NEW.created_at / 86400000, NEW.source, NEW.escalation, k.category, 0, 0, 0, 0,
           NEW.request_count - OLD.request_count
    FROM (SELECT NULL AS category UNION SELECT value FROM json_each(NEW.categories)) k;
END;

-- The pairs count neither links, feedback nor requests: they move with the day, source,
-- escalation or categories.
CREATE TRIGGER stats_conversation_pairs_update AFTER UPDATE OF created_at, source, escalation, categories
    ON conversations
    WHEN OLD.created_at / 86400000 IS NOT NEW.created_at / 86400000 OR OLD.source IS NOT NEW.source
        OR OLD.escalation IS NOT NEW.escalation OR OLD.categories IS NOT NEW.categories
BEGIN
    INSERT INTO stats_category_pairs (workspace_id, day, source, escalation, category, co_category, conversations)
    SELECT OLD.workspace_id, OLD.created_at / 86400000, OLD.source, OLD.escalation, a.category, b.category, -1
    FROM (SELECT DISTINCT value AS category FROM json_each(OLD.categories)) a,
         (SELECT DISTINCT value AS category FROM json_each(OLD.categories)) b;
    INSERT INTO stats_category_pairs (workspace_id, day, source, escalation, category, co_category, conversations)
    SELECT NEW.workspace_id, NEW.created_at / 86400000, NEW.source, NEW.escalation, a.category, b.category, 1
    FROM (SELECT DISTINCT value AS category FROM json_each(NEW.categories)) a,
         (SELECT DISTINCT value AS category FROM json_each(NEW.categories)) b;
END;
