package io.dcf.gateway.invoke;

import com.google.protobuf.InvalidProtocolBufferException;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestContext;
import com.linecorp.armeria.common.annotation.Nullable;
import io.dcf.gateway.error.ErrorMapping;
import io.grpc.Metadata;
import io.grpc.Status;

/** How the gRPC services answer failures Armeria meets before a service method runs. */
public final class GrpcErrors {

    private GrpcErrors() {
    }

    /**
     * A request whose bytes are not the rpc's message (malformed protobuf, or REST JSON
     * with a wrong type) is the caller's error: INVALID_ARGUMENT with the parser's words,
     * not INTERNAL or an empty message. Anything else keeps Armeria's status (null).
     */
    @Nullable
    public static Status malformedRequest(RequestContext ctx, Status status, Throwable cause, Metadata metadata) {
        for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof InvalidProtocolBufferException) {
                if (isJson(ctx)) {
                    return Status.INVALID_ARGUMENT.withDescription("the JSON body does not match the request"
                            + " message (" + t.getMessage() + "); see docs/api.md");
                }
                return ErrorMapping.toStatus(t);
            }
        }
        return null;
    }

    private static boolean isJson(RequestContext ctx) {
        MediaType type = ctx.request() == null ? null : ctx.request().contentType();
        return type != null && type.isJson();
    }
}
