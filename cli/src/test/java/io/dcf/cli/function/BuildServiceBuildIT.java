package io.dcf.cli.function;

import com.google.protobuf.util.JsonFormat;
import io.dcf.build.testing.TestBuildService;
import io.dcf.cli.CliRunner;
import io.dcf.cli.ExitCode;
import io.dcf.images.testing.Images;
import io.dcf.images.testing.LocalRegistry;
import io.dcf.images.testing.PushedImage;
import io.dcf.proto.v1.BuildEvent;
import io.dcf.proto.v1.BuildPhase;
import io.dcf.proto.v1.BuilderGrpc;
import io.dcf.proto.v1.ListBuildsRequest;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code dcf function build} with a real build-service (started by its own wiring) pushing to a
 * real docker-registry on loopback: the tar.gz bundle is built and the digest printed, the build's
 * phases and log shown live (or as JSON events, or only the image), a compile error ends the CLI
 * with the build's message, a wrong token is named, and Ctrl-C on the real CLI process cancels
 * the build on build-service.
 */
class BuildServiceBuildIT {

    private static final String TOKEN = "cli-build-service-it";

    @TempDir
    static Path shared;

    private static LocalRegistry registry;
    private static TestBuildService builds;
    private static ServerSocket blackHole;
    private static String address;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() throws Exception {
        registry = LocalRegistry.start(Files.createDirectories(shared.resolve("registry")));
        String base = "tar://" + Images.tinyBase(Files.createDirectories(shared.resolve("base")));
        blackHole = new ServerSocket(0); // a package index that accepts and never answers: pip waits
        builds = TestBuildService.start(Files.createDirectories(shared.resolve("builds")), Map.of(
                "dcf.build.token-file", Files.writeString(shared.resolve("token"), TOKEN + "\n").toString(),
                "dcf.build.registry", registry.host(),
                "dcf.build.jib.java-base", base,
                "dcf.build.jib.python-base", base,
                "dcf.build.jib.insecure-registries", registry.host(),
                "dcf.build.jib.pip-args", "--index-url=http://127.0.0.1:" + blackHole.getLocalPort()
                        + "/simple,--timeout=600,--retries=0"));
        address = "127.0.0.1:" + builds.port();
    }

    @AfterAll
    static void stop() throws IOException {
        if (builds != null) {
            builds.close();
        }
        if (registry != null) {
            registry.close();
        }
        if (blackHole != null) {
            blackHole.close();
        }
    }

    private CliRunner cli() {
        return new CliRunner(dir, dir.resolve("home")).env("DCF_TOKEN", TOKEN);
    }

    private CliRunner.Result build(String... more) {
        List<String> args = new ArrayList<>(List.of("function", "build", "--build-service", address));
        args.addAll(List.of(more));
        return cli().run(args.toArray(String[]::new));
    }

    @Test
    void build_javaFunction_bundleBuiltAndPushed_phasesShownAndDigestPrinted() throws Exception {
        assertThat(cli().run("function", "init", "hello-java", "--runtime", "java").code()).isZero();

        CliRunner.Result result = build();

        assertThat(result.code()).as(result.toString()).isZero();
        assertThat(result.out()).contains("Sending: hello-java to build-service at " + address, "  build: ",
                "  phase: building", "  phase: pushing");
        Matcher m = Pattern.compile("Built: hello-java -> " + Pattern.quote(registry.host())
                + "/hello-java@(sha256:[0-9a-f]{64})").matcher(result.out());
        assertThat(m.find()).as(result.out()).isTrue();
        PushedImage image = new PushedImage(registry.host(), "hello-java", m.group(1));
        assertThat(image.env()).containsKey("DCF_HANDLER_PATH");
        assertThat(image.label("io.dcf.runtime")).isEqualTo("java");
    }

