package dev.parley.transfer;

import java.util.Locale;
import java.util.Optional;

/** How an export is written: one JSON conversation a line, or a CSV row per bot request. */
public enum ExportFormat {
    NDJSON("application/x-ndjson; charset=utf-8", "ndjson"),
    CSV("text/csv; charset=utf-8", "csv");

    public final String contentType;
    public final String extension;

    ExportFormat(String contentType, String extension) {
        this.contentType = contentType;
        this.extension = extension;
    }

    public static Optional<ExportFormat> fromWire(String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "ndjson", "jsonl" -> Optional.of(NDJSON);
            case "csv" -> Optional.of(CSV);
            default -> Optional.empty();
        };
    }
}
