package io.jhttpd.filters;

import io.jhttpd.files.MimeTypes;
import io.jhttpd.http.Filter;
import io.jhttpd.http.Handler;
import io.jhttpd.http.HttpException;
import io.jhttpd.http.Request;
import io.jhttpd.http.Response;
import io.jhttpd.http.ResponseBody;
import io.jhttpd.http.ResponseHeaders;
import io.jhttpd.http.Status;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.attribute.FileTime;
import java.util.zip.GZIPOutputStream;

/**
 * Compresses response bodies with gzip when the client accepts it (RFC 9110 §8.4.1.3, §12.5.3).
 *
 * <p>A response is compressed when the request's {@code Accept-Encoding} gives gzip a non-zero
 * qvalue no lower than identity's, it has no {@code Content-Encoding} yet, its status is not 1xx, 204, 206 or 304, its
 * {@code Content-Type} is compressible ({@link MimeTypes#isCompressible}), and its body is a byte
 * array of at least {@code minBytes}, a file region of at least {@code minBytes} or a stream. Byte
 * arrays, files up to 256 KiB and the files whose variant may be kept (below) are compressed at once, so
 * the response keeps a Content-Length; other files and streams are compressed while written (chunked).
 * HEAD is treated as GET, so that its
 * header fields, Content-Length included, equal GET's (§9.3.2); the core then drops the body.
 *
 * <p>A compressed response gets {@code Content-Encoding: gzip}, loses {@code Accept-Ranges} (ranges
 * of the gzip stream are not offered), and its ETag becomes the gzip variant's ({@code "x"} to
 * {@code "x-gzip"}, {@link GzipVariantTags}): the variant has another byte sequence, so it needs
 * another tag; the filter reads the suffix back in If-Match, and in If-None-Match when the request
 * prefers gzip, so a client's revalidation (304, with the tag it sent) and its conditional changes
 * (If-Match, strong, with or without Accept-Encoding) work with the tag it read. Every response of a
 * compressible type, compressed or not, gets {@code Vary: Accept-Encoding} (§12.5.5).
 *
 * <p>A client that refuses content without coding ({@code identity;q=0}, or {@code *;q=0} with no
 * entry for identity) gets a 200 gzipped whatever its type and size when it accepts gzip, and 406
 * (with {@code Vary: Accept-Encoding}) when it does not. Apart from that 406 it throws nothing of its
 * own; an I/O error reading a file compressed at once becomes 500.
 *
 * <p>A file is compressed once: the gzip variant of a file region whose response has a strong
 * {@code ETag} (as {@link io.jhttpd.files.StaticFiles} gives every file) is kept, by file, slice and
 * tag, in a cache of at most {@link #DEFAULT_CACHE_BYTES} (or the bytes given to the constructor), least
 * recently used first out, and served from memory with a Content-Length; regions up to half the cache
 * and at most 8 MiB are kept. Requests that come while a file is being compressed wait for that
 * variant. The tag is what tells a changed file, so a variant is kept only once its file has not been
 * modified for 3 s, and only if it was not modified while compressed (a file rewritten twice within its
 * file system's clock tick would get one tag for two contents); a file rewritten in place with its
 * length and its modification time set back, as by {@code cp -p} over it, keeps its old variant until
 * that is dropped.
 *
 * <pre>{@code
 * Handler app = Filter.chain(router, new AccessLogFilter(log::info), new CorsFilter("*"), new GzipFilter());
 * }</pre>
 */
public final class GzipFilter implements Filter {

    /** Below this many bytes gzip's header and trailer (18 bytes) eat most of the gain. */
    public static final int DEFAULT_MIN_BYTES = 256;

    /** The bytes of compressed file variants a filter keeps unless told otherwise: 16 MiB. */
    public static final long DEFAULT_CACHE_BYTES = 16L * 1024 * 1024;

    private static final long COMPRESS_AT_ONCE_MAX = 256 * 1024;
    /** A file's variant is kept once the file is this old: past the coarsest modification-time tick (FAT's 2 s). */
    static final long SETTLED_MILLIS = 3000;

    private final int minBytes;
    /** The kept variants of files, or null when none are kept. */
    private final GzipVariantCache cache;

    /** Compresses bodies of at least {@link #DEFAULT_MIN_BYTES}, keeping up to {@link #DEFAULT_CACHE_BYTES} of file variants. */
    public GzipFilter() {
        this(DEFAULT_MIN_BYTES);
    }

    /**
     * Compresses bodies of at least {@code minBytes}; streamed bodies, of unknown length, always. Keeps
     * up to {@link #DEFAULT_CACHE_BYTES} of file variants.
     *
     * @throws IllegalArgumentException when {@code minBytes} is negative
     */
    public GzipFilter(int minBytes) {
        this(minBytes, DEFAULT_CACHE_BYTES);
    }

