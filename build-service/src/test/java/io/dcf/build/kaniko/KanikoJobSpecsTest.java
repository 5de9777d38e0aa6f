package io.dcf.build.kaniko;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dcf.build.BuildFailedException;
import io.dcf.proto.FunctionNames;
import io.dcf.proto.v1.FunctionSpec;
import io.dcf.runtimes.RuntimeCatalog;
import io.kubernetes.client.custom.Quantity;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1Job;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.kubernetes.client.openapi.models.V1Volume;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The build Job as a pure value: what the API server would be sent. */
class KanikoJobSpecsTest {

    private static final URI CONTEXT = URI.create("http://10.0.0.7:8080/contexts/tok3n");
    private static final KanikoSettings SETTINGS = KanikoSettings.defaults("dcf-build", "http://10.0.0.7:8080");

    private static KanikoBuild build(Map<String, String> args) {
        return new KanikoBuild("b-42", "echo", "registry.local:5000/echo:b-42", "Dockerfile", args, CONTEXT);
    }

    private static V1PodSpec pod(V1Job job) {
        return job.getSpec().getTemplate().getSpec();
    }

    private static V1Container executor(V1Job job) {
        return pod(job).getContainers().get(0);
    }

    private static V1Container fetcher(V1Job job) {
        return pod(job).getInitContainers().get(0);
    }

