package dev.parley.workspace;

import java.util.regex.Pattern;

/** A workspace's name: lowercase letters, digits, '-' and '_', 1 to 63 characters. */
public record WorkspaceName(String value) {

    private static final Pattern ALLOWED = Pattern.compile("[a-z0-9][a-z0-9_-]{0,62}");
    public static final WorkspaceName DEFAULT = new WorkspaceName("default");

    public WorkspaceName {
        if (value == null || !ALLOWED.matcher(value).matches()) {
            throw new IllegalArgumentException("invalid workspace name '" + value
                    + "': use 1 to 63 lowercase letters, digits, '-' or '_', starting with a letter or digit");
        }
    }

    @Override
    public String toString() {
        return value;
    }
}
