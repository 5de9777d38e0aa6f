package io.dcf.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import com.google.cloud.tools.jib.api.buildplan.FilePermissions;
import com.linecorp.armeria.server.Server;
import io.dcf.build.BuildCancelledException;
import io.dcf.build.BuildFailedException;
import io.dcf.build.BuildInput;
import io.dcf.build.BuiltImage;
import io.dcf.build.kaniko.BuildContexts;
import io.dcf.build.kaniko.KanikoImageBuilder;
import io.dcf.build.kaniko.KanikoSettings;
import io.dcf.build.testing.RecordingEvents;
import io.dcf.proto.v1.BuildPhase;
import io.dcf.proto.v1.FunctionSpec;
import io.dcf.runtimes.RuntimeCatalog;
import io.dcf.runtimes.RuntimeFiles;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.apis.BatchV1Api;
import io.kubernetes.client.openapi.models.V1Job;
import io.kubernetes.client.openapi.models.V1Namespace;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.util.Config;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kaniko build Jobs on the real kubelet, with a stand-in executor image made here (the
 * executor image is a value): the busybox fetcher downloads the context from the build
 * context endpoint, served on this host's pod-bridge address with a one-time token; the
 * stand-in checks Kaniko's flags, lists the fetched context and writes a digest to its
 * termination log, or fails or sleeps when a build arg says so. Proves context fetch, log
 * streaming, digest, failure reasons with the log tail, cancel and cleanup for real.
 */
class KanikoBuildOnClusterIT {

    private static final System.Logger LOG = System.getLogger(KanikoBuildOnClusterIT.class.getName());
    private static final String BUSYBOX = Cluster.REGISTRY + "/kube-local/busybox:1";
    private static final Path RUNTIMES = Path.of(System.getProperty("dcf.e2e.runtimes-dir", "../runtimes"));

    private static final String NAMESPACE = "e2e-kaniko-" + UUID.randomUUID().toString().substring(0, 8);
    private static Server contextServer;
    private static BuildContexts contexts;
    private static String executor;
    private static ApiClient streams;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() throws Exception {
        Cluster cluster = Cluster.get();
        cluster.core().createNamespace(new V1Namespace().metadata(new V1ObjectMeta().name(NAMESPACE))).execute();
        contexts = BuildContexts.of(Duration.ofMinutes(5));
        contextServer = Server.builder().http(new InetSocketAddress(ApiServerRelay.NODE_BRIDGE_IP, 0))
                .service(BuildContexts.PATH, contexts.httpService()).build();
        contextServer.start().join();
        streams = Config.fromConfig(Cluster.kubeconfig().toString());
        streams.setReadTimeout(0);
        executor = standInExecutor();
    }

    @AfterAll
    static void stop() throws Exception {
        if (contextServer != null) {
            contextServer.stop().join();
        }
        Cluster.get().core().deleteNamespace(NAMESPACE).execute();
    }

    /** busybox plus the stand-in script as /kaniko/executor, the entrypoint. */
    private static String standInExecutor() throws Exception {
        Path script = Files.createTempFile("stand-in-executor", ".sh");
        try (InputStream in = KanikoBuildOnClusterIT.class.getResourceAsStream("/kaniko/stand-in-executor.sh")) {
            Files.write(script, in.readAllBytes());
        }
        return E2eImages.push(Jib.from("registry://" + BUSYBOX)
                .addFileEntriesLayer(FileEntriesLayer.builder().setName("stand-in")
                        .addEntry(script, AbsoluteUnixPath.get("/kaniko/executor"), FilePermissions.fromOctalString("755"))
                        .build())
                .setEntrypoint(List.of("/bin/sh", "/kaniko/executor")), "kaniko-stand-in");
    }

    private KanikoImageBuilder builder(String executorImage, String contextUrl, boolean keep) {
        KanikoSettings settings = new KanikoSettings(NAMESPACE, executorImage, BUSYBOX, contextUrl,
                Duration.ofMinutes(5), Duration.ofMinutes(5), Duration.ofSeconds(60), keep, "",
                List.of(Cluster.REGISTRY), null, null, Duration.ofMillis(500), Duration.ofSeconds(30));
        return KanikoImageBuilder.create(settings, contexts, Cluster.get().api(), streams, RuntimeCatalog.standard(),
                RuntimeFiles.classPathRoot());
    }

