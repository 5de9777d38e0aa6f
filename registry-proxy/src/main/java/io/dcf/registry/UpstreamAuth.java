package io.dcf.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.QueryParams;
import com.linecorp.armeria.common.QueryParamsBuilder;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.common.ResponseHeaders;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers the upstream's challenges with the configured credentials, so nodes need none: Basic,
 * or a Bearer token fetched from the challenge's realm (per scope, kept until shortly before it
 * expires). The challenge is learned from a {@code GET /v2/} before the first request, so even a
 * streamed upload is sent authorized. Credentials and tokens are never logged.
 */
final class UpstreamAuth {

    private static final Logger log = LoggerFactory.getLogger(UpstreamAuth.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final RegistryCredentials credentials;
    private final WebClient upstream;
    private final WebClient realms;
    private final Clock clock;
    private final ConcurrentMap<String, Token> tokens = new ConcurrentHashMap<>();
    private volatile Challenge challenge;

    UpstreamAuth(RegistryCredentials credentials, WebClient upstream, WebClient realms, Clock clock) {
        this.credentials = credentials;
        this.upstream = upstream;
        this.realms = realms;
        this.clock = clock;
    }

    /** The {@code Authorization} value for a request needing {@code scope}, or empty when the upstream asks for none. */
    CompletableFuture<Optional<String>> header(String scope) {
        Challenge known = challenge;
        if (known == null) {
            return upstream.execute(RequestHeaders.of(HttpMethod.GET, "/v2/")).aggregate()
                    .thenCompose(ping -> {
                        learn(ping.headers());
                        return header(scope);
                    });
        }
        if (known.isBasic()) {
            return CompletableFuture.completedFuture(Optional.of(credentials.basic()));
        }
        if (!known.isBearer()) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        String key = scope.isEmpty() ? known.param("scope") : scope;
        Token token = tokens.get(key);
        if (token != null && token.expires.isAfter(clock.instant().plusSeconds(10))) {
            return CompletableFuture.completedFuture(Optional.of("Bearer " + token.value));
        }
        return fetch(known, key).thenApply(t -> Optional.of("Bearer " + t.value));
    }

    /** After a 401: learns the challenge it carries, forgets the token of {@code scope}, and authorizes again. */
    CompletableFuture<Optional<String>> retry(ResponseHeaders unauthorized, String scope) {
        learn(unauthorized);
        tokens.remove(scope.isEmpty() ? challenge.param("scope") : scope);
        return header(scope);
    }

    private void learn(ResponseHeaders headers) {
        Challenge seen = headers.status() == HttpStatus.UNAUTHORIZED
                ? Challenge.parse(headers.get(HttpHeaderNames.WWW_AUTHENTICATE)) : Challenge.NONE;
        if (!seen.equals(challenge)) {
            log.info("Upstream authentication: {}", seen.scheme());
        }
        challenge = seen;
    }

    private CompletableFuture<Token> fetch(Challenge bearer, String scope) {
        String realm = bearer.param("realm");
        if (realm.isEmpty()) {
            return CompletableFuture.failedFuture(new UpstreamAuthException("the upstream's Bearer challenge has no realm"));
        }
        QueryParamsBuilder query = QueryParams.builder().add("service", bearer.param("service"));
        for (String one : scope.split(" ")) {
            if (!one.isEmpty()) {
                query.add("scope", one);
            }
        }
        String url = realm + (realm.contains("?") ? "&" : "?") + query.build().toQueryString();
        RequestHeaders request = RequestHeaders.builder(HttpMethod.GET, url)
                .set(HttpHeaderNames.AUTHORIZATION, credentials.basic())
                .build();
        return realms.execute(request).aggregate().thenApply(response -> {
            Token token = parse(realm, response);
            tokens.put(scope, token);
            return token;
        });
    }

    private Token parse(String realm, AggregatedHttpResponse response) {
        if (response.status() != HttpStatus.OK) {
            throw new CompletionException(new UpstreamAuthException(
                    "the token realm " + realm + " answered " + response.status() + " for user " + credentials.username()));
        }
        try {
            JsonNode body = JSON.readTree(response.contentUtf8());
            String value = body.path("token").asText(body.path("access_token").asText(""));
            if (value.isEmpty()) {
                throw new CompletionException(new UpstreamAuthException("the token realm " + realm + " gave no token"));
            }
            long seconds = Math.max(body.path("expires_in").asLong(60), 20);
            return new Token(value, clock.instant().plusSeconds(seconds));
        } catch (IOException e) {
            throw new CompletionException(new UpstreamAuthException("the token realm " + realm + " did not answer JSON"));
        }
    }

    private record Token(String value, Instant expires) {
        @Override
        public String toString() {
            return "Token[expires=" + expires + "]";
        }
    }

    /** The upstream's credentials were refused or its token realm failed; the message carries no secret. */
    static final class UpstreamAuthException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UpstreamAuthException(String message) {
            super(message, null, false, false);
        }
    }
}
