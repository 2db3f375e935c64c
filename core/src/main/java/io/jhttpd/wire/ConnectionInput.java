package io.jhttpd.wire;

import io.jhttpd.Limits;
import io.jhttpd.http.Status;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The read side of one connection: a buffer over the socket's input stream, owned by the connection's
 * thread (so no locks), taken from the server's {@link BufferPool} when a head is read and given back
 * when the connection goes idle ({@link #trim()}).
 *
 * <p>The buffer holds, in order: the head of the request being served (pinned until it is done, since
 * {@link RequestHead} points into it), then body bytes, then whatever of the next requests has already
 * arrived: that is pipelining. Body reads refill the space after the pinned head; a new head compacts.
 */
public final class ConnectionInput {

    /** The size the buffer starts at, and of the arrays in the server's pool of read buffers. */
    public static final int BUFFER_SIZE = 4096;
    private static final int INITIAL_SIZE = BUFFER_SIZE;
    private static final int MIN_BODY_ROOM = 2048;
    /** The first read of a request, while the connection is idle, goes here: small enough to keep. */
    private static final int FIRST_READ_SIZE = 256;
    /** Enough for any request line a log reader needs; a longer one is cut. */
    public static final int MAX_LOGGED_REQUEST_LINE = 1024;

    private final InputStream in;
    private final ReadControl control;
    private final Limits limits;
    private final BufferPool pool;
    private final HeadScanner scanner = new HeadScanner();
    private final RequestHead head = new RequestHead();
    private final BodyPace bodyPace;
    /**
     * Whether the last socket read filled all the room it was given, so that more bytes may be queued
     * already: the next read will not wait, and asking for an ACK first would only cost a system call.
     */
    private boolean lastReadFilled;
    /** Made on the first idle wait: a connection that never waits on its thread never needs it. */
    private byte[] firstRead;
    private int firstReadCount;
    /** Taken from the pool when a head is first read; null while trimmed. */
    private byte[] buf;
    private int pos;
    private int limit;
    private int pinnedEnd;
    private boolean bufferedOnly;
    /** Where {@link #hasBufferedHead} began scanning the next head (or -1), and where it ends (or -1). */
    private int aheadFrom = -1;
    private int aheadEnd = -1;

    /** An input whose buffer is its own (tests, tools). */
    public ConnectionInput(InputStream in, ReadControl control, Limits limits) {
        this(in, control, limits, BufferPool.unpooled(BUFFER_SIZE));
    }

    /**
     * An input that takes its buffer from {@code pool} (arrays of {@link #BUFFER_SIZE} bytes) when it
     * first reads a head, and gives it back on {@link #trim()}.
     */
    public ConnectionInput(InputStream in, ReadControl control, Limits limits, BufferPool pool) {
        if (pool.size() != BUFFER_SIZE) {
            throw new IllegalArgumentException("read buffers are " + BUFFER_SIZE + " bytes, not " + pool.size());
        }
        this.in = in;
        this.control = control;
        this.limits = limits;
        this.pool = pool;
        this.bodyPace = new BodyPace(limits);
    }

    public Limits limits() {
        return limits;
    }

    /** Whether bytes of a further request are already buffered. */
    public boolean hasBufferedBytes() {
        return pos < limit;
    }

    /**
     * Whether a further head is already buffered whole, so that the response just written may wait and
     * leave together with the next one (pipelining). Precisely: whether the next {@link #readHead} will
     * return a head, or refuse a malformed one, without reading. The scan done here is the one that
     * call would do, and it keeps it, so a pipelined head is scanned once.
     */
    public boolean hasBufferedHead() {
        if (aheadEnd >= 0) {
            return true;
        }
        if (pos == limit) {
            return false;
        }
        if (aheadFrom != pos) {
            scanner.reset(pos);
            aheadFrom = pos;
        }
        try {
            aheadEnd = scanner.scan(buf, limit, limits);
        } catch (HttpParseException e) {
            aheadFrom = -1; // readHead scans again and answers it
            return true;
        }
        return aheadEnd >= 0;
    }

    /**
     * When part of a further head is buffered and more bytes have already arrived in the socket, reads
     * them (a read that cannot block) and tells whether a complete head is buffered now. A pipelined
     * batch longer than the idle wait's small first read ({@value #FIRST_READ_SIZE} bytes) arrives in
     * two reads; without this, the responses to the first part would leave in a write of their own.
     * Nothing is read when the buffered bytes end on a request boundary, so a client that sends one
     * request at a time costs no extra system call.
     */
    public boolean topUpPartialHead() throws IOException {
        if (pos == limit || limit == buf.length || in.available() <= 0) {
            return false;
        }
        int room = buf.length - limit;
        int n = in.read(buf, limit, room);
        lastReadFilled = n == room;
        if (n <= 0) {
            return false; // end of stream: the next readHead sees it
        }
        limit += n;
        return hasBufferedHead();
    }

    /**
     * Waits, while the connection is idle, for the first bytes of the next request, reading them into a
     * small array of its own so that the large buffer can be let go meanwhile ({@link #trim()}).
     * Call only when nothing is buffered.
     *
     * @return the count read; 0 when the idle timeout passed; -1 when the peer closed
     */
    public int awaitFirstBytes(long idleMillis) throws IOException {
        if (firstRead == null) {
            firstRead = new byte[FIRST_READ_SIZE];
        }
        control.setReadTimeout(Math.max(1, idleMillis));
        try {
            int n = in.read(firstRead, 0, firstRead.length);
            lastReadFilled = n == firstRead.length;
            firstReadCount = Math.max(0, n);
            return n;
        } catch (SocketTimeoutException e) {
            return 0;
        }
    }

    /**
     * Gives the buffer back to the pool: while idle (between {@link #awaitFirstBytes} and the next head,
     * by whoever owns the connection then), or when the connection parks or ends. Nothing may be
     * buffered. The next {@link #readHead} takes a buffer again.
     */
    public void trim() {
        pool.give(buf);
        buf = null;
        head.buf = null;
        pos = 0;
        limit = 0;
        aheadFrom = -1;
        aheadEnd = -1;
    }

    /**
     * Reads and parses the next request head.
     *
     * @param idleMillis how long to wait for the first byte of a request
     * @return the head, or null when the peer closed or stayed silent before sending a byte
     * @throws HttpParseException for a malformed head, a limit crossed (414, 431, 501, 505), or the
     *                            header deadline passing after the first byte (408)
     * @throws IOException        when the peer goes away in the middle of a head
     */
    public RequestHead readHead(long idleMillis) throws IOException {
        try {
            return scanAndParseHead(idleMillis);
        } catch (HttpParseException e) {
            throw e.requestMethod(RequestHeadParser.methodAt(buf, scanner.requestLineStartSoFar(), limit));
        }
    }

    /**
     * The request line of the head {@link #readHead} returned or refused last, as received, one char
     * per byte, at most {@value #MAX_LOGGED_REQUEST_LINE} of them (then {@code ...}); null when its end
     * was never read. Ask before {@link #hasBufferedHead} or {@link #topUpPartialHead}, which scan the
     * next head (the connection asks while answering a refusal, before either).
     */
    public String requestLine() {
        int start = scanner.requestLineStartSoFar();
        if (buf == null || start < 0 || start >= limit) {
            return null;
        }
        int end = start;
        while (end < limit && buf[end] != Ascii.CR && buf[end] != Ascii.LF) {
            end++; // a bare LF ends it too: that is how such a line was refused
        }
        if (end == limit) {
            return null;
        }
        int length = Math.min(end - start, MAX_LOGGED_REQUEST_LINE);
        String line = new String(buf, start, length, StandardCharsets.ISO_8859_1);
        return length < end - start ? line + "..." : line;
    }

    private RequestHead scanAndParseHead(long idleMillis) throws IOException {
        unpin();
        takeFirstRead();
        int end = aheadFrom == pos ? aheadEnd : -1;
        if (aheadFrom != pos) {
            scanner.reset(pos);
        }
        aheadFrom = -1;
        aheadEnd = -1;
        long deadline = 0;
        while (end < 0 && (end = scanner.scan(buf, limit, limits)) < 0) {
            makeRoomForHead();
            long timeout;
            if (scanner.started()) {
                if (deadline == 0) {
                    deadline = System.nanoTime() + limits.headerTimeout().toNanos();
                }
                timeout = (deadline - System.nanoTime()) / 1_000_000;
                if (timeout <= 0) {
                    throw new HttpParseException(Status.REQUEST_TIMEOUT_408, "Request header timeout");
                }
                acknowledgeBeforeWaiting(); // the rest of a head written in pieces is held for our ACK
            } else {
                timeout = idleMillis;
            }
            int n = readIntoBuffer(timeout, scanner.started());
            if (n < 0) {
                if (scanner.started()) {
                    throw new EOFException("Connection closed in the middle of a request head");
                }
                return null;
            }
            if (n == 0) {
                return null; // idle timeout before the first byte: a silent close (RFC 9112 §9.5)
            }
            if (deadline == 0) {
                deadline = System.nanoTime() + limits.headerTimeout().toNanos();
            }
        }
        RequestHeadParser.parse(buf, scanner.requestLineStart(), end, limits, head);
        pos = end;
        pinnedEnd = end;
        bodyPace.reset();
        return head;
    }

    /**
     * Asks the socket to acknowledge what has arrived before a read that may wait for more, unless
     * the last read filled its room: more bytes may be queued then, and the read will not wait.
     */
    private void acknowledgeBeforeWaiting() {
        if (!lastReadFilled) {
            control.acknowledgeNow();
        }
    }

    /** Moves the bytes {@link #awaitFirstBytes} read into the buffer, taking one if it has none. */
    private void takeFirstRead() {
        if (buf == null) {
            buf = pool.take();
        }
        if (firstReadCount > 0) {
            System.arraycopy(firstRead, 0, buf, limit, firstReadCount); // limit is 0: nothing was buffered
            limit += firstReadCount;
            firstReadCount = 0;
        }
    }

    /** Returns 0 for an idle timeout before any byte, -1 at end of stream, else the bytes read. */
    private int readIntoBuffer(long timeoutMillis, boolean started) throws IOException {
        control.setReadTimeout(Math.max(1, timeoutMillis));
        try {
            int room = buf.length - limit;
            int n = in.read(buf, limit, room);
            lastReadFilled = n == room;
            if (n > 0) {
                limit += n;
            }
            return n;
        } catch (SocketTimeoutException e) {
            if (started) {
                throw new HttpParseException(Status.REQUEST_TIMEOUT_408, "Request header timeout");
            }
            return 0;
        }
    }

    /** The next head may start anywhere: release the pinned region, then compact or grow as needed. */
    private void makeRoomForHead() {
        if (limit < buf.length) {
            return;
        }
        if (pos > 0) {
            System.arraycopy(buf, pos, buf, 0, limit - pos);
            scanner.shift(pos);
            limit -= pos;
            pos = 0;
        } else {
            int max = limits.maxRequestLineBytes() + limits.maxHeaderBytes() + limits.maxFieldLineBytes() + 8;
            buf = Arrays.copyOf(buf, Math.min(Math.max(buf.length * 2, INITIAL_SIZE), Math.max(max, buf.length + 1)));
        }
    }

    private void unpin() {
        pinnedEnd = 0;
        if (pos == limit) {
            pos = 0;
            limit = 0;
        }
    }

    /**
     * Bytes read from the socket and not yet consumed as part of a request: what is buffered after the
     * read position, and what {@link #awaitFirstBytes} read and {@link #readHead} has not yet taken. The
     * bytes of the request being served are those read since it began, less these.
     */
    public int unconsumed() {
        return limit - pos + firstReadCount;
    }

    // ---- body access, used by the body decoders while a request is being served ----

    /** Bytes buffered and not yet consumed. */
    int buffered() {
        return limit - pos;
    }

    /**
     * Reads up to {@code len} body bytes: from the buffer first, then from the socket.
     *
     * @return the count read, or -1 at end of stream
     */
    int readBody(byte[] dst, int off, int len) throws IOException {
        if (pos < limit) {
            int n = Math.min(len, limit - pos);
            System.arraycopy(buf, pos, dst, off, n);
            pos += n;
            return n;
        }
        if (len >= MIN_BODY_ROOM) {
            return readBodyFromSocket(dst, off, len); // large reads bypass the buffer
        }
        if (fillBodyBytes() < 0) {
            return -1;
        }
        return readBody(dst, off, len);
    }

    /** Skips up to {@code n} buffered-or-arriving body bytes; returns the count skipped or -1 at EOF. */
    long skipBody(long n) throws IOException {
        if (pos == limit && fillBodyBytes() < 0) {
            return -1;
        }
        int skipped = (int) Math.min(n, limit - pos);
        pos += skipped;
        return skipped;
    }

    /**
     * Makes sure a whole CRLF-terminated line starting at the read position is buffered, for chunk-size
     * lines and trailers, and returns the index of its CR.
     *
     * @param trailer whether the line is a trailer field: one too long is then a trailer section too
     *                large (431, as a field line of the head would be), not a malformed chunk line (400)
     * @throws HttpParseException 400 when the line has a bare CR or LF; 400 or 431 when it is longer
     *                            than {@code maxLength}
     */
    int requireLine(int maxLength, boolean trailer) throws IOException {
        int scanFrom = pos;
        while (true) {
            for (int i = scanFrom; i < limit; i++) {
                if (buf[i] == Ascii.LF) {
                    if (i == pos || buf[i - 1] != Ascii.CR) {
                        throw HttpParseException.badRequest("Bare LF in chunked body");
                    }
                    if (i - 1 - pos > maxLength) {
                        throw lineTooLong(trailer);
                    }
                    return i - 1;
                }
                if (buf[i] == Ascii.CR && i + 1 < limit && buf[i + 1] != Ascii.LF) {
                    throw HttpParseException.badRequest("Bare CR in chunked body");
                }
            }
            if (limit - pos > maxLength) {
                throw lineTooLong(trailer);
            }
            scanFrom = Math.max(pos, limit - 1);
            int consumed = pos;
            if (fillBodyBytes() < 0) {
                throw RequestBody.incomplete(); // as a fixed-length body that ends early: 408, never a 500
            }
            scanFrom -= consumed - pos;
        }
    }

    private static HttpParseException lineTooLong(boolean trailer) {
        return trailer ? new HttpParseException(Status.REQUEST_HEADER_FIELDS_TOO_LARGE_431, "Trailer section too large")
                : HttpParseException.badRequest("Chunk line too long");
    }

    /** Makes sure {@code n} bytes are buffered from the read position (n is small). */
    void require(int n) throws IOException {
        while (limit - pos < n) {
            if (fillBodyBytes() < 0) {
                throw RequestBody.incomplete();
            }
        }
    }

    byte[] buffer() {
        return buf;
    }

    int position() {
        return pos;
    }

    void consume(int n) {
        pos += n;
    }

    private int fillBodyBytes() throws IOException {
        return readBodyFromSocket(null, 0, 0);
    }

    /**
     * While on, a body read that needs more than the buffer holds throws {@link NotBuffered} instead
     * of reading the socket: a look at what has arrived, for {@link ChunkedBody}, that never waits.
     */
    void bufferedOnly(boolean on) {
        bufferedOnly = on;
    }

    /** Back to a read position taken from {@link #position()} while nothing was read from the socket. */
    void rewindTo(int position) {
        pos = position;
    }

    /** The body needs bytes that have not arrived, in {@link #bufferedOnly} mode. */
    static final class NotBuffered extends RuntimeException {
        static final NotBuffered INSTANCE = new NotBuffered();

        private NotBuffered() {
            super("Not buffered", null, false, false); // a shared signal: no stack trace, nothing suppressed
        }
    }

    /**
     * One socket read for a body, into {@code dst} or (when it is null) into the buffer after the
     * pinned head, waiting no longer than the body's {@link BodyPace} allows.
     *
     * @throws HttpParseException 408 when the wait runs out
     */
    private int readBodyFromSocket(byte[] dst, int off, int len) throws IOException {
        if (bufferedOnly) {
            throw NotBuffered.INSTANCE;
        }
        control.setReadTimeout(bodyPace.nextWaitMillis());
        acknowledgeBeforeWaiting(); // a client holding its next write for our ACK must not wait for it
        long start = System.nanoTime();
        int n = 0;
        try {
            if (dst == null) {
                n = fillAfterPinned();
            } else {
                n = in.read(dst, off, len);
                lastReadFilled = n == len;
            }
            return n;
        } catch (SocketTimeoutException e) {
            throw bodyPace.timedOut();
        } finally {
            bodyPace.waited(System.nanoTime() - start, n);
        }
    }

    /**
     * Reads more bytes into the buffer without disturbing the pinned head: unconsumed bytes move down
     * to just after it, and the buffer grows if the room left is small.
     */
    private int fillAfterPinned() throws IOException {
        if (pos > pinnedEnd) {
            System.arraycopy(buf, pos, buf, pinnedEnd, limit - pos);
            limit -= pos - pinnedEnd;
            pos = pinnedEnd;
        }
        if (buf.length - limit < MIN_BODY_ROOM) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, limit + MIN_BODY_ROOM));
            head.buf = buf; // the head being served points into the buffer
        }
        int room = buf.length - limit;
        int n = in.read(buf, limit, room);
        lastReadFilled = n == room;
        if (n > 0) {
            limit += n;
        }
        return n;
    }
}
