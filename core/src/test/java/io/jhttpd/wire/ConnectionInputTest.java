package io.jhttpd.wire;

import io.jhttpd.Limits;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Queue;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What the connection's input knows about the bytes after a head (whether a complete head follows), and how it tops up a partial one. */
class ConnectionInputTest {

    private static final byte[] HEAD = "GET / HTTP/1.1\r\nHost: t\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    /** The bytes after the first head, read into the buffer with it. */
    private static ConnectionInput after(byte[] rest) throws IOException {
        byte[] all = new byte[HEAD.length + rest.length];
        System.arraycopy(HEAD, 0, all, 0, HEAD.length);
        System.arraycopy(rest, 0, all, HEAD.length, rest.length);
        ConnectionInput input = new ConnectionInput(new ByteArrayInputStream(all), ReadControl.NONE, Limits.defaults());
        input.readHead(1_000);
        return input;
    }

    /**
     * The definition: the bytes alone let the next head be read, or refused, without reading more. A
     * fresh input over just these bytes tells, by whether it asked for bytes past them.
     */
    private static boolean actsWithoutMoreBytes(byte[] rest) {
        boolean[] askedForMore = new boolean[1];
        InputStream stream = new ByteArrayInputStream(rest) {
            @Override
            public int read(byte[] b, int off, int len) {
                int n = super.read(b, off, len);
                askedForMore[0] |= n < 0;
                return n;
            }
        };
        try {
            new ConnectionInput(stream, ReadControl.NONE, Limits.defaults()).readHead(1_000);
        } catch (IOException | RuntimeException e) {
            // a refusal counts as acting, as long as it did not wait for more bytes
        }
        return !askedForMore[0];
    }

    @Test
    void findsABufferedHeadExactlyWhenTheDefinitionDoes() throws IOException {
        Random random = new Random(42);
        byte[] alphabet = {'\r', '\n', 'a', ':'};
        int found = 0;
        for (int n = 0; n < 20_000; n++) {
            byte[] rest = new byte[random.nextInt(40)];
            for (int i = 0; i < rest.length; i++) {
                rest[i] = alphabet[random.nextInt(alphabet.length)];
            }
            boolean expected = actsWithoutMoreBytes(rest);
            assertThat(after(rest).hasBufferedHead()).as("after %s", printable(rest)).isEqualTo(expected);
            found += expected ? 1 : 0;
        }
        assertThat(found).as("cases with a head or a refusal").isBetween(1_000, 19_000);
    }

    @Test
    void aHeadFoundBufferedIsTheHeadThatIsReadNext() throws IOException {
        ConnectionInput input = after("GET /second HTTP/1.1\r\nHost: t\r\n\r\nGET /third HTTP/1.1\r\nHo"
                .getBytes(StandardCharsets.US_ASCII));
        assertThat(input.hasBufferedHead()).isTrue();
        assertThat(input.hasBufferedHead()).as("asked again").isTrue();
        assertThat(input.readHead(1_000).path()).isEqualTo("/second");
        assertThat(input.hasBufferedHead()).isFalse();
        assertThat(input.hasBufferedBytes()).isTrue();
    }

