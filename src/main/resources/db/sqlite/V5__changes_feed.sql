-- The changes feed (SPEC §8). SQLite has one writer at a time, and the change sequence is bumped
-- inside it, so number order is commit order: the feed follows (change_seq, id).
CREATE INDEX conversations_by_commit ON conversations (workspace_id, change_seq, id);
CREATE INDEX conversation_tombstones_by_commit ON conversation_tombstones (workspace_id, change_seq, conversation_id);
DROP INDEX conversations_by_change;
DROP INDEX conversation_tombstones_by_change;

-- Purging expired tombstones (PARLEY_TOMBSTONE_DAYS) finds them by age.
CREATE INDEX conversation_tombstones_by_age ON conversation_tombstones (workspace_id, deleted_at);
