package io.jhttpd.wire;

import io.jhttpd.Limits;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** What the connection's input knows about the bytes after a head: whether a complete head follows. */
class ConnectionInputTest {

    private static final byte[] HEAD = "GET / HTTP/1.1\r\nHost: t\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    /** The bytes after the first head, read into the buffer with it. */
    private static ConnectionInput after(byte[] rest) throws IOException {
        byte[] all = new byte[HEAD.length + rest.length];
        System.arraycopy(HEAD, 0, all, 0, HEAD.length);
        System.arraycopy(rest, 0, all, HEAD.length, rest.length);
        ConnectionInput input = new ConnectionInput(new ByteArrayInputStream(all), ReadTimeouts.NONE, Limits.defaults());
        input.readHead(1_000);
        return input;
    }

    /** The definition: after any empty lines, CR LF CR LF somewhere. */
    private static boolean completeHeadIn(byte[] rest) {
        int i = 0;
        while (i + 1 < rest.length && rest[i] == '\r' && rest[i + 1] == '\n') {
            i += 2;
        }
        for (; i + 3 < rest.length; i++) {
            if (rest[i] == '\r' && rest[i + 1] == '\n' && rest[i + 2] == '\r' && rest[i + 3] == '\n') {
                return true;
            }
        }
        return false;
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
            boolean expected = completeHeadIn(rest);
            assertThat(after(rest).hasBufferedHead()).as("after %s", printable(rest)).isEqualTo(expected);
            found += expected ? 1 : 0;
        }
        assertThat(found).as("cases with a head").isBetween(1_000, 19_000);
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

    private static String printable(byte[] bytes) {
        return new String(bytes, StandardCharsets.US_ASCII).replace("\r", "\\r").replace("\n", "\\n");
    }
}
