package io.jhttpd.wire;

import java.io.IOException;

/**
 * How a connection's output waits for room in a non-blocking socket: before a write its reported
 * room is forgotten, and a write that takes nothing waits until room is reported again. A blocking
 * socket needs none ({@link #BLOCKING}): its writes wait inside the JDK.
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
