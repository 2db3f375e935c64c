package io.jhttpd.files;

import io.jhttpd.http.HttpException;
import io.jhttpd.http.Status;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * Resolves a client-supplied relative path under a root directory, or refuses it.
 *
 * <p>The path arrives percent-decoded (the router decodes each segment and joins them with
 * {@code /}), so {@code %2e%2e} is already {@code ..} and {@code %2f} already {@code /}: every check
 * here runs on decoded components, and nothing is decoded again. We refuse rather than normalise
 * (OWASP Path Traversal: validate input against an allow-list, then canonicalise and check the
 * prefix), so a request either names a file plainly or gets 404:
 * <ul>
 *   <li>NUL or any other control character: 400, no file system name needs one;</li>
 *   <li>an absolute path, an empty component ({@code a//b}), {@code .} or {@code ..}, a backslash
 *       (a separator on Windows) or a colon (drive letters and NTFS streams): 404;</li>
 *   <li>a path that does not exist, or whose real path (symlinks followed) is not under the root's
 *       real path: 404, so that a symlink cannot lead out of the root.</li>
 * </ul>
 * One trailing {@code /} is allowed (it names a directory); the caller decides what a directory means.
 *
 * <pre>{@code
 * SafePath docs = new SafePath(Path.of("public"));
 * Path file = docs.resolve("css/site.css");   // the real path, or HttpException 404
 * }</pre>
 */
public final class SafePath {

    private final Path realRoot;

    /**
     * Resolves paths under {@code root}, whose real path (symlinks followed) is taken once, here.
     *
     * @throws IllegalArgumentException when {@code root} is not an existing directory
     */
    public SafePath(Path root) {
        try {
            this.realRoot = root.toRealPath();
        } catch (IOException e) {
            throw new IllegalArgumentException("root directory does not exist: " + root, e);
        }
        if (!Files.isDirectory(realRoot)) {
            throw new IllegalArgumentException("root is not a directory: " + root);
        }
    }

    /** The root with every symlink resolved. */
    public Path root() {
        return realRoot;
    }

    /**
     * The real path of an existing file or directory named by {@code relative} under the root.
     *
     * @param relative a decoded path with components joined by {@code /}; empty names the root
     * @throws HttpException 400 for control characters, 404 for anything that could escape the root
     *                       or does not exist
     */
    public Path resolve(String relative) {
        checkCharacters(relative);
        String path = relative.endsWith("/") ? relative.substring(0, relative.length() - 1) : relative;
        if (!path.isEmpty()) {
            checkComponents(path);
        }
        Path real;
        try {
            Path candidate = path.isEmpty() ? realRoot : realRoot.resolve(path);
            real = candidate.toRealPath();
        } catch (IOException | InvalidPathException | SecurityException e) {
            throw notFound();
        }
        // After symlinks are followed the file must still lie under the root (CWE-61).
        if (!real.startsWith(realRoot)) {
            throw notFound();
        }
        return real;
    }

    private static void checkCharacters(String path) {
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            // NUL truncates names in C APIs; CR/LF forge log lines. No file name we serve needs a CTL.
            if (c < 0x20 || c == 0x7F) {
                throw new HttpException(Status.BAD_REQUEST_400, "Invalid character in path");
            }
            if (c == '\\' || c == ':') {
                throw notFound();
            }
        }
    }

    private static void checkComponents(String path) {
        if (path.startsWith("/")) {
            throw notFound(); // absolute: Path.resolve would ignore the root altogether
        }
        int start = 0;
        while (start <= path.length()) {
            int slash = path.indexOf('/', start);
            int end = slash < 0 ? path.length() : slash;
            int len = end - start;
            if (len == 0
                    || len == 1 && path.charAt(start) == '.'
                    || len == 2 && path.charAt(start) == '.' && path.charAt(start + 1) == '.') {
                throw notFound(); // RFC 3986 §5.2.4 dot-segments, and empty ones from "//"
            }
            start = end + 1;
        }
    }

    private static HttpException notFound() {
        return new HttpException(Status.NOT_FOUND_404, "Not found");
    }
}
