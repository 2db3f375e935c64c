package io.jhttpd.wire;

import io.jhttpd.http.HttpException;
import io.jhttpd.http.Status;

import java.io.IOException;

/**
 * A chunked body (RFC 9112 §7.1): {@code chunk-size [ext] CRLF data CRLF ... 0 [ext] CRLF trailers CRLF}.
 *
 * <p>Chunk extensions are checked and dropped (§7.1.1). Trailer fields are checked with the header
 * grammar and dropped, so they can never set framing fields (§7.1.2). The running total is held to
 * the body limit as sizes are declared, before their data is read.
 */
final class ChunkedBody extends RequestBody {

    /** A chunk-size line, extensions included (RFC-CHECKLIST §7). */
    static final int MAX_SIZE_LINE = 4096;
    private static final int MAX_HEX_DIGITS = 16;

    private final ConnectionInput input;
    private final long maxBodyBytes;
    private final int maxTrailerBytes;
    private long chunkRemaining;
    private long total;
    private boolean inData;
    private boolean done;

    ChunkedBody(ConnectionInput input, long maxBodyBytes, int maxTrailerBytes, ContinueSender continueSender) {
        super(continueSender);
        this.input = input;
        this.maxBodyBytes = maxBodyBytes;
        this.maxTrailerBytes = maxTrailerBytes;
    }

    @Override
    protected int readFramed(byte[] b, int off, int len) throws IOException {
        if (!inData && !nextChunk()) {
            return -1;
        }
        int n = input.readBody(b, off, (int) Math.min(len, chunkRemaining));
        if (n < 0) {
            throw incomplete();
        }
        chunkRemaining -= n;
        if (chunkRemaining == 0) {
            endOfChunkData();
        }
        return n;
    }

    @Override
    public boolean complete() {
        return done;
    }

    /**
     * Whether what has already arrived shows the rest broken, or longer than {@code maxBytes}: then the
     * response can say that the connection closes. A rest not all here is not known yet.
     */
    @Override
    public boolean discardWouldRefuse(long maxBytes) {
        Rest rest = scanBuffered(maxBytes);
        return rest == Rest.MALFORMED || rest == Rest.TOO_LONG;
    }

    /** Whether the rest, up to the last chunk's trailers, has arrived (the end of a well-formed body). */
    @Override
    public boolean restBuffered() {
        return scanBuffered(Long.MAX_VALUE) == Rest.ENDS_IN_BUFFER;
    }

    /**
     * Drops the rest when all of it has arrived; else drops nothing ({@link #discardRest} does). The
     * body is {@link #complete()} afterwards exactly when it dropped the rest.
     */
    @Override
    public void discardBuffered() {
        if (restBuffered()) {
            discardRest(Long.MAX_VALUE); // reads nothing from the socket: all of it is here
        }
    }

    private enum Rest { ENDS_IN_BUFFER, MALFORMED, TOO_LONG, NOT_ALL_HERE }

    /**
     * Runs the discarding parser over the buffered bytes alone, then puts everything back: what the
     * rest of the body holds as far as it has arrived. Never reads the socket.
     */
    private Rest scanBuffered(long maxBytes) {
        if (done) {
            return Rest.ENDS_IN_BUFFER;
        }
        if (broken()) {
            return Rest.MALFORMED;
        }
        int position = input.position();
        long remaining = chunkRemaining;
        long declared = total;
        boolean data = inData;
        input.bufferedOnly(true);
        try {
            return discardFramed(maxBytes) ? Rest.ENDS_IN_BUFFER : Rest.TOO_LONG;
        } catch (ConnectionInput.NotBuffered e) {
            return Rest.NOT_ALL_HERE;
        } catch (HttpException | IOException e) {
            return Rest.MALFORMED;
        } finally {
            input.bufferedOnly(false);
            input.rewindTo(position);
            chunkRemaining = remaining;
            total = declared;
            inData = data;
            done = false;
        }
    }

    @Override
    protected boolean discardFramed(long maxBytes) throws IOException {
        long discarded = 0;
        while (!done) {
            if (!inData && !nextChunk()) {
                break;
            }
            if (discarded + chunkRemaining > maxBytes) {
                return false;
            }
            while (chunkRemaining > 0) {
                long n = input.skipBody(chunkRemaining);
                if (n < 0) {
                    return false;
                }
                chunkRemaining -= n;
                discarded += n;
            }
            endOfChunkData();
        }
        return true;
    }

