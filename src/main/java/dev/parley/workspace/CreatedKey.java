package dev.parley.workspace;

/** A key just made, with the secret that is shown this once and never stored. */
public record CreatedKey(ApiKey key, String secret) {
}
