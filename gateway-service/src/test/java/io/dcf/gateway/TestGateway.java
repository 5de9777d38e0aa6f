package io.dcf.gateway;

import com.google.protobuf.ByteString;
import com.linecorp.armeria.server.Server;
import io.dcf.proto.v1.Artifact;
import io.dcf.proto.v1.DeployRequest;
import io.dcf.proto.v1.FunctionSpec;
import io.dcf.proto.v1.FunctionStatus;
import io.dcf.proto.v1.GatewayGrpc;
import io.dcf.proto.v1.HandlerRef;
import io.dcf.proto.v1.InvokeRequest;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import io.grpc.Channel;
import io.grpc.ClientInterceptors;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** A real gateway (Spring context, Armeria on a free loopback port) on a temp DCF_HOME, plus clients. */
final class TestGateway implements AutoCloseable {

    static final Path WATCHER_JAR = Path.of(System.getProperty("dcf.test.watcher-jar",
            "../watcher-java/target/dcf-watcher.jar")).toAbsolutePath().normalize();
    static final Path EXAMPLES = Path.of(System.getProperty("dcf.test.examples-dir", "../examples"))
            .toAbsolutePath().normalize();
    static final Path RUNTIMES = Path.of(System.getProperty("dcf.test.runtimes-dir", "../runtimes"))
            .toAbsolutePath().normalize();

    /** The gateway's runnable jar, for tests that run the gateway as its own process. */
    static final Path GATEWAY_JAR = Path.of("target/dcf-gateway.jar").toAbsolutePath();

    private final ConfigurableApplicationContext context;
    final int port;
    /** The gateway's token, read from {@code <home>/token} as the CLI reads it. */
    final String token;
    private final ManagedChannel managedChannel;
    /** A channel that sends the token with every call. */
    final Channel channel;
    /** A channel that sends no token, as the seed clients do. */
    final Channel anonymous;
    final GatewayGrpc.GatewayBlockingStub gateway;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private TestGateway(ConfigurableApplicationContext context, Path home) {
        this.context = context;
        this.port = context.getBean(Server.class).activeLocalPort();
        this.token = readToken(home);
        this.managedChannel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext()
                .maxInboundMessageSize(64 << 20).build();
        this.anonymous = managedChannel;
        this.channel = withToken(managedChannel, token);
        this.gateway = GatewayGrpc.newBlockingStub(channel);
    }

