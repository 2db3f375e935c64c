package io.jhttpd.http;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;

/**
 * What a response carries after its head. The writer frames each kind: a known length gets
 * {@code Content-Length}; a {@link Streamed} body gets {@code Transfer-Encoding: chunked} on HTTP/1.1
 * and is delimited by closing the connection on HTTP/1.0 (RFC 9112 §6.1–§6.3).
 */
public sealed interface ResponseBody {

    /** The length in bytes, or -1 when it is not known before writing. */
    long length();

    /**
     * Frees what the body holds open (a file the handler opened, a streamed body's resources). The
     * response writer calls it once, when it is done with the response, whether the body went out, was
     * not to be sent (HEAD, 304) or could not be (the client left); a filter that drops a body instead
     * of passing it on calls it for the body it drops. It does not throw.
     */
    default void release() {
    }

    /** No content. */
    Empty EMPTY = new Empty();

    /** No content. */
    record Empty() implements ResponseBody {
        @Override
        public long length() {
            return 0;
        }
    }

    /**
     * Content held in memory. The array is not copied: do not change it after handing it over.
     *
     * @param bytes the content, sent whole
     */
    record Bytes(byte[] bytes) implements ResponseBody {
        @Override
        public long length() {
            return bytes.length;
        }
    }

    /**
     * A slice of a file, sent with {@code FileChannel.transferTo} (sendfile on Linux).
     *
     * <p>Either the handler opened the file and hands its {@code channel} over (what {@link
     * Response#file(Path, String)} and {@code StaticFiles} do: the length is then the open file's, so a file
     * replaced meanwhile, as an upload does with a rename, is still served whole from the version that was
     * opened), or {@code channel} is null and the file is opened when the response is written; if it is then
     * shorter than {@code length}, the connection is aborted rather than sending a wrong length. A channel
     * handed over belongs to the response: the writer (or a filter that replaces the body) closes it.
     *
     * @param path     the file
     * @param position the offset of the first byte to send
     * @param length   how many bytes to send from there
     * @param channel  the file, opened by the handler, or null to open {@code path} when writing
     */
    record FileRegion(Path path, long position, long length, FileChannel channel) implements ResponseBody {
        /**
         * Checks the slice; whether the file exists is found out when it is opened.
         *
         * @throws IllegalArgumentException when {@code position} or {@code length} is negative
         */
        public FileRegion {
            if (position < 0 || length < 0) {
                throw new IllegalArgumentException("negative file region");
            }
        }

        /**
         * A region of a file opened when it is written.
         *
         * @param path     the file
         * @param position the offset of the first byte to send
         * @param length   how many bytes to send from there
         */
        public FileRegion(Path path, long position, long length) {
            this(path, position, length, null);
        }

        /**
         * The channel handed over, or the file newly opened; the caller closes it.
         *
         * @return a channel positioned anywhere: read it from {@link #position()}
         * @throws IOException when the file cannot be opened
         */
        public FileChannel open() throws IOException {
            return channel != null ? channel : FileChannel.open(path, StandardOpenOption.READ);
        }

        /** Closes the channel handed over, if any; closing it again does nothing. */
        @Override
        public void release() {
            if (channel != null) {
                try {
                    channel.close();
                } catch (IOException ignored) {
                    // closing a read-only file: nothing was lost
                }
            }
        }
    }

    /**
     * Content produced while it is written, of a length not known in advance. The writer is not called
     * for HEAD requests or for statuses that carry no content, nor when the response head could not be
     * sent; {@code onRelease} runs in every case, after the writer if it ran.
     *
     * @param writer    writes the content, on the connection's thread, while the response goes out
     * @param onRelease frees what the writer would have used (a file it reads from); it should not
     *                  throw (the server logs what it throws, and the response is unaffected); null for
     *                  nothing
     */
    record Streamed(BodyWriter writer, Runnable onRelease) implements ResponseBody {
        private static final Runnable NOTHING = () -> { };

        /**
         * A streamed body with a release hook.
         *
         * @throws NullPointerException when {@code writer} is null
         */
        public Streamed {
            Objects.requireNonNull(writer, "writer");
            onRelease = onRelease == null ? NOTHING : onRelease;
        }

        /**
         * A streamed body that holds nothing open beyond its writer.
         *
         * @param writer writes the content, on the connection's thread, while the response goes out
         */
        public Streamed(BodyWriter writer) {
            this(writer, null);
        }

        @Override
        public long length() {
            return -1;
        }

        /** Runs {@code onRelease}; what it throws is logged, not passed on. */
        @Override
        public void release() {
            try {
                onRelease.run();
            } catch (RuntimeException e) {
                System.getLogger("io.jhttpd").log(System.Logger.Level.WARNING, "a body's release hook failed", e);
            }
        }
    }

    /** Writes a streamed body. Closing {@code out} is not needed and does not close the connection. */
    @FunctionalInterface
    interface BodyWriter {
        /**
         * Writes the content to {@code out}, which frames it (chunked on HTTP/1.1). An exception here
         * comes after the head has gone, so the server can only abort the connection.
         *
         * @throws IOException when the client goes away or the content cannot be read
         */
        void writeTo(OutputStream out) throws IOException;
    }
}
