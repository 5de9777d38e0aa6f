package io.dcf.registry;

import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.ResponseHeaders;
import java.net.URI;
import java.net.URISyntaxException;

/**
 * Rewrites an upstream's absolute {@code Location} (an upload session, a mounted blob) so the
 * client comes back through the proxy: {@code http://registry:5000/v2/fn/blobs/uploads/u?_state=s}
 * becomes {@code http://localhost:5001/v2/fn/blobs/uploads/u?_state=s}. Relative locations and
 * those of other hosts (a storage redirect) are left as they are.
 */
final class Locations {

    private Locations() {
    }

    static ResponseHeaders rewrite(ResponseHeaders headers, String upstreamAuthority, String clientScheme,
            String clientAuthority) {
        String location = headers.get(HttpHeaderNames.LOCATION);
        if (location == null) {
            return headers;
        }
        String rewritten = rewrite(location, upstreamAuthority, clientScheme, clientAuthority);
        return rewritten.equals(location) ? headers
                : headers.toBuilder().set(HttpHeaderNames.LOCATION, rewritten).build();
    }

    static String rewrite(String location, String upstreamAuthority, String clientScheme, String clientAuthority) {
        URI uri;
        try {
            uri = new URI(location);
        } catch (URISyntaxException e) {
            return location;
        }
        if (!uri.isAbsolute() || uri.getRawAuthority() == null
                || !uri.getRawAuthority().equalsIgnoreCase(upstreamAuthority)) {
            return location;
        }
        String pathAndQuery = (uri.getRawPath() == null ? "" : uri.getRawPath())
                + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        if (clientAuthority == null || clientAuthority.isEmpty()) {
            return pathAndQuery;
        }
        return clientScheme + "://" + clientAuthority + pathAndQuery;
    }
}
