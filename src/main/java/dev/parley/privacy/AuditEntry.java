package dev.parley.privacy;

import java.util.Optional;

/** One erasure, as the audit log keeps it: never the erased text, nor whose it was. */
public record AuditEntry(long at, Optional<String> keyId, Action action, int conversations) {

    /** What was done. */
    public enum Action {
        DELETE_CONVERSATION, ERASE_USER, RETENTION_SWEEP, REDACT;

        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        static Action fromWire(String wire) {
            return valueOf(wire.toUpperCase(java.util.Locale.ROOT));
        }
    }
}
