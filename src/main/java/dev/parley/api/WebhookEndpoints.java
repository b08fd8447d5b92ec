package dev.parley.api;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.history.HistoryQuery;
import dev.parley.history.InvalidField;
import dev.parley.history.Uuids;
import dev.parley.webhook.CreatedWebhook;
import dev.parley.webhook.Delivery;
import dev.parley.webhook.EventType;
import dev.parley.webhook.Webhook;
import dev.parley.webhook.WebhookUrl;
import dev.parley.webhook.Webhooks;
import dev.parley.workspace.Principal;
import dev.parley.workspace.Scope;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The webhook routes of SPEC §9 (scope {@code admin}): register, list, remove, and the log of
 * deliveries with its retry.
 *
 * <pre>curl -H "Authorization: Bearer $KEY" -H 'Content-Type: application/json' \
 *   -d '{"url":"https://hooks.example.com/parley","events":["request.escalated"]}' \
 *   localhost:8080/v2/bots/webhooks</pre>
 */
final class WebhookEndpoints {

    private static final java.util.List<String> FIELDS = java.util.List.of("url", "events");

    private final Webhooks webhooks;
    private final Authenticator authenticator;

    WebhookEndpoints(Webhooks webhooks, Authenticator authenticator) {
        this.webhooks = webhooks;
        this.authenticator = authenticator;
    }

    void register(Context ctx) throws IOException {
        Principal principal = authenticator.require(ctx, Scope.ADMIN);
        JsonNode body = RequestBodies.jsonObject(ctx);
        RequestBodies.refuseUnknownFields(body, FIELDS);
        WebhookUrl url = urlOf(body.get("url"));
        List<EventType> events = eventsOf(body.get("events"));
        CreatedWebhook created = webhooks.register(principal.workspaceId(), url, events);
        JsonResponses.send(ctx, 201, out -> writeWebhook(out, created.webhook(), Optional.of(created.secret())));
    }

    void list(Context ctx) throws IOException {
        Principal principal = authenticator.require(ctx, Scope.ADMIN);
        List<Webhook> all = webhooks.list(principal.workspaceId());
        JsonResponses.send(ctx, 200, out -> {
            out.writeStartObject();
            out.writeArrayFieldStart("data");
            for (Webhook webhook : all) {
                writeWebhook(out, webhook, Optional.empty());
            }
            out.writeEndArray();
            out.writeEndObject();
        });
    }

    void delete(Context ctx) {
        Principal principal = authenticator.require(ctx, Scope.ADMIN);
        UUID id = pathId(ctx, "id");
        if (!webhooks.delete(principal.workspaceId(), id)) {
            throw noWebhook(id);
        }
        ctx.status(204);
    }

    void deliveries(Context ctx) throws IOException {
        Principal principal = authenticator.require(ctx, Scope.ADMIN);
        UUID id = pathId(ctx, "id");
        List<Delivery> recent = webhooks.deliveries(principal.workspaceId(), id).orElseThrow(() -> noWebhook(id));
        JsonResponses.send(ctx, 200, out -> {
            out.writeStartObject();
            out.writeArrayFieldStart("data");
            for (Delivery delivery : recent) {
                writeDelivery(out, delivery);
            }
            out.writeEndArray();
            out.writeEndObject();
        });
    }

    void retry(Context ctx) throws IOException {
        Principal principal = authenticator.require(ctx, Scope.ADMIN);
        UUID id = pathId(ctx, "id");
        UUID deliveryId = pathId(ctx, "deliveryId");
        Delivery retried = webhooks.retry(principal.workspaceId(), id, deliveryId).orElseThrow(() ->
                ApiError.notFound("this workspace has no webhook " + id + " with a delivery " + deliveryId));
        JsonResponses.send(ctx, 202, out -> writeDelivery(out, retried));
    }

    private static WebhookUrl urlOf(JsonNode value) {
        if (value == null || value.isNull()) {
            throw new InvalidField("url", "is required: the http or https URL that deliveries are POSTed to");
        }
        if (!value.isTextual()) {
            throw new InvalidField("url", "must be a string: an http or https URL");
        }
        return WebhookUrl.parse(value.textValue());
    }

    /** The events named, each once; none (or the field left out) means every event. */
    private static List<EventType> eventsOf(JsonNode value) {
        if (value == null || value.isNull()) {
            return List.of();
        }
        String rule = "must be an array of event names, each once, from: " + EventType.allowed();
        if (!value.isArray() || value.isEmpty()) {
            throw new InvalidField("events", rule + " (leave it out for every event)");
        }
        List<EventType> events = new ArrayList<>();
        for (JsonNode item : value) {
            Optional<EventType> type = item.isTextual() ? EventType.fromWire(item.textValue()) : Optional.empty();
            if (type.isEmpty() || events.contains(type.get())) {
                throw new InvalidField("events", rule + "; got " + HistoryQuery.shown(item.toString()));
            }
            events.add(type.get());
        }
        return events;
    }

    private static void writeWebhook(JsonGenerator out, Webhook webhook, Optional<String> secret) throws IOException {
        out.writeStartObject();
        out.writeStringField("id", webhook.id().toString());
        out.writeStringField("url", webhook.url().toString());
        out.writeArrayFieldStart("events");
        for (EventType type : webhook.events()) {
            out.writeString(type.wireName());
        }
        out.writeEndArray();
        if (secret.isPresent()) {
            out.writeStringField("secret", secret.get());
        }
        out.writeNumberField("createdAt", webhook.createdAt());
        out.writeEndObject();
    }

    private static void writeDelivery(JsonGenerator out, Delivery delivery) throws IOException {
        out.writeStartObject();
        out.writeStringField("id", delivery.id().toString());
        out.writeStringField("eventId", delivery.eventId().toString());
        out.writeStringField("event", delivery.event().wireName());
        out.writeStringField("conversationId", delivery.conversationId().toString());
        if (delivery.requestId().isPresent()) {
            out.writeStringField("requestId", delivery.requestId().get().toString());
        } else {
            out.writeNullField("requestId");
        }
        out.writeNumberField("occurredAt", delivery.occurredAt());
        out.writeStringField("state", delivery.state().wireName());
        out.writeNumberField("attempts", delivery.attempts());
        writeOptionalNumber(out, "lastStatus", delivery.lastStatus().map(Integer::longValue));
        if (delivery.lastError().isPresent()) {
            out.writeStringField("lastError", delivery.lastError().get());
        } else {
            out.writeNullField("lastError");
        }
        writeOptionalNumber(out, "lastAttemptAt", delivery.lastAttemptAt());
        writeOptionalNumber(out, "nextAttemptAt", delivery.nextAttemptAt());
        out.writeEndObject();
    }

    private static void writeOptionalNumber(JsonGenerator out, String field, Optional<Long> value) throws IOException {
        if (value.isPresent()) {
            out.writeNumberField(field, value.get());
        } else {
            out.writeNullField(field);
        }
    }

    private static UUID pathId(Context ctx, String name) {
        String text = ctx.pathParam(name);
        return Uuids.parse(text).orElseThrow(() -> ApiError.invalidParameter(name,
                "the " + name + " in the path must be a UUID, got '" + HistoryQuery.shown(text) + "'"));
    }

    private static ApiError noWebhook(UUID id) {
        return ApiError.notFound("this workspace has no webhook with id " + id);
    }
}
