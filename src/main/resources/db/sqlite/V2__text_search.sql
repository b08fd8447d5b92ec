-- Substring search on folded question and answer text: an FTS5 index of trigrams over the
-- bot_requests rows (external content, so the text is stored once), kept in step by triggers.
-- Folding is done in Java before storing, so the tokenizer is told to compare exactly.
CREATE VIRTUAL TABLE bot_requests_text USING fts5(
    question_folded, answer_folded,
    content = 'bot_requests', content_rowid = 'rowid',
    tokenize = 'trigram case_sensitive 1'
);

CREATE TRIGGER bot_requests_text_insert AFTER INSERT ON bot_requests BEGIN
    INSERT INTO bot_requests_text (rowid, question_folded, answer_folded)
    VALUES (new.rowid, new.question_folded, new.answer_folded);
END;

CREATE TRIGGER bot_requests_text_delete AFTER DELETE ON bot_requests BEGIN
    INSERT INTO bot_requests_text (bot_requests_text, rowid, question_folded, answer_folded)
    VALUES ('delete', old.rowid, old.question_folded, old.answer_folded);
END;

CREATE TRIGGER bot_requests_text_update AFTER UPDATE OF question_folded, answer_folded ON bot_requests BEGIN
    INSERT INTO bot_requests_text (bot_requests_text, rowid, question_folded, answer_folded)
    VALUES ('delete', old.rowid, old.question_folded, old.answer_folded);
    INSERT INTO bot_requests_text (rowid, question_folded, answer_folded)
    VALUES (new.rowid, new.question_folded, new.answer_folded);
END;
