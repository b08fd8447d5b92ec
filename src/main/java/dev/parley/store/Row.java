package dev.parley.store;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The columns of one row and their values, each column named once beside its value: the
 * statements that write the row ({@link Sql#insert}, {@link Sql#update}, {@link BulkRows}) make
 * their column lists and placeholders from it, so no position is ever counted by hand.
 */
public final class Row {

    private final Map<String, Object> values = new LinkedHashMap<>();

    /** Sets a column; values are those {@link Sql} binds (strings, numbers, booleans, ids, nulls). */
    public Row set(String column, Object value) {
        if (values.containsKey(column)) {
            throw new IllegalArgumentException("column " + column + " is set twice");
        }
        values.put(column, value);
        return this;
    }

    /**
     * Sets a column to an SQL expression the store evaluates (a sequence's next value), written
     * into the statement's text where the others get a placeholder.
     */
    public Row setExpression(String column, String sql) {
        return set(column, new Expression(sql));
    }

    /** A value that is SQL text, not a parameter. */
    record Expression(String sql) {
    }

    public List<String> columns() {
        return List.copyOf(values.keySet());
    }

    /** The values in the order of {@link #columns()}; nulls included. */
    public List<Object> values() {
        return Collections.unmodifiableList(new ArrayList<>(values.values()));
    }
}
