package dev.parley.privacy;

import java.util.Optional;
import java.util.OptionalInt;

/**
 * A change to a workspace's privacy settings ({@code PATCH /v2/workspace}, {@code workspace set}):
 * each field empty when not given. {@code retentionDays} given as an empty {@link OptionalInt}
 * means "keep for ever".
 */
public record SettingsChange(Optional<Boolean> email, Optional<Boolean> phone, Optional<Boolean> card,
                             Optional<OptionalInt> retentionDays) {

    public SettingsChange {
        retentionDays.ifPresent(days -> days.ifPresent(PrivacySettings::checkRetentionDays));
    }

    /** A change that sets every redaction kind as given. */
    public static SettingsChange redaction(Redaction redaction) {
        return new SettingsChange(Optional.of(redaction.email()), Optional.of(redaction.phone()),
                Optional.of(redaction.card()), Optional.empty());
    }

    public SettingsChange withRetentionDays(OptionalInt days) {
        return new SettingsChange(email, phone, card, Optional.of(days));
    }
}
