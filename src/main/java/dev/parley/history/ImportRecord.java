package dev.parley.history;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;

/**
 * What an import keeps of its own writes, in the transaction of each (issue 20): an import
 * commits in chunks, and this record is what lets it be undone whole.
 */
public interface ImportRecord {

    /**
     * A chunk wrote these conversations with this change number: {@code replaced} were stored
     * before (as they were just before the chunk), {@code created} were not. A conversation an
     * earlier chunk of the same import wrote too is to be put back as that chunk found it.
     */
    void wrote(Connection connection, List<Snapshot> replaced, List<UUID> created, long changeSeq)
            throws SQLException;

    /**
     * These conversations have been put back as the import found them (or left, when changed
     * since): the import's next ones in id order, as {@code pending} gave them.
     */
    void undid(Connection connection, List<UUID> ids) throws SQLException;

    /** One conversation to put back: as it was before the import, or deleted when the import created it. */
    record Undo(UUID id, java.util.Optional<Snapshot> before, long writtenSeq) {
    }
}
