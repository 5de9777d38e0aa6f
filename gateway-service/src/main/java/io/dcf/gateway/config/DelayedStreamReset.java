package io.dcf.gateway.config;

import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceOptions;
import com.linecorp.armeria.server.ServiceRequestContext;
import com.linecorp.armeria.server.SimpleDecoratingHttpService;
import java.time.Duration;

/**
 * Delays the HTTP/2 reset that follows a gRPC response sent before the caller closed
 * its side of the stream (a stream refused at the concurrency limit, a timed-out
 * stream). Armeria resets such a stream with CANCEL right after the trailers; grpc's
 * C core clients (Python grpcio) then sometimes report the reset, CANCELLED "Received
 * RST_STREAM with error code 8", instead of the status the trailers carried. Sent a
 * moment later, the reset only stops the client's remaining requests.
 */
final class DelayedStreamReset extends SimpleDecoratingHttpService {

    /** Far longer than a client takes to read trailers that arrived; short enough not to pile up streams. */
    static final Duration DELAY = Duration.ofSeconds(1);

    private final ServiceOptions options;

    DelayedStreamReset(HttpService delegate) {
        super(delegate);
        // The gRPC service sets no options of its own (all "use the server's"), so only the delay is set.
        this.options = ServiceOptions.builder().closeHttp2StreamDelayMillis(DELAY.toMillis()).build();
    }

    @Override
    public ServiceOptions options() {
        return options;
    }

    @Override
    public HttpResponse serve(ServiceRequestContext ctx, HttpRequest req) throws Exception {
        return unwrap().serve(ctx, req);
    }
}
