package io.dcf.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A gateway that is not root (this test's user, or nobody when the test runs as root) keeps
 * DCF_HOME out of its replicas' view where the system allows unprivileged user namespaces: a
 * replica sees only its own function there, not the token, the logs or other functions.
 */
class NonRootIsolationIT {

    private static final String PROBE = """
                @Override
                public Response handle(Request req) throws Exception {
                    java.nio.file.Path p = java.nio.file.Path.of(req.text());
                    if (java.nio.file.Files.isDirectory(p)) {
                        try (var names = java.nio.file.Files.list(p)) {
                            return Response.text(String.join(",", names.map(n -> n.getFileName().toString()).sorted()
                                    .toList()));
                        }
                    }
                    try {
                        return Response.text(java.nio.file.Files.readString(p));
                    } catch (java.io.IOException e) {
                        return Response.text("denied " + e.getClass().getSimpleName());
                    }
                }
            """;

    private static Path base;
    private static Process gateway;
    private static int port;
    private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() throws Exception {
        boolean root = ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).longValue() == 0;
        base = Files.createTempDirectory(Path.of("/tmp"), "dcf-nonroot-");
        Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path home = Files.createDirectory(base.resolve("home"));
        Path jar = Files.copy(TestGateway.GATEWAY_JAR, base.resolve("dcf-gateway.jar"));
        Path lib = Files.createDirectory(base.resolve("lib")); // the jar's Class-Path
        try (Stream<Path> jars = Files.list(TestGateway.GATEWAY_JAR.resolveSibling("lib"))) {
            for (Path j : jars.toList()) {
                Files.setPosixFilePermissions(Files.copy(j, lib.resolve(j.getFileName())),
                        PosixFilePermissions.fromString("rw-r--r--"));
            }
        }
        Files.setPosixFilePermissions(lib, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path watcher = Files.copy(TestGateway.WATCHER_JAR, base.resolve("dcf-watcher.jar"));
        Path src = TestGateway.javaFunction(base, "probe", PROBE);
        for (Path p : List.of(jar, watcher, src.resolve("Handler.java"))) {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-r--r--"));
        }
        Files.setPosixFilePermissions(src, PosixFilePermissions.fromString("rwxr-xr-x"));
        List<String> command = new ArrayList<>();
        if (root) {
            Files.setAttribute(home, "unix:uid", 65534);
            Files.setAttribute(home, "unix:gid", 65534);
            command.addAll(List.of("/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--"));
        }
        command.addAll(TestGateway.processCommand(jar, home, watcher, base));
        gateway = new ProcessBuilder(command).directory(base.toFile()).redirectErrorStream(true)
                .redirectOutput(base.resolve("gateway.out").toFile()).start();
        await().atMost(Duration.ofSeconds(120)).ignoreExceptions().until(() -> !gateway.isAlive() || TestGateway.publishedPort(home) > 0);
        assertThat(gateway.isAlive()).as(Files.readString(base.resolve("gateway.out"))).isTrue();
        port = TestGateway.publishedPort(home);
        String token = Files.readString(home.resolve("token")).strip();
        HttpResponse<String> deployed = http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/system/functions"))
                .timeout(Duration.ofSeconds(120))
                .header("authorization", "Bearer " + token).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"spec\":{\"name\":\"probe\",\"runtime\":\"java\","
                        + "\"handler\":{\"name\":\"Handler\"}},\"artifact\":{\"localPath\":\"" + src + "\"}}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(deployed.statusCode()).as(deployed.body()).isEqualTo(200);
    }

    @AfterAll
    static void stop() throws IOException, InterruptedException {
        if (gateway != null) {
            gateway.destroy();
            if (!gateway.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
                gateway.descendants().forEach(ProcessHandle::destroyForcibly);
                gateway.destroyForcibly();
            }
        }
        if (base != null) {
            try (Stream<Path> walk = Files.walk(base)) {
                for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                    p.toFile().setWritable(true);
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    private static String ask(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/function/probe"))
                .timeout(Duration.ofSeconds(60)).POST(HttpRequest.BodyPublishers.ofString(path)).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8)).body();
    }

    @Test
    void replica_seesOnlyItsOwnFunctionInTheHome_notTheTokenLogsOrPidFile() throws Exception {
        Path home = base.resolve("home");

        // A replica sees one directory of the home: its function's, or, when it was taken from the warm
        // pool, its own pool directory (where its code is linked); never another function's or pool process's.
        String top = ask(home.toString());
        assertThat(top).isIn("functions", "pool");
        assertThat(ask(home.resolve(top).toString())).matches("probe|pool-java-\\d+");
        assertThat(ask(home.resolve("token").toString())).startsWith("denied NoSuchFileException");
        assertThat(Files.exists(home.resolve("token"))).isTrue();
        assertThat(Files.readString(base.resolve("gateway.out")))
                .contains("in user and mount namespaces where " + home + " holds only its own function");
    }
}
