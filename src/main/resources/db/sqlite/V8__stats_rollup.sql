-- Stats that stay cheap as history grows (issue 20). The store keeps, per workspace, UTC day of
-- the conversation's createdAt, source and escalation, what GET /v2/bots/stats adds up: rows of
-- stats_rollup with no category count whole conversations, rows with a category count those
-- having it; stats_category_pairs counts the conversations having both of two categories (the
-- top categories among those having one). Triggers keep them exact inside every write's own
-- transaction, whichever path writes (exchange, feedback, import, erasure, sweep, bulk load).
--
-- Writes only ever INSERT signed deltas: no row is updated by two writes, so concurrent writers
-- never wait on one another here (a counter row updated by every write would serialise them on
-- PostgreSQL). A reader sums; StatsCompaction folds the deltas (compacted = 0) of a key into one
-- row now and then. The invariant the triggers keep, whatever order a write touches its rows in:
-- the rows sum, for each conversation that exists, its flags with its current requests and
-- categories. A child row whose conversation is not there (yet, or any more) counts nowhere.

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

-- A conversation's contribution, added or taken away.
CREATE TRIGGER stats_conversation_insert AFTER INSERT ON conversations BEGIN
    INSERT INTO stats_rollup (workspace_id, day, source, escalation, category, conversations, with_links,
                              thumbs_up, thumbs_down, bot_requests)
    SELECT NEW.workspace_id, NEW.created_at / 86400000, NEW.source, NEW.escalation, k.category, 1, NEW.has_links,
           CASE WHEN NEW.feedback_type = 'thumbs_up' THEN 1 ELSE 0 END,
           CASE WHEN NEW.feedback_type = 'thumbs_down' THEN 1 ELSE 0 END,
           (SELECT COUNT(*) FROM bot_requests r WHERE r.workspace_id = NEW.workspace_id AND r.conversation_id = NEW.id)
    FROM (SELECT NULL AS category UNION ALL SELECT category FROM conversation_categories
          WHERE workspace_id = NEW.workspace_id AND conversation_id = NEW.id) k;
    INSERT INTO stats_category_pairs (workspace_id, day, source, escalation, category, co_category, conversations)
    SELECT NEW.workspace_id, NEW.created_at / 86400000, NEW.source, NEW.escalation, a.category, b.category, 1
    FROM conversation_categories a JOIN conversation_categories b
         ON b.workspace_id = a.workspace_id AND b.conversation_id = a.conversation_id
    WHERE a.workspace_id = NEW.workspace_id AND a.conversation_id = NEW.id;
END;

CREATE TRIGGER stats_conversation_delete AFTER DELETE ON conversations BEGIN
    INSERT INTO stats_rollup (workspace_id, day, source, escalation, category, conversations, with_links,
                              thumbs_up, thumbs_down, bot_requests)
    SELECT OLD.workspace_id, OLD.created_at / 86400000, OLD.source, OLD.escalation, k.category, -1, -OLD.has_links,
           CASE WHEN OLD.feedback_type = 'thumbs_up' THEN -1 ELSE 0 END,
           CASE WHEN OLD.feedback_type = 'thumbs_down' THEN -1 ELSE 0 END,
           -(SELECT COUNT(*) FROM bot_requests r WHERE r.workspace_id = OLD.workspace_id AND r.conversation_id = OLD.id)
    FROM (SELECT NULL AS category UNION ALL SELECT category FROM conversation_categories
          WHERE workspace_id = OLD.workspace_id AND conversation_id = OLD.id) k;
    INSERT INTO stats_category_pairs (workspace_id, day, source, escalation, category, co_category, conversations)
    SELECT OLD.workspace_id, OLD.created_at / 86400000, OLD.source, OLD.escalation, a.category, b.category, -1
    FROM conversation_categories a JOIN conversation_categories b
         ON b.workspace_id = a.workspace_id AND b.conversation_id = a.conversation_id
    WHERE a.workspace_id = OLD.workspace_id AND a.conversation_id = OLD.id;
END;

-- A conversation whose counted flags change moves its contribution (both rows of the move).
CREATE TRIGGER stats_conversation_update AFTER UPDATE OF created_at, source, escalation, has_links, feedback_type
    ON conversations
    WHEN OLD.created_at / 86400000 IS NOT NEW.created_at / 86400000 OR OLD.source IS NOT NEW.source
        OR OLD.escalation IS NOT NEW.escalation OR OLD.has_links IS NOT NEW.has_links
        OR OLD.feedback_type IS NOT NEW.feedback_type