    /** Reads the next size line; returns false after the last chunk and its trailers. */
    private boolean nextChunk() throws IOException {
        if (done) {
            return false;
        }
        int cr = input.requireLine(MAX_SIZE_LINE, false);
        long size = parseSizeLine(input.buffer(), input.position(), cr);
        input.consume(cr + 2 - input.position());
        if (size == 0) {
            readTrailers();
            done = true;
            return false;
        }
        if (size > maxBodyBytes - total) {
            throw tooLarge();
        }
        total += size;
        chunkRemaining = size;
        inData = true;
        return true;
    }

    /**
     * chunk-size = 1*HEXDIG, at most 16 digits, then the extensions (§7.1, §7.1.1). A size past a long
     * comes back as {@link Long#MAX_VALUE}: past any body limit, so a 413 (RFC-CHECKLIST §3).
     */
    private static long parseSizeLine(byte[] buf, int start, int end) {
        long size = 0;
        int i = start;
        while (i < end && Ascii.hexValue(buf[i]) >= 0) {
            if (i - start == MAX_HEX_DIGITS) {
                throw HttpParseException.badRequest("Chunk size too large");
            }
            size = size << 4 | Ascii.hexValue(buf[i]);
            i++;
        }
        if (i == start) {
            throw HttpParseException.badRequest("Invalid chunk size");
        }
        checkExtensions(buf, i, end);
        return size < 0 ? Long.MAX_VALUE : size; // 16 digits from 8: beyond a long
    }

    /**
     * chunk-ext = *( BWS ";" BWS chunk-ext-name [ BWS "=" BWS chunk-ext-val ] ), the name a token, the
     * value a token or a quoted-string (§7.1.1, RFC 9110 §5.6). Checked, then dropped.
     */
    private static void checkExtensions(byte[] buf, int start, int end) {
        int i = start;
        while (i < end) {
            int before = i;
            i = skipBws(buf, i, end);
            if (i == end || buf[i] != ';') {
                throw HttpParseException.badRequest(before == start ? "Invalid chunk size" : "Invalid chunk extension");
            }
            i = skipBws(buf, i + 1, end);
            int name = i;
            while (i < end && Ascii.isTchar(buf[i])) {
                i++;
            }
            if (i == name) {
                throw HttpParseException.badRequest("Invalid chunk extension");
            }
            int afterName = skipBws(buf, i, end);
            if (afterName < end && buf[afterName] == '=') {
                i = skipValue(buf, skipBws(buf, afterName + 1, end), end);
            }
        }
    }

    /** A chunk-ext-val (token / quoted-string) from {@code i}; returns where it ends. */
    private static int skipValue(byte[] buf, int i, int end) {
        if (i < end && buf[i] == '"') {
            i++;
            while (i < end && buf[i] != '"') {
                if (buf[i] == '\\') {
                    i++; // quoted-pair = "\" ( HTAB / SP / VCHAR / obs-text )
                }
                if (i == end || !Ascii.isFieldContent(buf[i])) {
                    throw HttpParseException.badRequest("Invalid chunk extension");
                }
                i++;
            }
            if (i == end) {
                throw HttpParseException.badRequest("Invalid chunk extension");
            }
            return i + 1;
        }
        int value = i;
        while (i < end && Ascii.isTchar(buf[i])) {
            i++;
        }
        if (i == value) {
            throw HttpParseException.badRequest("Invalid chunk extension");
        }
        return i;
    }

    private static int skipBws(byte[] buf, int i, int end) {
        while (i < end && Ascii.isOws(buf[i])) {
            i++;
        }
        return i;
    }

    /** Every chunk-data is followed by exactly CRLF (§7.1): both bytes are checked. */
    private void endOfChunkData() throws IOException {
        input.require(2);
        byte[] buf = input.buffer();
        int p = input.position();
        if (buf[p] != Ascii.CR || buf[p + 1] != Ascii.LF) {
            throw HttpParseException.badRequest("Missing CRLF after chunk data");
        }
        input.consume(2);
        inData = false;
    }

    /** trailer-section = *( field-line CRLF ) CRLF; checked, bounded, and dropped. */
    private void readTrailers() throws IOException {
        int trailerBytes = 0;
        while (true) {
            int cr = input.requireLine(maxTrailerBytes, true);
            int start = input.position();
            if (cr == start) {
                input.consume(2);
                return;
            }
            trailerBytes += cr + 2 - start;
            if (trailerBytes > maxTrailerBytes) {
                throw new HttpParseException(Status.REQUEST_HEADER_FIELDS_TOO_LARGE_431, "Trailer section too large");
            }
            FieldLine.validate(input.buffer(), start, cr);
            input.consume(cr + 2 - start);
        }
    }
}