    private String contextUrl() {
        return "http://" + ApiServerRelay.NODE_BRIDGE_IP + ":" + contextServer.activePorts().keySet().iterator().next().getPort();
    }

    private BuildInput input(String id, FunctionSpec.Builder spec) throws Exception {
        Path source = Files.createDirectories(dir.resolve("src"));
        Files.writeString(source.resolve("handler.py"), "def handle(req):\n    return req\n");
        Files.writeString(source.resolve("requirements.txt"), "");
        return new BuildInput(id, spec.setName("kfn").setRuntime("python").build(), source,
                Files.createDirectories(dir.resolve("work")), Cluster.REGISTRY + "/dcf-e2e/kfn", id);
    }

    private static String id() {
        return "k" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void build_fetchesTheContextWithItsToken_streamsTheLog_returnsTheDigest_deletesTheJob() throws Exception {
        String id = id();
        RecordingEvents events = new RecordingEvents();
        BuiltImage image;
        try (KanikoImageBuilder builder = builder(executor, contextUrl(), false)) {
            long start = System.nanoTime();
            image = builder.build(input(id, FunctionSpec.newBuilder().addBuildArgs("PYTHON_VERSION=3.12")
                    .addBuildPackages("curl")), events);
            LOG.log(System.Logger.Level.INFO, "stand-in Kaniko build on the cluster: {0} ms",
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
        }

        String dockerfileSha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(Files.readAllBytes(RUNTIMES.resolve("python/template/Dockerfile"))));
        assertThat(image.reference()).isEqualTo(Cluster.REGISTRY + "/dcf-e2e/kfn@sha256:" + dockerfileSha);
        assertThat(events.lines()).doesNotContain("dcf: build context fetched") // the fetcher's log is not streamed
                .contains("stand-in executor: context=dir:///workspace dockerfile=/workspace/Dockerfile destination="
                                + Cluster.REGISTRY + "/dcf-e2e/kfn:" + id + " digest-file=/dev/termination-log");
        assertThat(events.lines()).anySatisfy(line -> assertThat(line).startsWith("context files: ")
                .contains("./handler.py", "./requirements.txt", "./Dockerfile", "./dcf-watcher/dcf_watcher.py")
                .doesNotContain(".dcf-context.tar.gz"));
        assertThat(events.lines()).contains("build-arg PYTHON_VERSION=3.12", "build-arg ADDITIONAL_PACKAGE=curl",
                "insecure registry " + Cluster.REGISTRY,
                "Dockerfile FROM: FROM python:${PYTHON_VERSION}-slim", "running as uid 0",
                "Pushed " + Cluster.REGISTRY + "/dcf-e2e/kfn:" + id);
        assertThat(events.phases()).containsExactly(BuildPhase.BUILD_PHASE_BUILDING, BuildPhase.BUILD_PHASE_PUSHING);
        awaitGone(id);
    }

    @Test
    void executorFails_exitCodeAndLogTail() throws Exception {
        RecordingEvents events = new RecordingEvents();
        String id = id();
        Throwable failure;
        try (KanikoImageBuilder builder = builder(executor, contextUrl(), false)) {
            failure = failure(() -> builder.build(input(id, FunctionSpec.newBuilder().addBuildArgs("FAIL=RUN pip install"
                    + " returned 1")), events));
        }

        assertThat(failure).isInstanceOf(BuildFailedException.class);
        assertThat(failure.getMessage()).startsWith("function kfn: the Kaniko executor exited with code 1; last log lines:")
                .contains("build-arg FAIL=RUN pip install returned 1", "running as uid 0")
                .endsWith("error building image: RUN pip install returned 1");
        assertThat(events.lines()).contains("error building image: RUN pip install returned 1");
        awaitGone(id);
    }

    @Test
    void contextNotServed_fetchFailureWithTheFetchersLog() throws Exception {
        String id = id();
        Throwable failure;
        try (KanikoImageBuilder builder = builder(executor, contextUrl() + "/elsewhere", false)) {
            failure = failure(() -> builder.build(input(id, FunctionSpec.newBuilder()), new RecordingEvents()));
        }

        assertThat(failure).isInstanceOf(BuildFailedException.class).hasMessageStartingWith("function kfn: the build"
                        + " context could not be fetched (init container fetch-context exited with code 1); last log lines:")
                .hasMessageContaining("404").hasMessageEndingWith("dcf: cannot fetch the build context from build-service");
        awaitGone(id);
    }

    @Test
    void executorImageMissing_pullFailureNamingTheImage() throws Exception {
        String missing = Cluster.REGISTRY + "/dcf-e2e/no-such-executor:1";
        String id = id();
        Throwable failure;
        try (KanikoImageBuilder builder = builder(missing, contextUrl(), false)) {
            failure = failure(() -> builder.build(input(id, FunctionSpec.newBuilder()), new RecordingEvents()));
        }

        assertThat(failure).isInstanceOf(BuildFailedException.class)
                .hasMessageStartingWith("function kfn: cannot pull image " + missing + " of container executor: ")
                .hasMessageMatching("(?s).*(ErrImagePull|ImagePullBackOff).*");
        awaitGone(id);
    }

    @Test
    void cancel_deletesTheJobAndItsPod() throws Exception {
        String id = id();
        RecordingEvents events = new RecordingEvents();
        try (KanikoImageBuilder builder = builder(executor, contextUrl(), false)) {
            BuildInput input = input(id, FunctionSpec.newBuilder().addBuildArgs("SLEEP=300"));
            CompletableFuture<BuiltImage> build = CompletableFuture.supplyAsync(() -> builder.build(input, events));
            await().atMost(Duration.ofMinutes(3)).until(() -> events.lines().contains("sleeping 300 s") || build.isDone());
            assertThat(build).as("the build ended before it was cancelled: %s", events.lines()).isNotDone();
            assertThat(podsOf(id)).isEqualTo(1);

            events.cancel();

            assertThat(failure(() -> build.get(60, TimeUnit.SECONDS))).isInstanceOf(BuildCancelledException.class);
        }
        assertThat(job(id)).isNull();
        awaitGone(id);
    }

    @Test
    void keptJob_carriesItsDeadlineAndTtl_asTheApiServerKeepsIt() throws Exception {
        String id = id();
        try (KanikoImageBuilder builder = builder(executor, contextUrl(), true)) {
            builder.build(input(id, FunctionSpec.newBuilder()), new RecordingEvents());
        }

        V1Job job = job(id);
        assertThat(job).isNotNull();
        assertThat(job.getSpec().getActiveDeadlineSeconds()).isEqualTo(300L);
        assertThat(job.getSpec().getBackoffLimit()).isZero();
        assertThat(job.getMetadata().getLabels()).containsEntry("dcf.io/function", "kfn")
                .containsEntry("app.kubernetes.io/component", "build");
        int minor = Integer.parseInt(Cluster.get().version().replaceAll("^v1\\.(\\d+).*", "$1"));
        // the TTL controller is alpha (off) before 1.21: that API server drops the field
        assertThat(job.getSpec().getTtlSecondsAfterFinished()).isEqualTo(minor >= 21 ? 60 : null);
        new BatchV1Api(Cluster.get().api()).deleteNamespacedJob(job.getMetadata().getName(), NAMESPACE)
                .propagationPolicy("Background").execute();
        awaitGone(id);
    }

    private static V1Job job(String id) throws Exception {
        return new BatchV1Api(Cluster.get().api()).listNamespacedJob(NAMESPACE)
                .labelSelector("dcf.io/build-id=dcf-build-" + id).execute().getItems().stream().findFirst().orElse(null);
    }

    private static int podsOf(String id) throws Exception {
        return Cluster.get().core().listNamespacedPod(NAMESPACE).labelSelector("dcf.io/build-id=dcf-build-" + id)
                .execute().getItems().size();
    }

    /** The Job and its pod are gone (the pod goes with a Background delete, soon after). */
    private static void awaitGone(String id) {
        await().atMost(Duration.ofMinutes(2)).untilAsserted(() -> {
            assertThat(job(id)).isNull();
            assertThat(podsOf(id)).as("pods of build %s%s", id,
                    NamespaceReport.of(Cluster.get().core(), NAMESPACE)).isZero();
        });
    }

    private interface Build {
        Object run() throws Exception;
    }

    private static Throwable failure(Build build) {
        try {
            build.run();
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (Exception e) {
            return e;
        }
        throw new AssertionError("the build succeeded" + NamespaceReport.of(Cluster.get().core(), NAMESPACE));
    }
}
