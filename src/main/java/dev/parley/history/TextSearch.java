package dev.parley.history;

import dev.parley.store.Dialect;
import dev.parley.store.Sql;

/**
 * The substring filters ({@code question}, {@code answer}): the conversation ids of a workspace's
 * requests whose folded text contains the folded term literally. Each store has its own index for
 * it (see the migrations), so each has its own statement.
 */
abstract sealed class TextSearch {

    static TextSearch of(Dialect dialect) {
        return dialect == Dialect.SQLITE ? new Fts5() : new Trigrams();
    }

    /** @param column {@code question_folded} or {@code answer_folded} */
    abstract Sql requestsContaining(long workspace, String column, String foldedTerm);

    /**
     * {@code EXISTS (…)}: whether a conversation, named by an id column of the enclosing query, has
     * a request whose folded text contains the folded term, read through its requests' key instead
     * of the index: the check of a walk in page order, which stops at the page's last match.
     */
    abstract Sql anyRequestContains(long workspace, String conversationId, String column, String foldedTerm);

    private static Sql requestOf(String conversationId, long workspace) {
        return new Sql().append("SELECT 1 FROM bot_requests r WHERE r.workspace_id = ? AND r.conversation_id = "
                + conversationId, workspace);
    }

    /**
     * SQLite: three characters or more, the FTS5 trigram index finds the requests and a trigram
     * phrase matches exactly the substrings. Shorter terms have no trigram, so they scan.
     */
    private static final class Fts5 extends TextSearch {
        @Override
        Sql requestsContaining(long workspace, String column, String foldedTerm) {
            if (foldedTerm.codePointCount(0, foldedTerm.length()) >= 3) {
                String phrase = "{" + column + "} : \"" + foldedTerm.replace("\"", "\"\"") + "\"";
                // CROSS JOIN keeps SQLite from scanning the workspace's requests instead of the index
                return new Sql().append("SELECT r.conversation_id FROM bot_requests_text f"
                        + " CROSS JOIN bot_requests r ON r.rowid = f.rowid"
                        + " WHERE f.bot_requests_text MATCH ? AND r.workspace_id = ?", phrase, workspace);
            }
            return new Sql().append("SELECT r.conversation_id FROM bot_requests r WHERE r.workspace_id = ?"
                    + " AND instr(r." + column + ", ?) > 0", workspace, foldedTerm);
        }

        @Override
        Sql anyRequestContains(long workspace, String conversationId, String column, String foldedTerm) {
            return new Sql().append("EXISTS (").append(requestOf(conversationId, workspace))
                    .append(" AND instr(r." + column + ", ?) > 0)", foldedTerm);
        }
    }

    /** PostgreSQL: LIKE with every wildcard escaped, so that the pg_trgm GIN index can serve it. */
    private static final class Trigrams extends TextSearch {
        @Override
        Sql requestsContaining(long workspace, String column, String foldedTerm) {
            String pattern = "%" + foldedTerm.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
            return new Sql().append("SELECT r.conversation_id FROM bot_requests r WHERE r.workspace_id = ?"
                    + " AND r." + column + " LIKE ?", workspace, pattern);
        }

        /**
         * OFFSET 0 keeps the planner from turning the check into one hashed scan of every request
         * of the workspace, made before the first candidate is checked.
         */
        @Override
        Sql anyRequestContains(long workspace, String conversationId, String column, String foldedTerm) {
            return new Sql().append("EXISTS (").append(requestOf(conversationId, workspace))
                    .append(" AND strpos(r." + column + ", ?) > 0 OFFSET 0)", foldedTerm);
        }
    }
}
