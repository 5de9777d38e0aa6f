package io.dcf.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import com.marcnuri.helm.LintResult;
import io.kubernetes.client.common.KubernetesObject;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1EnvVar;
import io.kubernetes.client.openapi.models.V1Namespace;
import io.kubernetes.client.openapi.models.V1PodDisruptionBudget;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.kubernetes.client.openapi.models.V1PolicyRule;
import io.kubernetes.client.openapi.models.V1Probe;
import io.kubernetes.client.openapi.models.V1Role;
import io.kubernetes.client.openapi.models.V1RoleBinding;
import io.kubernetes.client.openapi.models.V1Secret;
import io.kubernetes.client.openapi.models.V1SecurityContext;
import io.kubernetes.client.openapi.models.V1Service;
import io.kubernetes.client.openapi.models.V1ServiceAccount;
import io.kubernetes.client.openapi.models.V1VolumeMount;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The chart with its default values, as `helm template` renders it, parsed into client-java's models. */
class ChartDefaultsTest {

    private static Rendered rendered;

    @BeforeAll
    static void render() {
        rendered = Chart.template(Map.of());
    }

    @Test
    void lint_strict_passesWithoutWarnings() {
        LintResult lint = Chart.helm().lint().strict().call();

        assertThat(lint.isFailed()).as("%s", lint.getMessages()).isFalse();
        assertThat(lint.getMessages()).noneMatch(m -> m.contains("[WARNING]") || m.contains("[ERROR]"));
    }

    @Test
    void defaults_renderTheGatewayItsRbacAndTheFunctionNamespace_nothingClusterWide() {
        assertThat(rendered.kinds()).containsOnly(
                entry("Namespace", 1L), entry("ServiceAccount", 1L), entry("Secret", 1L), entry("Role", 1L),
                entry("RoleBinding", 1L), entry("Service", 1L), entry("Deployment", 1L),
                entry("PodDisruptionBudget", 1L));
        assertThat(rendered.one(V1Namespace.class).getMetadata().getName()).isEqualTo("dcf-fn");
        assertThat(rendered.one(V1Role.class).getMetadata().getNamespace()).isEqualTo("dcf-fn");
        assertThat(rendered.one(V1RoleBinding.class).getMetadata().getNamespace()).isEqualTo("dcf-fn");
        for (Class<? extends KubernetesObject> type : List.of(V1Deployment.class, V1Service.class,
                V1ServiceAccount.class, V1Secret.class, V1PodDisruptionBudget.class)) {
            assertThat(rendered.one(type).getMetadata().getNamespace()).as(type.getSimpleName())
                    .isEqualTo(Chart.NAMESPACE);
        }
    }

    @Test
    void everyObject_carriesTheRecommendedLabels() {
        for (KubernetesObject object : rendered.objects()) {
            assertThat(object.getMetadata().getLabels()).as("%s %s", object.getKind(), object.getMetadata().getName())
                    .contains(entry("app.kubernetes.io/name", "dcf"), entry("app.kubernetes.io/instance", Chart.RELEASE),
                            entry("app.kubernetes.io/version", System.getProperty("dcf.project.version")),
                            entry("app.kubernetes.io/managed-by", "Helm"), entry("app.kubernetes.io/part-of", "dcf"),
                            entry("helm.sh/chart", "dcf-0.1.0"))
                    .containsKey("app.kubernetes.io/component");
        }
    }

    @Test
    void chartAppVersion_isTheProjectVersion_theImageTagByDefault() {
        String version = System.getProperty("dcf.project.version");
        V1Container gateway = Containers.gateway(rendered.one(V1Deployment.class));

        assertThat(version).as("system property dcf.project.version (set by Maven)").isNotBlank();
        assertThat(gateway.getImage()).isEqualTo("dcf/gateway-service:" + version);
        assertThat(gateway.getImagePullPolicy()).isEqualTo("IfNotPresent");
        assertThat(gateway.getCommand()).as("the image's entrypoint runs the gateway").isNullOrEmpty();
        assertThat(gateway.getArgs()).isNullOrEmpty();
    }

    @Test
    void deployment_selectsItsOwnPods_serviceAndBudgetSelectTheSame() {
        V1Deployment deployment = rendered.one(V1Deployment.class);
        Map<String, String> selector = deployment.getSpec().getSelector().getMatchLabels();

        assertThat(selector).containsOnly(entry("app.kubernetes.io/name", "dcf"),
                entry("app.kubernetes.io/instance", Chart.RELEASE), entry("app.kubernetes.io/component", "gateway"));
        assertThat(deployment.getSpec().getTemplate().getMetadata().getLabels()).containsAllEntriesOf(selector);
        assertThat(rendered.one(V1Service.class).getSpec().getSelector()).isEqualTo(selector);
        assertThat(rendered.one(V1PodDisruptionBudget.class).getSpec().getSelector().getMatchLabels())
                .isEqualTo(selector);
        assertThat(deployment.getSpec().getReplicas()).isEqualTo(1);
        assertThat(deployment.getSpec().getStrategy().getRollingUpdate().getMaxUnavailable().getIntValue()).isZero();
    }

