package io.jhttpd.files;

import io.jhttpd.http.Handler;
import io.jhttpd.http.HttpDate;
import io.jhttpd.http.HttpException;
import io.jhttpd.http.Method;
import io.jhttpd.http.PercentCodec;
import io.jhttpd.http.Preconditions;
import io.jhttpd.http.Request;
import io.jhttpd.http.Response;
import io.jhttpd.http.ResponseBody;
import io.jhttpd.http.Status;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Serves the files under a root directory for GET and HEAD; the router calls it with the rest of
 * the path in a path parameter.
 *
 * <p>A file gets 200 with a sendfile {@link ResponseBody.FileRegion}, its {@code Content-Type}
 * ({@link MimeTypes}), a strong {@code ETag} of its size and modification time,
 * {@code Last-Modified} (seconds; now, for a file modified in the future) and {@code Accept-Ranges: bytes}.
 * Then, per RFC 9110 §13.2.2: a false If-Match or If-Unmodified-Since is 412; a matching
 * If-None-Match, or a not-newer If-Modified-Since, is 304 with the same validators and no body. A
 * GET with one satisfiable byte range (and a holding If-Range) gets 206 with {@code Content-Range}
 * ({@link ByteRange} has the policy); HEAD ignores Range. An If-Range date holds only once its
 * second is over (RFC 9110 §8.8.2.2: a file written twice within a second keeps its date). That narrows
 * what a date can get wrong, not all of it: a client that read the first of two versions written within
 * one second still holds their common date. Such a client breaks §13.1.5, which allows an If-Range date
 * only to a client without an entity-tag, and every file here has a strong one (nanoseconds and inode),
 * which tells the versions apart.
 *
 * <p>A directory serves its {@code index.html}. Asked for without its trailing slash, it is
 * redirected (301) to the slash form, as Apache's DirectorySlash and nginx do, so that relative links
 * in the index resolve inside the directory. Everything {@link SafePath} refuses, a missing file,
 * a directory without index and any non-regular file are 404 ({@link HttpException}); a NUL or
 * control character in the path is 400; an unsatisfiable range is 416.
 *
 * <pre>{@code
 * Router router = new Router().get("/static/{path...}", new StaticFiles(Path.of("public")));
 * }</pre>
 */
public final class StaticFiles implements Handler {

    private static final String INDEX = "index.html";

    private final SafePath root;
    private final String paramName;

    /** Serves the path parameter {@code path} (as in {@code /static/{path...}}) under {@code root}. */
    public StaticFiles(Path root) {
        this(root, "path");
    }

    /**
     * Serves the path parameter {@code paramName} under {@code root}; when the route has no such
     * parameter, the whole decoded request path is used.
     *
     * @throws IllegalArgumentException when {@code root} is not an existing directory
     */
    public StaticFiles(Path root, String paramName) {
        this.root = new SafePath(root);
        this.paramName = paramName;
    }

    @Override
    public Response handle(Request request) throws IOException {
        String relative = relativePath(request);
        Path file = root.resolve(relative);
        BasicFileAttributes attributes = attributesOf(file);
        boolean slash = relative.isEmpty() || relative.endsWith("/");
        if (attributes.isDirectory()) {
            if (!request.path().endsWith("/")) {
                if (relative.endsWith("/")) {
                    throw notFound(); // "dir%2F": a slash in a name, which the redirect could not keep
                }
                return redirectToDirectory(request);
            }
            file = root.resolve(slash ? relative + INDEX : relative + "/" + INDEX);
            attributes = attributesOf(file);
        } else if (slash) {
            throw notFound(); // "a.txt/" names a directory that is not there
        }
        return openAndServe(request, file, attributes, MimeTypes.forFileName(file.getFileName().toString()));
    }

