package io.dcf.gateway.backend.kubernetes;

import static io.dcf.gateway.backend.kubernetes.TestSpecs.spec;
import static org.assertj.core.api.Assertions.assertThat;

import io.dcf.proto.v1.FunctionSpec;
import io.dcf.proto.v1.Resources;
import io.kubernetes.client.custom.IntOrString;
import io.kubernetes.client.custom.Quantity;
import io.kubernetes.client.openapi.JSON;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1EmptyDirVolumeSource;
import io.kubernetes.client.openapi.models.V1EnvVar;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.kubernetes.client.openapi.models.V1Probe;
import io.kubernetes.client.openapi.models.V1SecretVolumeSource;
import io.kubernetes.client.openapi.models.V1Service;
import io.kubernetes.client.openapi.models.V1Toleration;
import io.kubernetes.client.openapi.models.V1Volume;
import io.kubernetes.client.openapi.models.V1VolumeMount;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** What {@link DeploymentSpecs} makes of config.yaml-like specs, asserted on client-java's models. */
class DeploymentSpecsTest {

    private static final KubernetesSettings SETTINGS = KubernetesSettings.defaults("dcf-fn");
    /** A Kubernetes 1.20 API server: TCP probes. */
    private static final KubernetesSettings K1_20 =
            SETTINGS.withGrpcProbes(KubernetesSettings.grpcProbesSupported("1", "20"));
    /** A Kubernetes 1.30 API server: gRPC probes. */
    private static final KubernetesSettings K1_30 =
            SETTINGS.withGrpcProbes(KubernetesSettings.grpcProbesSupported("1", "30"));

    static final FunctionSpec GPU_FUNCTION = spec("""
            name: classify
            runtime: tensorflow-gpu
            image: registry.example:5000/classify:1.2
            desc: Classifies images
            maintainer: alice@example.com
            handler: {name: Handler, file: handler.py}
            replicas: 2
            timeout: 60s
            environment: {MODEL: resnet50, DCF_TIMEOUT_MS: "1"}
            labels: {team: vision}
            annotations: {prometheus.io/scrape: "false"}
            secrets: [model-store, registry-token]
            constraints: ["cloud.google.com/gke-accelerator=nvidia-tesla-t4"]
            limits: {cpu: "2", memory: 4Gi, gpu: "1"}
            requests: {cpu: 500m, memory: 1Gi}
            """);