    @Test
    void job_oneTryBoundedAndCleanedUp() {
        V1Job job = KanikoJobSpecs.job(SETTINGS, build(Map.of()));

        assertThat(job.getMetadata().getName()).isEqualTo("dcf-build-b-42");
        assertThat(job.getMetadata().getNamespace()).isEqualTo("dcf-build");
        assertThat(job.getSpec().getBackoffLimit()).isZero();
        assertThat(job.getSpec().getActiveDeadlineSeconds()).isEqualTo(1800L);
        assertThat(job.getSpec().getTtlSecondsAfterFinished()).isEqualTo(600);
        assertThat(pod(job).getRestartPolicy()).isEqualTo("Never");
        assertThat(pod(job).getAutomountServiceAccountToken()).isFalse();
        assertThat(pod(job).getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    }

    @Test
    void job_deadlineAndTtlFromSettings() {
        KanikoSettings settings = new KanikoSettings("b", "kaniko:1", "busybox:1", "http://h:1", Duration.ofMinutes(1),
                Duration.ofSeconds(90), Duration.ofSeconds(5), false, "", List.of(), null, null, Duration.ofSeconds(1),
                Duration.ofSeconds(10));

        V1Job job = KanikoJobSpecs.job(settings, build(Map.of()));

        assertThat(job.getSpec().getActiveDeadlineSeconds()).isEqualTo(90L);
        assertThat(job.getSpec().getTtlSecondsAfterFinished()).isEqualTo(5);
        assertThat(executor(job).getImage()).isEqualTo("kaniko:1");
        assertThat(fetcher(job).getImage()).isEqualTo("busybox:1");
    }

    @Test
    void job_labelsOnJobAndPod() {
        V1Job job = KanikoJobSpecs.job(SETTINGS, build(Map.of()));

        Map<String, String> expected = Map.of("app.kubernetes.io/managed-by", "dcf", "app.kubernetes.io/part-of", "dcf",
                "app.kubernetes.io/component", "build", "dcf.io/build-id", "dcf-build-b-42", "dcf.io/function", "echo");
        assertThat(job.getMetadata().getLabels()).containsExactlyInAnyOrderEntriesOf(expected);
        assertThat(job.getSpec().getTemplate().getMetadata().getLabels()).containsExactlyInAnyOrderEntriesOf(expected);
    }

    @Test
    void executor_argsInOrder_contextDockerfileDestinationDigestThenBuildArgs() {
        V1Job job = KanikoJobSpecs.job(SETTINGS, build(new java.util.LinkedHashMap<>(Map.of("PYTHON_VERSION", "3.12"))));

        assertThat(executor(job).getImage()).isEqualTo("ghcr.io/osscontainertools/kaniko:v1.28.3");
        assertThat(executor(job).getArgs()).containsExactly(
                "--context", "dir:///workspace",
                "--dockerfile", "/workspace/Dockerfile",
                "--destination", "registry.local:5000/echo:b-42",
                "--digest-file", "/dev/termination-log",
                "--build-arg", "PYTHON_VERSION=3.12");
        assertThat(executor(job).getTerminationMessagePath()).isEqualTo("/dev/termination-log");
        assertThat(executor(job).getTerminationMessagePolicy()).isEqualTo("File");
        assertThat(executor(job).getCommand()).isNullOrEmpty(); // the image's entrypoint, /kaniko/executor
    }

    @Test
    void executor_insecureRegistries_eachAsFlag() {
        KanikoSettings settings = new KanikoSettings("b", "k", "f", "http://h:1", Duration.ofMinutes(1),
                Duration.ofMinutes(1), Duration.ZERO, false, "", List.of("127.0.0.1:5000", "reg.local"), null, null,
                Duration.ofSeconds(1), Duration.ofSeconds(10));

        assertThat(KanikoJobSpecs.executorArgs(settings, build(Map.of())))
                .containsSubsequence("--insecure-registry", "127.0.0.1:5000", "--insecure-registry", "reg.local");
    }

    @Test
    void buildArgs_runtimeDefaultsThenSpecThenPackages() {
        FunctionSpec spec = FunctionSpec.newBuilder().setName("fn").setRuntime("python")
                .addBuildArgs("PYTHON_VERSION=3.12").addBuildArgs("EXTRA=a b=c")
                .addBuildPackages("libgomp1").addBuildPackages(" curl=7.88.1-10 ").build();

        Map<String, String> args = BuildArguments.of(RuntimeCatalog.standard().find("python").orElseThrow(), spec);

        assertThat(args).containsExactly(Map.entry("PYTHON_VERSION", "3.12"), Map.entry("EXTRA", "a b=c"),
                Map.entry("ADDITIONAL_PACKAGE", "libgomp1 curl=7.88.1-10"));
        assertThat(KanikoJobSpecs.executorArgs(SETTINGS, build(args))).containsSubsequence(
                "--build-arg", "PYTHON_VERSION=3.12", "--build-arg", "EXTRA=a b=c",
                "--build-arg", "ADDITIONAL_PACKAGE=libgomp1 curl=7.88.1-10");
    }

    @Test
    void buildArgs_tensorflowGpu_cudaCudnnUbuntuFromTheRuntime_overridable() {
        FunctionSpec spec = FunctionSpec.newBuilder().setName("gpu").setRuntime("tensorflow-gpu")
                .addBuildArgs("CUDA_VERSION=11.8.0").build();

        Map<String, String> args = BuildArguments.of(RuntimeCatalog.standard().find("tensorflow-gpu").orElseThrow(), spec);

        assertThat(args).containsEntry("CUDNN_VERSION", "8").containsEntry("UBUNTU_VERSION", "22.04")
                .containsEntry("CUDA_VERSION", "11.8.0").containsEntry("TENSORFLOW_VERSION", "2.15.1")
                .doesNotContainKey("ADDITIONAL_PACKAGE");
    }

    @Test
    void buildArgs_withoutRuntime_onlyTheSpecs() {
        FunctionSpec spec = FunctionSpec.newBuilder().setName("own").setRuntime("rust").addBuildArgs("A=1").build();

        assertThat(BuildArguments.of(null, spec)).containsExactly(Map.entry("A", "1"));
    }

    @Test
    void buildArgs_notNameValue_refusedNamingTheEntry() {
        FunctionSpec spec = FunctionSpec.newBuilder().setName("fn").addBuildArgs("A=1").addBuildArgs("JUSTANAME").build();

        assertThatThrownBy(() -> BuildArguments.of(null, spec)).isInstanceOf(BuildFailedException.class)
                .hasMessage("function fn: build_args[1]: 'JUSTANAME' (expected: NAME=value, e.g. PYTHON_VERSION=3.11)");
    }

    @Test
    void buildPackages_shellWords_refused() {
        FunctionSpec spec = FunctionSpec.newBuilder().setName("fn").addBuildPackages("curl; rm -rf /").build();

        assertThatThrownBy(() -> BuildArguments.of(null, spec)).isInstanceOf(BuildFailedException.class)
                .hasMessageContaining("function fn: build_packages[0]: 'curl; rm -rf /'");
    }

    @Test
    void fetcher_downloadsWithTheOneTimeUrlIntoTheWorkspace() {
        V1Job job = KanikoJobSpecs.job(SETTINGS, build(Map.of()));
        V1Container fetcher = fetcher(job);

        assertThat(fetcher.getName()).isEqualTo("fetch-context");
        assertThat(fetcher.getImage()).isEqualTo("docker.io/library/busybox:1.37.0");
        assertThat(fetcher.getEnv()).singleElement().satisfies(env -> {
            assertThat(env.getName()).isEqualTo("DCF_CONTEXT_URL");
            assertThat(env.getValue()).isEqualTo("http://10.0.0.7:8080/contexts/tok3n");
        });
        assertThat(fetcher.getCommand()).hasSize(3).startsWith("sh", "-c");
        assertThat(fetcher.getCommand().get(2)).contains("wget -q -O .dcf-context.tar.gz \"$DCF_CONTEXT_URL\"",
                "tar -xzf .dcf-context.tar.gz", "set -e");
        assertThat(fetcher.getVolumeMounts()).singleElement().satisfies(m -> {
            assertThat(m.getMountPath()).isEqualTo("/workspace");
            assertThat(m.getName()).isEqualTo("workspace");
        });
        assertThat(executor(job).getVolumeMounts()).extracting(m -> m.getMountPath()).containsExactly("/workspace");
        assertThat(pod(job).getVolumes()).singleElement().satisfies(v -> assertThat(v.getEmptyDir()).isNotNull());
    }

    @Test
    void securityContexts_fetcherLockedDown_executorRootWithFewCapabilities() {
        V1Job job = KanikoJobSpecs.job(SETTINGS, build(Map.of()));

        var fetcher = fetcher(job).getSecurityContext();
        assertThat(fetcher.getRunAsNonRoot()).isTrue();
        assertThat(fetcher.getRunAsUser()).isEqualTo(65534L);
        assertThat(fetcher.getReadOnlyRootFilesystem()).isTrue();
        assertThat(fetcher.getAllowPrivilegeEscalation()).isFalse();
        assertThat(fetcher.getCapabilities().getDrop()).containsExactly("ALL");
        assertThat(fetcher.getCapabilities().getAdd()).isNullOrEmpty();
        var executor = executor(job).getSecurityContext();
        assertThat(executor.getRunAsUser()).isZero();
        assertThat(executor.getPrivileged()).isFalse();
        assertThat(executor.getAllowPrivilegeEscalation()).isFalse();
        assertThat(executor.getCapabilities().getDrop()).containsExactly("ALL");
        assertThat(executor.getCapabilities().getAdd()).doesNotContain("SYS_ADMIN", "NET_RAW", "MKNOD", "NET_ADMIN")
                .contains("CHOWN", "SETUID", "SETGID");
    }

    @Test
    void registrySecret_mountedAsKanikosDockerConfig_readOnly() {
        KanikoSettings settings = new KanikoSettings("b", "k", "f", "http://h:1", Duration.ofMinutes(1),
                Duration.ofMinutes(1), Duration.ZERO, false, "push-creds", List.of(), null, null, Duration.ofSeconds(1),
                Duration.ofSeconds(10));

        V1Job job = KanikoJobSpecs.job(settings, build(Map.of()));

        V1Volume secret = pod(job).getVolumes().stream().filter(v -> v.getSecret() != null).findFirst().orElseThrow();
        assertThat(secret.getSecret().getSecretName()).isEqualTo("push-creds");
        assertThat(secret.getSecret().getItems()).singleElement().satisfies(item -> {
            assertThat(item.getKey()).isEqualTo(".dockerconfigjson");
            assertThat(item.getPath()).isEqualTo("config.json");
        });
        assertThat(executor(job).getVolumeMounts()).anySatisfy(m -> {
            assertThat(m.getName()).isEqualTo(secret.getName());
            assertThat(m.getMountPath()).isEqualTo("/kaniko/.docker");
            assertThat(m.getReadOnly()).isTrue();
        });
        assertThat(fetcher(job).getVolumeMounts()).noneMatch(m -> m.getName().equals(secret.getName()));
    }

    @Test
    void resources_fromSettings_emptyFieldsLeftOut() {
        KanikoSettings settings = new KanikoSettings("b", "k", "f", "http://h:1", Duration.ofMinutes(1),
                Duration.ofMinutes(1), Duration.ZERO, false, "", List.of(),
                new KanikoSettings.ContainerResources("500m", "1Gi", "", "4Gi"),
                new KanikoSettings.ContainerResources("", "", "", "64Mi"), Duration.ofSeconds(1), Duration.ofSeconds(10));

        V1Job job = KanikoJobSpecs.job(settings, build(Map.of()));

        assertThat(executor(job).getResources().getRequests()).containsOnly(
                Map.entry("cpu", Quantity.fromString("500m")), Map.entry("memory", Quantity.fromString("1Gi")));
        assertThat(executor(job).getResources().getLimits()).containsOnly(Map.entry("memory", Quantity.fromString("4Gi")));
        assertThat(fetcher(job).getResources().getRequests()).isNullOrEmpty();
        assertThat(fetcher(job).getResources().getLimits()).containsOnly(Map.entry("memory", Quantity.fromString("64Mi")));
    }

    @Test
    void settings_badValues_refusedNamingTheProperty() {
        assertThatThrownBy(() -> new KanikoSettings.ContainerResources("lots", "", "", ""))
                .hasMessage("dcf.build.kaniko.cpuRequest: 'lots' (expected: a Kubernetes quantity such as 500m or 1Gi)");
        assertThatThrownBy(() -> KanikoSettings.defaults("Build_NS", "http://h:1"))
                .hasMessageContaining("dcf.build.kaniko.namespace: 'Build_NS'");
        assertThatThrownBy(() -> KanikoSettings.defaults("b", "ftp://h"))
                .hasMessageContaining("dcf.build.kaniko.contextUrl: 'ftp://h'");
    }

    @Test
    void jobNames_dns1123_uniquePerId() {
        assertThat(JobNames.of("01hq3")).isEqualTo("dcf-build-01hq3");
        String odd = JobNames.of("Build_ID.With.Caps");
        String long1 = JobNames.of("x".repeat(80) + "1");
        String long2 = JobNames.of("x".repeat(80) + "2");

        assertThat(List.of(odd, long1, long2)).allMatch(FunctionNames::isValid);
        assertThat(odd).startsWith("dcf-build-build-id-with-caps-");
        assertThat(long1).isNotEqualTo(long2).hasSizeLessThanOrEqualTo(63);
        assertThat(JobNames.of("Build_ID.With.Caps")).isEqualTo(odd);
        assertThat(JobNames.of("___")).matches("dcf-build-[0-9a-f]{10}");
    }
}