    @Test
    void build_jsonOutput_oneBuildEventPerLine_theLastOneDone() throws Exception {
        assertThat(cli().run("function", "init", "hello-py", "--runtime", "python").code()).isZero();
        Files.writeString(dir.resolve("hello-py/requirements.txt"), "");

        CliRunner.Result result = build("-o", "json");

        assertThat(result.code()).as(result.toString()).isZero();
        List<BuildEvent> events = new ArrayList<>();
        for (String line : result.out().strip().split("\n")) {
            BuildEvent.Builder event = BuildEvent.newBuilder();
            JsonFormat.parser().merge(line, event);
            events.add(event.build());
        }
        assertThat(events.get(0).getPhase()).isEqualTo(BuildPhase.BUILD_PHASE_RECEIVING);
        BuildEvent last = events.get(events.size() - 1);
        assertThat(last.getDone().getPhase()).isEqualTo(BuildPhase.BUILD_PHASE_SUCCEEDED);
        assertThat(last.getDone().getImage()).startsWith(registry.host() + "/hello-py@sha256:");
    }

    @Test
    void build_quiet_printsOnlyTheImage() {
        assertThat(cli().run("function", "init", "hello-java", "--runtime", "java").code()).isZero();

        CliRunner.Result result = build("-q");

        assertThat(result.code()).as(result.toString()).isZero();
        assertThat(result.out()).matches(Pattern.quote(registry.host()) + "/hello-java@sha256:[0-9a-f]{64}\n");
    }

    @Test
    void build_compileError_exitsWithTheBuildsMessage() throws Exception {
        assertThat(cli().run("function", "init", "broken", "--runtime", "java").code()).isZero();
        Files.writeString(dir.resolve("broken/Handler.java"), "public class Handler { int x = \"text\"; }\n");

        CliRunner.Result result = build();

        assertThat(result.code()).as(result.toString()).isEqualTo(ExitCode.GATEWAY);
        assertThat(result.err()).containsPattern("Error: build \\S+ of broken failed: ").contains("Handler.java");
    }

    @Test
    void build_wrongToken_namesBuildServiceAndTheToken() {
        assertThat(cli().run("function", "init", "hello-java", "--runtime", "java").code()).isZero();

        CliRunner.Result result = cli().env("DCF_TOKEN", "not-the-token").run("function", "build",
                "--build-service", address);

        assertThat(result.code()).as(result.toString()).isEqualTo(ExitCode.GATEWAY);
        assertThat(result.err()).contains("build-service at " + address + " refused the token");
    }

    @Test
    void ctrlC_onTheRealCli_cancelsTheBuild() throws Exception {
        assertThat(cli().run("function", "init", "waits", "--runtime", "python").code()).isZero();
        Files.writeString(dir.resolve("waits/requirements.txt"), "left-pad-for-python==1.0\n");
        Path out = dir.resolve("out.txt");
        Path err = dir.resolve("err.txt");
        Path jar = Path.of(System.getProperty("dcf.repo", "..")).resolve("cli/target/dcf-cli.jar");
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar.toString(), "function", "build", "--build-service", address)
                .directory(dir.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().put("DCF_TOKEN", TOKEN);
        pb.environment().put("DCF_HOME", dir.resolve("home").toString());
        Process cli = pb.start();
        try {
            await().atMost(Duration.ofSeconds(120)).until(() -> Files.readString(out).contains("phase: building"));
            // SIGTERM runs the same shutdown hook as Ctrl-C's SIGINT; a SIGINT can be inherited as ignored
            // (a test run started in the background by a non-interactive shell), and then the CLI never hears it.
            new ProcessBuilder("kill", "-TERM", Long.toString(cli.pid())).start().waitFor();
            assertThat(cli.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        } finally {
            cli.destroyForcibly();
        }

        assertThat(Files.readString(err)).containsPattern("Cancelled build \\S+ of waits");
        ManagedChannel channel = NettyChannelBuilder.forTarget(address).usePlaintext().build();
        try {
            Metadata headers = new Metadata();
            headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + TOKEN);
            var stub = BuilderGrpc.newBlockingStub(channel).withInterceptors(
                    MetadataUtils.newAttachHeadersInterceptor(headers));
            await().atMost(Duration.ofSeconds(60)).until(() -> stub.list(ListBuildsRequest.newBuilder()
                    .setFunction("waits").build()).getBuilds(0).getPhase() == BuildPhase.BUILD_PHASE_CANCELLED);
        } finally {
            channel.shutdownNow();
        }
    }
}
