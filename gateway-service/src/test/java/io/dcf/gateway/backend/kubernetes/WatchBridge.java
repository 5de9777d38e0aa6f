package io.dcf.gateway.backend.kubernetes;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import java.net.URI;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A proxy in front of fabric8's mock API server: the mock serves watches only as
 * WebSockets (what fabric8's client uses), client-java watches over chunked HTTP as real
 * API servers serve them. Plain requests pass through; a {@code watch=true} request is
 * answered as a chunked HTTP stream, one event per line, read from a WebSocket watch of
 * the mock. {@link #dropWatches} ends every open watch, as an API server does when it
 * restarts or a watch times out.
 */
final class WatchBridge implements AutoCloseable {

    private static final Set<String> HOP_HEADERS = Set.of("host", "content-length", "transfer-encoding", "connection",
            "upgrade", "keep-alive");

    private final Vertx vertx = Vertx.vertx();
    private final HttpClient client;
    private final WebSocketClient webSockets;
    private final HttpServer server;
    private final String mockHost;
    private final int mockPort;
    private final Set<Runnable> watches = ConcurrentHashMap.newKeySet();

    WatchBridge(String mockUrl) throws Exception {
        URI mock = URI.create(mockUrl);
        this.mockHost = mock.getHost();
        this.mockPort = mock.getPort();
        // every request of every backend under test passes here: more than vert.x's default of 5 connections
        this.client = vertx.createHttpClient(new HttpClientOptions(), new PoolOptions().setHttp1MaxSize(64));
        this.webSockets = vertx.createWebSocketClient();
        this.server = vertx.createHttpServer().requestHandler(this::handle).listen(0, "127.0.0.1")
                .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    String url() {
        return "http://127.0.0.1:" + server.actualPort();
    }

    /** Watches open now. */
    int openWatches() {
        return watches.size();
    }

    /** Ends every open watch stream. */
    void dropWatches() {
        watches.forEach(Runnable::run);
    }

    @Override
    public void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    private void handle(HttpServerRequest request) {
        String query = request.query();
        if (query != null && Arrays.asList(query.split("&")).contains("watch=true")) {
            watch(request);
            return;
        }
        request.body().onSuccess(body -> {
            RequestOptions options = new RequestOptions().setMethod(request.method()).setHost(mockHost)
                    .setPort(mockPort).setURI(request.uri());
            client.request(options).compose(out -> {
                request.headers().forEach(h -> {
                    if (!HOP_HEADERS.contains(h.getKey().toLowerCase())) {
                        out.putHeader(h.getKey(), h.getValue());
                    }
                });
                return out.send(body);
            }).compose(answer -> answer.body().map(content -> {
                HttpServerResponse response = request.response().setStatusCode(answer.statusCode());
                answer.headers().forEach(h -> {
                    if (!HOP_HEADERS.contains(h.getKey().toLowerCase())) {
                        response.putHeader(h.getKey(), h.getValue());
                    }
                });
                response.end(content);
                return content;
            })).onFailure(e -> request.response().setStatusCode(502).end(e.toString()));
        });
    }

    private void watch(HttpServerRequest request) {
        WebSocketConnectOptions options = new WebSocketConnectOptions().setHost(mockHost).setPort(mockPort)
                .setURI(request.uri());
        webSockets.connect(options).onSuccess((WebSocket ws) -> {
            HttpServerResponse response = request.response().setChunked(true).setStatusCode(200)
                    .putHeader("Content-Type", "application/json");
            response.write("");
            Runnable end = new Runnable() {
                @Override
                public void run() {
                    watches.remove(this);
                    if (!response.ended() && !response.closed()) {
                        response.end();
                    }
                    if (!ws.isClosed()) {
                        ws.close();
                    }
                }
            };
            watches.add(end);
            ws.textMessageHandler(event -> {
                if (!response.ended() && !response.closed()) {
                    response.write(event + "\n");
                }
            });
            ws.closeHandler(v -> vertx.runOnContext(x -> end.run()));
            response.closeHandler(v -> end.run());
        }).onFailure(e -> request.response().setStatusCode(500).end(e.toString()));
    }
}
