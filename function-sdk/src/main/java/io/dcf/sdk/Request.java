package io.dcf.sdk;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** One call's input: the raw payload and what the caller said about it. */
public final class Request {

    private final byte[] input;
    private final String contentType;
    private final Map<String, String> headers;
    private final String path;
    private final String method;
    private final String function;

    private Request(Builder builder) {
        this.input = builder.input;
        this.contentType = builder.contentType;
        this.headers = Map.copyOf(builder.headers);
        this.path = builder.path;
        this.method = builder.method;
        this.function = builder.function;
    }

    /** A request carrying {@code input} and nothing else; handy in tests. */
    public static Request of(byte[] input) {
        return builder().input(input).build();
    }

    /** A request carrying {@code text} encoded as UTF-8. */
    public static Request ofText(String text) {
        return builder().input(text.getBytes(StandardCharsets.UTF_8))
                .contentType("text/plain; charset=utf-8").build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The payload exactly as the caller sent it. The array is not copied: do not modify it. */
    public byte[] input() {
        return input;
    }

    /** The payload decoded as UTF-8 (invalid sequences become U+FFFD). */
    public String text() {
        return new String(input, StandardCharsets.UTF_8);
    }

    /** The payload's media type, for example {@code application/json}; empty when unknown. */
    public String contentType() {
        return contentType;
    }

    /** The caller's metadata (HTTP headers or gRPC metadata); keys are lower case. */
    public Map<String, String> headers() {
        return headers;
    }

    /** One header by name (any case), or {@code null}. */
    public String header(String name) {
        return headers.get(name.toLowerCase(Locale.ROOT));
    }

    /** The HTTP path after {@code /function/<name>}, starting with {@code /}; empty for gRPC. */
    public String path() {
        return path;
    }

    /** The HTTP method, or empty for gRPC calls. */
    public String method() {
        return method;
    }

    /** The name of the function being called. */
    public String function() {
        return function;
    }

    @Override
    public String toString() {
        return "Request{function=" + function + ", contentType=" + contentType + ", bytes=" + input.length + '}';
    }

    /** Builds a {@link Request}; the runtime uses it, and so can tests. */
    public static final class Builder {
        private byte[] input = new byte[0];
        private String contentType = "";
        private final Map<String, String> headers = new TreeMap<>();
        private String path = "";
        private String method = "";
        private String function = "";

        private Builder() {
        }

        public Builder input(byte[] input) {
            this.input = requireNonNull(input, "input");
            return this;
        }

        public Builder contentType(String contentType) {
            this.contentType = requireNonNull(contentType, "contentType");
            return this;
        }

        public Builder header(String name, String value) {
            headers.put(requireNonNull(name, "name").toLowerCase(Locale.ROOT), requireNonNull(value, "value"));
            return this;
        }

        public Builder headers(Map<String, String> headers) {
            requireNonNull(headers, "headers").forEach(this::header);
            return this;
        }

        public Builder path(String path) {
            this.path = requireNonNull(path, "path");
            return this;
        }

        public Builder method(String method) {
            this.method = requireNonNull(method, "method");
            return this;
        }

        public Builder function(String function) {
            this.function = requireNonNull(function, "function");
            return this;
        }

        public Request build() {
            return new Request(this);
        }
    }
}
