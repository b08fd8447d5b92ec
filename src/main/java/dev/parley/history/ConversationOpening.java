package dev.parley.history;

import dev.parley.history.ConversationRows.Header;
import dev.parley.history.RequestRows.StoredRequest;
import dev.parley.store.Dialect;
import dev.parley.store.Row;
import dev.parley.store.Sql;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/**
 * Opens a conversation with its first request, written whole: its row with the aggregates of
 * that request, the request, and its lookup rows. Opening conversations is most of what bots do,
 * so where the store can write several tables in one statement (PostgreSQL), it is one round trip:
 *
 * <pre>
 * WITH conversation AS (INSERT INTO conversations (…) VALUES (…, nextval('change_sequence'))
 *                       ON CONFLICT (workspace_id, id) DO NOTHING RETURNING id),
 *      request AS (INSERT INTO bot_requests (…) SELECT ?, … FROM conversation),
 *      failing AS (INSERT INTO failing_requests (…) SELECT ?, … FROM conversation), -- when it failed
 *      categories AS (INSERT INTO conversation_categories (…)
 *                     SELECT ?, value, ?, id FROM conversation, unnest(CAST(? AS text[])) AS value),
 *      citations AS (… the same for conversation_citations …)
 * SELECT COUNT(*) FROM conversation
 * </pre>
 */
final class ConversationOpening {

    private final Dialect dialect;
    private final ConversationRows conversations;
    private final RequestRows requests;

    ConversationOpening(Dialect dialect, ConversationRows conversations, RequestRows requests) {
        this.dialect = dialect;
        this.conversations = conversations;
        this.requests = requests;
    }

    /** Writes the conversation and its first request; false, writing nothing, when the id is taken. */
    boolean open(Connection connection, long workspace, Header header, StoredRequest first, ChangeNumber changeSeq)
            throws SQLException {
        Aggregates aggregates = Aggregates.of(List.of(first.request()));
        if (dialect.writesSeveralTablesAtOnce() && dialect.changeSeqExpression().isPresent()) {
            return openAtOnce(connection, workspace, header, aggregates, first);
        }
        if (!conversations.insert(connection, workspace, header, aggregates, changeSeq.get())) {
            return false;
        }
        requests.insert(connection, workspace, header, first);
        for (LookupRows lookup : LookupRows.values()) {
            lookup.change(connection, dialect, workspace, header.id(), header.createdAt(), Aggregates.NONE,
                    aggregates);
        }
        return true;
    }

    private boolean openAtOnce(Connection connection, long workspace, Header header, Aggregates aggregates,
                               StoredRequest first) throws SQLException {
        Row conversation = ConversationRows.row(workspace, header, aggregates)
                .setExpression("change_seq", dialect.changeSeqExpression().orElseThrow());
        Sql sql = new Sql().append("WITH conversation AS (")
                .append(ConversationRows.insertUnlessTaken(conversation)).append(" RETURNING id), request AS (")
                .append(Sql.insertFrom(RequestRows.TABLE, RequestRows.row(workspace, first), "conversation"));
        Optional<Row> failing = FailingRequestRows.row(workspace, header, first);
        if (failing.isPresent()) {
            sql.append("), failing AS (").append(Sql.insertFrom(FailingRequestRows.TABLE, failing.get(), "conversation"));
        }
        for (LookupRows lookup : LookupRows.values()) {
            sql.append("), " + lookup.column + "_rows AS (INSERT INTO " + lookup.table
                    + " (workspace_id, " + lookup.column + ", created_at, conversation_id)"
                    + " SELECT ?, value, ?, id FROM conversation, unnest(CAST(? AS text[])) AS value",
                    workspace, header.createdAt(), lookup.valuesOf(aggregates).toArray(String[]::new));
        }
        sql.append(") SELECT COUNT(*) FROM conversation");
        try (PreparedStatement open = sql.prepare(connection, dialect); ResultSet rows = open.executeQuery()) {
            rows.next();
            return rows.getInt(1) == 1;
        }
    }
}