    private static String readToken(Path home) {
        try {
            Path file = home.resolve("token");
            return Files.exists(file) ? Files.readString(file).strip() : null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code channel} sending {@code Authorization: Bearer <token>} (nothing when token is null). */
    static Channel withToken(Channel channel, String token) {
        if (token == null) {
            return channel;
        }
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
        return ClientInterceptors.intercept(channel, MetadataUtils.newAttachHeadersInterceptor(headers));
    }

    /**
     * The command line of a gateway process on {@code home} with a free port: this JVM's java,
     * {@code jvmOptions}, then the jar and its watcher and runtimes (before any settings the caller adds).
     */
    static List<String> processCommand(Path jar, Path home, Path watcherJar, Path runtimes, String... jvmOptions) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of(jvmOptions));
        command.addAll(List.of("-jar", jar.toString(), "--dcf.gateway.port=0", "--dcf.gateway.home=" + home,
                "--dcf.gateway.local.watcher-jar=" + watcherJar, "--dcf.gateway.local.runtimes-dir=" + runtimes));
        return command;
    }

    /** The port a gateway process on {@code home} published in {@code gateway.pid}; 0 before it serves. */
    static int publishedPort(Path home) throws IOException {
        Path pidFile = home.resolve("gateway.pid");
        if (!Files.exists(pidFile)) {
            return 0;
        }
        java.util.Properties pid = new java.util.Properties();
        try (var in = Files.newBufferedReader(pidFile)) {
            pid.load(in);
        }
        return Integer.parseInt(pid.getProperty("port", "0").strip());
    }

    static TestGateway start(Path home, String... extraArgs) {
        return start(home, WATCHER_JAR, extraArgs);
    }

    static TestGateway start(Path home, Path watcherJar, String... extraArgs) {
        List<String> args = new ArrayList<>(List.of(
                "--dcf.gateway.port=0",
                "--dcf.gateway.home=" + home,
                "--dcf.gateway.local.watcher-jar=" + watcherJar,
                "--dcf.gateway.local.runtimes-dir=" + RUNTIMES,
                "--dcf.gateway.local.restart-backoff-min=100ms",
                "--dcf.gateway.local.drain-timeout=5s"));
        for (String extra : extraArgs) { // an extra setting replaces a default one (Spring would join both)
            String key = extra.substring(0, extra.indexOf('=') + 1);
            args.removeIf(arg -> arg.startsWith(key));
            args.add(extra);
        }
        ConfigurableApplicationContext ctx = new SpringApplicationBuilder(GatewayApplication.class)
                .run(args.toArray(String[]::new));
        return new TestGateway(ctx, home);
    }

    /** The gateway's Armeria server (its route table). */
    Server server() {
        return context.getBean(Server.class);
    }

    GatewayGrpc.GatewayBlockingStub grpc() {
        return gateway.withDeadlineAfter(90, TimeUnit.SECONDS);
    }

    FunctionStatus deploy(String name, Path source, FunctionSpec.Builder spec) {
        return grpc().deploy(DeployRequest.newBuilder()
                .setSpec(spec.setName(name))
                .setArtifact(Artifact.newBuilder().setLocalPath(source.toString()))
                .build());
    }

    FunctionStatus deployJava(String name, Path source) {
        return deploy(name, source, FunctionSpec.newBuilder().setRuntime("java")
                .setHandler(HandlerRef.newBuilder().setName("Handler")));
    }

    /** A POST without a token: invocations of functions without {@code auth: token} are open. */
    HttpResponse<byte[]> post(String path, byte[] body, String contentType) {
        return send("POST", path, body, contentType, Map.of());
    }

    /** An HTTP request with the token, as {@code curl -H "Authorization: Bearer $(cat ~/.dcf/token)"} sends it. */
    HttpResponse<byte[]> send(String method, String path, byte[] body, String contentType) {
        return token == null ? send(method, path, body, contentType, Map.of())
                             : send(method, path, body, contentType, Map.of("Authorization", "Bearer " + token));
    }

    /** An HTTP request with exactly {@code headers} (no token unless given). */
    HttpResponse<byte[]> send(String method, String path, byte[] body, String contentType,
                              Map<String, String> headers) {
        HttpRequest.Builder req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(60))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                                             : HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            req.header("Content-Type", contentType);
        }
        headers.forEach(req::header);
        try {
            return http.send(req.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Sends {@code requests} on one dcf.v1 Invokes stream; returns each reply's output as text, in order. */
    List<String> invokes(List<InvokeRequest> requests) throws Exception {
        return invokesOn(channel, requests);
    }

    /** Like {@link #invokes(List)}, on {@code on} (for example {@link #anonymous}). */
    List<String> invokesOn(Channel on, List<InvokeRequest> requests) throws Exception {
        List<String> received = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> done = new CompletableFuture<>();
        StreamObserver<InvokeRequest> stream = GatewayGrpc.newStub(on)
                .withDeadlineAfter(60, TimeUnit.SECONDS)
                .invokes(GatewayIT.observer(reply -> received.add(reply.getOutput().toStringUtf8()), done));
        requests.forEach(stream::onNext);
        stream.onCompleted();
        done.get(60, TimeUnit.SECONDS);
        return received;
    }

    /** Writes a one-class Java function (a default-package {@code Handler}) into a new directory. */
    static Path javaFunction(Path parent, String dirName, String handlerBody) {
        Path dir = parent.resolve(dirName);
        String source = """
                import io.dcf.sdk.Request;
                import io.dcf.sdk.Response;

                public final class Handler implements io.dcf.sdk.Handler {
                %s
                }
                """.formatted(handlerBody);
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("Handler.java"), source);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dir;
    }

    /** Compiles the {@code *.java} files of {@code src} against function-sdk and packs the classes into a jar. */
    static Path compileToJar(Path src, Path jar) throws IOException {
        Path classes = Files.createTempDirectory(src.getParent(), "classes");
        javax.tools.JavaCompiler javac = javax.tools.ToolProvider.getSystemJavaCompiler();
        List<String> args = new ArrayList<>(List.of("-d", classes.toString(), "-classpath",
                System.getProperty("java.class.path")));
        try (var files = Files.list(src)) {
            files.filter(f -> f.toString().endsWith(".java")).forEach(f -> args.add(f.toString()));
        }
        if (javac.run(null, null, null, args.toArray(String[]::new)) != 0) {
            throw new IllegalStateException("cannot compile " + src);
        }
        try (var out = new java.util.jar.JarOutputStream(Files.newOutputStream(jar));
             var walk = Files.walk(classes)) {
            for (Path file : walk.filter(Files::isRegularFile).toList()) {
                out.putNextEntry(new java.util.jar.JarEntry(classes.relativize(file).toString()));
                out.write(Files.readAllBytes(file));
                out.closeEntry();
            }
        }
        return jar;
    }

    static ByteString bytes(String s) {
        return ByteString.copyFromUtf8(s);
    }

    @Override
    public void close() {
        managedChannel.shutdownNow();
        try {
            managedChannel.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        context.close();
    }
}