    /**
     * Compresses bodies of at least {@code minBytes}, and keeps up to {@code cacheBytes} of compressed
     * file variants (0: none, every file is compressed on every request).
     *
     * @throws IllegalArgumentException when {@code minBytes} or {@code cacheBytes} is negative
     */
    public GzipFilter(int minBytes, long cacheBytes) {
        if (minBytes < 0) {
            throw new IllegalArgumentException("minBytes must not be negative: " + minBytes);
        }
        if (cacheBytes < 0) {
            throw new IllegalArgumentException("cacheBytes must not be negative: " + cacheBytes);
        }
        this.minBytes = minBytes;
        this.cache = cacheBytes == 0 ? null : new GzipVariantCache(cacheBytes);
    }

    @Override
    public Response apply(Request request, Handler next) throws Exception {
        AcceptEncoding accepted = AcceptEncoding.of(request.headers());
        Request forHandler = GzipVariantTags.toHandlerTags(request, accepted.prefersGzip());
        // It sent the tag of a gzipped 200 (read back only where it prefers gzip, as the 304's must be).
        boolean revalidatesGzip = forHandler != request && accepted.prefersGzip();
        Response response = next.handle(forHandler);
        ResponseHeaders headers = response.headers();
        int code = response.status().code();
        if (!accepted.identityAcceptable() && !headers.contains("Content-Encoding")) {
            if (code == 200 && response.body().length() != 0) {
                return gzipOrRefuse(accepted, response);
            }
            if (code == 304) {
                // The 200 it revalidates was gzipped whatever its type and size: the same Vary and tag.
                VaryHeader.add(headers, "Accept-Encoding");
                if (accepted.gzipQuality() > 0) {
                    GzipVariantTags.toGzipTag(headers);
                }
                return response;
            }
        }
        if (!MimeTypes.isCompressible(headers.first("Content-Type"))) {
            return response;
        }
        VaryHeader.add(headers, "Accept-Encoding");
        if (headers.contains("Content-Encoding") || !accepted.prefersGzip()) {
            return response;
        }
        if (code == 304) {
            if (revalidatesGzip) {
                GzipVariantTags.toGzipTag(headers); // the tag it sent, not the handler's
            }
            return response;
        }
        if (code < 200 || code == 204 || code == 206 || headers.contains("Content-Range")) {
            return response;
        }
        ResponseBody compressed = compress(response, minBytes);
        if (compressed == null) {
            return response;
        }
        return gzipped(response, compressed);
    }

    private static Response gzipped(Response response, ResponseBody compressed) {
        ResponseHeaders headers = response.headers();
        headers.set("Content-Encoding", "gzip");
        headers.remove("Accept-Ranges");
        GzipVariantTags.toGzipTag(headers);
        return response.body(compressed);
    }

    /**
     * The client refused a response without content coding ({@code identity;q=0}, or {@code *;q=0}
     * alone): gzip is then the only way to answer, whatever the type and size, if the client takes
     * it; if not, nothing we can send is acceptable, and the answer is 406 (RFC 9110 §12.5.3 allows
     * ignoring the field instead; we follow what the client said).
     */
    private Response gzipOrRefuse(AcceptEncoding accepted, Response response)
            throws IOException {
        VaryHeader.add(response.headers(), "Accept-Encoding");
        if (accepted.gzipQuality() > 0) {
            return gzipped(response, compress(response, 0));
        }
        response.body().release(); // never to be written: a file the handler opened is closed here
        throw new HttpException(Status.NOT_ACCEPTABLE_406, "No acceptable content coding")
                .withHeader("Vary", "Accept-Encoding");
    }

    /**
     * The response's body compressed, or null when it is not worth compressing (under {@code minBytes}).
     * A file's variant comes from the cache where it may be kept; else a large file is compressed while
     * written (chunked, for HEAD too, whose body the writer does not write); releasing the new body
     * releases the one it compresses, whether or not it was written.
     */
    private ResponseBody compress(Response response, int minBytes) throws IOException {
        return switch (response.body()) {
            case ResponseBody.Empty empty -> null;
            case ResponseBody.Bytes bytes -> bytes.length() < minBytes ? null
                    : new ResponseBody.Bytes(gzipAtOnce(bytes.length(), gzip -> gzip.write(bytes.bytes())));
            case ResponseBody.FileRegion region -> {
                if (region.length() < minBytes) {
                    yield null;
                }
                byte[] variant = keptVariant(region, response.headers().first("ETag"));
                if (variant != null) {
                    yield new ResponseBody.Bytes(variant);
                }
                if (region.length() <= COMPRESS_AT_ONCE_MAX) {
                    yield new ResponseBody.Bytes(gzip(region));
                }
                yield new ResponseBody.Streamed(out -> gzipTo(out, raw -> copy(region, raw)), region::release);
            }
            case ResponseBody.Streamed streamed -> new ResponseBody.Streamed(
                    out -> gzipTo(out, raw -> streamed.writer().writeTo(raw)), streamed::release);
        };
    }

