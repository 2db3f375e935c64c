package io.jhttpd.filters;

import io.jhttpd.http.Method;
import io.jhttpd.http.Request;
import io.jhttpd.http.ResponseHeaders;
import io.jhttpd.http.Version;

import java.io.ByteArrayInputStream;
import java.net.InetSocketAddress;

/** Requests built in memory, for filter tests that need no socket. */
final class FilterFixtures {

    private FilterFixtures() {
    }

    static Request request(Method method, String path, String... nameValues) {
        ResponseHeaders headers = new ResponseHeaders();
        for (int i = 0; i < nameValues.length; i += 2) {
            headers.add(nameValues[i], nameValues[i + 1]);
        }
        int question = path.indexOf('?');
        return new Request(method, question < 0 ? path : path.substring(0, question),
                question < 0 ? null : path.substring(question + 1), Version.HTTP_1_1, headers,
                new ByteArrayInputStream(new byte[0]), new InetSocketAddress("127.0.0.1", 40000));
    }
}
