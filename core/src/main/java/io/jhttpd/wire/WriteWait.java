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

    /** Forgets room reported so far: the write that follows will see what there is. */
    void clearWriteReadiness();

    /** Waits until room to write is reported (or the socket fails or closes). */
    void awaitWritable() throws IOException;

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
