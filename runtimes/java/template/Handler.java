import io.dcf.sdk.Request;
import io.dcf.sdk.Response;

/**
 * The function's entry point: one instance per replica, called from many threads.
 * Load models in {@code init(Context)}; see io.dcf.sdk.Handler.
 */
public final class Handler implements io.dcf.sdk.Handler {

    @Override
    public Response handle(Request request) {
        return Response.of(request.input(), request.contentType());
    }
}
