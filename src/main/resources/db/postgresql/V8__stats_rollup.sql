-- Stats that stay cheap as history grows (issue 20). The store keeps, per workspace, UTC day of
-- the conversation's createdAt, source and escalation, what GET /v2/bots/stats adds up: rows of
-- stats_rollup with no category count whole conversations, rows with a category count those
-- having it; stats_category_pairs counts the conversations having both of two categories (the
-- top categories among those having one). Triggers keep them exact inside every write's own
-- transaction, whichever path writes (exchange, feedback, import, erasure, sweep, bulk COPY).
--
-- Writes only ever INSERT signed deltas: no row is updated by two writes, so concurrent writers
-- never wait on one another here (a counter row updated by every write would serialise them).
-- A reader sums; StatsCompaction folds the deltas (not compacted) of a key into one row now and
-- then. The invariant the triggers keep, whatever order a write touches its rows in: the rows
-- sum, for each conversation that exists, its flags with its current requests and categories.
-- A child row whose conversation is not there (yet, or any more) counts nowhere.

CREATE TABLE stats_rollup (
    workspace_id  BIGINT  NOT NULL,
    day           BIGINT  NOT NULL,
    source        TEXT    NOT NULL,
    escalation    BOOLEAN NOT NULL,
    category      TEXT,
    conversations BIGINT  NOT NULL,
    with_links    BIGINT  NOT NULL,
    thumbs_up     BIGINT  NOT NULL,
    thumbs_down   BIGINT  NOT NULL,
    bot_requests  BIGINT  NOT NULL,
    compacted     BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE INDEX stats_rollup_by_category ON stats_rollup (workspace_id, category, day)
    INCLUDE (source, escalation, conversations, with_links, thumbs_up, thumbs_down, bot_requests);
CREATE INDEX stats_rollup_deltas ON stats_rollup (workspace_id) WHERE NOT compacted;

CREATE TABLE stats_category_pairs (
    workspace_id  BIGINT  NOT NULL,
    day           BIGINT  NOT NULL,
    source        TEXT    NOT NULL,
    escalation    BOOLEAN NOT NULL,
    category      TEXT    NOT NULL,
    co_category   TEXT    NOT NULL,
    conversations BIGINT  NOT NULL,
    compacted     BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE INDEX stats_category_pairs_by_category ON stats_category_pairs (workspace_id, category, day)
    INCLUDE (source, escalation, co_category, conversations);
CREATE INDEX stats_category_pairs_deltas ON stats_category_pairs (workspace_id) WHERE NOT compacted;

-- A conversation's contribution with a sign: whole and in each of its categories, and (when
-- pairs) its category pairs.
CREATE FUNCTION parley_stats_conversation(c conversations, sign INTEGER, pairs BOOLEAN) RETURNS void
    LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO stats_rollup (workspace_id, day, source, escalation, category, conversations, with_links,
                              thumbs_up, thumbs_down, bot_requests)
    SELECT c.workspace_id, c.created_at / 86400000, c.source, c.escalation, k.category, sign,
           CASE WHEN c.has_links THEN sign ELSE 0 END,
           CASE WHEN c.feedback_type = 'thumbs_up' THEN sign ELSE 0 END,
           CASE WHEN c.feedback_type = 'thumbs_down' THEN sign ELSE 0 END,
           sign * (SELECT COUNT(*) FROM bot_requests r WHERE r.workspace_id = c.workspace_id
                                                         AND r.conversation_id = c.id)
    FROM (SELECT NULL::TEXT AS category UNION ALL SELECT category FROM conversation_categories
          WHERE workspace_id = c.workspace_id AND conversation_id = c.id) k;
    IF pairs THEN
        INSERT INTO stats_category_pairs (workspace_id, day, source, escalation, category, co_category,
                                          conversations)
        SELECT c.workspace_id, c.created_at / 86400000, c.source, c.escalation, a.category, b.category, sign
        FROM conversation_categories a JOIN conversation_categories b
             ON b.workspace_id = a.workspace_id AND b.conversation_id = a.conversation_id
        WHERE a.workspace_id = c.workspace_id AND a.conversation_id = c.id;
    END IF;
END
$$;

CREATE FUNCTION parley_stats_conversation_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM parley_stats_conversation(NEW, 1, TRUE);
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM parley_stats_conversation(OLD, -1, TRUE);
    ELSE
        -- the pairs count neither links nor feedback: they move only with the day, source or escalation
        PERFORM parley_stats_conversation(OLD, -1, OLD.created_at / 86400000 <> NEW.created_at / 86400000
            OR OLD.source <> NEW.source OR OLD.escalation <> NEW.escalation);
        PERFORM parley_stats_conversation(NEW, 1, OLD.created_at / 86400000 <> NEW.created_at / 86400000
            OR OLD.source <> NEW.source OR OLD.escalation <> NEW.escalation);
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER stats_conversation_inserted AFTER INSERT OR DELETE ON conversations
    FOR EACH ROW EXECUTE FUNCTION parley_stats_conversation_changed();
CREATE TRIGGER stats_conversation_updated AFTER UPDATE OF created_at, source, escalation, has_links, feedback_type
    ON conversations FOR EACH ROW
    WHEN (OLD.created_at / 86400000 <> NEW.created_at / 86400000 OR OLD.source <> NEW.source
          OR OLD.escalation <> NEW.escalation OR OLD.has_links <> NEW.has_links
          OR OLD.feedback_type IS DISTINCT FROM NEW.feedback_type)
    EXECUTE FUNCTION parley_stats_conversation_changed();

-- A request counts for its conversation as it is now, whole and in each of its categories.
CREATE FUNCTION parley_stats_request_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    r bot_requests := CASE WHEN TG_OP = 'INSERT' THEN NEW ELSE OLD END;
    sign INTEGER := CASE WHEN TG_OP = 'INSERT' THEN 1 ELSE -1 END;
BEGIN
    INSERT INTO stats_rollup (workspace_id, day, source, escalation, category, conversations, with_links,
                              thumbs_up, thumbs_down, bot_requests)
    SELECT c.workspace_id, c.created_at / 86400000, c.source, c.escalation, k.category, 0, 0, 0, 0, sign
    FROM conversations c,
         (SELECT NULL::TEXT AS category UNION ALL SELECT category FROM conversation_categories
          WHERE workspace_id = r.workspace_id AND conversation_id = r.conversation_id) k
    WHERE c.workspace_id = r.workspace_id AND c.id = r.conversation_id;
    RETURN NULL;
END
$$;

CREATE TRIGGER stats_request_changed AFTER INSERT OR DELETE ON bot_requests
    FOR EACH ROW EXECUTE FUNCTION parley_stats_request_changed();

-- A category joining a conversation: its row, and its pairs with every category now there
-- (itself included, once); leaving: the same taken away, with the categories left.
CREATE FUNCTION parley_stats_category_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    k conversation_categories := CASE WHEN TG_OP = 'INSERT' THEN NEW ELSE OLD END;
    sign INTEGER := CASE WHEN TG_OP = 'INSERT' THEN 1 ELSE -1 END;
BEGIN
    INSERT INTO stats_rollup (workspace_id, day, source, escalation, category, conversations, with_links,
                              thumbs_up, thumbs_down, bot_requests)
    SELECT c.workspace_id, c.created_at / 86400000, c.source, c.escalation, k.category, sign,
           CASE WHEN c.has_links THEN sign ELSE 0 END,
           CASE WHEN c.feedback_type = 'thumbs_up' THEN sign ELSE 0 END,
           CASE WHEN c.feedback_type = 'thumbs_down' THEN sign ELSE 0 END,
           sign * (SELECT COUNT(*) FROM bot_requests r WHERE r.workspace_id = c.workspace_id
                                                         AND r.conversation_id = c.id)
    FROM conversations c WHERE c.workspace_id = k.workspace_id AND c.id = k.conversation_id;
    INSERT INTO stats_category_pairs (workspace_id, day, source, escalation, category, co_category, conversations)
    SELECT c.workspace_id, c.created_at / 86400000, c.source, c.escalation, p.category, p.co_category, sign
    FROM conversations c,
         (SELECT k.category AS category, k.category AS co_category WHERE TG_OP = 'DELETE'
          UNION ALL
          SELECT k.category, b.category FROM conversation_categories b
          WHERE b.workspace_id = k.workspace_id AND b.conversation_id = k.conversation_id
          UNION ALL
          SELECT b.category, k.category FROM conversation_categories b
          WHERE b.workspace_id = k.workspace_id AND b.conversation_id = k.conversation_id
            AND b.category <> k.category) p
    WHERE c.workspace_id = k.workspace_id AND c.id = k.conversation_id;
    RETURN NULL;
END
$$;

CREATE TRIGGER stats_category_changed AFTER INSERT OR DELETE ON conversation_categories
    FOR EACH ROW EXECUTE FUNCTION parley_stats_category_changed();

CREATE FUNCTION parley_stats_category_moved() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'conversation_categories rows are inserted and deleted, never moved (stats_rollup)';
END
$$;

CREATE TRIGGER stats_category_moved AFTER UPDATE OF workspace_id, category, conversation_id
    ON conversation_categories FOR EACH ROW EXECUTE FUNCTION parley_stats_category_moved();

-- The history there already, counted once.
CREATE TEMP TABLE stats_facts AS
SELECT c.workspace_id, c.id, c.created_at / 86400000 AS day, c.source, c.escalation,
       CASE WHEN c.has_links THEN 1 ELSE 0 END AS has_links,
       CASE WHEN c.feedback_type = 'thumbs_up' THEN 1 ELSE 0 END AS thumbs_up,
       CASE WHEN c.feedback_type = 'thumbs_down' THEN 1 ELSE 0 END AS thumbs_down,
       COALESCE(r.bot_requests, 0) AS bot_requests
FROM conversations c
     LEFT JOIN (SELECT workspace_id, conversation_id, COUNT(*) AS bot_requests FROM bot_requests
                GROUP BY workspace_id, conversation_id) r
     ON r.workspace_id = c.workspace_id AND r.conversation_id = c.id;
ANALYZE stats_facts;

INSERT INTO stats_rollup (workspace_id, day, source, escalation, category, conversations, with_links, thumbs_up,
                          thumbs_down, bot_requests, compacted)
SELECT workspace_id, day, source, escalation, NULL, COUNT(*), SUM(has_links), SUM(thumbs_up), SUM(thumbs_down),
       SUM(bot_requests), TRUE
FROM stats_facts GROUP BY workspace_id, day, source, escalation;

INSERT INTO stats_rollup (workspace_id, day, source, escalation, category, conversations, with_links, thumbs_up,
                          thumbs_down, bot_requests, compacted)
SELECT f.workspace_id, f.day, f.source, f.escalation, k.category, COUNT(*), SUM(f.has_links), SUM(f.thumbs_up),
       SUM(f.thumbs_down), SUM(f.bot_requests), TRUE
FROM conversation_categories k JOIN stats_facts f ON f.workspace_id = k.workspace_id AND f.id = k.conversation_id
GROUP BY f.workspace_id, f.day, f.source, f.escalation, k.category;

INSERT INTO stats_category_pairs (workspace_id, day, source, escalation, category, co_category, conversations,
                                  compacted)
SELECT f.workspace_id, f.day, f.source, f.escalation, a.category, b.category, COUNT(*), TRUE
FROM conversation_categories a
     JOIN conversation_categories b ON b.workspace_id = a.workspace_id AND b.conversation_id = a.conversation_id
     JOIN stats_facts f ON f.workspace_id = a.workspace_id AND f.id = a.conversation_id
GROUP BY f.workspace_id, f.day, f.source, f.escalation, a.category, b.category;

DROP TABLE stats_facts;
