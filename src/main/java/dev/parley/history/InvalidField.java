package dev.parley.history;

/** A value that the contract does not allow, with the field it came in and the rule it broke. */
public final class InvalidField extends RuntimeException {

    private final String field;

    public InvalidField(String field, String problem) {
        super(field + " " + problem);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
