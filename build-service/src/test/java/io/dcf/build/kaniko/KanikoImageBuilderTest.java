package io.dcf.build.kaniko;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.testing.junit5.server.ServerExtension;
import io.dcf.build.BuildCancelledException;
import io.dcf.build.BuildFailedException;
import io.dcf.build.BuildInput;
import io.dcf.build.BuiltImage;
import io.dcf.build.testing.RecordingEvents;
import io.dcf.proto.v1.BuildPhase;
import io.dcf.proto.v1.FunctionSpec;
import io.dcf.runtimes.RuntimeCatalog;
import io.dcf.runtimes.RuntimeFiles;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.util.ClientBuilder;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The build Job's lifecycle through client-java against fabric8's mock API server in CRUD
 * mode; the test plays the Job controller and the kubelet (the pod and its status) and the
 * fetcher (it downloads the context with the Job's one-time URL from a real server).
 */
@EnableKubernetesMockClient(crud = true, https = false)
class KanikoImageBuilderTest {

    private static final AtomicInteger NAMESPACES = new AtomicInteger();
    private static final String POD_SUFFIX = "-x7k2p";
    private static final String DIGEST = "sha256:" + "ab".repeat(32);
    private static final BuildContexts CONTEXTS = BuildContexts.of(Duration.ofMinutes(10));
    static KubernetesMockServer server;
    static KubernetesClient client;

    @RegisterExtension
    static final ServerExtension contextServer = new ServerExtension() {
        @Override
        protected void configure(ServerBuilder sb) {
            sb.service(BuildContexts.PATH, CONTEXTS.httpService());
        }
    };

    @TempDir
    Path dir;

    private final String ns = "build" + NAMESPACES.incrementAndGet();
    private final RecordingEvents events = new RecordingEvents();
    private KanikoImageBuilder builder;

    @BeforeEach
    void builder() {
        builder = builder(false);
    }

    @AfterEach
    void close() {
        builder.close();
    }

    private KanikoImageBuilder builder(boolean keepFinishedJobs) {
        KanikoSettings settings = new KanikoSettings(ns, KanikoSettings.EXECUTOR_IMAGE, KanikoSettings.FETCHER_IMAGE,
                contextServer.httpUri().toString(), Duration.ofMinutes(10), Duration.ofMinutes(10),
                Duration.ofMinutes(5), keepFinishedJobs, "", List.of(), null, null, Duration.ofMillis(50),
                Duration.ofSeconds(30));
        ApiClient requests = new ClientBuilder().setBasePath(client.getMasterUrl().toString())
                .setReadTimeout(Duration.ofSeconds(30)).build();
        ApiClient streams = new ClientBuilder().setBasePath(client.getMasterUrl().toString())
                .setReadTimeout(Duration.ZERO).build();
        return KanikoImageBuilder.create(settings, CONTEXTS, requests, streams, RuntimeCatalog.standard(),
                RuntimeFiles.classPathRoot());
    }

    private CompletableFuture<BuiltImage> start(String id) throws Exception {
        Path source = Files.createDirectories(dir.resolve("src"));
        Files.writeString(source.resolve("handler.py"), "def handle(req):\n    return req\n");
        Files.writeString(source.resolve("requirements.txt"), "");
        FunctionSpec spec = FunctionSpec.newBuilder().setName("fn").setRuntime("python")
                .addBuildArgs("PYTHON_VERSION=3.12").build();
        BuildInput input = new BuildInput(id, spec, source, Files.createDirectories(dir.resolve("work")),
                "registry.local/fn", id);
        return CompletableFuture.supplyAsync(() -> builder.build(input, events));
    }

    private Job awaitJob(String id) {
        await().atMost(Duration.ofSeconds(30)).until(() -> job(id) != null);
        return job(id);
    }

    private Job job(String id) {
        return client.batch().v1().jobs().inNamespace(ns).withName("dcf-build-" + id).get();
    }

    /** The Job's pod, as the Job controller makes it, with {@code status}. */
    private Pod createPod(Job job, PodStatus status) {
        var template = job.getSpec().getTemplate();
        Pod pod = new PodBuilder().withNewMetadata().withName(job.getMetadata().getName() + POD_SUFFIX).withNamespace(ns)
                .withLabels(template.getMetadata().getLabels()).endMetadata()
                .withSpec(template.getSpec()).withStatus(status).build();
        return client.pods().inNamespace(ns).resource(pod).create();
    }

    private void setStatus(Pod pod, PodStatus status) {
        client.pods().inNamespace(ns).withName(pod.getMetadata().getName())
                .editStatus(p -> new PodBuilder(p).withStatus(status).build());
    }

    /** The log the kubelet would serve for {@code query} of the Job's pod (before the pod is created). */
    private void expectLog(String id, String query, String body) {
        server.expect().get().withPath("/api/v1/namespaces/" + ns + "/pods/dcf-build-" + id + POD_SUFFIX + "/log?"
                + query).andReturn(200, body).always();
    }

    private static ContainerStatus fetched() {
        return new ContainerStatusBuilder().withName("fetch-context").withImage(KanikoSettings.FETCHER_IMAGE)
                .withImageID("").withReady(false).withRestartCount(0)
                .withNewState().withNewTerminated().withExitCode(0).withReason("Completed").endTerminated().endState()
                .build();
    }

    private static PodStatus executorTerminated(int exitCode, String reason, String message) {
        ContainerStatus executor = new ContainerStatusBuilder().withName("executor").withImage(KanikoSettings.EXECUTOR_IMAGE)
                .withImageID("").withReady(false).withRestartCount(0)
                .withNewState().withNewTerminated().withExitCode(exitCode).withReason(reason).withMessage(message)
                .endTerminated().endState().build();
        return new PodStatusBuilder().withPhase(exitCode == 0 ? "Succeeded" : "Failed")
                .withInitContainerStatuses(fetched()).withContainerStatuses(executor).build();
    }

    private static PodStatus executorRunning() {
        ContainerStatus executor = new ContainerStatusBuilder().withName("executor").withImage(KanikoSettings.EXECUTOR_IMAGE)
                .withImageID("").withReady(true).withRestartCount(0)
                .withNewState().withNewRunning().withStartedAt("2026-01-01T00:00:00Z").endRunning().endState().build();
        return new PodStatusBuilder().withPhase("Running").withInitContainerStatuses(fetched())
                .withContainerStatuses(executor).build();
    }

    private static Throwable failure(CompletableFuture<BuiltImage> build) {
        try {
            build.get(60, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("the build succeeded");
    }

    @Test
    void success_digestFromTerminationMessage_logStreamed_jobDeleted() throws Exception {
        CompletableFuture<BuiltImage> build = start("ok1");
        Job job = awaitJob("ok1");
        expectLog("ok1", "container=executor&follow=true",
                "INFO Retrieving image manifest python:3.12-slim\nINFO Pushing image to registry.local/fn:ok1\nINFO Pushed\n");
        Pod pod = createPod(job, executorRunning());
        await().atMost(Duration.ofSeconds(30)).until(() -> events.lines().contains("INFO Pushed"));
        setStatus(pod, executorTerminated(0, "Completed", DIGEST + "\n"));

        BuiltImage image = build.get(60, TimeUnit.SECONDS);

        assertThat(image.reference()).isEqualTo("registry.local/fn@" + DIGEST);
        assertThat(events.lines()).containsSubsequence("INFO Retrieving image manifest python:3.12-slim",
                "INFO Pushing image to registry.local/fn:ok1", "INFO Pushed");
        assertThat(events.phases()).containsExactly(BuildPhase.BUILD_PHASE_BUILDING, BuildPhase.BUILD_PHASE_PUSHING);
        assertThat(job.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs())
                .containsSubsequence("--destination", "registry.local/fn:ok1", "--build-arg", "PYTHON_VERSION=3.12");
        assertThat(job("ok1")).isNull();
    }

    @Test
    void contextUrlOfTheJob_servesTheContextOnce() throws Exception {
        CompletableFuture<BuiltImage> build = start("ctx1");
        Job job = awaitJob("ctx1");
        String url = job.getSpec().getTemplate().getSpec().getInitContainers().get(0).getEnv().get(0).getValue();

        AggregatedHttpResponse first = WebClient.of().get(url).aggregate().join();
        AggregatedHttpResponse second = WebClient.of().get(url).aggregate().join();

        assertThat(url).startsWith(contextServer.httpUri() + "/contexts/");
        assertThat(first.status()).isEqualTo(HttpStatus.OK);
        List<String> names = new java.util.ArrayList<>();
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new GZIPInputStream(
                new ByteArrayInputStream(first.content().array())))) {
            for (var e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
                names.add(e.getName());
            }
        }
        assertThat(names).contains("handler.py", "Dockerfile", "dcf-watcher/dcf_watcher.py");
        assertThat(second.status()).isEqualTo(HttpStatus.NOT_FOUND);
        events.cancel();
        assertThat(failure(build)).isInstanceOf(BuildCancelledException.class);
    }

    @Test
    void executorFails_exitCodeAndLogTail() throws Exception {
        CompletableFuture<BuiltImage> build = start("bad1");
        StringBuilder log = new StringBuilder();
        for (int i = 1; i <= 30; i++) {
            log.append("step ").append(i).append('\n');
        }
        expectLog("bad1", "container=executor&follow=true", log + "error building image: RUN pip install: exit status 1\n");
        createPod(awaitJob("bad1"), executorTerminated(1, "Error", ""));

        Throwable failure = failure(build);

        assertThat(failure).isInstanceOf(BuildFailedException.class);
        assertThat(failure.getMessage()).startsWith("function fn: the Kaniko executor exited with code 1; last log lines:\n")
                .endsWith("step 30\nerror building image: RUN pip install: exit status 1")
                .contains("step 22").doesNotContain("step 21\n");
        assertThat(events.lines()).contains("step 1", "step 30");
        assertThat(job("bad1")).isNull();
    }

    @Test
    void executorOomKilled_saysSo() throws Exception {
        CompletableFuture<BuiltImage> build = start("oom1");
        expectLog("oom1", "container=executor&follow=true", "INFO Unpacking rootfs\n");
        createPod(awaitJob("oom1"), executorTerminated(137, "OOMKilled", ""));

        Throwable failure = failure(build);

        assertThat(failure).isInstanceOf(BuildFailedException.class).hasMessageStartingWith(
                "function fn: the Kaniko executor ran out of memory (OOMKilled, exit code 137;"
                        + " raise dcf.build.kaniko.executor.memory-limit)").hasMessageEndingWith("INFO Unpacking rootfs");
    }

    @Test
    void executorImageNotPullable_namesTheImage() throws Exception {
        CompletableFuture<BuiltImage> build = start("pull1");
        ContainerStatus waiting = new ContainerStatusBuilder().withName("executor").withImage(KanikoSettings.EXECUTOR_IMAGE)
                .withImageID("").withReady(false).withRestartCount(0).withNewState().withNewWaiting()
                .withReason("ImagePullBackOff").withMessage("Back-off pulling image").endWaiting().endState().build();
        createPod(awaitJob("pull1"), new PodStatusBuilder().withPhase("Pending").withInitContainerStatuses(fetched())
                .withContainerStatuses(waiting).build());

        assertThat(failure(build)).isInstanceOf(BuildFailedException.class).hasMessage("function fn: cannot pull image "
                + KanikoSettings.EXECUTOR_IMAGE + " of container executor: ImagePullBackOff: Back-off pulling image");
        assertThat(job("pull1")).isNull();
    }

    @Test
    void contextFetchFails_saysSoWithTheFetchersLog() throws Exception {
        CompletableFuture<BuiltImage> build = start("fetch1");
        ContainerStatus fetcher = new ContainerStatusBuilder().withName("fetch-context").withImage(KanikoSettings.FETCHER_IMAGE)
                .withImageID("").withReady(false).withRestartCount(0).withNewState().withNewTerminated().withExitCode(1)
                .withReason("Error").endTerminated().endState().build();
        expectLog("fetch1", "container=fetch-context&tailLines=10", "wget: server returned error: HTTP/1.1 404 Not Found\n"
                + "dcf: cannot fetch the build context from build-service\n");
        createPod(awaitJob("fetch1"), new PodStatusBuilder().withPhase("Failed").withInitContainerStatuses(fetcher).build());

        Throwable failure = failure(build);

        assertThat(failure).isInstanceOf(BuildFailedException.class).hasMessage("function fn: the build context could"
                + " not be fetched (init container fetch-context exited with code 1); last log lines:\n"
                + "wget: server returned error: HTTP/1.1 404 Not Found\n"
                + "dcf: cannot fetch the build context from build-service");
        assertThat(events.lines()).contains("[fetch-context] wget: server returned error: HTTP/1.1 404 Not Found");
    }

    @Test
    void jobDeadlineExceeded_saysSo() throws Exception {
        CompletableFuture<BuiltImage> build = start("late1");
        Job job = awaitJob("late1");
        client.batch().v1().jobs().inNamespace(ns).withName(job.getMetadata().getName()).editStatus(j ->
                new JobBuilder(j).withNewStatus().addNewCondition().withType("Failed").withStatus("True")
                        .withReason("DeadlineExceeded").withMessage("Job was active longer than specified deadline")
                        .endCondition().endStatus().build());

        assertThat(failure(build)).isInstanceOf(BuildFailedException.class).hasMessage("function fn: the build Job ran"
                + " past its deadline (activeDeadlineSeconds 600, DeadlineExceeded)");
    }

    @Test
    void cancel_deletesTheJobAtOnce() throws Exception {
        CompletableFuture<BuiltImage> build = start("stop1");
        Job job = awaitJob("stop1");
        createPod(job, executorRunning());
        String url = job.getSpec().getTemplate().getSpec().getInitContainers().get(0).getEnv().get(0).getValue();

        events.cancel();

        assertThat(failure(build)).isInstanceOf(BuildCancelledException.class).hasMessage("build stop1 was cancelled");
        assertThat(job("stop1")).isNull();
        assertThat(WebClient.of().get(url).aggregate().join().status()).isEqualTo(HttpStatus.NOT_FOUND);
    }

    @Test
    void keepFinishedJobs_jobLeftForItsTtl() throws Exception {
        builder.close();
        builder = builder(true);
        CompletableFuture<BuiltImage> build = start("keep1");
        expectLog("keep1", "container=executor&follow=true", "INFO Pushed\n");
        createPod(awaitJob("keep1"), executorTerminated(0, "Completed", DIGEST));

        assertThat(build.get(60, TimeUnit.SECONDS).digest()).isEqualTo(DIGEST);
        assertThat(job("keep1")).isNotNull();
        assertThat(job("keep1").getSpec().getTtlSecondsAfterFinished()).isEqualTo(300);
    }

    @Test
    void exitZeroWithoutDigest_fails() throws Exception {
        CompletableFuture<BuiltImage> build = start("nodigest1");
        expectLog("nodigest1", "container=executor&follow=true", "INFO done\n");
        createPod(awaitJob("nodigest1"), executorTerminated(0, "Completed", ""));

        assertThat(failure(build)).isInstanceOf(BuildFailedException.class).hasMessageContaining(
                "the Kaniko executor exited 0 but wrote no digest to /dev/termination-log");
    }
}
