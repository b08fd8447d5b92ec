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
    Sql anyRequestContains(long workspace, String conversationId, String column, String foldedTerm) {
        return new Sql().append("EXISTS (SELECT 1 FROM bot_requests r WHERE r.workspace_id = ? AND r.conversation_id = "
                + conversationId + " AND " + position() + "(r." + column + ", ?) > 0)", workspace, foldedTerm);
    }

    /** The function that finds a substring's position, 0 when absent. */
    abstract String position();

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
        String position() {
            return "instr";
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

        @Override
        String position() {
            return "strpos";
        }
    }
}
