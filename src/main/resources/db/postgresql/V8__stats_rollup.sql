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
-- import, erasure, sweep, bulk COPY), in whatever order it touches its tables, even when one
-- statement writes several tables and PostgreSQL fires their triggers at its end.
--
-- Writes only ever INSERT signed deltas: no row is updated by two writes, so concurrent writers
-- never wait on one another here (a counter row updated by every write would serialise them).
-- A reader sums; StatsCompaction folds the deltas (not compacted) of a key into one row now and
-- then.

-- the backfill reads the whole history once: at a million conversations it can outlast the
-- service's statement timeout, which is for requests, not for this
SET LOCAL statement_timeout = 0;

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

-- The history there already, counted once.
INSERT INTO stats_rollup (workspace_id, day, source, escalation, category, conversations, with_links, thumbs_up,
                          thumbs_down, bot_requests, compacted)
SELECT workspace_id, created_at / 86400000, source, escalation, NULL, COUNT(*),
       SUM(CASE WHEN has_links THEN 1 ELSE 0 END),
       SUM(CASE WHEN feedback_type = 'thumbs_up' THEN 1 ELSE 0 END),
       SUM(CASE WHEN feedback_type = 'thumbs_down' THEN 1 ELSE 0 END), SUM(request_count), TRUE
FROM conversations GROUP BY workspace_id, created_at / 86400000, source, escalation;

INSERT INTO stats_rollup (workspace_id, day, source, escalation, category, conversations, with_links, thumbs_up,
                          thumbs_down, bot_requests, compacted)
SELECT c.workspace_id, c.created_at / 86400000, c.source, c.escalation, k.category, COUNT(*),
       SUM(CASE WHEN c.has_links THEN 1 ELSE 0 END),
       SUM(CASE WHEN c.feedback_type = 'thumbs_up' THEN 1 ELSE 0 END),
       SUM(CASE WHEN c.feedback_type = 'thumbs_down' THEN 1 ELSE 0 END), SUM(c.request_count), TRUE
FROM conversations c
     CROSS JOIN LATERAL (SELECT DISTINCT jsonb_array_elements_text(c.categories::jsonb) AS category) k
GROUP BY c.workspace_id, c.created_at / 86400000, c.source, c.escalation, k.category;

INSERT INTO stats_category_pairs (workspace_id, day, source, escalation, category, co_category, conversations,
                                  compacted)
SELECT c.workspace_id, c.created_at / 86400000, c.source, c.escalation, a.category, b.category, COUNT(*), TRUE
FROM conversations c
     CROSS JOIN LATERAL (SELECT DISTINCT jsonb_array_elements_text(c.categories::jsonb) AS category) a
     CROSS JOIN LATERAL (SELECT DISTINCT jsonb_array_elements_text(c.categories::jsonb) AS category) b
GROUP BY c.workspace_id, c.created_at / 86400000, c.source, c.escalation, a.category, b.category;

CREATE INDEX stats_rollup_by_category ON stats_rollup (workspace_id, category, day)
    INCLUDE (source, escalation, conversations, with_links, thumbs_up, thumbs_down, bot_requests);
CREATE INDEX stats_rollup_deltas ON stats_rollup (workspace_id) WHERE NOT compacted;
CREATE INDEX stats_category_pairs_by_category ON stats_category_pairs (workspace_id, category, day)
    INCLUDE (source, escalation, co_category, conversations);
CREATE INDEX stats_category_pairs_deltas ON stats_category_pairs (workspace_id) WHERE NOT compacted;
ANALYZE stats_rollup;
ANALYZE stats_category_pairs;

-- A row's share with a sign: whole and in each of its categories (when counts), its pairs of
-- categories (when pairs).
CREATE FUNCTION parley_stats_share(c conversations, sign INTEGER, counts BOOLEAN, pairs BOOLEAN) RETURNS void
    LANGUAGE plpgsql AS $$
BEGIN
    IF counts THEN
        INSERT INTO stats_rollup (workspace_id, day, source, escalation, category, conversations, with_links,
                                  thumbs_up, thumbs_down, bot_requests)
        SELECT c.workspace_id, c.created_at / 86400000, c.source, c.escalation, k.category, sign,
               CASE WHEN c.has_links THEN sign ELSE 0 END,
               CASE WHEN c.feedback_type = 'thumbs_up' THEN sign ELSE 0 END,
               CASE WHEN c.feedback_type = 'thumbs_down' THEN sign ELSE 0 END, sign * c.request_count
        FROM (SELECT NULL::TEXT AS category UNION SELECT jsonb_array_elements_text(c.categories::jsonb)) k;
    END IF;
    IF pairs THEN
        INSERT INTO stats_category_pairs (workspace_id, day, source, escalation, category, co_category,
                                          conversations)
        SELECT c.workspace_id, c.created_at / 86400000, c.source, c.escalation, a.category, b.category, sign
        FROM (SELECT DISTINCT jsonb_array_elements_text(c.categories::jsonb) AS category) a,
             (SELECT DISTINCT jsonb_array_elements_text(c.categories::jsonb) AS category) b;
    END IF;
END
$$;

CREATE FUNCTION parley_stats_conversation_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    moved BOOLEAN;
    paired BOOLEAN;
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM parley_stats_share(NEW, 1, TRUE, TRUE);
        RETURN NULL;
    END IF;
    IF TG_OP = 'DELETE' THEN
        PERFORM parley_stats_share(OLD, -1, TRUE, TRUE);
        RETURN NULL;
    END IF;
    paired := OLD.created_at / 86400000 <> NEW.created_at / 86400000 OR OLD.source <> NEW.source
        OR OLD.escalation <> NEW.escalation OR OLD.categories <> NEW.categories;
    moved := paired OR OLD.has_links <> NEW.has_links OR OLD.feedback_type IS DISTINCT FROM NEW.feedback_type;
    IF moved THEN
        PERFORM parley_stats_share(OLD, -1, TRUE, paired);
        PERFORM parley_stats_share(NEW, 1, TRUE, paired);
    ELSIF OLD.request_count <> NEW.request_count THEN
        -- only the count of requests changed: the requests alone move, where the row is counted
        INSERT INTO stats_rollup (workspace_id, day, source, escalation, category, conversations, with_links,
                                  thumbs_up, thumbs_down, bot_requests)
        SELECT NEW.workspace_id, NEW.created_at / 86400000, NEW.source, NEW.escalation, k.category, 0, 0, 0, 0,
               NEW.request_count - OLD.request_count
        FROM (SELECT NULL::TEXT AS category UNION SELECT jsonb_array_elements_text(NEW.categories::jsonb)) k;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER stats_conversation_written AFTER INSERT OR DELETE ON conversations
    FOR EACH ROW EXECUTE FUNCTION parley_stats_conversation_changed();
CREATE TRIGGER stats_conversation_updated AFTER UPDATE OF created_at, source, escalation, has_links, feedback_type,
    categories, request_count ON conversations FOR EACH ROW
    WHEN (OLD.created_at / 86400000 <> NEW.created_at / 86400000 OR OLD.source <> NEW.source
          OR OLD.escalation <> NEW.escalation OR OLD.has_links <> NEW.has_links
          OR OLD.feedback_type IS DISTINCT FROM NEW.feedback_type OR OLD.categories <> NEW.categories
          OR OLD.request_count <> NEW.request_count)
    EXECUTE FUNCTION parley_stats_conversation_changed();
