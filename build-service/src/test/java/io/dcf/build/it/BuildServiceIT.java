package io.dcf.build.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import io.dcf.build.testing.BuilderClient;
import io.dcf.build.testing.Bundles;
import io.dcf.build.testing.TestBuildService;
import io.dcf.build.testing.Wheels;
import io.dcf.images.testing.Images;
import io.dcf.images.testing.LocalRegistry;
import io.dcf.images.testing.PushedImage;
import io.dcf.proto.v1.BuildEvent;
import io.dcf.proto.v1.BuildPhase;
import io.dcf.proto.v1.BuildStart;
import io.dcf.proto.v1.BuildStatus;
import io.dcf.proto.v1.GetBuildRequest;
import io.dcf.proto.v1.ListBuildsRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * build-service end to end on loopback: the real app (its production wiring), a real
 * docker-registry, bases made by Jib; bundles uploaded over gRPC with the token, followed
 * with Events, images read back from the registry by digest.
 */
class BuildServiceIT {

    static final Path HELLO_JAVA = Path.of("..", "examples", "hello-java");
    static final Path PYTHON_TEMPLATE = Path.of("..", "runtimes", "python", "template");

    @TempDir
    static Path tmp;
    static LocalRegistry registry;
    static TestBuildService service;
    static BuilderClient client;

    @BeforeAll
    static void start() throws Exception {
        registry = LocalRegistry.start(Files.createDirectories(tmp.resolve("registry")));
        Path base = Images.tinyBase(Files.createDirectories(tmp.resolve("base")));
        Path wheels = Files.createDirectories(tmp.resolve("wheels"));
        Wheels.pure(wheels, "dcfdemo", "1.0", "hello from a wheel");
        Wheels.sdist(wheels, "dcfnative", "1.0");
        service = TestBuildService.start(tmp.resolve("work"), Map.of(
                "dcf.build.registry", registry.host(),
                "dcf.build.jib.java-base", "tar://" + base,
                "dcf.build.jib.python-base", "tar://" + base,
                "dcf.build.jib.insecure-registries", registry.host(),
                "dcf.build.jib.python", "/usr/bin/python3",
                "dcf.build.jib.pip-args", "--no-index,--find-links=" + wheels,
                "dcf.build.bundle.max-bytes", "1MB"));
        client = new BuilderClient(service.port(), service.token());
    }

    @AfterAll
    static void stop() throws Exception {
        if (client != null) {
            client.close();
        }
        if (service != null) {
            service.close();
        }
        if (registry != null) {
            registry.close();
        }
    }

    @Test
    void build_helloJava_isPushedByDigest_withItsClassesLayer() throws Exception {
        BuildStatus queued = client.build(start("hello-java", "java", ""), Bundles.tarGzOf(HELLO_JAVA));
        assertThat(queued.getPhase()).isEqualTo(BuildPhase.BUILD_PHASE_QUEUED);
        assertThat(queued.getBuilder()).isEqualTo("jib");

        List<BuildEvent> events = client.follow(queued.getId());
        BuildStatus done = events.get(events.size() - 1).getDone();
        assertThat(done.getPhase()).as(done.getMessage()).isEqualTo(BuildPhase.BUILD_PHASE_SUCCEEDED);
        assertThat(events).extracting(BuildEvent::getPhase).containsSubsequence(BuildPhase.BUILD_PHASE_EXTRACTING,
                BuildPhase.BUILD_PHASE_QUEUED, BuildPhase.BUILD_PHASE_BUILDING, BuildPhase.BUILD_PHASE_PUSHING,
                BuildPhase.BUILD_PHASE_SUCCEEDED);
        assertThat(events).filteredOn(BuildEvent::hasProgress).extracting(e -> e.getProgress().getUnit())
                .contains("bytes", "layers");
        assertThat(done.getImage()).isEqualTo(registry.host() + "/hello-java@" + done.getDigest());

        PushedImage image = new PushedImage(registry.host(), "hello-java", done.getDigest());
        assertThat(image.layerCount()).isEqualTo(2).isEqualTo(done.getLayers()); // the base, then the classes
        assertThat(image.layer(1)).containsKey("/dcf/function/classes/Handler.class");
        assertThat(image.label("io.dcf.runtime")).isEqualTo("java");
        assertThat(image.env()).containsEntry("DCF_HANDLER_PATH", "/dcf/function/classes");
        await("work dir deleted").atMost(Duration.ofSeconds(30)).until(() -> !Files.exists(service.buildDir(done.getId())));
    }

