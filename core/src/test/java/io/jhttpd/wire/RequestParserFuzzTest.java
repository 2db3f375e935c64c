package io.jhttpd.wire;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.jhttpd.Limits;
import io.jhttpd.testing.TrickleInputStream;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Set;


/**
 * Coverage-guided fuzzing of the request parser (Jazzer): any bytes, read as a stream of pipelined
 * requests through {@link ConnectionInput#readHead}, {@link BodyFraming} and the body stream, end in
 * parsed requests, an {@link HttpParseException} with one of the statuses we mean to send, or an
 * {@link EOFException} at the end of the input. Nothing else may be thrown, and every request that
 * parses holds the limits and has one framing.
 *
 * <p>The same bytes must also give the same requests when they arrive a few bytes per read as when
 * they arrive at once: the incremental scanner may never see a different request than the whole one.
 *
 * <p>{@code ./test} runs the seeds in {@code src/test/resources/.../RequestParserFuzzTestInputs}
 * (regression mode) plus a minute of fuzzing (the {@code fuzz} execution in core/pom.xml); see
 * docs/FUZZING.md for longer sessions.
 */
class RequestParserFuzzTest {

    /** Small limits, so the fuzzer reaches every one of them with short inputs. */
    static final Limits LIMITS = Limits.defaults()
            .withMaxRequestLineBytes(256)
            .withMaxFieldLineBytes(128)
            .withMaxHeaderBytes(512)
            .withMaxHeaderCount(12)
            .withMaxBodyBytes(300);

    /**
     * What a client may get for bytes we refuse. 408 is for a message that ends early (the input ends
     * inside a body); in-memory streams never hit the clock's 408s.
     */
    static final Set<Integer> PARSE_STATUSES = Set.of(400, 408, 413, 414, 417, 431, 501, 505);

    @FuzzTest(maxDuration = "60s")
    // libFuzzer dictionary syntax: \xNN escapes, written here as \\xNN
    @DictionaryEntries({"GET", "POST", "HEAD", "OPTIONS", "CONNECT", " HTTP/1.1\\x0D\\x0A", " HTTP/1.0\\x0D\\x0A",
            "\\x0D\\x0A", "\\x0D\\x0A\\x0D\\x0A", "Host: a\\x0D\\x0A", "Content-Length: ", "Transfer-Encoding: ",
            "chunked", "identity", "Connection: ", "close", "keep-alive", "Expect: 100-continue", "http://", "0\\x0D\\x0A\\x0D\\x0A", ";ext=1", "\\x09", ","})
    void anyBytesParseOrFailWithAnExpectedStatus(byte[] data) throws IOException {
        String whole = outcome(TrickleInputStream.ofReadSize(data, Math.max(1, data.length)));
        String trickled = outcome(TrickleInputStream.ofReadSize(data, 1 + (data.length > 0 ? data[0] & 7 : 0)));
        check(stopped(trickled).equals(stopped(whole)),
                "the same bytes in small reads give the same requests:\n" + whole + "\nvs\n" + trickled);
    }

    /**
     * The outcome with a final error status or EOF reduced to "stopped". Which of them ends a stream
     * may depend on where reads split the bytes, and that is by design: checks made on a partial line
     * (the early 501 for a method longer than any we know, 414 and 431 as bytes arrive) can fire
     * before a byte further on that would have made it a 400, or before the input simply ends. What
     * may never differ is the requests served before it.
     */
    private static String stopped(String outcome) {
        int last = outcome.lastIndexOf('\n') + 1;
        String end = outcome.substring(last);
        boolean stopped = end.equals("eof") || end.chars().allMatch(Character::isDigit);
        return stopped ? outcome.substring(0, last) + "stopped" : outcome;
    }

    /** Serves every request in {@code in} as the connection loop would, and describes what happened. */
    static String outcome(InputStream in) throws IOException {
        ConnectionInput input = new ConnectionInput(in, ReadControl.NONE, LIMITS);
        StringBuilder seen = new StringBuilder();
        try {
            for (int requests = 0; requests < 64; requests++) {
                RequestHead head = input.readHead(1_000);
                if (head == null) {
                    return seen.append("end").toString();
                }
                checkHead(head);
                RequestBody body = BodyFraming.forRequest(head, input, LIMITS, null);
                byte[] bytes = readBody(body);
                checkBody(head, body, bytes);
                seen.append(head).append(" cl=").append(head.contentLength()).append(" chunked=")
                        .append(head.chunked()).append(" body=").append(bytes.length).append('\n');
            }
            return seen.append("more").toString();
        } catch (HttpParseException e) {
            check(PARSE_STATUSES.contains(e.status().code()), "status " + e.status().code() + " for " + e.getMessage());
            check(!e.keepConnection(), "a parse error closes the connection");
            return seen.append(e.status().code()).toString();
        } catch (EOFException e) {
            return seen.append("eof").toString();
        }
    }

    private static void checkHead(RequestHead head) {
        check(head.method() != null && head.version() != null, "method and version");
        check(!(head.chunked() && head.contentLength() >= 0), "chunked and Content-Length both");
        check(head.size() <= LIMITS.maxHeaderCount(), "field count within maxHeaderCount");
        // the request line and the field section are bounded separately, plus the blank line
        check(head.length() <= LIMITS.maxRequestLineBytes() + LIMITS.maxHeaderBytes() + 2, "head size");
        for (int i = 0; i < head.size(); i++) {
            check(head.name(i).length() + 1 + head.value(i).length() <= LIMITS.maxFieldLineBytes(),
                    "field line within maxFieldLineBytes");
        }
        String path = head.path();
        check(path.startsWith("/") || path.equals("*"), "origin-form path or *: " + path);
    }

    private static byte[] readBody(RequestBody body) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] chunk = new byte[37];
        int n;
        while ((n = body.read(chunk, 0, chunk.length)) >= 0) {
            out.write(chunk, 0, n);
            check(out.size() <= LIMITS.maxBodyBytes(), "body within maxBodyBytes");
        }
        return out.toByteArray();
    }

    private static void checkBody(RequestHead head, RequestBody body, byte[] bytes) {
        check(body.complete() && !body.broken(), "a body read to its end is complete");
        if (head.contentLength() >= 0) {
            check(bytes.length == head.contentLength(), "exactly Content-Length bytes");
        } else if (!head.chunked()) {
            check(bytes.length == 0, "no framing, no body");
        }
    }

    private static void check(boolean invariant, String what) {
        if (!invariant) {
            throw new AssertionError("invariant broken: " + what);
        }
    }
}