    @Test
    void pod_runsAsNonRootWithReadOnlyRootAndNoCapabilities() {
        V1Deployment deployment = rendered.one(V1Deployment.class);
        V1PodSpec pod = deployment.getSpec().getTemplate().getSpec();
        V1SecurityContext container = Containers.gateway(deployment).getSecurityContext();

        assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(pod.getSecurityContext().getRunAsUser()).isEqualTo(10001L);
        assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
        assertThat(container.getRunAsNonRoot()).isTrue();
        assertThat(container.getRunAsUser()).isEqualTo(10001L);
        assertThat(container.getReadOnlyRootFilesystem()).isTrue();
        assertThat(container.getAllowPrivilegeEscalation()).isFalse();
        assertThat(container.getCapabilities().getDrop()).containsExactly("ALL");
        assertThat(container.getCapabilities().getAdd()).isNullOrEmpty();
        assertThat(container.getPrivileged()).isNull();
        assertThat(pod.getServiceAccountName()).isEqualTo(rendered.one(V1ServiceAccount.class).getMetadata().getName());
        assertThat(pod.getEnableServiceLinks()).as("no DCF_GATEWAY_PORT=tcp://... from the Service's link variables")
                .isFalse();
    }

    @Test
    void writableDirectories_areEmptyDirs_tokenIsAMountedSecret() {
        V1Deployment deployment = rendered.one(V1Deployment.class);
        Map<String, String> mounts = Containers.gateway(deployment).getVolumeMounts().stream()
                .collect(Collectors.toMap(V1VolumeMount::getMountPath, V1VolumeMount::getName));

        assertThat(mounts).containsOnly(entry("/tmp", "tmp"), entry("/var/dcf/home", "home"),
                entry("/var/dcf/auth", "token"));
        assertThat(Containers.volume(deployment, "tmp").getEmptyDir()).isNotNull();
        assertThat(Containers.volume(deployment, "home").getEmptyDir()).isNotNull();
        var token = Containers.volume(deployment, "token").getSecret();
        assertThat(token.getSecretName()).isEqualTo(rendered.one(V1Secret.class).getMetadata().getName());
        assertThat(token.getItems()).singleElement()
                .satisfies(item -> assertThat(item.getKey() + "->" + item.getPath()).isEqualTo("token->token"));
        assertThat(token.getDefaultMode()).isEqualTo(0440);
    }

    @Test
    void env_configuresTheKubernetesBackend() {
        V1Container gateway = Containers.gateway(rendered.one(V1Deployment.class));
        Map<String, String> env = Containers.env(gateway);

        assertThat(env).contains(entry("DCF_GATEWAY_BACKEND", "kubernetes"),
                entry("DCF_GATEWAY_KUBERNETES_NAMESPACE", "dcf-fn"), entry("DCF_GATEWAY_BIND_ADDRESS", "0.0.0.0"),
                entry("DCF_GATEWAY_PORT", "31113"), entry("DCF_HOME", "/var/dcf/home"),
                entry("DCF_GATEWAY_AUTH_TOKEN_FILE", "/var/dcf/auth/token"));
        assertThat(env).doesNotContainKeys("DCF_GATEWAY_TLS_CERT", "DCF_GATEWAY_TLS_KEY", "DCF_GATEWAY_AUTH_TOKEN",
                "JAVA_TOOL_OPTIONS");
        assertThat(env.get("DCF_GATEWAY_ALLOWED_HOSTS").split(",")).containsExactly("$(POD_IP)", "dcf-gateway",
                "dcf-gateway.dcf-system", "dcf-gateway.dcf-system.svc", "dcf-gateway.dcf-system.svc.cluster.local");
        // $(POD_IP) expands only when POD_IP is defined before it.
        List<String> names = gateway.getEnv().stream().map(V1EnvVar::getName).toList();
        assertThat(names.indexOf("POD_IP")).isLessThan(names.indexOf("DCF_GATEWAY_ALLOWED_HOSTS")).isNotNegative();
        assertThat(gateway.getEnv().get(names.indexOf("POD_IP")).getValueFrom().getFieldRef().getFieldPath())
                .isEqualTo("status.podIP");
    }

