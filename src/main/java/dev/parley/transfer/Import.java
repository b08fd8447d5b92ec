package dev.parley.transfer;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.parley.history.Conversation;
import dev.parley.history.HistoryWriter;
import dev.parley.history.ImportRecord;
import dev.parley.history.InvalidField;
import dev.parley.history.Limits;
import dev.parley.privacy.Privacy;
import dev.parley.store.Database;
import dev.parley.store.Dialect;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.function.LongConsumer;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Imports NDJSON, one conversation a line in the history API's shape, all or nothing.
 *
 * <p>Two passes keep memory bounded and the store untouched by a bad file: the first reads the
 * stream, checks every line and copies the good ones to a temporary file; only when every line
 * is good does the second pass write them. It writes them in chunks, each in a short transaction
 * of its own (on SQLite one transaction for a whole import would hold every other write back for
 * as long), journaling what each chunk replaced; an import that fails is undone from that
 * journal, by itself or, when its process died, by the next process that opens the store.
 */
public final class Import {

    /** A longer line is refused: no conversation needs 16 MiB, and reading one must not exhaust memory. */
    static final int MAX_LINE_BYTES = 16 * 1024 * 1024;
    /**
     * Conversations a chunk on SQLite: each chunk commits in a transaction of its own, short enough
     * that the writes beside an import, which wait for SQLite's one write lock, wait well under a
     * second.
     */
    private static final int SQLITE_CHUNK = 250;
    /**
     * On PostgreSQL the writes beside an import wait only for the rows they share with a chunk,
     * so a chunk is as long as makes its commit's cost small: 2,000 took a 100,000-conversation
     * import from 38 s (chunks of 250) to 29 s, against 28 s in one transaction.
     */
    private static final int POSTGRESQL_CHUNK = 2000;
    /**
     * An import this large is a bulk load: when it is done it folds its stats deltas and
     * refreshes the planner's statistics (a smaller one leaves its deltas to the periodic fold).
     */
    private static final long BULK_LOAD = 10_000;
    private static final ObjectMapper STRICT = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(Limits.jsonConstraints()).build())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    /** The first pass tells its progress every this many lines. */
    private static final int PROGRESS_EVERY = 250;
    /** An undo puts back this many conversations a transaction. */
    private static final int UNDO_BATCH = 500;
    /** Journal rows of a finished import are forgotten this many a transaction. */
    private static final int CLEAR_BATCH = 2000;
    private static final Logger LOG = LoggerFactory.getLogger(Import.class);

    private final HistoryWriter history;
    private final Privacy privacy;
    private final ImportJournal journal;
    private final int batchSize;
    private final Duration pause;

    public Import(HistoryWriter history, Privacy privacy, Database database, Clock clock) {
        this(history, privacy, new ImportJournal(database, clock),
                database.dialect() == Dialect.SQLITE ? SQLITE_CHUNK : POSTGRESQL_CHUNK, Duration.ZERO);
    }

    private Import(HistoryWriter history, Privacy privacy, ImportJournal journal, int batchSize, Duration pause) {
        this.history = history;
        this.privacy = privacy;
        this.journal = journal;
        this.batchSize = batchSize;
        this.pause = pause;
    }

    /**
     * The same import, resting this long after each chunk it commits: a SQLite store's write lock
     * is then free long enough for the writers of another process (a running {@code serve}), which
     * wait for it by polling, to take it between two chunks.
     */
    public Import pausingBetweenChunks(Duration pause) {
        return new Import(history, privacy, journal, batchSize, pause);
    }

    /** The same import in chunks of this many conversations (tests make a small file span chunks). */
    Import inChunksOf(int conversations) {
        return new Import(history, privacy, journal, conversations, pause);
    }

    /** Imports a stream into a workspace; answers how many conversations it held. */
    public long from(long workspace, InputStream in, long maxBytes, LongConsumer checked) throws IOException {
        return from(workspace, in, maxBytes, checked, stored -> { });
    }

    /**
     * Imports a stream into a workspace, telling {@code checked} how many lines the first pass has
     * checked and {@code stored} how many conversations the second has handed to the store. The
     * checked lines wait in a {@link Spool}; a temporary disk without room is a {@link SpoolUnavailable}.
     */
    public long from(long workspace, InputStream in, long maxBytes, LongConsumer checked, LongConsumer stored)
            throws IOException {
        try (Spool spool = Spool.create()) {
            long count = checkAndCopy(new Limited(in, maxBytes), spool, checked);
            // redacted as the workspace's settings say when the writing begins (SPEC §10)
            UnaryOperator<String> redactor = privacy.redactorFor(workspace);
            try (LineReader lines = new LineReader(spool.read())) {
                store(workspace, batches(lines, redactor, stored, batchSize));
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
            if (count >= BULK_LOAD) {
                history.afterBulkLoad();
            }
            return count;
        }
    }

    /**
     * Writes the checked conversations chunk by chunk, each chunk in a transaction of its own that
     * also journals what it replaced; when a chunk fails, the chunks before it are undone (chunk
     * by chunk too) before the failure is told. An undo that fails as well is left to the next
     * process that starts once this one has ended ({@link #undoAbandoned}).
     */
    private void store(long workspace, Iterator<List<Conversation>> batches) {
        ImportJournal.Run run = journal.begin(workspace);
        try {
            ImportRecord record = journal.record(run);
            while (batches.hasNext()) {
                history.storeChunk(workspace, batches.next(), record);
                rest();
            }
            run = journal.moveTo(run, ImportJournal.State.DONE);
        } catch (RuntimeException | Error e) {
            try {
                undo(journal.moveTo(run, ImportJournal.State.UNDOING));
            } catch (RuntimeException undoFailed) {
                LOG.error("import {} failed and could not be undone yet; the next start of parley after this process"
                        + " ends undoes it", run.id(), undoFailed);
                e.addSuppressed(undoFailed);
            }
            throw e;
        }
        try {
            clear(run);
        } catch (RuntimeException e) {
            LOG.warn("import {} is stored; its journal will be cleared by the next start of parley: {}", run.id(),
                    e.getMessage());
        }
    }

    /**
     * Undoes the imports left unfinished by a process that has ended (killed, or its machine lost),
     * and clears the journals of finished ones: run when a process opens the store.
     */
    public void undoAbandoned() {
        for (ImportJournal.Run abandoned : journal.abandoned()) {
            Optional<ImportJournal.Run> taken = journal.takeOver(abandoned);
            if (taken.isEmpty()) {
                continue;
            }
            if (taken.get().state() == ImportJournal.State.DONE) {
                clear(taken.get());
            } else {
                LOG.warn("undoing import {} into workspace {}, left unfinished by process {}", abandoned.id(),
                        abandoned.workspace(), abandoned.owner());
                undo(taken.get());
            }
        }
    }

    private void undo(ImportJournal.Run run) {
        ImportRecord record = journal.record(run);
        List<ImportRecord.Undo> undos;
        while (!(undos = journal.pending(run, UNDO_BATCH)).isEmpty()) {
            history.undoImported(run.workspace(), undos, record);
            rest();
        }
        journal.end(run);
    }

    private void clear(ImportJournal.Run run) {
        while (journal.clearSome(run, CLEAR_BATCH)) {
            rest();
        }
        journal.end(run);
    }

    private void rest() {
        if (pause.isZero()) {
            return;
        }
        try {
            Thread.sleep(pause.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted between two chunks of an import", e);
        }
    }

    private static long checkAndCopy(InputStream in, Spool spool, LongConsumer progress) throws IOException {
        long count = 0;
        try (LineReader lines = new LineReader(in)) {
            while (true) {
                String line = lines.next();
                if (line == null) {
                    progress.accept(count);
                    return count;
                }
                if (line.isBlank()) {
                    continue;
                }
                parse(line, lines.number());
                spool.append(line);
                count++;
                if (count % PROGRESS_EVERY == 0) {
                    progress.accept(count);
                }
            }
        }
    }

    static Conversation parse(String line, long number) {
        JsonNode node;
        try {
            node = STRICT.readTree(line);
        } catch (StreamConstraintsException e) {
            throw new InvalidLine(number, Optional.empty(), Limits.JSON_TOO_DEEP);
        } catch (JsonProcessingException e) {
            throw new InvalidLine(number, Optional.empty(), "is not valid JSON: "
                    + e.getOriginalMessage().replaceAll("\\s+", " "));
        }
        try {
            return ConversationLine.parse(node);
        } catch (InvalidField e) {
            throw new InvalidLine(number, Optional.of(e.field()), e.getMessage());
        }
    }

    private static Iterator<List<Conversation>> batches(LineReader lines, UnaryOperator<String> redactor,
                                                        LongConsumer stored, int batchSize) {
        return new Iterator<>() {
            private long handed;
            private List<Conversation> next = read();

            private List<Conversation> read() {
                List<Conversation> batch = new ArrayList<>(batchSize);
                try {
                    String line;
                    while (batch.size() < batchSize && (line = lines.next()) != null) {
                        batch.add(parse(line, lines.number()).withTexts(redactor));
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                return batch;
            }

            @Override
            public boolean hasNext() {
                return !next.isEmpty();
            }

            @Override
            public List<Conversation> next() {
                if (next.isEmpty()) {
                    throw new NoSuchElementException();
                }
                List<Conversation> batch = next;
                stored.accept(handed); // asked for a batch once the one before is written
                handed += batch.size();
                next = read();
                return batch;
            }
        };
    }

    /**
     * Lines of UTF-8, counted, none longer than {@link #MAX_LINE_BYTES}. Lines are split on the
     * byte '\n' (which never occurs inside a multi-byte character) and each is decoded strictly,
     * so that bad UTF-8 is reported on the line that holds it.
     */
    private static final class LineReader implements AutoCloseable {
        private final InputStream in;
        private final byte[] buffer = new byte[64 * 1024];
        private final java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();
        private int position;
        private int limit;
        private long number;

        LineReader(InputStream in) {
            this.in = in;
        }

        long number() {
            return number;
        }

        /** The next line without its line end; null at the end of the stream. */
        String next() throws IOException {
            line.reset();
            while (true) {
                if (position == limit) {
                    limit = in.read(buffer);
                    position = 0;
                    if (limit <= 0) {
                        limit = 0;
                        return line.size() == 0 ? null : decode();
                    }
                }
                int start = position;
                while (position < limit && buffer[position] != '\n') {
                    position++;
                }
                line.write(buffer, start, position - start);
                if (line.size() > MAX_LINE_BYTES) {
                    throw new InvalidLine(number + 1, Optional.empty(), "is longer than " + MAX_LINE_BYTES + " bytes");
                }
                if (position < limit) {
                    position++; // past the '\n'
                    return decode();
                }
            }
        }

        private String decode() {
            number++;
            byte[] bytes = line.toByteArray();
            int length = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
            try {
                return StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(java.nio.ByteBuffer.wrap(bytes, 0, length)).toString();
            } catch (CharacterCodingException e) {
                throw new InvalidLine(number, Optional.empty(), "is not valid UTF-8");
            }
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }

    /** Refuses to read past a number of bytes. */
    private static final class Limited extends FilterInputStream {
        private final long max;
        private long read;

        Limited(InputStream in, long max) {
            super(in);
            this.max = max;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] bytes, int offset, int length) throws IOException {
            int n = super.read(bytes, offset, length);
            if (n > 0) {
                count(n);
            }
            return n;
        }

        private void count(int n) {
            read += n;
            if (read > max) {
                throw new ImportTooLarge(max);
            }
        }
    }
}