BEGIN
    INSERT INTO stats_rollup (workspace_id, day, source, escalation, category, conversations, with_links,
                              thumbs_up, thumbs_down, bot_requests)
    SELECT OLD.workspace_id, OLD.created_at / 86400000, OLD.source, OLD.escalation, k.category, -1, -OLD.has_links,
           CASE WHEN OLD.feedback_type = 'thumbs_up' THEN -1 ELSE 0 END,
           CASE WHEN OLD.feedback_type = 'thumbs_down' THEN -1 ELSE 0 END,
           -(SELECT COUNT(*) FROM bot_requests r WHERE r.workspace_id = OLD.workspace_id AND r.conversation_id = OLD.id)
    FROM (SELECT NULL AS category UNION ALL SELECT category FROM conversation_categories
          WHERE workspace_id = OLD.workspace_id AND conversation_id = OLD.id) k;
    INSERT INTO stats_rollup (workspace_id, day, source, escalation, category, conversations, with_links,
                              thumbs_up, thumbs_down, bot_requests)
    SELECT NEW.workspace_id, NEW.created_at / 86400000, NEW.source, NEW.escalation, k.category, 1, NEW.has_links,
           CASE WHEN NEW.feedback_type = 'thumbs_up' THEN 1 ELSE 0 END,
           CASE WHEN NEW.feedback_type = 'thumbs_down' THEN 1 ELSE 0 END,
           (SELECT COUNT(*) FROM bot_requests r WHERE r.workspace_id = NEW.workspace_id AND r.conversation_id = NEW.id)
    FROM (SELECT NULL AS category UNION ALL SELECT category FROM conversation_categories
          WHERE workspace_id = NEW.workspace_id AND conversation_id = NEW.id) k;
END;

-- The pairs count neither links nor feedback: they move only with the day, source or escalation.
CREATE TRIGGER stats_conversation_pairs_update AFTER UPDATE OF created_at, source, escalation ON conversations
    WHEN OLD.created_at / 86400000 IS NOT NEW.created_at / 86400000 OR OLD.source IS NOT NEW.source
        OR OLD.escalation IS NOT NEW.escalation
BEGIN
    INSERT INTO stats_category_pairs (workspace_id, day, source, escalation, category, co_category, conversations)
    SELECT OLD.workspace_id, OLD.created_at / 86400000, OLD.source, OLD.escalation, a.category, b.category, -1
    FROM conversation_categories a JOIN conversation_categories b
         ON b.workspace_id = a.workspace_id AND b.conversation_id = a.conversation_id
    WHERE a.workspace_id = OLD.workspace_id AND a.conversation_id = OLD.id;
    INSERT INTO stats_category_pairs (workspace_id, day, source, escalation, category, co_category, conversations)
    SELECT NEW.workspace_id, NEW.created_at / 86400000, NEW.source, NEW.escalation, a.category, b.category, 1
    FROM conversation_categories a JOIN conversation_categories b
         ON b.workspace_id = a.workspace_id AND b.conversation_id = a.conversation_id
    WHERE a.workspace_id = NEW.workspace_id AND a.conversation_id = NEW.id;
END;

-- A request counts for its conversation as it is now, whole and in each of its categories.
CREATE TRIGGER stats_request_insert AFTER INSERT ON bot_requests BEGIN
    INSERT INTO stats_rollup (workspace_id, day, source, escalation, category, conversations, with_links,
                              thumbs_up, thumbs_down, bot_requests)
    SELECT c.workspace_id, c.created_at / 86400000, c.source, c.escalation, k.category, 0, 0, 0, 0, 1
    FROM conversations c,
         (SELECT NULL AS category UNION ALL SELECT category FROM conversation_categories
          WHERE workspace_id = NEW.workspace_id AND conversation_id = NEW.conversation_id) k
    WHERE c.workspace_id = NEW.workspace_id AND c.id = NEW.conversation_id;
END;

CREATE TRIGGER stats_request_delete AFTER DELETE ON bot_requests BEGIN
    INSERT INTO stats_rollup (workspace_id, day, source, escalation, category, conversations, with_links,
                              thumbs_up, thumbs_down, bot_requests)
    SELECT c.workspace_id, c.created_at / 86400000, c.source, c.escalation, k.category, 0, 0, 0, 0, -1
    FROM conversations c,
         (SELECT NULL AS category UNION ALL SELECT category FROM conversation_categories
          WHERE workspace_id = OLD.workspace_id AND conversation_id = OLD.conversation_id) k
    WHERE c.workspace_id = OLD.workspace_id AND c.id = OLD.conversation_id;
END;

-- A category joining a conversation: its row, and its pairs with every category now there
-- (itself included, once); leaving: the same taken away, with the categories left.
CREATE TRIGGER stats_category_insert AFTER INSERT ON conversation_categories BEGIN
    INSERT INTO stats_rollup (workspace_id, day, source, escalation, category, conversations, with_links,
                              thumbs_up, thumbs_down, bot_requests)
    SELECT c.workspace_id, c.created_at / 86400000, c.source, c.escalation, NEW.category, 1, c.has_links,
           CASE WHEN c.feedback_type = 'thumbs_up' THEN 1 ELSE 0 END,
           CASE WHEN c.feedback_type = 'thumbs_down' THEN 1 ELSE 0 END,
           (SELECT COUNT(*) FROM bot_requests r WHERE r.workspace_id = c.workspace_id AND r.conversation_id = c.id)
    FROM conversations c WHERE c.workspace_id = NEW.workspace_id AND c.id = NEW.conversation_id;
    INSERT INTO stats_category_pairs (workspace_id, day, source, escalation, category, co_category, conversations)
    SELECT c.workspace_id, c.created_at / 86400000, c.source, c.escalation, p.category, p.co_category, 1
    FROM conversations c,
         (SELECT NEW.category AS category, b.category AS co_category FROM conversation_categories b
          WHERE b.workspace_id = NEW.workspace_id AND b.conversation_id = NEW.conversation_id
          UNION ALL
          SELECT b.category, NEW.category FROM conversation_categories b
          WHERE b.workspace_id = NEW.workspace_id AND b.conversation_id = NEW.conversation_id
            AND b.category <> NEW.category) p
    WHERE c.workspace_id = NEW.workspace_id AND c.id = NEW.conversation_id;
