package io.dcf.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.dcf.proto.v1.CallRequest;
import io.dcf.proto.v1.GetRequest;
import io.dcf.proto.v1.WatcherGrpc;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Local isolation of replicas (issue 6, section 3): a clean environment, their own working
 * directory, read-only code, an unprivileged user when the gateway is root, and a secret
 * that keeps other local processes from calling a replica around the gateway. The home
 * lives in a directory others cannot search (like ~/.dcf under /root): a root gateway still
 * starts replicas as nobody, each in a mount namespace that shows only its own function.
 */
class IsolationIT {

    /** Prints who the replica is, or tries to write the file named after "write:". */
    private static final String PROBE = """
                @Override
                public Response handle(Request req) throws Exception {
                    String in = req.text();
                    if (in.startsWith("list:")) {
                        try (var names = java.nio.file.Files.list(java.nio.file.Path.of(in.substring(5)))) {
                            return Response.text(String.join(",", names.map(p -> p.getFileName().toString()).sorted()
                                    .toList()));
                        }
                    }
                    if (in.startsWith("read:")) {
                        try {
                            return Response.text(java.nio.file.Files.readString(java.nio.file.Path.of(in.substring(5))));
                        } catch (java.io.IOException e) {
                            return Response.text("denied " + e.getClass().getSimpleName());
                        }
                    }
                    if (in.startsWith("write:")) {
                        try {
                            java.nio.file.Files.writeString(java.nio.file.Path.of(in.substring(6)), "overwritten");
                            return Response.text("wrote");
                        } catch (java.io.IOException e) {
                            return Response.text("denied " + e.getClass().getSimpleName());
                        }
                    }
                    String uid = java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/status")).stream()
                            .filter(l -> l.startsWith("Uid:")).findFirst().orElse("Uid: ?").split("\\\\s+")[1];
                    return Response.text("uid=" + uid + "\\ncwd=" + System.getProperty("user.dir")
                            + "\\nhome=" + System.getenv("HOME")
                            + "\\nenv=" + String.join(",", new java.util.TreeSet<>(System.getenv().keySet())));
                }
            """;

    private static Path base;
    private static TestGateway gw;

    @BeforeAll
    static void start() throws IOException {
        base = Files.createTempDirectory(Path.of("/tmp"), "dcf-isolation-");
        Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path priv = Files.createDirectory(base.resolve("private"));
        Files.setPosixFilePermissions(priv, PosixFilePermissions.fromString("rwx------"));
        // the watcher jar where nobody can read it, whatever the checkout's permissions
        Path jar = Files.copy(TestGateway.WATCHER_JAR, base.resolve("dcf-watcher.jar"));
        Files.setPosixFilePermissions(jar, PosixFilePermissions.fromString("rw-r--r--"));
        gw = TestGateway.start(priv.resolve("home"), jar);
        Path src = Files.createDirectories(base.resolve("src"));
        gw.deployJava("victim", TestGateway.EXAMPLES.resolve("hello-java"));
        gw.deployJava("probe", TestGateway.javaFunction(src, "probe", PROBE));
    }

