package dev.parley.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

/** Hostile import lines: each is taken, or refused naming its line number. Nothing else escapes. */
class ImportLineFuzzTest {

    @FuzzTest(maxDuration = "30s")
    void importLinesAreTakenOrRefusedNamingTheLine(FuzzedDataProvider data) {
        long number = data.consumeLong(1, 1_000_000);
        String line = data.consumeRemainingAsString();
        try {
            Import.parse(line, number);
        } catch (InvalidLine e) {
            assertThat(e.line()).isEqualTo(number);
            assertThat(e.getMessage()).startsWith("line " + number + ": ");
        }
    }
}
