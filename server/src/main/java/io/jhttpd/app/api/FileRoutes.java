package io.jhttpd.app.api;

import io.jhttpd.app.json.Json;
import io.jhttpd.files.StaticFiles;
import io.jhttpd.http.HttpException;
import io.jhttpd.http.Preconditions;
import io.jhttpd.http.Request;
import io.jhttpd.http.Response;
import io.jhttpd.http.Status;
import io.jhttpd.routing.Router;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.locks.ReentrantLock;

/**
 * {@code /files/{name}}: plain files in one flat directory (the {@code --directory} flag).
 *
 * <ul>
 *   <li>{@code GET} (and HEAD) answers 200 {@code application/octet-stream}, sent from the file with
 *       sendfile, as {@link StaticFiles} answers: {@code ETag} and {@code Last-Modified}, 304 and 412 for
 *       conditional requests, 206 for one byte range; 404 when there is no such regular file.</li>
 *   <li>{@code POST} writes the body to a temporary file in the directory and renames it over the
 *       name with {@code ATOMIC_MOVE}: a reader sees the old file or the new one, never half of one.
 *       201 with {@code {"file": name, "bytes": n}} and the {@code ETag} a GET of the new file gives
 *       (so that a client can replace that version with {@code If-Match}, without a GET in
 *       between); 409 when the name is a directory. Conditions
 *       (RFC 9110 §13) are evaluated against the file as GET describes it, or against none when
 *       there is none: {@code If-None-Match: *} uploads only a new file, {@code If-Match} with the
 *       ETag a GET gave replaces only that version, else 412. They are checked before the body is
 *       read and again just before the rename, under a lock per name that every upload takes, so
 *       that no upload through this server slips in between.</li>
 * </ul>
 *
 * <p>No name can leave the directory. The router has already percent-decoded the segment, so
 * {@code %2e%2e} arrives as {@code ..} and {@code %2f} as {@code /}. A name is refused with 400 when it
 * is empty, starts with a dot ({@code .}, {@code ..}, dotfiles and our own temporary files), holds
 * {@code /}, {@code \}, NUL or any other control character, or is longer than the file system takes
 * ({@value #MAX_NAME_BYTES} bytes of UTF-8); and a file whose real path (symlinks
 * followed) is outside the directory is a 404, as if absent. No {@code Location} is sent: it would
 * carry client text.
 *
 * <pre>{@code
 * new FileRoutes(Path.of("/srv/files")).register(router);
 * }</pre>
 */
public final class FileRoutes {

    private static final String TEMP_PREFIX = ".upload-";
    /**
     * The longest name in UTF-8 bytes: what Linux's file systems (ext4, XFS, Btrfs, tmpfs) and most
     * others take. A longer one could never be stored; it is refused before the body is read.
     */
    static final int MAX_NAME_BYTES = 255;
    /** Uploads to one name rename one at a time (names share a lock by hash). */
    private static final int RENAME_LOCKS = 64;
    private final Path root;
    private final ReentrantLock[] renameLocks = new ReentrantLock[RENAME_LOCKS];

    /** @param directory an existing directory; resolved to its real path once, here */
    public FileRoutes(Path directory) throws IOException {
        this.root = directory.toRealPath();
        for (int i = 0; i < RENAME_LOCKS; i++) {
            renameLocks[i] = new ReentrantLock();
        }
    }

    public Router register(Router router) {
        return router
                .get("/files/{name}", this::read)
                .post("/files/{name}", this::write);
    }

    private Response read(Request request) throws IOException {
        Path real = current(root.resolve(checkedName(request.pathParam("name"))));
        if (real == null) {
            throw notFound();
        }
        // Opened now (an upload may rename over it), with validators, conditional requests and a range.
        return StaticFiles.serveFile(request, real, "application/octet-stream");
    }

    /** The regular file a GET of this name serves (symlinks followed, inside the directory), or null. */
    private Path current(Path file) throws IOException {
        try {
            Path real = file.toRealPath();
            return real.startsWith(root) && Files.isRegularFile(real) ? real : null;
        } catch (FileSystemException e) {
            return null; // absent, a symlink loop, no permission: nothing a GET could serve
        }
    }

    /** 412 unless the request's conditions hold for what the name holds now. */
    private void requireConditions(Request request, Path target) throws IOException {
        if (StaticFiles.preconditions(request, current(target)) == Preconditions.Outcome.PRECONDITION_FAILED) {
            throw new HttpException(Status.PRECONDITION_FAILED_412, "Precondition failed");
        }
    }

    private static boolean conditional(Request request) {
        return Preconditions.onEntityTag(request) || request.headers().contains("If-Unmodified-Since");
    }

    private Response write(Request request) throws IOException {
        String name = checkedName(request.pathParam("name"));
        Path target = root.resolve(name);
        if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
            throw new HttpException(Status.CONFLICT_409, "A directory has that name");
        }
        request.requireNoContentCoding(); // stored as sent, a gzip body would not be the file it names
        boolean conditional = conditional(request);
        if (conditional) {
            requireConditions(request, target); // before the body: a 412 need not wait for an upload
        }
        Path temp = createTempFile();
        long written;
        String etag;
        try {
            // The body stream belongs to the connection: read it, never close it.
            InputStream in = request.body();
            try (OutputStream out = Files.newOutputStream(temp)) {
                written = in.transferTo(out);
            }
            ReentrantLock lock = renameLocks[Math.floorMod(name.hashCode(), RENAME_LOCKS)];
            lock.lock();
            try {
                if (conditional) {
                    requireConditions(request, target); // again: another upload may have renamed meanwhile
                }
                // rename(2): atomic, and it replaces a symlink at the name rather than writing through it.
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                etag = storedVersion(target); // this version's, before another upload replaces it
            } finally {
                lock.unlock();
            }
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
        byte[] body = Json.bytes(Json.object().put("file", name).put("bytes", written));
        Response created = Response.of(Status.CREATED_201).body(body, Json.CONTENT_TYPE);
        return etag == null ? created : created.header("ETag", etag);
    }

    /** The ETag of the file just stored, or null if it cannot be read: the upload succeeded all the same. */
    private static String storedVersion(Path target) {
        try {
            return StaticFiles.entityTag(target);
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * A temporary file beside its target, so the rename stays on one file system. createTempFile makes
     * it owner-only (0600); an uploaded file is meant to be read back, so it gets 0644 like a file
     * written by cp.
     */
    private Path createTempFile() throws IOException {
        if (root.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            return Files.createTempFile(root, TEMP_PREFIX, ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r--r--")));
        }
        return Files.createTempFile(root, TEMP_PREFIX, ".tmp");
    }

    /** A single, plain file name, or 400. */
    static String checkedName(String name) {
        if (name == null || name.isEmpty() || name.startsWith(".")) {
            throw badName("Invalid file name");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '/' || c == '\\' || c < 0x20 || c == 0x7F) {
                throw badName("Invalid file name");
            }
        }
        if (name.getBytes(StandardCharsets.UTF_8).length > MAX_NAME_BYTES) {
            throw badName("File name longer than " + MAX_NAME_BYTES + " bytes");
        }
        return name;
    }

    private static HttpException badName(String message) {
        return new HttpException(Status.BAD_REQUEST_400, message);
    }

    private static HttpException notFound() {
        return new HttpException(Status.NOT_FOUND_404, "No such file");
    }
}
