package io.dcf.gateway.invoke;

import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.common.ResponseHeadersBuilder;
import io.dcf.gateway.auth.Authenticator;
import io.dcf.gateway.error.ErrorMapping;
import io.dcf.gateway.error.RetryLaterException;
import io.grpc.Status;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** HTTP error bodies: JSON {@code {"code","message"}}, status from the gRPC code. */
public final class HttpErrors {

    private HttpErrors() {
    }

    /** The response for any failure; one to try again later carries {@code Retry-After} (whole seconds). */
    public static HttpResponse of(Throwable error) {
        Status status = ErrorMapping.toStatus(error);
        if (ErrorMapping.unwrap(error) instanceof RetryLaterException later) {
            long seconds = Math.max(1, (later.retryAfter().toMillis() + 999) / 1000);
            return of(ErrorMapping.httpStatus(status.getCode()), status.getCode().name(), status.getDescription(),
                    seconds);
        }
        return of(status);
    }

    /** The response for a gRPC status. */
    public static HttpResponse of(Status status) {
        return of(ErrorMapping.httpStatus(status.getCode()), status.getCode().name(), status.getDescription());
    }

    /**
     * The response for a status from REST/JSON transcoding. Its description comes from the
     * {@code grpc-message} trailer, percent-encoded as gRPC requires ({@code %0A}, {@code %C3%A9}):
     * decoded here. A status without a description still gets a sentence.
     */
    public static HttpResponse ofTranscoded(Status status) {
        String message = status.getDescription() == null ? "" : unescape(status.getDescription());
        if (message.isBlank()) {
            message = status.getCode() == Status.Code.INVALID_ARGUMENT
                      ? "bad request: the body does not match the request message; see docs/api.md"
                      : "the gateway answered " + status.getCode();
        }
        return of(ErrorMapping.httpStatus(status.getCode()), status.getCode().name(), message);
    }

    /** Decodes a grpc-message value: {@code %XX} escapes of UTF-8 bytes; other text as is. */
    static String unescape(String value) {
        if (value.indexOf('%') < 0) {
            return value;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(value.length());
        byte[] raw = value.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < raw.length; i++) {
            if (raw[i] == '%' && i + 2 < raw.length && hex(raw[i + 1]) >= 0 && hex(raw[i + 2]) >= 0) {
                bytes.write(hex(raw[i + 1]) * 16 + hex(raw[i + 2]));
                i += 2;
            } else {
                bytes.write(raw[i]);
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static int hex(byte b) {
        return Character.digit((char) b, 16);
    }

    /** A JSON error with an explicit HTTP status; a 401 carries the {@code WWW-Authenticate: Bearer} challenge. */
    public static HttpResponse of(HttpStatus httpStatus, String code, String message) {
        return of(httpStatus, code, message, 0);
    }

    private static HttpResponse of(HttpStatus httpStatus, String code, String message, long retryAfterSeconds) {
        String body = "{\"code\":" + quote(code) + ",\"message\":" + quote(message == null ? "" : message) + "}";
        ResponseHeadersBuilder headers = ResponseHeaders.builder(httpStatus).contentType(MediaType.JSON_UTF_8);
        if (httpStatus.equals(HttpStatus.UNAUTHORIZED)) {
            headers.set(HttpHeaderNames.WWW_AUTHENTICATE, Authenticator.BEARER + " realm=\"dcf\"");
        }
        if (retryAfterSeconds > 0) {
            headers.set(HttpHeaderNames.RETRY_AFTER, Long.toString(retryAfterSeconds));
        }
        return HttpResponse.of(headers.build(), HttpData.ofUtf8(body));
    }

    static String quote(String s) {
        StringBuilder out = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