    @Test
    void build_sameBundleTwice_andAsZip_givesTheSameDigest() throws Exception {
        BuildStatus first = client.awaitEnd(client.build(start("same", "java", "jib"), Bundles.tarGzOf(HELLO_JAVA)).getId());
        BuildStatus second = client.awaitEnd(client.build(start("same", "java", "jib").toBuilder().setTag("again").build(),
                Bundles.tarGzOf(HELLO_JAVA)).getId());
        BuildStatus zip = client.awaitEnd(client.build(start("same", "java", "jib").toBuilder().setBundleFormat("zip")
                .build(), Bundles.zipOf(HELLO_JAVA)).getId());
        assertThat(first.getPhase()).as(first.getMessage()).isEqualTo(BuildPhase.BUILD_PHASE_SUCCEEDED);
        assertThat(second.getDigest()).isEqualTo(first.getDigest());
        assertThat(zip.getDigest()).isEqualTo(first.getDigest());
    }

    @Test
    void build_compileError_failsWithTheCompilersFirstError() throws Exception {
        Path src = Images.write(tmp.resolve("broken/Handler.java"), "public final class Handler {\n  int x = \"no\";\n}\n");
        BuildStatus done = client.awaitEnd(client.build(start("broken", "java", ""), Bundles.tarGzOf(src.getParent())).getId());
        assertThat(done.getPhase()).isEqualTo(BuildPhase.BUILD_PHASE_FAILED);
        assertThat(done.getMessage()).startsWith("function broken: compilation failed: Handler.java:2: error: incompatible types");
        assertThat(client.blocking().log(GetBuildRequest.newBuilder().setId(done.getId()).build()).getLinesList())
                .anyMatch(l -> l.startsWith("Handler.java:2: error:"));
    }

    @Test
    void build_pythonTemplate_withAPureWheel_layersPackagesBelowTheFunction() throws Exception {
        Path dir = copy(PYTHON_TEMPLATE, tmp.resolve("py"));
        Files.writeString(dir.resolve("requirements.txt"), "dcfdemo==1.0\n");
        BuildStatus queued = client.build(start("hello-python", "python", ""), Bundles.tarGzOf(dir));
        assertThat(queued.getBuilder()).as("the template's own Dockerfile does not ask for kaniko").isEqualTo("jib");
        BuildStatus done = client.awaitEnd(queued.getId());
        assertThat(done.getPhase()).as(done.getMessage()).isEqualTo(BuildPhase.BUILD_PHASE_SUCCEEDED);

        PushedImage image = new PushedImage(registry.host(), "hello-python", done.getDigest());
        assertThat(image.layerCount()).isEqualTo(3).isEqualTo(done.getLayers());
        assertThat(image.layer(1)).containsKey("/dcf/packages/dcfdemo/__init__.py");
        assertThat(image.layer(2)).containsKey("/dcf/handler/handler.py").doesNotContainKey("/dcf/packages/dcfdemo/__init__.py");
        assertThat(image.env()).containsEntry("PYTHONPATH", "/dcf/packages").containsEntry("DCF_HANDLER_FILE", "handler.py");
    }

    @Test
    void build_pythonWithAnSdistOnly_failsWithJib_andNeedsKanikoWhenLeftToTheService() throws Exception {
        Path dir = copy(PYTHON_TEMPLATE, tmp.resolve("native"));
        Files.writeString(dir.resolve("requirements.txt"), "dcfnative==1.0\n");
        BuildStatus jib = client.awaitEnd(client.build(start("native", "python", "jib"), Bundles.tarGzOf(dir)).getId());
        assertThat(jib.getPhase()).isEqualTo(BuildPhase.BUILD_PHASE_FAILED);
        assertThat(jib.getMessage()).startsWith("function native: requirements.txt: not every requirement is a pure-Python wheel")
                .contains("dcfnative");
        BuildStatus auto = client.awaitEnd(client.build(start("native", "python", ""), Bundles.tarGzOf(dir)).getId());
        assertThat(auto.getPhase()).isEqualTo(BuildPhase.BUILD_PHASE_FAILED);
        assertThat(auto.getMessage()).contains("need the kaniko builder, which is not configured");
    }

