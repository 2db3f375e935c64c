package io.jhttpd.wire;

import io.jhttpd.http.HttpException;
import io.jhttpd.http.Status;

import java.io.IOException;
import java.io.InputStream;

/**
 * A request body as the handler reads it: de-framed, bounded by the body limit, and able to say
 * afterwards whether the connection can carry another request.
 *
 * <p>Owned by the connection's thread. Any framing error while reading marks it broken and throws
 * {@link HttpParseException}, after which the connection closes. So does a failure of the socket
 * itself (a reset, the client gone): it is a 400 "Request body could not be read" with the failure as
 * its cause, so that filters, the access log and the dispatcher all see one status for a client's
 * failure, never a server error.
 */
public abstract class RequestBody extends InputStream {

    /** Sends {@code 100 Continue} before the body's first byte is read from the socket. */
    @FunctionalInterface
    public interface ContinueSender {
        void sendContinue() throws IOException;
    }

    private final ContinueSender continueSender;
    private boolean continueSent;
    private boolean broken;

    protected RequestBody(ContinueSender continueSender) {
        this.continueSender = continueSender;
    }

    /** The body of a request that has none (RFC 9112 §6.3 step 7). */
    public static RequestBody empty() {
        return new RequestBody(null) {
            @Override
            protected int readFramed(byte[] b, int off, int len) {
                return -1;
            }

            @Override
            public boolean complete() {
                return true;
            }

            @Override
            protected boolean discardFramed(long maxBytes) {
                return true;
            }
        };
    }

    /** Whether every byte of the body, framing included, has been consumed. */
    public abstract boolean complete();

    /**
     * Whether the client still waits for {@code 100 Continue} before sending the body: it asked for one,
     * and the handler never read.
     */
    public boolean awaitingContinue() {
        return continueSender != null && !continueSent && !complete();
    }

    /**
     * Whether {@link #discardRest} is known to refuse what is left of the body: more than
     * {@code maxBytes} of it, or (chunked) broken framing. A fixed length says so before a byte is
     * read; a chunked body can tell only from what has already arrived. A response streamed by a writer
     * that reads the body itself is decided here too: it closes like one that leaves the body unread.
     */
    public boolean discardWouldRefuse(long maxBytes) {
        return false;
    }

    /**
     * Whether the rest of the body has arrived and is buffered, so that {@link #discardRest} will not
     * wait on the socket: a fixed length can tell; a chunked body looks for its end in what has arrived.
     */
    public boolean restBuffered() {
        return complete();
    }

    /**
     * Drops what of the unread body is already buffered, without waiting on the socket, so that it is
     * counted as this request's; a chunked body drops its rest only when all of it is here.
     */
    public void discardBuffered() {
    }

    /** Whether a framing error happened, so that the connection must close. */
    public boolean broken() {
        return broken;
    }

    protected abstract int readFramed(byte[] b, int off, int len) throws IOException;

    protected abstract boolean discardFramed(long maxBytes) throws IOException;

    @Override
    public final int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (broken) {
            throw HttpParseException.badRequest("Request body is unreadable after an error");
        }
        try {
            sendContinueOnce(); // its write failing is the client's going away too
            return readFramed(b, off, len);
        } catch (HttpException e) {
            broken = true;
            throw e;
        } catch (IOException e) {
            broken = true;
            throw new HttpParseException(Status.BAD_REQUEST_400, "Request body could not be read", e);
        }
    }

    @Override
    public final int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xFF;
    }

    /**
     * Reads and drops what the handler left unread, up to {@code maxBytes}, so the connection can carry
     * the next request (RFC 9112 §9.3).
     *
     * @return true when the body is now complete; false when it was too long, broken or still waiting
     *         for a {@code 100 Continue} that was never sent (the connection must then close)
     */
    public boolean discardRest(long maxBytes) {
        if (broken || awaitingContinue()) {
            return false;
        }
        try {
            return discardFramed(maxBytes);
        } catch (HttpException | IOException e) {
            broken = true;
            return false;
        }
    }

    private void sendContinueOnce() throws IOException {
        if (continueSender != null && !continueSent) {
            continueSent = true;
            continueSender.sendContinue();
        }
    }

    static HttpParseException tooLarge() {
        return new HttpParseException(Status.CONTENT_TOO_LARGE_413, "Request body too large");
    }

    /** RFC 9112 §6.3 (RFC-CHECKLIST §3): the client ended the body early; 408, then close. */
    static HttpParseException incomplete() {
        return new HttpParseException(Status.REQUEST_TIMEOUT_408, "Incomplete request body");
    }
}
