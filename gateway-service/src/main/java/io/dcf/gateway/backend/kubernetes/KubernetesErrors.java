package io.dcf.gateway.backend.kubernetes;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.dcf.gateway.error.DcfException;
import io.grpc.Status;
import io.kubernetes.client.openapi.ApiException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.util.Map;

/**
 * The one place where Kubernetes API errors become the gateway's errors: the HTTP status
 * of the API server's answer picks the gRPC code (by {@link #code}), and the message names
 * the object and says what the API server said (the {@code message} of its Status object),
 * never a stack trace.
 */
final class KubernetesErrors {

    /** The API server's HTTP status to the gateway's code; anything else is INTERNAL. */
    private static final Map<Integer, Status.Code> CODES = Map.ofEntries(
            Map.entry(400, Status.Code.INVALID_ARGUMENT),
            Map.entry(401, Status.Code.UNAVAILABLE), // the gateway's own credentials: nothing a caller can fix
            Map.entry(403, Status.Code.PERMISSION_DENIED),
            Map.entry(404, Status.Code.NOT_FOUND),
            Map.entry(409, Status.Code.ABORTED), // a conflicting write; AlreadyExists is told apart below
            Map.entry(410, Status.Code.ABORTED),
            Map.entry(422, Status.Code.INVALID_ARGUMENT),
            Map.entry(429, Status.Code.UNAVAILABLE),
            Map.entry(500, Status.Code.UNAVAILABLE),
            Map.entry(502, Status.Code.UNAVAILABLE),
            Map.entry(503, Status.Code.UNAVAILABLE),
            Map.entry(504, Status.Code.DEADLINE_EXCEEDED));

    /** One API request that may fail with an {@link ApiException}. */
    @FunctionalInterface
    interface ApiCall<T> {
        T call() throws ApiException;
    }

    private KubernetesErrors() {
    }

    /** Runs {@code call}, turning its failure into a {@link DcfException} about {@code kind namespace/name}. */
    static <T> T call(String verb, String kind, String namespace, String name, ApiCall<T> call) {
        try {
            return call.call();
        } catch (ApiException e) {
            throw map(e, verb, kind, namespace, name);
        }
    }

    /**
     * Sends a request whose answer is not needed as an object (deletes and patches, whose
     * answer's kind varies): its HTTP status when 2xx or 404, else the mapped error.
     */
    static int send(String verb, String kind, String namespace, String name, okhttp3.Call call) {
        try (okhttp3.Response response = call.execute()) {
            int code = response.code();
            if (response.isSuccessful() || code == 404) {
                return code;
            }
            String body = response.body() == null ? "" : response.body().string();
            throw map(new ApiException(response.message(), null, code, response.headers().toMultimap(), body), verb,
                    kind, namespace, name);
        } catch (java.io.IOException e) {
            throw map(new ApiException(e), verb, kind, namespace, name);
        }
    }

    /**
     * The gRPC code for the API server's HTTP status (0: no answer at all). A 409 is
     * ALREADY_EXISTS for a create (the name is taken; the API server's reason says
     * AlreadyExists) and ABORTED otherwise (someone changed the object meanwhile).
     */
    static Status.Code code(int httpStatus, String reason, String verb) {
        if (httpStatus == 409 && ("AlreadyExists".equals(reason) || "create".equals(verb))) {
            return Status.Code.ALREADY_EXISTS;
        }
        if (httpStatus == 0) {
            return Status.Code.UNAVAILABLE;
        }
        if (httpStatus >= 500 && !CODES.containsKey(httpStatus)) {
            return Status.Code.UNAVAILABLE;
        }
        return CODES.getOrDefault(httpStatus, Status.Code.INTERNAL);
    }

    /** E.g. "cannot create Deployment dcf-fn/echo: deployments.apps "echo" already exists (HTTP 409)". */
    static DcfException map(ApiException e, String verb, String kind, String namespace, String name) {
        String object = kind + ' ' + namespace + (name.isEmpty() ? "" : "/" + name);
        if (e.getCode() == 0) {
            return new DcfException(Status.Code.UNAVAILABLE, "cannot " + verb + ' ' + object
                    + ": the Kubernetes API server did not answer (" + noAnswer(e) + ")", e);
        }
        JsonObject status = statusObject(e.getResponseBody());
        String said = text(status, "message");
        String reason = text(status, "reason");
        if (said.isEmpty()) {
            said = e.getMessage() == null || e.getMessage().isBlank() ? "no message" : e.getMessage();
        }
        return new DcfException(code(e.getCode(), reason, verb), "cannot " + verb + ' ' + object + ": " + said
                + " (HTTP " + e.getCode() + (reason.isEmpty() ? "" : ", " + reason) + ")", e);
    }

    /** Whether {@code e} is the API server's 404. */
    static boolean notFound(ApiException e) {
        return e.getCode() == 404;
    }

    private static String noAnswer(ApiException e) {
        Throwable cause = e.getCause();
        if (cause instanceof ConnectException) {
            return "connection refused";
        }
        if (cause instanceof InterruptedIOException) {
            return "no answer within the request timeout, dcf.gateway.kubernetes.request-timeout";
        }
        return cause == null ? "no response" : cause.getClass().getSimpleName();
    }

    private static JsonObject statusObject(String body) {
        if (body == null || body.isBlank()) {
            return new JsonObject();
        }
        try {
            JsonElement json = JsonParser.parseString(body);
            return json.isJsonObject() ? json.getAsJsonObject() : new JsonObject();
        } catch (RuntimeException notJson) {
            return new JsonObject();
        }
    }

    private static String text(JsonObject status, String field) {
        JsonElement value = status.get(field);
        return value != null && value.isJsonPrimitive() ? value.getAsString() : "";
    }
}
