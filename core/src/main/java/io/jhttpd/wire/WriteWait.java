package io.jhttpd.wire;

import java.io.IOException;

/**
 * How a connection's output waits for room in a non-blocking socket: after a write that took nothing,
 * the room reported so far is forgotten and the write tried again; if that one takes nothing too, it
 * waits until room is reported (room that comes after the clear raises the report again, so none is
 * lost). Writes that take bytes, nearly all, touch none of it. A blocking socket needs none
 * ({@link #BLOCKING}): its writes wait inside the JDK.
 */
public interface WriteWait {

    /**
     * How many bytes a socket may hold that it has not sent yet, once {@link #limitUnsentBytes()} has
     * been asked: 128 KiB, twice what a write slice is, so that room reported at half of it leaves the
     * link 64 KiB to send while the connection's thread comes back.
     */
    int UNSENT_LIMIT = 128 * 1024;

    /** Forgets room reported so far: the write that follows will see what there is. */
    void clearWriteReadiness();

    /** Waits until room to write is reported (or the socket fails or closes). */
    void awaitWritable() throws IOException;

    /**
     * Called once before a connection's first write longer than {@link #UNSENT_LIMIT} (a file or a large
     * body): from then on the socket takes no more than that beyond what it has sent, and reports room
     * when what it holds unsent falls below half of it. Where the socket cannot be told, nothing changes.
     */
    default void limitUnsentBytes() {
    }

    /** For a socket in blocking mode: nothing to clear, and never called to wait. */
    WriteWait BLOCKING = new WriteWait() {
        @Override
        public void clearWriteReadiness() {
        }

        @Override
        public void awaitWritable() {
            throw new IllegalStateException("a blocking socket's write took no bytes");
        }
    };
}
