package dev.parley.api;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.history.InvalidField;
import dev.parley.privacy.AuditEntry;
import dev.parley.privacy.Privacy;
import dev.parley.privacy.PrivacySettings;
import dev.parley.privacy.SettingsChange;
import dev.parley.workspace.Principal;
import dev.parley.workspace.Scope;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A workspace's privacy settings and audit log (SPEC §10): {@code GET /v2/workspace} (any key),
 * {@code PATCH /v2/workspace} and {@code GET /v2/workspace/audit} ({@code admin}).
 *
 * <pre>curl -X PATCH -H "Authorization: Bearer $KEY" -H 'Content-Type: application/json' \
 *   -d '{"redaction": {"email": true}, "retentionDays": 365}' localhost:8080/v2/workspace</pre>
 */
final class WorkspaceEndpoints {

    private static final java.util.List<String> FIELDS = java.util.List.of("redaction", "retentionDays");
    private static final String KINDS = "email, phone, card";

    private final Privacy privacy;
    private final Authenticator authenticator;

    WorkspaceEndpoints(Privacy privacy, Authenticator authenticator) {
        this.privacy = privacy;
        this.authenticator = authenticator;
    }

    void show(Context ctx) throws IOException {
        Principal principal = authenticator.requireAny(ctx);
        PrivacySettings settings = privacy.settings(principal.workspaceId());
        JsonResponses.send(ctx, 200, out -> write(out, principal, settings));
    }

    void change(Context ctx) throws IOException {
        Principal principal = authenticator.require(ctx, Scope.ADMIN);
        SettingsChange change = changeOf(RequestBodies.jsonObject(ctx));
        PrivacySettings settings = privacy.change(principal.workspaceId(), change);
        JsonResponses.send(ctx, 200, out -> write(out, principal, settings));
    }

    void audit(Context ctx) throws IOException {
        Principal principal = authenticator.require(ctx, Scope.ADMIN);
        List<AuditEntry> entries = privacy.auditLog(principal.workspaceId());
        JsonResponses.send(ctx, 200, out -> {
            out.writeStartObject();
            out.writeArrayFieldStart("entries");
            for (AuditEntry entry : entries) {
                out.writeStartObject();
                out.writeNumberField("at", entry.at());
                if (entry.keyId().isPresent()) {
                    out.writeStringField("keyId", entry.keyId().get());
                } else {
                    out.writeNullField("keyId");
                }
                out.writeStringField("action", entry.action().wireName());
                out.writeNumberField("conversations", entry.conversations());
                out.writeEndObject();
            }
            out.writeEndArray();
            out.writeEndObject();
        });
    }

    private static void write(JsonGenerator out, Principal principal, PrivacySettings settings) throws IOException {
        out.writeStartObject();
        out.writeStringField("name", principal.workspaceName());
        out.writeObjectFieldStart("redaction");
        out.writeBooleanField("email", settings.redaction().email());
        out.writeBooleanField("phone", settings.redaction().phone());
        out.writeBooleanField("card", settings.redaction().card());
        out.writeEndObject();
        if (settings.retentionDays().isPresent()) {
            out.writeNumberField("retentionDays", settings.retentionDays().getAsInt());
        } else {
            out.writeNullField("retentionDays");
        }
        out.writeArrayFieldStart("scopes");
        for (Scope scope : principal.scopes().stream().sorted().toList()) {
            out.writeString(scope.wireName());
        }
        out.writeEndArray();
        out.writeStringField("keyId", principal.keyId());
        out.writeEndObject();
    }

    /** The body of a PATCH: what it names changes, what it leaves out keeps its value. */
    static SettingsChange changeOf(JsonNode body) {
        RequestBodies.refuseUnknownFields(body, FIELDS);
        Optional<Boolean> email = Optional.empty();
        Optional<Boolean> phone = Optional.empty();
        Optional<Boolean> card = Optional.empty();
        JsonNode redaction = body.get("redaction");
        if (redaction != null) {
            if (!redaction.isObject()) {
                throw new InvalidField("redaction", "must be an object such as {\"email\": true, \"phone\": false}");
            }
            for (var names = redaction.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                if (!List.of("email", "phone", "card").contains(name)) {
                    throw InvalidField.unknown("redaction." + name, KINDS);
                }
            }
            email = flag(redaction, "email");
            phone = flag(redaction, "phone");
            card = flag(redaction, "card");
        }
        Optional<OptionalInt> retentionDays = Optional.empty();
        JsonNode days = body.get("retentionDays");
        if (days != null) {
            if (days.isNull()) {
                retentionDays = Optional.of(OptionalInt.empty());
            } else if (days.isIntegralNumber() && days.canConvertToInt()
                    && days.intValue() >= 1 && days.intValue() <= PrivacySettings.MAX_RETENTION_DAYS) {
                retentionDays = Optional.of(OptionalInt.of(days.intValue()));
            } else {
                throw new InvalidField("retentionDays", "must be a whole number of days from 1 to "
                        + PrivacySettings.MAX_RETENTION_DAYS + ", or null to keep history for ever, got " + days);
            }
        }
        return new SettingsChange(email, phone, card, retentionDays);
    }

    private static Optional<Boolean> flag(JsonNode redaction, String kind) {
        JsonNode value = redaction.get(kind);
        if (value == null) {
            return Optional.empty();
        }
        if (!value.isBoolean()) {
            throw new InvalidField("redaction." + kind, "must be true or false, got " + value);
        }
        return Optional.of(value.booleanValue());
    }
}