    /**
     * The region's variant from the cache (made now if need be), the handler's channel then closed; or
     * null when it is not to be kept: no cache, a region too large, a tag missing or weak, or a file not
     * settled. A kept variant is found without a look at the file.
     */
    private byte[] keptVariant(ResponseBody.FileRegion region, String entityTag) throws IOException {
        if (cache == null || !cache.mayKeep(region.length()) || !isStrong(entityTag)) {
            return null;
        }
        GzipVariantCache.Key key = new GzipVariantCache.Key(region.path(), entityTag, region.position(), region.length());
        byte[] kept = cache.kept(key);
        if (kept != null) {
            region.release(); // not needed: the handler's channel is closed
            return kept;
        }
        FileTime settled = settledModificationTime(region);
        if (settled == null) {
            return null;
        }
        try {
            return cache.variant(key, new SettledFile(region, settled));
        } finally {
            region.release(); // read from (closed already), or not: waited for another request's variant
        }
    }

    /** Whether an entity tag promises the same bytes whenever it is the same (RFC 9110 §8.8.1): not a weak one. */
    private static boolean isStrong(String entityTag) {
        return entityTag != null && entityTag.startsWith("\"");
    }

    /** What {@code writer} writes, of about {@code length} bytes, compressed into one array. */
    private static byte[] gzipAtOnce(long length, ResponseBody.BodyWriter writer) throws IOException {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream((int) Math.max(64, length / 3));
        try (GZIPOutputStream gzip = new GZIPOutputStream(buffer, 8192)) {
            writer.writeTo(gzip);
        }
        return buffer.toByteArray();
    }

    /**
     * Runs {@code writer} into a gzip stream over {@code out}. Sync flush keeps a streaming handler's
     * flush() meaningful; closing the gzip stream frees its native Deflater but not the connection.
     */
    private static void gzipTo(OutputStream out, ResponseBody.BodyWriter writer) throws IOException {
        try (GZIPOutputStream gzip = new GZIPOutputStream(new KeepOpen(out), 8192, true)) {
            writer.writeTo(gzip);
        }
    }

    /**
     * The file's modification time when it was last modified at least {@link #SETTLED_MILLIS} ago, else
     * null: file systems keep modification times to a clock tick (a few milliseconds on Linux, a second
     * or two on some), so a file rewritten twice within one, with its length, would get one tag for two
     * contents. A file not settled (one being written, or dated in the future) goes the way of a file
     * whose variant is not kept: compressed at once only when small, else streamed.
     */
    private static FileTime settledModificationTime(ResponseBody.FileRegion region) {
        FileTime modified;
        try {
            modified = Files.getLastModifiedTime(region.path());
        } catch (IOException e) {
            return null; // deleted or renamed since the handler opened it: its open channel is still served
        }
        return modified.toMillis() <= System.currentTimeMillis() - SETTLED_MILLIS ? modified : null;
    }

    /**
     * A settled file region's variant, kept only when the file's modification time after compressing is
     * the one before it: a change meanwhile would leave the variant of a mixture under the tag.
     */
    private record SettledFile(ResponseBody.FileRegion region, FileTime modified) implements GzipVariantCache.Compressor {
        @Override
        public byte[] compress() throws IOException {
            return gzip(region);
        }

        @Override
        public boolean mayKeep() throws IOException {
            return Files.getLastModifiedTime(region.path()).equals(modified);
        }
    }

    /** The region compressed at once, read through a small buffer (the whole file is never in memory). */
    private static byte[] gzip(ResponseBody.FileRegion region) throws IOException {
        return gzipAtOnce(region.length(), gzip -> copy(region, gzip));
    }

    private static void copy(ResponseBody.FileRegion region, OutputStream out) throws IOException {
        try (FileChannel file = region.open()) {
            InputStream in = Channels.newInputStream(file.position(region.position()));
            byte[] buffer = new byte[16 * 1024];
            long left = region.length();
            while (left > 0) {
                int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
                if (n < 0) {
                    // Abort rather than end the chunked body early: a short body must not look complete.
                    throw new EOFException("file shrank while being served: " + region.path());
                }
                out.write(buffer, 0, n);
                left -= n;
            }
        }
    }

    /** Lets the gzip stream be closed (to free its Deflater) without closing the response stream. */
    private static final class KeepOpen extends FilterOutputStream {
        KeepOpen(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() {
            // The response stream belongs to the writer, which frames and flushes it.
        }
    }
}
