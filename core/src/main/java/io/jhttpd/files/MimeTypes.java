package io.jhttpd.files;

import java.util.Locale;
import java.util.Map;

/**
 * Content types by file extension, and which of them are worth compressing.
 *
 * <p>Textual types carry {@code ; charset=utf-8} so that browsers do not guess (RFC 9110 §8.3.1); an
 * unknown extension is {@code application/octet-stream}, which browsers download rather than render.
 * Called by {@link StaticFiles} per request and by the gzip filter; it never throws.
 *
 * <pre>{@code
 * MimeTypes.forFileName("app.js");                       // text/javascript; charset=utf-8
 * MimeTypes.isCompressible("image/png");                 // false
 * }</pre>
 */
public final class MimeTypes {

    /** The type of unknown content: {@code application/octet-stream}. */
    public static final String OCTET_STREAM = "application/octet-stream";

    private static final String UTF8 = "; charset=utf-8";

    private static final Map<String, String> BY_EXTENSION = Map.ofEntries(
            Map.entry("html", "text/html" + UTF8),
            Map.entry("htm", "text/html" + UTF8),
            Map.entry("css", "text/css" + UTF8),
            Map.entry("js", "text/javascript" + UTF8),
            Map.entry("mjs", "text/javascript" + UTF8),
            Map.entry("json", "application/json" + UTF8),
            Map.entry("map", "application/json" + UTF8),
            Map.entry("txt", "text/plain" + UTF8),
            Map.entry("md", "text/markdown" + UTF8),
            Map.entry("csv", "text/csv" + UTF8),
            Map.entry("xml", "application/xml" + UTF8),
            Map.entry("svg", "image/svg+xml" + UTF8),
            Map.entry("png", "image/png"),
            Map.entry("jpg", "image/jpeg"),
            Map.entry("jpeg", "image/jpeg"),
            Map.entry("gif", "image/gif"),
            Map.entry("webp", "image/webp"),
            Map.entry("avif", "image/avif"),
            Map.entry("ico", "image/vnd.microsoft.icon"),
            Map.entry("wasm", "application/wasm"),
            Map.entry("pdf", "application/pdf"),
            Map.entry("zip", "application/zip"),
            Map.entry("gz", "application/gzip"),
            Map.entry("woff", "font/woff"),
            Map.entry("woff2", "font/woff2"),
            Map.entry("ttf", "font/ttf"),
            Map.entry("otf", "font/otf"),
            Map.entry("mp3", "audio/mpeg"),
            Map.entry("mp4", "video/mp4"),
            Map.entry("webm", "video/webm"));

    private MimeTypes() {
    }

    /** The content type for a file name such as {@code index.html}; case-insensitive. */
    public static String forFileName(String fileName) {
        int dot = fileName.lastIndexOf('.');
        if (dot < 0 || dot == fileName.length() - 1) {
            return OCTET_STREAM;
        }
        String type = BY_EXTENSION.get(fileName.substring(dot + 1).toLowerCase(Locale.ROOT));
        return type == null ? OCTET_STREAM : type;
    }

    /**
     * Whether a body of this content type usually shrinks under gzip: {@code text/*}, JSON, JavaScript,
     * XML, SVG and WebAssembly (also {@code +json} and {@code +xml} suffixes). Images, archives, fonts and media are
     * already compressed. Parameters are ignored; null is not compressible.
     */
    public static boolean isCompressible(String contentType) {
        if (contentType == null) {
            return false;
        }
        if (contentType.regionMatches(true, 0, "text/", 0, 5)) {
            return true; // the common case, decided without making strings
        }
        // The media type is what comes before any parameters, less the whitespace around it: compared in
        // place, since a JSON response asks on every request.
        int start = 0;
        int end = contentType.indexOf(';');
        if (end < 0) {
            end = contentType.length();
        }
        while (start < end && isSpace(contentType.charAt(start))) {
            start++;
        }
        while (end > start && isSpace(contentType.charAt(end - 1))) {
            end--;
        }
        return startsWith(contentType, start, end, "text/")
                || is(contentType, start, end, "application/json") || endsWith(contentType, start, end, "+json")
                || is(contentType, start, end, "application/javascript")
                || is(contentType, start, end, "application/ecmascript")
                || is(contentType, start, end, "application/xml") || endsWith(contentType, start, end, "+xml")
                || is(contentType, start, end, "application/wasm");
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t';
    }

    private static boolean is(String s, int start, int end, String type) {
        return end - start == type.length() && s.regionMatches(true, start, type, 0, type.length());
    }

    private static boolean startsWith(String s, int start, int end, String prefix) {
        return end - start >= prefix.length() && s.regionMatches(true, start, prefix, 0, prefix.length());
    }

    private static boolean endsWith(String s, int start, int end, String suffix) {
        return end - start >= suffix.length() && s.regionMatches(true, end - suffix.length(), suffix, 0, suffix.length());
    }
}
