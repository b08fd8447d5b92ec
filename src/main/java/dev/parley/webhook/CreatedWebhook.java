package dev.parley.webhook;

/** A webhook just registered, with the signing secret that is shown only this once. */
public record CreatedWebhook(Webhook webhook, String secret) {
}
