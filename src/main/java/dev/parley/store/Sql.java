package dev.parley.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

/**
 * A statement built in pieces, each value bound as a parameter: the one small query builder.
 * Values are never spliced into the text.
 */
public final class Sql {

    private final StringBuilder text = new StringBuilder();
    private final List<Object> params = new ArrayList<>();

    public Sql append(String fragment) {
        text.append(fragment);
        return this;
    }

    /** Appends a fragment whose {@code ?}s take these values, in order. */
    public Sql append(String fragment, Object... values) {
        long placeholders = fragment.chars().filter(c -> c == '?').count();
        if (placeholders != values.length) {
            throw new IllegalArgumentException(placeholders + " placeholders but " + values.length + " values in: " + fragment);
        }
        text.append(fragment);
        params.addAll(java.util.Arrays.asList(values)); // List.of would refuse a null, which binds as NULL
        return this;
    }

    /** Appends {@code (?, ?, …)} for the values. */
    public Sql appendList(Collection<?> values) {
        text.append('(').append(String.join(", ", java.util.Collections.nCopies(values.size(), "?"))).append(')');
        params.addAll(values);
        return this;
    }

    /** {@code INSERT INTO table (a, b, …) VALUES (?, ?, …)}, the row's values bound. */
    public static Sql insert(String table, Row row) {
        return new Sql().append("INSERT INTO " + table + " (" + String.join(", ", row.columns()) + ") VALUES (")
                .appendValues(row, ", ").append(")");
    }

    /** {@code INSERT INTO table (a, b, …) VALUES (?, ?, …), (?, ?, …), …}: several rows, one statement. */
    public static Sql insert(String table, List<Row> rows) {
        List<String> columns = rows.get(0).columns();
        Sql sql = new Sql().append("INSERT INTO " + table + " (" + String.join(", ", columns) + ") VALUES ");
        for (int i = 0; i < rows.size(); i++) {
            if (!rows.get(i).columns().equals(columns)) {
                throw new IllegalArgumentException("a row of " + table + " has the columns " + rows.get(i).columns()
                        + ", not " + columns);
            }
            sql.append(i == 0 ? "(" : ", (").appendValues(rows.get(i), ", ").append(")");
        }
        return sql;
    }

    /**
     * {@code INSERT INTO table (a, b, …) SELECT ?, ?, … FROM <from>}: one row for each row of
     * {@code from}, as in a statement that writes several tables at once.
     */
    public static Sql insertFrom(String table, Row row, String from) {
        return new Sql().append("INSERT INTO " + table + " (" + String.join(", ", row.columns()) + ") SELECT ")
                .appendValues(row, ", ").append(" FROM " + from);
    }

    /** {@code UPDATE table SET a = ?, b = ?, …}, the row's values bound; the caller appends the WHERE. */
    public static Sql update(String table, Row row) {
        Sql sql = new Sql().append("UPDATE " + table + " SET ");
        List<String> columns = row.columns();
        List<Object> values = row.values();
        for (int i = 0; i < columns.size(); i++) {
            sql.append((i == 0 ? "" : ", ") + columns.get(i) + " = ").appendValue(values.get(i));
        }
        return sql;
    }

    private Sql appendValues(Row row, String separator) {
        List<Object> values = row.values();
        for (int i = 0; i < values.size(); i++) {
            append(i == 0 ? "" : separator).appendValue(values.get(i));
        }
        return this;
    }

    private Sql appendValue(Object value) {
        if (value instanceof Row.Expression expression) {
            return append(expression.sql());
        }
        text.append('?');
        params.add(value);
        return this;
    }

    public Sql append(Sql other) {
        text.append(other.text);
        params.addAll(other.params);
        return this;
    }

    public String text() {
        return text.toString();
    }

    public PreparedStatement prepare(Connection connection, Dialect dialect) throws SQLException {
        PreparedStatement statement = connection.prepareStatement(text.toString());
        try {
            for (int i = 0; i < params.size(); i++) {
                bind(statement, i + 1, params.get(i), dialect);
            }
            return statement;
        } catch (SQLException | RuntimeException e) {
            statement.close();
            throw e;
        }
    }

    static void bind(PreparedStatement statement, int index, Object value, Dialect dialect)
            throws SQLException {
        if (value instanceof UUID id) {
            dialect.setId(statement, index, id);
        } else if (value instanceof Boolean flag) {
            statement.setBoolean(index, flag);
        } else if (value instanceof Long number) {
            statement.setLong(index, number);
        } else if (value instanceof Integer number) {
            statement.setInt(index, number);
        } else if (value instanceof String string) {
            statement.setString(index, string);
        } else if (value instanceof String[] texts) {
            statement.setArray(index, statement.getConnection().createArrayOf("text", texts));
        } else if (value == null) {
            statement.setNull(index, Types.NULL);
        } else {
            throw new IllegalArgumentException("cannot bind a " + value.getClass().getSimpleName());
        }
    }

    @Override
    public String toString() {
        return text + " " + params;
    }
}