    @Test
    void probes_askTheGatewaysOwnHealth_overPlainHttp() {
        V1Container gateway = Containers.gateway(rendered.one(V1Deployment.class));

        for (V1Probe probe : List.of(gateway.getStartupProbe(), gateway.getLivenessProbe(),
                gateway.getReadinessProbe())) {
            assertThat(probe.getHttpGet().getPath()).isEqualTo("/system/health");
            assertThat(probe.getHttpGet().getPort().getStrValue()).isEqualTo("http");
            assertThat(probe.getHttpGet().getScheme()).isEqualTo("HTTP");
        }
        assertThat(gateway.getStartupProbe().getFailureThreshold() * gateway.getStartupProbe().getPeriodSeconds())
                .as("seconds a slow start may take").isGreaterThanOrEqualTo(60);
        assertThat(gateway.getPorts()).singleElement().satisfies(port -> {
            assertThat(port.getName()).isEqualTo("http");
            assertThat(port.getContainerPort()).isEqualTo(31113);
        });
    }

    @Test
    void podTemplate_isAnnotatedForPrometheus_andHasResources() {
        V1Deployment deployment = rendered.one(V1Deployment.class);

        assertThat(deployment.getSpec().getTemplate().getMetadata().getAnnotations()).containsOnly(
                entry("prometheus.io/scrape", "true"), entry("prometheus.io/port", "31113"),
                entry("prometheus.io/path", "/metrics"), entry("prometheus.io/scheme", "http"));
        var resources = Containers.gateway(deployment).getResources();
        assertThat(resources.getRequests()).containsKeys("cpu", "memory");
        assertThat(resources.getLimits()).containsKey("memory");
    }

    @Test
    void service_isClusterIpOnPort31113() {
        V1Service service = rendered.one(V1Service.class);

        assertThat(service.getMetadata().getName()).isEqualTo("dcf-gateway");
        assertThat(service.getSpec().getType()).isEqualTo("ClusterIP");
        assertThat(service.getSpec().getPorts()).singleElement().satisfies(port -> {
            assertThat(port.getPort()).isEqualTo(31113);
            assertThat(port.getTargetPort().getStrValue()).isEqualTo("http");
            assertThat(port.getProtocol()).isEqualTo("TCP");
            assertThat(port.getNodePort()).isNull();
        });
    }

    @Test
    void role_grantsOnlyWhatTheBackendUses_inTheFunctionNamespace() {
        List<String> rules = rendered.one(V1Role.class).getRules().stream().map(ChartDefaultsTest::describe).toList();

        assertThat(rules).containsExactlyInAnyOrder(
                "apps/deployments: get list watch create update patch delete",
                "apps/deployments/scale: get update patch",
                "autoscaling/horizontalpodautoscalers: create update delete",
                "/services: get list watch create update patch delete",
                "/pods: get list watch",
                "/pods/log: get",
                "/events: get list watch",
                "discovery.k8s.io/endpointslices: get list watch");
        assertThat(rendered.one(V1Role.class).getRules()).allSatisfy(rule -> {
            assertThat(rule.getResourceNames()).isNullOrEmpty();
            assertThat(rule.getNonResourceURLs()).isNullOrEmpty();
        });
    }

    @Test
    void roleBinding_bindsTheGatewaysServiceAccountFromTheReleaseNamespace() {
        V1RoleBinding binding = rendered.one(V1RoleBinding.class);

        assertThat(binding.getRoleRef().getKind()).isEqualTo("Role");
        assertThat(binding.getRoleRef().getName()).isEqualTo(rendered.one(V1Role.class).getMetadata().getName());
        assertThat(binding.getSubjects()).singleElement().satisfies(subject -> {
            assertThat(subject.getKind()).isEqualTo("ServiceAccount");
            assertThat(subject.getName()).isEqualTo("dcf-gateway");
            assertThat(subject.getNamespace()).isEqualTo(Chart.NAMESPACE);
        });
    }

    @Test
    void secret_holdsARandom43CharacterToken_newOnEachInstall() {
        String token = new String(rendered.one(V1Secret.class).getData().get("token"), StandardCharsets.UTF_8);
        String other = new String(Chart.template(Map.of()).one(V1Secret.class).getData().get("token"),
                StandardCharsets.UTF_8);

        assertThat(token).matches("[A-Za-z0-9]{43}");
        assertThat(other).matches("[A-Za-z0-9]{43}").isNotEqualTo(token);
    }

    @Test
    void podDisruptionBudget_allowsOneGatewayDown_policyV1WithoutACluster() {
        V1PodDisruptionBudget budget = rendered.one(V1PodDisruptionBudget.class);

        // `helm template` knows client-go's group/versions only (no kinds): policy/v1 is among them.
        assertThat(budget.getApiVersion()).isEqualTo("policy/v1");
        assertThat(budget.getSpec().getMaxUnavailable().getIntValue()).isEqualTo(1);
        assertThat(budget.getSpec().getMinAvailable()).isNull();
    }

    private static String describe(V1PolicyRule rule) {
        return String.join(",", rule.getApiGroups()) + "/" + String.join(",", rule.getResources()) + ": "
                + String.join(" ", rule.getVerbs());
    }
}
