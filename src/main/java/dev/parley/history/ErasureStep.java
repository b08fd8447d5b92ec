package dev.parley.history;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * A step run inside an erasure's (or a rewrite's) transaction, once it knows how many
 * conversations it touched: the audit entry, written with what it records or not at all.
 */
@FunctionalInterface
public interface ErasureStep {

    ErasureStep NONE = (connection, conversations) -> { };

    void run(Connection connection, int conversations) throws SQLException;
}
