package io.jhttpd.files;

import io.jhttpd.http.Headers;
import io.jhttpd.http.Method;

import java.util.List;

/**
 * Evaluates conditional request fields against a representation's validators, in the order of
 * RFC 9110 §13.2.2: If-Match, If-Unmodified-Since, If-None-Match, If-Modified-Since; If-Range is
 * asked separately by whoever serves ranges. The caller has already decided the resource exists
 * (404 wins, §13.2.1) and must not call this for OPTIONS, CONNECT or TRACE.
 */
final class Preconditions {

    enum Outcome {
        /** Serve the request normally. */
        PROCEED,
        /** 304: the client's copy is current (GET and HEAD only). */
        NOT_MODIFIED,
        /** 412: a precondition the client set is false. */
        PRECONDITION_FAILED
    }

    private Preconditions() {
    }

    /**
     * @param etag               the current strong or weak entity-tag, quotes included
     * @param lastModifiedSecond the Last-Modified time in whole seconds since the epoch
     */
    static Outcome evaluate(Method method, Headers request, String etag, long lastModifiedSecond) {
        String ifMatch = joined(request, "If-Match");
        if (ifMatch != null) {
            // §13.1.1: strong comparison; "*" matches since the representation exists.
            if (!anyMatches(EntityTags.parseList(ifMatch), etag, true)) {
                return Outcome.PRECONDITION_FAILED;
            }
        } else {
            // §13.1.4: only without If-Match; an invalid date is ignored.
            long since = singleDate(request, "If-Unmodified-Since");
            if (since != HttpDate.INVALID && lastModifiedSecond > since) {
                return Outcome.PRECONDITION_FAILED;
            }
        }
        boolean safe = method == Method.GET || method == Method.HEAD;
        String ifNoneMatch = joined(request, "If-None-Match");
        if (ifNoneMatch != null) {
            // §13.1.2: weak comparison; true means "the client's copy is current".
            if (anyMatches(EntityTags.parseList(ifNoneMatch), etag, false)) {
                return safe ? Outcome.NOT_MODIFIED : Outcome.PRECONDITION_FAILED;
            }
        } else if (safe) {
            // §13.1.3: only for GET and HEAD, only without If-None-Match, only a valid date.
            long since = singleDate(request, "If-Modified-Since");
            if (since != HttpDate.INVALID && lastModifiedSecond <= since) {
                return Outcome.NOT_MODIFIED;
            }
        }
        return Outcome.PROCEED;
    }

    /**
     * Whether a Range request's If-Range (RFC 9110 §13.1.5) still holds: true when absent; an
     * entity-tag must match strongly (a weak tag never does); a date must equal Last-Modified exactly.
     */
    static boolean rangeStillValid(Headers request, String etag, long lastModifiedSecond) {
        String ifRange = request.first("If-Range");
        if (ifRange == null) {
            return true;
        }
        if (ifRange.startsWith("\"") || ifRange.startsWith("W/")) {
            return EntityTags.strongMatch(ifRange, etag);
        }
        long date = HttpDate.parse(ifRange);
        return date != HttpDate.INVALID && date == lastModifiedSecond;
    }

    private static boolean anyMatches(List<String> tags, String etag, boolean strong) {
        for (String tag : tags) {
            if (tag.equals(EntityTags.ANY)
                    || (strong ? EntityTags.strongMatch(tag, etag) : EntityTags.weakMatch(tag, etag))) {
                return true;
            }
        }
        return false;
    }

    /** Every field line of a list field, joined as one list (RFC 9110 §5.3), or null when absent. */
    private static String joined(Headers request, String name) {
        List<String> lines = request.all(name);
        return lines.isEmpty() ? null : String.join(", ", lines);
    }

    /** A date field sent exactly once, else {@link HttpDate#INVALID}. */
    private static long singleDate(Headers request, String name) {
        List<String> lines = request.all(name);
        return lines.size() == 1 ? HttpDate.parse(lines.get(0)) : HttpDate.INVALID;
    }
}
