package io.jhttpd.filters;

import io.jhttpd.testing.StalledStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class AsyncLogWriterTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void writesEveryLineInOrderEachEndedByANewline() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (AsyncLogWriter writer = AsyncLogWriter.toStream(out, 16)) {
            writer.accept("one");
            writer.accept("two \u00e9");
            writer.accept("three");
            assertThat(writer.flush(WAIT)).isTrue();
            assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("one\ntwo \u00e9\nthree\n");
            assertThat(writer.dropped()).isZero();
        }
    }

    /**
     * Under steady traffic the writer never finds its queue empty; lines must still reach the stream
     * without anyone calling flush, long before they fill the writer's 64 KiB buffer. A line every
     * 50 us (timed by spinning: a sleep's slack would leave gaps) keeps the queue from running dry
     * during the writer's 2 ms pauses; at 2 bytes a line, the buffer would take 32,768 lines to fill.
     */
    @Test
    void linesReachTheStreamWhileTrafficNeverStops() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (AsyncLogWriter writer = AsyncLogWriter.toStream(out, 65_536)) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            int offered = 0;
            while (out.size() == 0 && System.nanoTime() < deadline) {
                writer.accept("x");
                offered++;
                long next = System.nanoTime() + 50_000;
                while (System.nanoTime() < next) {
                    Thread.onSpinWait();
                }
            }
            assertThat(out.size()).as("bytes flushed while %d lines were offered", offered).isPositive();
            assertThat(offered).as("lines offered before the first flush").isLessThan(16_384);
        }
    }

    @Test
    void appendsToAFileAndClosingWritesWhatIsQueued(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("access.log");
        Files.writeString(file, "earlier\n");
        AsyncLogWriter writer = AsyncLogWriter.toFile(file, 100);
        for (int i = 0; i < 50; i++) {
            writer.accept("line " + i);
        }
        writer.close();
        writer.close(); // harmless
        StringBuilder expected = new StringBuilder("earlier\n");
        for (int i = 0; i < 50; i++) {
            expected.append("line ").append(i).append('\n');
        }
        assertThat(Files.readString(file)).isEqualTo(expected.toString());
    }

    @Test
    void dropsAndCountsWhatDoesNotFitWhileTheSinkIsStalledWithoutBlockingTheCaller() throws Exception {
        StalledStream stalled = new StalledStream();
        AsyncLogWriter writer = AsyncLogWriter.toStream(stalled, 4);
        // The writer takes the first line and stalls in its write (the 64 KiB buffer flushes on empty queue).
        writer.accept("first");
        assertThat(stalled.entered.await(10, TimeUnit.SECONDS)).isTrue();
        for (int i = 1; i <= 7; i++) {
            writer.accept("line " + i); // four fit in the queue, three do not; none of these calls blocks
        }
        assertThat(writer.dropped()).isEqualTo(3);
        stalled.release.countDown();
        assertThat(writer.flush(WAIT)).isTrue();
        assertThat(stalled.text()).isEqualTo("first\nline 1\nline 2\nline 3\nline 4\n");
        writer.close();
        writer.accept("after close");
        assertThat(writer.dropped()).isEqualTo(4);
    }

    @Test
    void countsLinesLostToAFailingStreamAndKeepsGoing() throws Exception {
        OutputStream broken = new OutputStream() {
            private int calls;

            @Override
            public void write(int b) {
            }

            @Override
            public void flush() throws IOException {
                if (calls++ == 0) {
                    throw new IOException("disk full");
                }
            }
        };
        try (AsyncLogWriter writer = AsyncLogWriter.toStream(broken, 8)) {
            writer.accept("lost");
            assertThat(writer.flush(WAIT)).isTrue();
            assertThat(writer.dropped()).isEqualTo(1);
            writer.accept("kept");
            assertThat(writer.flush(WAIT)).isTrue();
            assertThat(writer.dropped()).isEqualTo(1);
        }
    }

    @Test
    void flushGivesUpAtItsTimeoutWhileTheSinkIsStalled() throws Exception {
        StalledStream stalled = new StalledStream();
        AsyncLogWriter writer = AsyncLogWriter.toStream(stalled, 4);
        writer.accept("stuck");
        assertThat(stalled.entered.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(writer.flush(Duration.ofMillis(100))).isFalse();
        stalled.release.countDown();
        writer.close();
        assertThat(stalled.text()).isEqualTo("stuck\n");
    }
}