    @AfterAll
    static void stop() throws IOException {
        if (gw != null) {
            gw.close();
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

    private static String answer(String input) {
        return new String(gw.post("/function/probe", input.getBytes(StandardCharsets.UTF_8), "text/plain").body(),
                StandardCharsets.UTF_8);
    }

    /**
     * Replica 0's own directory: {@code functions/<function>/run/replica-0} when it started cold,
     * its {@code pool/pool-java-<n>} when it took a process of the warm pool (its log says which).
     */
    private static Path workDir(String function) throws IOException {
        Path home = base.resolve("private/home");
        String log = Files.readString(home.resolve("functions").resolve(function).resolve("logs/replica-0.log"));
        Matcher pooled = Pattern.compile("starting from the warm pool \\((pool-java-\\d+) ").matcher(log);
        return pooled.find() ? home.resolve("pool").resolve(pooled.group(1))
                : home.resolve("functions").resolve(function).resolve("run/replica-0");
    }

    private static Map<String, String> whoami() {
        String text = new String(gw.post("/function/probe", "whoami".getBytes(StandardCharsets.UTF_8), "text/plain")
                .body(), StandardCharsets.UTF_8);
        return Arrays.stream(text.split("\n")).map(l -> l.split("=", 2))
                .collect(Collectors.toMap(kv -> kv[0], kv -> kv.length > 1 ? kv[1] : ""));
    }

    @Test
    void replica_seesOnlyItsOwnEnvironment_andWorksInItsOwnDirectory() throws IOException {
        Map<String, String> me = whoami();

        Path workDir = workDir("probe");
        assertThat(me.get("cwd")).isEqualTo(workDir.toString());
        assertThat(me.get("home")).isEqualTo(workDir.toString());
        Set<String> allowed = Set.of("PATH", "LANG", "LC_ALL", "LC_CTYPE", "TZ", "HOME", "TMPDIR");
        assertThat(me.get("env").split(","))
                .as("the gateway's own variables (JAVA_HOME, MAVEN_*, USER...) stay out")
                .allMatch(k -> allowed.contains(k) || k.startsWith("DCF_"), "PATH, locale, HOME, TMPDIR or DCF_*")
                .doesNotContain("DCF_REPLICA_SECRET");
    }

    @Test
    void replica_cannotRewriteAnotherFunctionsCode_norItsOwn() throws IOException {
        List<Path> victimCode;
        try (Stream<Path> walk = Files.walk(base.resolve("private/home/functions/victim/gen-1"))) {
            victimCode = walk.filter(Files::isRegularFile).toList();
        }
        Path ownSource;
        try (Stream<Path> walk = Files.walk(base.resolve("private/home/functions/probe/gen-1"))) {
            ownSource = walk.filter(p -> p.getFileName().toString().endsWith(".java")).findFirst().orElseThrow();
        }
        assertThat(victimCode).isNotEmpty();
        byte[] before = Files.readAllBytes(victimCode.get(0));

        for (Path target : List.of(victimCode.get(0), ownSource)) {
            String answer = new String(gw.post("/function/probe", ("write:" + target).getBytes(StandardCharsets.UTF_8),
                    "text/plain").body(), StandardCharsets.UTF_8);
            assertThat(answer).as(target.toString()).startsWith("denied");
        }
        assertThat(Files.readAllBytes(victimCode.get(0))).isEqualTo(before);
    }

    @Test
    void rootGateway_runsReplicasAsNobody() throws IOException {
        long gatewayUid = ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).longValue();

        String replicaUid = whoami().get("uid");

        if (gatewayUid == 0) {
            assertThat(replicaUid).isEqualTo("65534");
            // its mount namespace shows the home (behind a 0700 directory) with only its own function in it, or,
            // when it was taken from the warm pool, only its own pool directory (where its code is linked)
            String top = answer("list:" + base.resolve("private/home"));
            assertThat(top).isIn("functions", "pool");
            assertThat(answer("list:" + base.resolve("private/home").resolve(top))).matches("probe|pool-java-\\d+");
            assertThat(answer("read:" + base.resolve("private/home/token"))).startsWith("denied NoSuchFileException");
            assertThat(Files.exists(base.resolve("private/home/token"))).isTrue();
        } else {
            assertThat(replicaUid).isEqualTo(Long.toString(gatewayUid)); // a user cannot become another
        }
    }

    @Test
    void anotherLocalProcess_cannotCallAReplicaAroundTheGateway() throws Exception {
        String endpoint = gw.grpc().get(GetRequest.newBuilder().setName("victim").build())
                .getReplicaStatuses(0).getEndpoint();
        String[] hostPort = endpoint.split(":");
        ManagedChannel direct = NettyChannelBuilder.forAddress(hostPort[0], Integer.parseInt(hostPort[1]))
                .usePlaintext().build();
        try {
            StatusRuntimeException refused = catchThrowableOfType(() -> WatcherGrpc.newBlockingStub(direct)
                    .withDeadlineAfter(30, TimeUnit.SECONDS)
                    .call(CallRequest.newBuilder().setInput(TestGateway.bytes("around")).build()),
                    StatusRuntimeException.class);

            assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
        } finally {
            direct.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        assertThat(gw.post("/function/victim", "through".getBytes(StandardCharsets.UTF_8), "text/plain").body())
                .asString(StandardCharsets.UTF_8).isEqualTo("through");
    }
}
