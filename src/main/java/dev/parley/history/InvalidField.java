package dev.parley.history;

/** A value that the contract does not allow, with the field it came in and the rule it broke. */
public final class InvalidField extends RuntimeException {

    private final String field;

    public InvalidField(String field, String problem) {
        this(field, problem, field + " " + problem);
    }

    private InvalidField(String field, String problem, String message) {
        super(message);
        this.field = field;
    }

    /** A field the object does not have; its name is quoted, since a client may send any, even "". */
    public static InvalidField unknown(String field, String allowed) {
        return new InvalidField(field, "", "'" + field + "' is not a field here; the fields are " + allowed);
    }

    public String field() {
        return field;
    }
}