    @Test
    void build_goRuntime_withoutKaniko_isFailedPrecondition() throws Exception {
        Path dir = Images.write(tmp.resolve("go/handler.go"), "package function\n").getParent();
        StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class,
                () -> client.build(start("gofn", "go", ""), Bundles.tarGzOf(dir)));
        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
        assertThat(e.getStatus().getDescription()).isEqualTo("function gofn: needs the kaniko builder (runtime go is built"
                + " from its Dockerfile), which is not configured in this build-service (dcf.build.kaniko; see"
                + " docs/build-service.md)");
    }

    @Test
    void build_hostileBundle_isInvalidArgumentNamingTheEntry_andLeavesNothing() throws Exception {
        byte[] evil = Bundles.tarGz().file("Handler.java", "class Handler {}").file("../../evil.txt", "x").bytes();
        StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class,
                () -> client.build(start("evil", "java", ""), evil));
        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(e.getStatus().getDescription()).isEqualTo("function evil: bundle entry '../../evil.txt': '..' leaves"
                + " the function's directory");
        BuildStatus failed = client.blocking().list(ListBuildsRequest.newBuilder().setFunction("evil").build()).getBuilds(0);
        assertThat(failed.getPhase()).isEqualTo(BuildPhase.BUILD_PHASE_FAILED);
        assertThat(service.buildDir(failed.getId())).doesNotExist();
        assertThat(tmp.resolve("work/evil.txt")).doesNotExist();
        assertThat(tmp.resolve("evil.txt")).doesNotExist();
    }

    @Test
    void build_bomb_isResourceExhausted() throws Exception {
        StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class, () -> client.build(
                start("bomb", "java", ""), Bundles.tarGz().file("zeros", new byte[2 << 20], 0644).bytes()));
        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
        assertThat(e.getStatus().getDescription()).contains("bundle entry 'zeros': the bundle expands to more than");
    }

    @Test
    void calls_withoutOrWithAWrongToken_areUnauthenticated() throws Exception {
        for (String token : new String[] {null, "wrong"}) {
            try (BuilderClient stranger = new BuilderClient(service.port(), token)) {
                StatusRuntimeException get = catchThrowableOfType(StatusRuntimeException.class, () -> stranger.get("x"));
                assertThat(get.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
                StatusRuntimeException build = catchThrowableOfType(StatusRuntimeException.class,
                        () -> stranger.build(start("x", "java", ""), Bundles.tarGzOf(HELLO_JAVA)));
                assertThat(build.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
            }
        }
        assertThat(client.blocking().list(ListBuildsRequest.newBuilder().setFunction("x").build()).getBuildsList()).isEmpty();
    }

    @Test
    void rest_getBuild_needsTheTokenToo() throws Exception {
        BuildStatus done = client.awaitEnd(client.build(start("rest", "java", ""), Bundles.tarGzOf(HELLO_JAVA)).getId());
        HttpClient http = HttpClient.newHttpClient();
        URI uri = URI.create("http://127.0.0.1:" + service.port() + "/builds/" + done.getId());
        HttpResponse<String> ok = http.send(HttpRequest.newBuilder(uri).header("authorization", "Bearer " + service.token())
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.body()).contains("\"id\":\"" + done.getId() + "\"").contains(done.getDigest());
        HttpResponse<String> refused = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(refused.statusCode()).isEqualTo(401);
    }

    @Test
    void cancel_duringPip_endsTheBuildCancelled_killsPip_andDeletesItsWorkDir() throws Exception {
        try (ServerSocket stall = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            Path dir = copy(PYTHON_TEMPLATE, tmp.resolve("slow"));
            Files.writeString(dir.resolve("requirements.txt"), "--find-links http://127.0.0.1:" + stall.getLocalPort()
                    + "/\ndcfslow==1.0\n");
            BuildStatus queued = client.build(start("slow", "python", "jib"), Bundles.tarGzOf(dir));
            stall.setSoTimeout(60_000);
            try (Socket pip = stall.accept()) { // pip asks the stalled index: the build is in pip now
                BuildStatus cancelled = client.blocking().cancel(GetBuildRequest.newBuilder().setId(queued.getId()).build());
                assertThat(cancelled.getPhase()).isEqualTo(BuildPhase.BUILD_PHASE_CANCELLED);
                assertThat(cancelled.getMessage()).isEqualTo("build " + queued.getId() + " was cancelled");
                pip.setSoTimeout(30_000); // a read past it throws: pip would still hold the connection
                assertThat(drained(pip)).as("pip's connection closed: pip is gone").isTrue();
            }
            assertThat(client.awaitEnd(queued.getId()).getPhase()).isEqualTo(BuildPhase.BUILD_PHASE_CANCELLED);
            await("work dir deleted").atMost(Duration.ofSeconds(30)).until(() -> !Files.exists(service.buildDir(queued.getId())));
        }
    }

    @Test
    void get_unknownId_isNotFound() {
        StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class, () -> client.get("nosuchbuild"));
        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
        assertThat(e.getStatus().getDescription()).startsWith("build nosuchbuild: not found");
    }

    /** Reads until the peer closes the connection (true); throws when it stays open past the socket's timeout. */
    static boolean drained(Socket socket) throws java.io.IOException {
        byte[] buffer = new byte[4096];
        while (true) {
            int n = socket.getInputStream().read(buffer);
            if (n < 0) {
                return true;
            }
        }
    }

    static BuildStart start(String name, String runtime, String builder) {
        return BuildStart.newBuilder().setSpec(BuilderClient.spec(name, runtime)).setBuilder(builder).build();
    }

    static Path copy(Path from, Path to) throws Exception {
        Files.createDirectories(to);
        try (var files = Files.list(from)) {
            for (Path f : files.toList()) {
                Files.copy(f, to.resolve(f.getFileName().toString()));
            }
        }
        return to;
    }
}
