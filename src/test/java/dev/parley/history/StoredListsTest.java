package dev.parley.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class StoredListsTest {

    @Test
    void aListReadsBackAsItWasStoredWhateverItsCharacters() {
        List<String> categories = List.of("billing", "", "quote \" and \\ backslash", "line\nbreak", "emoji 😀",
                "accent é", "control \u0001");
        assertEquals(categories, StoredLists.fromJson(StoredLists.toJson(categories)));
    }

    @Test
    void anEmptyListReadsBackEmpty() {
        assertEquals(List.of(), StoredLists.fromJson(StoredLists.toJson(List.of())));
        assertEquals(List.of(), StoredLists.fromJson(" [ ] "));
    }

    @Test
    void aColumnThatIsNotAnArrayOfStringsIsAnErrorNotAGuess() {
        for (String broken : List.of("", "{}", "\"a\"", "[1]", "[null]", "[[\"a\"]]", "[\"a\"", "[\"a\",")) {
            assertThrows(IllegalStateException.class, () -> StoredLists.fromJson(broken), broken);
        }
    }
}
