package io.jhttpd.wire;

import io.jhttpd.http.Method;
import io.jhttpd.http.Response;
import io.jhttpd.http.ResponseBody;
import io.jhttpd.http.ResponseHeaders;
import io.jhttpd.http.Status;
import io.jhttpd.http.Version;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;

/**
 * Writes responses in HTTP/1.1 syntax (RFC 9112 §4, §6) into a {@link ConnectionOutput}; it does not
 * flush, so that pipelined responses leave together.
 *
 * <p>Responses that leave together carry one {@code Date}: the one read for the first of them, since
 * the clock is read only when nothing is waiting to be sent (a pipelined batch is answered in
 * microseconds, and the date has a resolution of one second).
 *
 * <p>It owns framing: {@code Content-Length} for a known length, {@code Transfer-Encoding: chunked}
 * for a streamed body on HTTP/1.1, nothing (the body ends at close) on HTTP/1.0; no body at all and
 * no framing fields for HEAD's body, 1xx, 204, 205 and 304.
 */
public final class ResponseWriter {

    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] CONTINUE = "HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
    private static final byte[] CONNECTION_CLOSE = "Connection: close\r\n".getBytes(StandardCharsets.ISO_8859_1);
    private static final byte[] CONNECTION_KEEP_ALIVE =
            "Connection: keep-alive\r\n".getBytes(StandardCharsets.ISO_8859_1);
    private static final byte[] CONTENT_LENGTH = "Content-Length: ".getBytes(StandardCharsets.ISO_8859_1);
    /** The whole field line for the small bodies most responses have: one copy instead of digits. */
    private static final byte[][] CONTENT_LENGTH_LINES = new byte[1024][];

    static {
        for (int i = 0; i < CONTENT_LENGTH_LINES.length; i++) {
            CONTENT_LENGTH_LINES[i] = ("Content-Length: " + i + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
        }
    }
    private static final byte[] CHUNKED = "Transfer-Encoding: chunked\r\n".getBytes(StandardCharsets.ISO_8859_1);
    private static final byte[][] STATUS_LINES = new byte[600][];

    private final ConnectionOutput out;
    private final byte[] serverLine;
    /** The {@code Date} line of the responses buffered since the last flush. */
    private byte[] dateLine;

    public ResponseWriter(ConnectionOutput out, String serverName) {
        this.out = out;
        this.serverLine = ("Server: " + serverName + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Whether the body of {@code response} can be framed so the connection outlives it (not on HTTP/1.0 streams). */
    public static boolean canKeepAlive(Response response, Method method, Version version) {
        return version == Version.HTTP_1_1 || response.body().length() >= 0 || !carriesBody(response, method);
    }

    /** Writes {@code 100 Continue} and flushes it at once (RFC 9110 §15.2.1). */
    public void writeContinue() throws IOException {
        out.write(CONTINUE);
        out.flush();
    }

    /**
     * Writes the whole response: head, then body unless none is allowed.
     *
     * @param keepAlive false to send {@code Connection: close}; must be false when
     *                  {@link #canKeepAlive} is
     * @throws IOException when the peer is gone, or a file body is shorter than declared (the
     *                     connection must then be aborted)
     */
    public void write(Response response, Method method, Version version, boolean keepAlive) throws IOException {
        try {
            writeMessage(response, method, version, keepAlive);
        } finally {
            response.body().release(); // a file the handler opened, whether or not its content went out
        }
    }

    private void writeMessage(Response response, Method method, Version version, boolean keepAlive)
            throws IOException {
        Status status = response.status();
        ResponseBody body = response.body();
        if (out.buffered() == 0 || dateLine == null) {
            dateLine = DateHeader.line();
        }
        out.write(statusLine(status));
        out.write(dateLine);
        ResponseHeaders headers = response.headers();
        if (headers.first("Server") == null) {
            out.write(serverLine);
        }
        boolean notModified = status.code() == 304;
        for (int i = 0, n = headers.size(); i < n; i++) {
            if (notModified && headers.name(i).equalsIgnoreCase("Content-Type")) {
                // RFC 9110 §15.4.5: a 304 carries validators and caching fields, not the type of a
                // content it does not have (handlers and filters may keep it to decide alike for both)
                continue;
            }
            out.writeLatin1(headers.name(i));
            out.write(':');
            out.write(' ');
            out.writeLatin1(headers.value(i));
            out.write(CRLF);
        }
        writeFraming(status, body, version);
        if (!keepAlive) {
            out.write(CONNECTION_CLOSE);
        } else if (version == Version.HTTP_1_0 || method == Method.HEAD) {
            // HTTP/1.0 persists only when told. After a HEAD, Node's fetch (undici) closes the
            // connection unless it is told it persists (it guards against servers that send a HEAD
            // response a body), so every HEAD from Node's fetch would cost a new connection.
            out.write(CONNECTION_KEEP_ALIVE);
        }
        out.write(CRLF);
        if (carriesBody(response, method)) {
            writeBody(body, version);
        }
    }

    private void writeFraming(Status status, ResponseBody body, Version version) throws IOException {
        if (status.forbidsContent()) {
            return; // RFC 9110 §8.6: no Content-Length or Transfer-Encoding on 1xx and 204; none on 304
        }
        long length = body.length();
        if (length >= 0 && length < CONTENT_LENGTH_LINES.length) {
            out.write(CONTENT_LENGTH_LINES[(int) length]);
        } else if (length >= 0) {
            out.write(CONTENT_LENGTH);
            out.writeDecimal(length);
            out.write(CRLF);
        } else if (version == Version.HTTP_1_1) {
            out.write(CHUNKED);
        }
    }

    private static boolean carriesBody(Response response, Method method) {
        return method != Method.HEAD && !response.status().forbidsContent();
    }

    private void writeBody(ResponseBody body, Version version) throws IOException {
        switch (body) {
            case ResponseBody.Empty empty -> { }
            case ResponseBody.Bytes bytes -> out.write(bytes.bytes());
            case ResponseBody.FileRegion region -> {
                try (FileChannel file = region.open()) {
                    out.transferFrom(file, region.position(), region.length());
                }
            }
            case ResponseBody.Streamed streamed -> {
                if (version == Version.HTTP_1_1) {
                    ChunkedOutputStream chunked = new ChunkedOutputStream(out);
                    streamed.writer().writeTo(chunked);
                    chunked.finish();
                } else {
                    streamed.writer().writeTo(new UnframedOutputStream(out));
                }
            }
        }
    }

    private static byte[] statusLine(Status status) {
        int code = status.code();
        if (Status.of(code) != status) {
            return ("HTTP/1.1 " + status + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
        }
        byte[] line = STATUS_LINES[code];
        if (line == null) {
            line = ("HTTP/1.1 " + code + " " + status.reason() + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
            STATUS_LINES[code] = line;
        }
        return line;
    }

    /** A body delimited by closing the connection (HTTP/1.0, RFC 9112 §6.3 step 8). */
    private static final class UnframedOutputStream extends OutputStream {
        private final ConnectionOutput out;

        UnframedOutputStream(ConnectionOutput out) {
            this.out = out;
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void flush() throws IOException {
            out.flush();
        }
    }
}