END;

CREATE TRIGGER stats_category_delete AFTER DELETE ON conversation_categories BEGIN
    INSERT INTO stats_rollup (workspace_id, day, source, escalation, category, conversations, with_links,
                              thumbs_up, thumbs_down, bot_requests)
    SELECT c.workspace_id, c.created_at / 86400000, c.source, c.escalation, OLD.category, -1, -c.has_links,
           CASE WHEN c.feedback_type = 'thumbs_up' THEN -1 ELSE 0 END,
           CASE WHEN c.feedback_type = 'thumbs_down' THEN -1 ELSE 0 END,
           -(SELECT COUNT(*) FROM bot_requests r WHERE r.workspace_id = c.workspace_id AND r.conversation_id = c.id)
    FROM conversations c WHERE c.workspace_id = OLD.workspace_id AND c.id = OLD.conversation_id;
    INSERT INTO stats_category_pairs (workspace_id, day, source, escalation, category, co_category, conversations)
    SELECT c.workspace_id, c.created_at / 86400000, c.source, c.escalation, p.category, p.co_category, -1
    FROM conversations c,
         (SELECT OLD.category AS category, OLD.category AS co_category
          UNION ALL
          SELECT OLD.category, b.category FROM conversation_categories b
          WHERE b.workspace_id = OLD.workspace_id AND b.conversation_id = OLD.conversation_id
          UNION ALL
          SELECT b.category, OLD.category FROM conversation_categories b
          WHERE b.workspace_id = OLD.workspace_id AND b.conversation_id = OLD.conversation_id) p
    WHERE c.workspace_id = OLD.workspace_id AND c.id = OLD.conversation_id;
END;

CREATE TRIGGER stats_category_update AFTER UPDATE OF workspace_id, category, conversation_id
    ON conversation_categories BEGIN
    SELECT RAISE(ABORT, 'conversation_categories rows are inserted and deleted, never moved (stats_rollup)');
END;

-- The history there already, counted once.
CREATE TEMP TABLE stats_facts AS
SELECT c.workspace_id, c.id, c.created_at / 86400000 AS day, c.source, c.escalation, c.has_links,
       CASE WHEN c.feedback_type = 'thumbs_up' THEN 1 ELSE 0 END AS thumbs_up,
       CASE WHEN c.feedback_type = 'thumbs_down' THEN 1 ELSE 0 END AS thumbs_down,
       (SELECT COUNT(*) FROM bot_requests r WHERE r.workspace_id = c.workspace_id AND r.conversation_id = c.id)
           AS bot_requests
FROM conversations c;
CREATE UNIQUE INDEX temp.stats_facts_by_id ON stats_facts (workspace_id, id);

INSERT INTO stats_rollup (workspace_id, day, source, escalation, category, conversations, with_links, thumbs_up,
                          thumbs_down, bot_requests, compacted)
SELECT workspace_id, day, source, escalation, NULL, COUNT(*), SUM(has_links), SUM(thumbs_up), SUM(thumbs_down),
       SUM(bot_requests), 1
FROM stats_facts GROUP BY workspace_id, day, source, escalation;

INSERT INTO stats_rollup (workspace_id, day, source, escalation, category, conversations, with_links, thumbs_up,
                          thumbs_down, bot_requests, compacted)
SELECT f.workspace_id, f.day, f.source, f.escalation, k.category, COUNT(*), SUM(f.has_links), SUM(f.thumbs_up),
       SUM(f.thumbs_down), SUM(f.bot_requests), 1
FROM conversation_categories k JOIN stats_facts f ON f.workspace_id = k.workspace_id AND f.id = k.conversation_id
GROUP BY f.workspace_id, f.day, f.source, f.escalation, k.category;

INSERT INTO stats_category_pairs (workspace_id, day, source, escalation, category, co_category, conversations,
                                  compacted)
SELECT f.workspace_id, f.day, f.source, f.escalation, a.category, b.category, COUNT(*), 1
FROM conversation_categories a
     JOIN conversation_categories b ON b.workspace_id = a.workspace_id AND b.conversation_id = a.conversation_id
     JOIN stats_facts f ON f.workspace_id = a.workspace_id AND f.id = a.conversation_id
GROUP BY f.workspace_id, f.day, f.source, f.escalation, a.category, b.category;

DROP TABLE stats_facts;