    /**
     * Answers a GET or HEAD for one file the caller has already found and checked: this method serves
     * whatever path it is given, so the caller makes sure that it is one the client may read (under
     * the directory it serves). It answers as this handler does for its own files: validators,
     * conditional requests, one byte range, sent with sendfile; the {@code Content-Type} is the caller's.
     *
     * @throws HttpException 404 when the file is not there, not a regular file or not readable
     */
    public static Response serveFile(Request request, Path file, String contentType) throws IOException {
        return openAndServe(request, file, attributesOf(file), contentType);
    }

    /**
     * Opens the file, so that the length and the bytes sent are one version of it even when it is
     * replaced (renamed over, as an upload does) before the response is written; and makes sure the
     * validators describe that version: the attributes read before the open must equal those read
     * after it, else the file was replaced meanwhile and it is opened again. After three tries (a file
     * replaced again and again) it is served as last opened, with the attributes read after that.
     */
    private static Response openAndServe(Request request, Path file, BasicFileAttributes attributes, String contentType)
            throws IOException {
        for (int attempt = 1; ; attempt++) {
            if (!attributes.isRegularFile() || !Files.isReadable(file)) {
                throw notFound(); // FIFOs and devices would block or never end
            }
            FileChannel channel = open(file);
            try {
                BasicFileAttributes opened = attributesOf(file);
                if (attempt == 3 || sameVersion(attributes, opened) && opened.size() == channel.size()) {
                    return serve(request, file, channel, opened, contentType);
                }
                attributes = opened;
            } catch (IOException | RuntimeException e) {
                channel.close();
                throw e;
            }
            channel.close();
        }
    }

    private static boolean sameVersion(BasicFileAttributes a, BasicFileAttributes b) {
        return Objects.equals(a.fileKey(), b.fileKey()) && a.size() == b.size()
                && a.lastModifiedTime().equals(b.lastModifiedTime());
    }

