package io.dcf.bench;

import com.linecorp.armeria.client.ClientFactory;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * {@code POST /function/<name>} with the raw payload. Over "h1c" every request in flight
 * has its own keep-alive connection (as curl or most HTTP callers would); over "h2c"
 * they share one.
 */
final class GatewayHttpTarget implements Target {

    static final String CONTENT_TYPE = "application/octet-stream";

    private final String protocol;
    private final WebClient client;
    private final RequestHeaders headers;
    private final byte[] payload;

    GatewayHttpTarget(ClientFactory factory, String protocol, String authority, String function, byte[] payload,
                      Duration timeout) {
        this.protocol = protocol;
        this.client = WebClient.builder(protocol + "://" + authority)
                               .factory(factory)
                               .responseTimeout(timeout)
                               .maxResponseLength(0)
                               .build();
        this.headers = RequestHeaders.builder(HttpMethod.POST, "/function/" + function)
                                     .contentType(MediaType.OCTET_STREAM)
                                     .build();
        this.payload = payload.clone();
    }

    @Override
    public String name() {
        return "gateway HTTP (" + protocol + ")";
    }

    @Override
    public CompletableFuture<Integer> call() {
        return client.execute(HttpRequest.of(headers, HttpData.wrap(payload)))
                     .aggregate()
                     .thenApply(GatewayHttpTarget::outputSize);
    }

    private static int outputSize(AggregatedHttpResponse response) {
        if (!response.status().equals(HttpStatus.OK)) {
            throw new IllegalStateException("HTTP " + response.status().code() + ": "
                                            + abbreviate(response.contentUtf8()));
        }
        return response.content().length();
    }

    private static String abbreviate(String text) {
        return text.length() <= 200 ? text : text.substring(0, 200) + "...";
    }
}
