package io.jhttpd.filters;

import io.jhttpd.http.Headers;
import io.jhttpd.http.Request;
import io.jhttpd.http.ResponseHeaders;

/**
 * The entity-tags of gzipped responses (RFC 9110 §8.8.3: a strong tag is unique to one
 * representation, and the gzip variant is another byte sequence than the handler's): {@code "x"}
 * goes out as {@code "x-gzip"} ({@code W/"x"} as {@code W/"x-gzip"}), and a tag {@code "x-gzip"} is
 * read as {@code "x"} before the handler sees it, so that the handler compares its own tags: in
 * If-Match always (both tags name the same state of the resource, which is what a conditional change
 * asks about, whatever the request's Accept-Encoding), and in If-None-Match only when the request
 * prefers gzip. A request that does not selects the handler's representation, which {@code "x-gzip"}
 * does not name (RFC 9110 §13.1.2): its tag is left as sent and matches nothing, so no 304 names a
 * tag the client does not hold. So a client that read the gzip variant can revalidate it (304) and
 * make its change conditional on it (If-Match compares strongly, which a weakened tag never passes);
 * the 304 goes back with the tag the client sent. If-Range is left alone: a range is of the
 * handler's bytes, never of the gzip stream, so a gzip tag there never matches and the client gets
 * the whole 200. The suffix is this filter's: a handler's own tags should not end in {@code -gzip}.
 */
final class GzipVariantTags {

    static final String SUFFIX = "-gzip";
    private static final String SUFFIX_AND_QUOTE = SUFFIX + "\"";

    private GzipVariantTags() {
    }

    /**
     * The request with the gzip tags of If-Match, and of If-None-Match when {@code prefersGzip}, read as
     * the handler's; itself when there is none.
     */
    static Request toHandlerTags(Request request, boolean prefersGzip) {
        Headers headers = request.headers();
        for (int i = 0, n = headers.size(); i < n; i++) {
            if (isTagField(headers, i, prefersGzip) && headers.value(i).contains(SUFFIX_AND_QUOTE)) {
                return request.withHeaders(new HandlerTags(headers, prefersGzip));
            }
        }
        return request;
    }

    /** The response's ETag, if it has one, as the gzip variant's. */
    static void toGzipTag(ResponseHeaders headers) {
        String etag = headers.first("ETag");
        if (etag != null && etag.endsWith("\"") && !etag.endsWith(SUFFIX_AND_QUOTE)) {
            headers.set("ETag", etag.substring(0, etag.length() - 1) + SUFFIX_AND_QUOTE);
        }
    }

    private static boolean isTagField(Headers headers, int index, boolean prefersGzip) {
        return headers.nameIs(index, "If-Match") || prefersGzip && headers.nameIs(index, "If-None-Match");
    }

    /** The request's fields, {@code -gzip"} read as {@code "} in the tag fields (etagc holds no quote). */
    private record HandlerTags(Headers sent, boolean prefersGzip) implements Headers {
        @Override
        public int size() {
            return sent.size();
        }

        @Override
        public String name(int index) {
            return sent.name(index);
        }

        @Override
        public String value(int index) {
            String value = sent.value(index);
            return isTagField(sent, index, prefersGzip) ? value.replace(SUFFIX_AND_QUOTE, "\"") : value;
        }

        @Override
        public boolean nameIs(int index, String name) {
            return sent.nameIs(index, name);
        }
    }
}
