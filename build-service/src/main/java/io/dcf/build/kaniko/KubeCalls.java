package io.dcf.build.kaniko;

import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import io.dcf.build.BuildFailedException;
import io.kubernetes.client.openapi.ApiException;
import java.io.IOException;
import okhttp3.Call;
import okhttp3.Response;

/**
 * Kubernetes API requests of a build: a failure becomes a {@link BuildFailedException} that
 * says what was being done to which object and what the API server said (the message of its
 * Status object, and the HTTP status), never a stack trace.
 */
final class KubeCalls {

    /** One API request. */
    @FunctionalInterface
    interface ApiCall<T> {
        T call() throws ApiException;
    }

    private KubeCalls() {
    }

    static <T> T call(String what, ApiCall<T> call) {
        try {
            return call.call();
        } catch (ApiException e) {
            throw new BuildFailedException("cannot " + what + ": " + describe(e), e);
        }
    }

    /**
     * Sends {@code call} (a delete: its answer's kind varies) and returns its HTTP status;
     * 404 counts as done.
     */
    static int send(String what, Call call) {
        try (Response response = call.execute()) {
            if (!response.isSuccessful() && response.code() != 404) {
                String body = response.body() == null ? "" : response.body().string();
                throw new BuildFailedException("cannot " + what + ": " + describe(new ApiException(response.message(),
                        response.code(), response.headers().toMultimap(), body)));
            }
            return response.code();
        } catch (IOException e) {
            throw new BuildFailedException("cannot " + what + ": no answer from the Kubernetes API: " + e.getMessage(), e);
        }
    }

    /** What the API server said: its Status message and the HTTP status, or why there was no answer. */
    static String describe(ApiException e) {
        if (e.getCode() == 0) {
            return "no answer from the Kubernetes API: "
                    + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage());
        }
        String message = statusMessage(e.getResponseBody());
        return (message != null ? message : e.getMessage()) + " (HTTP " + e.getCode() + ")";
    }

    private static String statusMessage(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try {
            JsonElement json = JsonParser.parseString(body);
            if (json.isJsonObject() && json.getAsJsonObject().has("message")) {
                return json.getAsJsonObject().get("message").getAsString();
            }
        } catch (RuntimeException e) {
            // not a Status object: the body is the message
        }
        return body.length() > 300 ? body.substring(0, 300) + "..." : body.strip();
    }
}
