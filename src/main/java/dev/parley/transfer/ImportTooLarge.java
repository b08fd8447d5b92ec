package dev.parley.transfer;

/** An import larger than {@code PARLEY_IMPORT_MAX_BYTES}. */
public final class ImportTooLarge extends RuntimeException {

    private final long limit;

    ImportTooLarge(long limit) {
        super("the import must be at most " + limit + " bytes (PARLEY_IMPORT_MAX_BYTES)");
        this.limit = limit;
    }

    public long limit() {
        return limit;
    }
}
