package dev.parley.history;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Lists of strings (categories) as the tables store them: one JSON array in a text column. */
final class StoredLists {

    private static final ObjectMapper JSON = new ObjectMapper();

    private StoredLists() {
    }

    static String toJson(List<String> values) {
        try {
            return JSON.writeValueAsString(values);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The list a column holds. Read token by token rather than bound by the object mapper: an
     * export reads two of these for every request, and binding cost a tenth of its time.
     */
    static List<String> fromJson(String json) {
        if ("[]".equals(json)) {
            return new ArrayList<>();
        }
        try (JsonParser parser = JSON.getFactory().createParser(json)) {
            if (parser.nextToken() != JsonToken.START_ARRAY) {
                throw notAList(json, null);
            }
            List<String> values = new ArrayList<>();
            for (JsonToken token = parser.nextToken(); token != JsonToken.END_ARRAY; token = parser.nextToken()) {
                if (token != JsonToken.VALUE_STRING) {
                    throw notAList(json, null);
                }
                values.add(parser.getText());
            }
            return values;
        } catch (IOException e) {
            throw notAList(json, e);
        }
    }

    private static IllegalStateException notAList(String json, IOException cause) {
        return new IllegalStateException("stored list is not a JSON array of strings: " + json, cause);
    }
}
