package dev.parley.history;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * What an import keeps of its own writes, in the transaction of each (issue 20): an import
 * commits in chunks, and this record is what lets it be undone whole.
 */
public interface ImportRecord {

    /** Of these conversation ids, those an earlier chunk of the import already wrote. */
    Set<UUID> recorded(Connection connection, List<UUID> ids) throws SQLException;

    /**
     * A chunk wrote {@code written} with this change number; of those written for the first time,
     * {@code replaced} were stored before (as they were) and {@code created} were new.
     */
    void wrote(Connection connection, List<Snapshot> replaced, List<UUID> created, List<UUID> written,
               long changeSeq) throws SQLException;

    /** These conversations have been put back as the import found them (or left, when changed since). */
    void undid(Connection connection, List<UUID> ids) throws SQLException;

    /** One conversation to put back: as it was before the import, or deleted when the import created it. */
    record Undo(UUID id, java.util.Optional<Snapshot> before, long writtenSeq) {
    }
}
