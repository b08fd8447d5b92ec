-- The stats of a window count the part of an edge day it cuts from the conversations themselves
-- (issue 20). Through conversations_newest_first each of them is a lookup of its row: at
-- 1,000,000 conversations 15 hours of one day (3,348 rows) took 20 ms, and a 30-day window's stats
-- 12 times a first page. The index that already lets the requests of a window be summed from its
-- range alone (V7) now holds every column the stats count, so the edges read one range of it.
DROP INDEX conversations_requests_in_time;
CREATE INDEX conversations_requests_in_time ON conversations (workspace_id, created_at, source, request_count,
    escalation, has_links, feedback_type, categories);

-- A new index has no statistics, and where the others have them (a store that was analyzed after
-- a bulk load) the planner then misjudged it: it walked all of a workspace's conversations through
-- it to join a rare category's lookup (5.3 s at 1,000,000, where the lookup first takes 2 ms).
-- Analyzing the table gives every index of it statistics of the same age.
ANALYZE conversations;