    @Test
    void aMalformedBufferedHeadIsLeftForReadHeadToRefuse() {
        ConnectionInput input;
        try {
            input = after("GET / HTTP/1.1\rHost: t\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        assertThat(input.hasBufferedHead()).as("something to answer at once").isTrue();
        assertThatThrownBy(() -> input.readHead(1_000))
                .isInstanceOf(HttpParseException.class).hasMessageContaining("Bare CR");
    }

    @Test
    void findsPipelinedHeadsAndNotAPartialOne() throws IOException {
        assertThat(after(HEAD).hasBufferedHead()).isTrue();
        assertThat(after("\r\nGET / HTTP/1.1\r\nHost: t\r\n\r\n".getBytes(StandardCharsets.US_ASCII)).hasBufferedHead())
                .isTrue();
        assertThat(after("GET / HTTP/1.1\r\nHost: t\r\n\r".getBytes(StandardCharsets.US_ASCII)).hasBufferedHead())
                .isFalse();
        assertThat(after(new byte[0]).hasBufferedHead()).isFalse();
    }

    /**
     * A socket as the input sees it: the chunks given have arrived, one read returns at most one of them,
     * and {@code available()} tells only what has arrived. Counts the calls that would be system
     * calls.
     */
    private static final class ArrivingStream extends InputStream {
        private final Queue<byte[]> chunks = new ArrayDeque<>();
        private byte[] current = new byte[0];
        private int offset;
        int reads;
        int availableCalls;

        ArrivingStream(byte[]... chunks) {
            this.chunks.addAll(Arrays.asList(chunks));
        }

        void deliver(byte[] chunk) {
            chunks.add(chunk);
        }

        private void arrive() {
            if (offset == current.length && !chunks.isEmpty()) {
                current = chunks.remove();
                offset = 0;
            }
        }

        @Override
        public int available() {
            availableCalls++;
            arrive();
            return current.length - offset;
        }

        @Override
        public int read() {
            throw new UnsupportedOperationException();
        }

        @Override
        public int read(byte[] b, int off, int len) {
            reads++;
            arrive();
            if (offset == current.length) {
                return -1;
            }
            int n = Math.min(len, current.length - offset);
            System.arraycopy(current, offset, b, off, n);
            offset += n;
            return n;
        }
    }

    private static byte[] heads(int count) {
        byte[] all = new byte[HEAD.length * count];
        for (int i = 0; i < count; i++) {
            System.arraycopy(HEAD, 0, all, i * HEAD.length, HEAD.length);
        }
        return all;
    }

    @Test
    void aBatchLongerThanTheFirstReadIsToppedUpBeforeItsFirstResponseLeaves() throws IOException {
        int count = 20; // 540 bytes: more than the idle wait's first read takes
        ArrivingStream stream = new ArrivingStream(heads(count));
        ConnectionInput input = new ConnectionInput(stream, ReadControl.NONE, Limits.defaults());
        assertThat(input.awaitFirstBytes(1_000)).isLessThan(count * HEAD.length);

        int served = 0;
        boolean toppedUp = false;
        while (served < count) {
            assertThat(input.readHead(1_000)).isNotNull();
            served++;
            if (served < count && !input.hasBufferedHead()) {
                assertThat(toppedUp).as("topped up once").isFalse();
                assertThat(input.topUpPartialHead()).as("after head %d", served).isTrue();
                toppedUp = true;
            }
        }
        assertThat(toppedUp).isTrue();
        assertThat(stream.reads).as("reads for the whole batch").isEqualTo(2);
        assertThat(input.hasBufferedBytes()).isFalse();
    }

    @Test
    void aPartialHeadWhoseRestHasNotArrivedIsLeftAsItIs() throws IOException {
        byte[] two = heads(2);
        ArrivingStream stream = new ArrivingStream(Arrays.copyOf(two, HEAD.length + 10));
        ConnectionInput input = new ConnectionInput(stream, ReadControl.NONE, Limits.defaults());
        input.readHead(1_000);
        int readsBefore = stream.reads;

        assertThat(input.topUpPartialHead()).isFalse();
        assertThat(stream.reads).as("no read that could block").isEqualTo(readsBefore);

        stream.deliver(Arrays.copyOfRange(two, HEAD.length + 10, two.length));
        assertThat(input.topUpPartialHead()).isTrue();
        assertThat(input.readHead(1_000).path()).isEqualTo("/");
    }

    @Test
    void buffersEndingOnARequestBoundaryCostNoSystemCall() throws IOException {
        ArrivingStream stream = new ArrivingStream(HEAD, HEAD);
        ConnectionInput input = new ConnectionInput(stream, ReadControl.NONE, Limits.defaults());
        input.readHead(1_000);

        assertThat(input.hasBufferedHead()).isFalse();
        assertThat(input.topUpPartialHead()).isFalse();
        assertThat(stream.availableCalls).isZero();
    }

    private static String printable(byte[] bytes) {
        return new String(bytes, StandardCharsets.US_ASCII).replace("\r", "\\r").replace("\n", "\\n");
    }
}
