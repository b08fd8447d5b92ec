package dev.parley.privacy;

import java.util.Objects;
import java.util.OptionalInt;

/**
 * A workspace's privacy settings (SPEC §10): what its writes redact, and after how many days
 * without a change a conversation is erased (none: kept for ever).
 */
public record PrivacySettings(Redaction redaction, OptionalInt retentionDays) {

    public static final int MAX_RETENTION_DAYS = 3650;
    /** What a new workspace has: card numbers redacted, everything kept. */
    public static final PrivacySettings DEFAULT = new PrivacySettings(Redaction.DEFAULT, OptionalInt.empty());

    public PrivacySettings {
        Objects.requireNonNull(redaction, "redaction");
        retentionDays.ifPresent(PrivacySettings::checkRetentionDays);
    }

    /** The rule for {@code retentionDays}, one message for every edge. */
    public static void checkRetentionDays(int days) {
        if (days < 1 || days > MAX_RETENTION_DAYS) {
            throw new IllegalArgumentException("must be a whole number of days from 1 to " + MAX_RETENTION_DAYS
                    + ", or null to keep history for ever, got " + days);
        }
    }

    /** These settings with what a change names; what it leaves out keeps its value. */
    public PrivacySettings with(SettingsChange change) {
        Redaction merged = new Redaction(change.email().orElse(redaction.email()),
                change.phone().orElse(redaction.phone()), change.card().orElse(redaction.card()));
        return new PrivacySettings(merged, change.retentionDays().orElse(retentionDays));
    }
}
