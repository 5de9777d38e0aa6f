package io.dcf.sdk;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/** One call's output. Immutable; {@link #withHeader} returns a copy. */
public final class Response {

    private static final byte[] EMPTY = new byte[0];

    private final byte[] output;
    private final String contentType;
    private final Map<String, String> headers;

    private Response(byte[] output, String contentType, Map<String, String> headers) {
        this.output = requireNonNull(output, "output");
        this.contentType = requireNonNull(contentType, "contentType");
        this.headers = Map.copyOf(headers);
    }

    /** Raw bytes; the caller sees the request's content type. The array is not copied. */
    public static Response of(byte[] output) {
        return new Response(output, "", Map.of());
    }

    /** Raw bytes with a media type, for example {@code image/jpeg}. The array is not copied. */
    public static Response of(byte[] output, String contentType) {
        return new Response(output, contentType, Map.of());
    }

    /** UTF-8 text, {@code text/plain; charset=utf-8}. */
    public static Response text(String text) {
        return new Response(text.getBytes(StandardCharsets.UTF_8), "text/plain; charset=utf-8", Map.of());
    }

    /** A JSON document given as text, {@code application/json}. */
    public static Response json(String json) {
        return new Response(json.getBytes(StandardCharsets.UTF_8), "application/json", Map.of());
    }

    /** No content. */
    public static Response empty() {
        return new Response(EMPTY, "", Map.of());
    }

    /** A copy with one more response header (HTTP header or gRPC metadata). */
    public Response withHeader(String name, String value) {
        Map<String, String> copy = new HashMap<>(headers);
        copy.put(requireNonNull(name, "name").toLowerCase(Locale.ROOT), requireNonNull(value, "value"));
        return new Response(output, contentType, copy);
    }

    /** The output bytes. The array is not copied: do not modify it. */
    public byte[] output() {
        return output;
    }

    /** The output's media type; empty means "same as the request". */
    public String contentType() {
        return contentType;
    }

    /** Extra response headers; keys are lower case. */
    public Map<String, String> headers() {
        return headers;
    }

    @Override
    public String toString() {
        return "Response{contentType=" + contentType + ", bytes=" + output.length + '}';
    }
}