    @Test
    void gpuFunction_deploymentHasEverySetting() {
        V1Deployment d = DeploymentSpecs.deployment(GPU_FUNCTION, K1_20);

        assertThat(d.getApiVersion()).isEqualTo("apps/v1");
        assertThat(d.getKind()).isEqualTo("Deployment");
        assertThat(d.getMetadata().getName()).isEqualTo("classify");
        assertThat(d.getMetadata().getNamespace()).isEqualTo("dcf-fn");
        assertThat(d.getMetadata().getLabels()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "app.kubernetes.io/name", "classify", "app.kubernetes.io/managed-by", "dcf",
                "app.kubernetes.io/part-of", "dcf", "team", "vision"));
        assertThat(d.getMetadata().getAnnotations())
                .containsEntry("dcf.io/description", "Classifies images")
                .containsEntry("dcf.io/maintainer", "alice@example.com")
                .containsEntry("dcf.io/runtime", "tensorflow-gpu")
                .containsEntry("dcf.io/generation", "1")
                .containsEntry("prometheus.io/scrape", "false")
                .containsKey("dcf.io/spec");
        assertThat(d.getSpec().getReplicas()).isEqualTo(2);
        assertThat(d.getSpec().getSelector().getMatchLabels()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "app.kubernetes.io/name", "classify", "app.kubernetes.io/managed-by", "dcf"));
        assertThat(d.getSpec().getStrategy().getType()).isEqualTo("RollingUpdate");
        assertThat(d.getSpec().getStrategy().getRollingUpdate().getMaxUnavailable()).isEqualTo(new IntOrString(0));
        assertThat(d.getSpec().getStrategy().getRollingUpdate().getMaxSurge()).isEqualTo(new IntOrString(1));
        assertThat(d.getSpec().getTemplate().getMetadata().getLabels()).isEqualTo(d.getMetadata().getLabels());
        assertThat(d.getSpec().getTemplate().getMetadata().getAnnotations()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "dcf.io/runtime", "tensorflow-gpu", "dcf.io/generation", "1", "prometheus.io/scrape", "false"));

        V1PodSpec pod = d.getSpec().getTemplate().getSpec();
        assertThat(pod.getAutomountServiceAccountToken()).isFalse();
        assertThat(pod.getEnableServiceLinks()).isFalse();
        assertThat(pod.getNodeSelector()).containsExactly(
                Map.entry("cloud.google.com/gke-accelerator", "nvidia-tesla-t4"));
        assertThat(pod.getTolerations()).containsExactly(
                new V1Toleration().key("nvidia.com/gpu").operator("Exists").effect("NoSchedule"));
        assertThat(pod.getTerminationGracePeriodSeconds()).isEqualTo(60 + 10 + 5);
        assertThat(pod.getImagePullSecrets()).isNull();

        V1Container c = pod.getContainers().get(0);
        assertThat(pod.getContainers()).hasSize(1);
        assertThat(c.getName()).isEqualTo("classify");
        assertThat(c.getImage()).isEqualTo("registry.example:5000/classify:1.2");
        assertThat(c.getImagePullPolicy()).isEqualTo("Always");
        assertThat(c.getPorts()).singleElement().satisfies(p -> {
            assertThat(p.getName()).isEqualTo("grpc");
            assertThat(p.getContainerPort()).isEqualTo(50051);
            assertThat(p.getProtocol()).isEqualTo("TCP");
        });
        assertThat(c.getResources().getLimits()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "cpu", Quantity.fromString("2"), "memory", Quantity.fromString("4Gi"),
                "nvidia.com/gpu", Quantity.fromString("1")));
        assertThat(c.getResources().getRequests()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "cpu", Quantity.fromString("500m"), "memory", Quantity.fromString("1Gi"),
                "nvidia.com/gpu", Quantity.fromString("1")));
    }

    @Test
    void env_isTheWatcherContractOverTheFunctionsOwn() {
        List<V1EnvVar> env = container(DeploymentSpecs.deployment(GPU_FUNCTION, SETTINGS)).getEnv();
        Map<String, String> vars = env.stream().collect(Collectors.toMap(V1EnvVar::getName, V1EnvVar::getValue));

        assertThat(vars).containsExactlyInAnyOrderEntriesOf(Map.of(
                "MODEL", "resnet50",
                "DCF_FUNCTION_NAME", "classify",
                "DCF_HANDLER", "Handler",
                "DCF_TIMEOUT_MS", "60000", // the contract wins over the function's own DCF_TIMEOUT_MS
                "DCF_WATCHER_HOST", "0.0.0.0",
                "DCF_WATCHER_PORT", "50051",
                "DCF_MAX_CONCURRENCY", "64",
                "DCF_DRAIN_TIMEOUT_MS", "10000",
                "DCF_MAX_MESSAGE_BYTES", Integer.toString(16 << 20)));
        assertThat(env).extracting(V1EnvVar::getName).doesNotHaveDuplicates();
        assertThat(env).allSatisfy(e -> assertThat(e.getValueFrom()).isNull());
    }

    @Test
    void env_valuesAreEscapedSoKubernetesPassesThemAsWritten() {
        FunctionSpec spec = spec("""
                name: shell
                image: img:1
                environment: {GREETING: "$(HOME) costs $5 $$"}
                """);

        V1EnvVar greeting = container(DeploymentSpecs.deployment(spec, SETTINGS)).getEnv().stream()
                .filter(e -> e.getName().equals("GREETING")).findFirst().orElseThrow();

        assertThat(greeting.getValue()).isEqualTo("$$(HOME) costs $$5 $$$$");
        assertThat(KubeletExpansion.expand(greeting.getValue(), Map.of("HOME", "/root")))
                .isEqualTo("$(HOME) costs $5 $$");
        assertThat(KubeletExpansion.expand("$(HOME) costs $5 $$", Map.of("HOME", "/root")))
                .as("what the kubelet would make of the value unescaped").isEqualTo("/root costs $5 $");
    }

    @Test
    void secrets_areMountedReadOnlyUnderVarDcfSecrets_once() {
        FunctionSpec spec = spec("""
                name: with-secrets
                image: img:1
                secrets: [db-password, api.key, db-password]
                """);

        V1PodSpec pod = DeploymentSpecs.deployment(spec, SETTINGS).getSpec().getTemplate().getSpec();

        assertThat(pod.getVolumes()).containsExactly(EmptyCollections.prune(List.of(
                new V1Volume().name("tmp").emptyDir(new V1EmptyDirVolumeSource()),
                new V1Volume().name("secret-0").secret(new V1SecretVolumeSource().secretName("db-password")
                        .defaultMode(0440)),
                new V1Volume().name("secret-1").secret(new V1SecretVolumeSource().secretName("api.key")
                        .defaultMode(0440)))).toArray(V1Volume[]::new));
        assertThat(pod.getContainers().get(0).getVolumeMounts()).containsExactly(
                new V1VolumeMount().name("tmp").mountPath("/tmp"),
                new V1VolumeMount().name("secret-0").mountPath("/var/dcf/secrets/db-password").readOnly(true),
                new V1VolumeMount().name("secret-1").mountPath("/var/dcf/secrets/api.key").readOnly(true));
    }

    @Test
    void imagePullSecrets_andPullPolicy_comeFromTheSettings() {
        KubernetesSettings settings = new KubernetesSettings("team-a", Duration.ofSeconds(5), 8, Duration.ofSeconds(2),
                1 << 20, List.of("regcred", "mirror.cred"), "IfNotPresent", false, Resources.getDefaultInstance(),
                Resources.getDefaultInstance());

        V1Deployment d = DeploymentSpecs.deployment(spec("{name: plain, image: img:1}"), settings);

        V1PodSpec pod = d.getSpec().getTemplate().getSpec();
        assertThat(d.getMetadata().getNamespace()).isEqualTo("team-a");
        assertThat(pod.getImagePullSecrets()).extracting(r -> r.getName()).containsExactly("regcred", "mirror.cred");
        assertThat(pod.getContainers().get(0).getImagePullPolicy()).isEqualTo("IfNotPresent");
        assertThat(pod.getTerminationGracePeriodSeconds()).isEqualTo(5 + 2 + 5);
        assertThat(pod.getNodeSelector()).isNull();
        assertThat(pod.getTolerations()).isNull();
    }

    @Test
    void probes_onKubernetes1_20_areTcpOnTheWatchersPort() {
        V1Container c = container(DeploymentSpecs.deployment(GPU_FUNCTION, K1_20));

        for (V1Probe probe : List.of(c.getStartupProbe(), c.getReadinessProbe(), c.getLivenessProbe())) {
            assertThat(probe.getTcpSocket().getPort()).isEqualTo(new IntOrString(50051));
            assertThat(probe.getGrpc()).isNull();
            assertThat(probe.getExec()).isNull();
            assertThat(probe.getHttpGet()).isNull();
        }
        assertThat(JSON.serialize(c)).doesNotContain("\"grpc\":");
    }

    @Test
    void probes_onKubernetes1_30_askTheWatchersGrpcHealth() {
        V1Container c = container(DeploymentSpecs.deployment(GPU_FUNCTION, K1_30));

        for (V1Probe probe : List.of(c.getStartupProbe(), c.getReadinessProbe(), c.getLivenessProbe())) {
            assertThat(probe.getGrpc().getPort()).isEqualTo(50051);
            assertThat(probe.getGrpc().getService()).isNull(); // "": the watcher's overall health
            assertThat(probe.getTcpSocket()).isNull();
        }
        assertThat(c.getStartupProbe().getPeriodSeconds() * c.getStartupProbe().getFailureThreshold())
                .as("seconds a handler may take to load").isEqualTo(120);
        assertThat(c.getReadinessProbe().getPeriodSeconds()).isLessThan(c.getLivenessProbe().getPeriodSeconds());
    }

    @Test
    void securityContext_nonRootNoEscalationNoCapabilitiesRuntimeDefaultSeccompReadOnlyRoot() {
        V1PodSpec pod = DeploymentSpecs.deployment(GPU_FUNCTION, SETTINGS).getSpec().getTemplate().getSpec();

        assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(pod.getSecurityContext().getRunAsUser()).isEqualTo(10001L);
        assertThat(pod.getSecurityContext().getRunAsGroup()).isEqualTo(10001L);
        assertThat(pod.getSecurityContext().getFsGroup()).isEqualTo(10001L);
        assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
        var container = pod.getContainers().get(0).getSecurityContext();
        assertThat(container.getAllowPrivilegeEscalation()).isFalse();
        assertThat(container.getPrivileged()).isFalse();
        assertThat(container.getReadOnlyRootFilesystem()).isTrue();
        assertThat(container.getCapabilities().getDrop()).containsExactly("ALL");
        assertThat(container.getCapabilities().getAdd()).isNull();
    }

    @Test
    void generation_isOnTheDeploymentAndItsPodTemplate_soAnUpdateRollsEvenWithTheSameImage() {
        V1Deployment first = DeploymentSpecs.deployment(GPU_FUNCTION, SETTINGS, 1);
        V1Deployment second = DeploymentSpecs.deployment(GPU_FUNCTION, SETTINGS, 2);

        assertThat(FunctionMetadata.generation(first.getMetadata())).isEqualTo(1);
        assertThat(FunctionMetadata.generation(second.getMetadata())).isEqualTo(2);
        assertThat(FunctionMetadata.generation(second.getSpec().getTemplate().getMetadata())).isEqualTo(2);
        assertThat(second.getSpec().getTemplate()).isNotEqualTo(first.getSpec().getTemplate());
        assertThat(second.getSpec().getTemplate().getSpec()).isEqualTo(first.getSpec().getTemplate().getSpec());
        assertThat(DeploymentSpecs.deployment(GPU_FUNCTION, SETTINGS, 1)).as("deterministic").isEqualTo(first);
    }

    @Test
    void service_isClusterIpOnPort50051SelectingTheFunctionsPods() {
        V1Service s = DeploymentSpecs.service(GPU_FUNCTION, SETTINGS);

        assertThat(s.getApiVersion()).isEqualTo("v1");
        assertThat(s.getKind()).isEqualTo("Service");
        assertThat(s.getMetadata().getName()).isEqualTo("classify");
        assertThat(s.getMetadata().getNamespace()).isEqualTo("dcf-fn");
        assertThat(s.getMetadata().getLabels()).containsEntry("app.kubernetes.io/managed-by", "dcf")
                .containsEntry("team", "vision");
        assertThat(s.getSpec().getType()).isEqualTo("ClusterIP");
        assertThat(s.getSpec().getSelector()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "app.kubernetes.io/name", "classify", "app.kubernetes.io/managed-by", "dcf"));
        assertThat(s.getSpec().getPorts()).singleElement().satisfies(p -> {
            assertThat(p.getName()).isEqualTo("grpc");
            assertThat(p.getPort()).isEqualTo(50051);
            assertThat(p.getTargetPort()).isEqualTo(new IntOrString("grpc"));
            assertThat(p.getProtocol()).isEqualTo("TCP");
        });
        assertThat(DeploymentSpecs.deployment(GPU_FUNCTION, SETTINGS).getSpec().getTemplate().getMetadata().getLabels())
                .containsAllEntriesOf(s.getSpec().getSelector());
    }

    @Test
    void selectorsAndScale_forTheBackendsCalls() {
        assertThat(DeploymentSpecs.managedSelector()).isEqualTo("app.kubernetes.io/managed-by=dcf");
        assertThat(DeploymentSpecs.selector("classify"))
                .isEqualTo("app.kubernetes.io/name=classify,app.kubernetes.io/managed-by=dcf");
        var scale = DeploymentSpecs.scale("classify", SETTINGS, 3);
        assertThat(scale.getMetadata().getName()).isEqualTo("classify");
        assertThat(scale.getMetadata().getNamespace()).isEqualTo("dcf-fn");
        assertThat(scale.getSpec().getReplicas()).isEqualTo(3);
    }

    private static V1Container container(V1Deployment d) {
        return d.getSpec().getTemplate().getSpec().getContainers().get(0);
    }
}
