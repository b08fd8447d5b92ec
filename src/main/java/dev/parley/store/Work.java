package dev.parley.store;

import java.sql.Connection;
import java.sql.SQLException;

/** Work done inside one transaction on a connection that the store owns. */
@FunctionalInterface
public interface Work<T> {
    T run(Connection connection) throws SQLException;
}