    private static FileChannel open(Path file) throws IOException {
        try {
            return FileChannel.open(file, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            throw notFound();
        }
    }

    /**
     * Evaluates a request's conditions (RFC 9110 §13) against a file as {@link #serveFile} describes it
     * (its ETag and Last-Modified), for a handler about to replace or delete it; against no
     * representation when {@code file} is null or not a regular file. The handler resolves and checks
     * the path first, as it would to serve it.
     *
     * <pre>{@code
     * if (StaticFiles.preconditions(request, current) == Preconditions.Outcome.PRECONDITION_FAILED) {
     *     throw new HttpException(Status.PRECONDITION_FAILED_412, "Precondition failed");
     * }
     * }</pre>
     */
    public static Preconditions.Outcome preconditions(Request request, Path file) throws IOException {
        BasicFileAttributes attributes = file == null ? null : regularFileAttributes(file);
        if (attributes == null) {
            return Preconditions.evaluateWithoutRepresentation(request);
        }
        return Preconditions.evaluate(request, entityTag(attributes),
                lastModifiedSecond(attributes.lastModifiedTime().to(TimeUnit.MILLISECONDS)));
    }

    /**
     * The file's Last-Modified in whole seconds, never later than now: RFC 9110 §8.8.2.1 has an origin
     * server send the message's date instead of a modification time in the future (a clock set wrong,
     * a file copied from elsewhere), so that Last-Modified never follows the response's Date.
     */
    private static long lastModifiedSecond(long modifiedMillis) {
        return Math.min(Math.floorDiv(modifiedMillis, 1000), HttpDate.nowSecond());
    }

    /**
     * The {@code ETag} {@link #serveFile} gives {@code file} now, or null when it is not a regular file:
     * for a handler that has just written it and answers with the tag its next GET will carry.
     */
    public static String entityTag(Path file) throws IOException {
        BasicFileAttributes attributes = regularFileAttributes(file);
        return attributes == null ? null : entityTag(attributes);
    }

    /** The tag of a file as its attributes describe it (a served file's own length comes from its channel). */
    private static String entityTag(BasicFileAttributes attributes) {
        return entityTag(attributes.size(), attributes.lastModifiedTime().to(TimeUnit.NANOSECONDS), attributes.fileKey());
    }

    /** A regular file's attributes, or null when there is no such file or it is not a regular one. */
    private static BasicFileAttributes regularFileAttributes(Path file) throws IOException {
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            return attributes.isRegularFile() ? attributes : null;
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /**
     * A strong tag from the size, the modification time in nanoseconds (as precise as the file system
     * keeps it) and, where the file system has one, the file's identity (its inode):
     * {@code "64-17e4bd2e8ab5c6c0-3f2a1"}. The identity tells apart two versions of one size written
     * within the clock's tick, since a file replaced by a rename (as uploads are) is a new inode.
     */
    private static String entityTag(long length, long modifiedNanos, Object fileKey) {
        String tag = Long.toHexString(length) + "-" + Long.toHexString(modifiedNanos);
        return "\"" + (fileKey == null ? tag : tag + "-" + Integer.toHexString(fileKey.hashCode())) + "\"";
    }

    /** A file deleted since it was resolved is simply not found. */
    private static BasicFileAttributes attributesOf(Path file) throws IOException {
        try {
            return Files.readAttributes(file, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            throw notFound();
        }
    }

    private String relativePath(Request request) {
        String param = request.pathParam(paramName);
        if (param != null) {
            return param;
        }
        String decoded = PercentCodec.decodePath(request.path());
        return decoded.startsWith("/") ? decoded.substring(1) : decoded;
    }

    private static Response serve(Request request, Path file, FileChannel channel, BasicFileAttributes attributes,
                                  String contentType) throws IOException {
        long length = channel.size();
        long modifiedMillis = attributes.lastModifiedTime().to(TimeUnit.MILLISECONDS);
        long modifiedSecond = lastModifiedSecond(modifiedMillis);
        String etag = entityTag(length, attributes.lastModifiedTime().to(TimeUnit.NANOSECONDS), attributes.fileKey());
        Response response = Response.ok()
                .header("Content-Type", contentType)
                .header("ETag", etag)
                .header("Last-Modified", HttpDate.format(modifiedSecond));
        switch (Preconditions.evaluate(request, etag, modifiedSecond)) {
            case NOT_MODIFIED -> {
                // §15.4.5: the 304 repeats ETag and Last-Modified. We keep Content-Type too, so that
                // filters (gzip's Vary and weak ETag) decide the 304 exactly as they did the 200.
                channel.close();
                return response.status(Status.NOT_MODIFIED_304);
            }
            case PRECONDITION_FAILED -> throw new HttpException(Status.PRECONDITION_FAILED_412,
                    "Precondition failed");
            case PROCEED -> { }
        }
        response.header("Accept-Ranges", "bytes");
        String range = request.header("Range");
        // §14.2: Range applies to GET only; If-Range that does not hold means the full 200.
        if (range != null && request.method() == Method.GET
                && Preconditions.rangeStillValid(request, etag, modifiedSecond)) {
            ByteRange slice = ByteRange.parse(range, length);
            if (slice != null) {
                return response.status(Status.PARTIAL_CONTENT_206)
                        .header("Content-Range", slice.contentRange(length))
                        .body(new ResponseBody.FileRegion(file, slice.first(), slice.length(), channel));
            }
        }
        return response.body(new ResponseBody.FileRegion(file, 0, length, channel));
    }

    /**
     * 301 to the same path with a slash. The Location is the raw request path (the parser allows no
     * CTL or space in it), never one that starts with {@code //}, which a browser would read as
     * another host: an open redirect.
     */
    private static Response redirectToDirectory(Request request) {
        String path = request.path();
        if (path.startsWith("//")) {
            throw notFound();
        }
        String location = path + "/" + (request.query() == null ? "" : "?" + request.query());
        return Response.of(Status.MOVED_PERMANENTLY_301).header("Location", location);
    }

    private static HttpException notFound() {
        return new HttpException(Status.NOT_FOUND_404, "Not found");
    }
}
