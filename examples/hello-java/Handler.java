import io.dcf.sdk.Request;
import io.dcf.sdk.Response;

/**
 * The hello-java example: answers with its input, byte for byte, in the same content type.
 *
 * <p>Deploy it with {@code ./dcf up} (done for you) and call it:
 * {@code curl --data-binary 'Hello, DCF!' localhost:31113/function/hello-java}.
 */
public final class Handler implements io.dcf.sdk.Handler {

    @Override
    public Response handle(Request request) {
        return Response.of(request.input(), request.contentType());
    }
}
