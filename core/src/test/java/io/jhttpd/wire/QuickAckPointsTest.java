package io.jhttpd.wire;

import io.jhttpd.Limits;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Queue;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Where the input asks its socket to acknowledge at once: before a read that waits for the rest of a
 * head or a body, and nowhere else; not when the last read filled its room (more may be queued).
 */
class QuickAckPointsTest {

    /** A socket that delivers one piece per read (as much of it as fits), recording acks between reads. */
    private static final class Pieces extends InputStream implements ReadControl {
        private final Queue<byte[]> pieces = new ArrayDeque<>();
        private byte[] current;
        private int at;
        int acks;

        Pieces(String... texts) {
            for (String t : texts) {
                pieces.add(t.getBytes(StandardCharsets.ISO_8859_1));
            }
        }

        @Override
        public int read() {
            throw new UnsupportedOperationException();
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (current == null || at == current.length) {
                current = pieces.poll();
                at = 0;
                if (current == null) {
                    return -1;
                }
            }
            int n = Math.min(len, current.length - at);
            System.arraycopy(current, at, b, off, n);
            at += n;
            return n;
        }

        @Override
        public void setReadTimeout(long millis) {
        }

        @Override
        public void acknowledgeNow() {
            acks++;
        }
    }

    private static int acksFor(Pieces socket, boolean idleFirst) throws IOException {
        ConnectionInput input = new ConnectionInput(socket, socket, Limits.defaults());
        if (idleFirst) {
            input.awaitFirstBytes(1_000);
        }
        RequestHead head = input.readHead(1_000);
        RequestBody body = BodyFraming.forRequest(head, input, Limits.defaults(), null);
        body.readAllBytes();
        return socket.acks;
    }

    @Test
    void aHeadAndBodyInOnePieceNeedNoAck() throws IOException {
        assertThat(acksFor(new Pieces("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 7\r\n\r\n{\"a\":1}"), true)).isZero();
        assertThat(acksFor(new Pieces("GET / HTTP/1.1\r\nHost: a\r\n\r\n"), true)).isZero();
    }

    @Test
    void aHeadWrittenInPiecesIsAcknowledgedBeforeEachWait() throws IOException {
        assertThat(acksFor(new Pieces("GET / HTTP/1.1\r\n", "Host: a\r\n", "\r\n"), true)).isEqualTo(2);
    }

    @Test
    void aBodyAfterItsHeadIsAcknowledgedBeforeTheWait() throws IOException {
        assertThat(acksFor(new Pieces("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 7\r\n\r\n", "{\"a\":1}"), true))
                .isEqualTo(1);
        assertThat(acksFor(new Pieces("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n",
                "3\r\nabc\r\n", "0\r\n\r\n"), true)).as("chunked").isEqualTo(2);
    }

    /** A browser-sized head read 256 bytes first while idle: the rest is queued, so no ack, no system call. */
    @Test
    void aLongHeadWhoseRestIsQueuedNeedsNoAck() throws IOException {
        String head = "GET / HTTP/1.1\r\nHost: a\r\nUser-Agent: " + "x".repeat(400) + "\r\n\r\n";
        assertThat(acksFor(new Pieces(head), true)).isZero();
    }

    @Test
    void theIdleWaitForARequestIsNeverAcknowledged() throws IOException {
        Pieces socket = new Pieces("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
        ConnectionInput input = new ConnectionInput(socket, socket, Limits.defaults());
        assertThat(input.awaitFirstBytes(1_000)).isPositive();
        assertThat(socket.acks).isZero();
    }
}
