-- Substring search on folded question and answer text: trigram GIN indexes that serve LIKE,
-- led by the workspace id like every other index (btree_gin lets a GIN index hold it).
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE EXTENSION IF NOT EXISTS btree_gin;

CREATE INDEX bot_requests_question_trigrams ON bot_requests USING gin (workspace_id, question_folded gin_trgm_ops);
CREATE INDEX bot_requests_answer_trigrams ON bot_requests USING gin (workspace_id, answer_folded gin_trgm_ops);
