package dev.parley.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.history.InvalidCursor;
import dev.parley.history.InvalidField;
import dev.parley.history.Uuids;
import java.util.List;

/**
 * Hostile input for the edge's parsers. Each may only accept, or refuse with a 400-kind error
 * that names the input at fault; any other exception fails the target. In a normal test run
 * the inputs kept under src/test/resources replay; {@code JAZZER_FUZZ=1} fuzzes for real.
 */
class ParserFuzzTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> NAMES = List.of("source", "startEpoch", "endEpoch", "limit", "cursor",
            "direction", "category", "feedbackType", "escalation", "hasLinks", "userId", "ticketId", "question",
            "answer", "sourceId", "format", "unknown");

    @FuzzTest(maxDuration = "30s")
    void queryStringsAreAcceptedOrRefusedByName(FuzzedDataProvider data) {
        StringBuilder query = new StringBuilder();
        int count = data.consumeInt(0, 8);
        for (int i = 0; i < count; i++) {
            query.append(i == 0 ? "" : "&").append(data.pickValue(NAMES)).append('=').append(data.consumeString(600));
        }
        try {
            QueryParameters params = QueryParameters.parse(query.toString());
            HistoryParameters.filter(params, data.consumeBoolean());
            HistoryParameters.page(params);
        } catch (InvalidCursor refused) {
            assertThat(refused.getMessage()).contains("cursor"); // answered 400 invalid_cursor, as an unknown one is
        } catch (ApiError error) {
            assertThat(error.status).isEqualTo(400);
            assertThat(error.param).as(error.getMessage()).isPresent();
            assertThat(error.getMessage()).isNotBlank();
        }
    }

    @FuzzTest(maxDuration = "30s")
    void exchangeBodiesAreAcceptedOrRefusedByField(FuzzedDataProvider data) {
        JsonNode body;
        try {
            body = JSON.readTree(data.consumeRemainingAsBytes());
        } catch (JsonProcessingException e) {
            return; // malformed JSON: RequestBodies answers 400 before the parser sees it
        } catch (java.io.IOException e) {
            return;
        }
        if (body == null || !body.isObject()) {
            return;
        }
        try {
            ExchangeParser.parse(body);
        } catch (InvalidField e) {
            assertThat(e.field()).isNotNull();
            assertThat(e.getMessage()).isNotBlank().contains(e.field());
        }
    }

    @FuzzTest(maxDuration = "30s")
    void cursorsNeverThrow(FuzzedDataProvider data) {
        String text = data.consumeRemainingAsString();
        Uuids.parse(text).ifPresent(id -> assertThat(id.toString()).isEqualToIgnoringCase(text));
    }
}
