package dev.parley.changes;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.parley.history.FeedChange;
import dev.parley.history.HistoryJson;
import java.io.IOException;

/** One change as the feed and {@code parley follow} write it (SPEC §8). */
public final class ChangeJson {

    private ChangeJson() {
    }

    public static void write(JsonGenerator out, FeedChange change) throws IOException {
        out.writeStartObject();
        out.writeStringField("type", change.isDelete() ? "delete" : "upsert");
        out.writeStringField("conversationId", change.conversationId().toString());
        out.writeNumberField("changedAt", change.changedAt());
        out.writeFieldName("conversation");
        if (change.conversation().isPresent()) {
            HistoryJson.writeConversation(out, change.conversation().get());
        } else {
            out.writeNull();
        }
        out.writeEndObject();
    }
}
