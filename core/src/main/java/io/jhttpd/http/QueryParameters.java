package io.jhttpd.http;

import java.util.ArrayList;
import java.util.List;

/** The decoded name/value pairs of a query string ({@code a=1&b=x+y}), in order. */
final class QueryParameters {

    private final List<String> names;
    private final List<String> values;

    private QueryParameters(List<String> names, List<String> values) {
        this.names = names;
        this.values = values;
    }

    static QueryParameters parse(String query) {
        List<String> names = new ArrayList<>(4);
        List<String> values = new ArrayList<>(4);
        int start = 0;
        while (start <= query.length()) {
            int end = query.indexOf('&', start);
            if (end < 0) {
                end = query.length();
            }
            if (end > start) {
                int eq = query.indexOf('=', start);
                if (eq < 0 || eq > end) {
                    names.add(PercentCodec.decodeQuery(query.substring(start, end)));
                    values.add("");
                } else {
                    names.add(PercentCodec.decodeQuery(query.substring(start, eq)));
                    values.add(PercentCodec.decodeQuery(query.substring(eq + 1, end)));
                }
            }
            start = end + 1;
        }
        return new QueryParameters(names, values);
    }

    String first(String name) {
        for (int i = 0; i < names.size(); i++) {
            if (names.get(i).equals(name)) {
                return values.get(i);
            }
        }
        return null;
    }
}
