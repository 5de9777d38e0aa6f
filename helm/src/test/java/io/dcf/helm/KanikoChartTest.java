package io.dcf.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1EnvVar;
import io.kubernetes.client.openapi.models.V1Namespace;
import io.kubernetes.client.openapi.models.V1PolicyRule;
import io.kubernetes.client.openapi.models.V1Role;
import io.kubernetes.client.openapi.models.V1RoleBinding;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** kaniko.*: the build namespace and build-service's Role there, and the schema of the values. */
class KanikoChartTest {

    @Test
    void disabledByDefault_nothingForBuilds() {
        Rendered rendered = Chart.template(Map.of());

        assertThat(rendered.all(V1Namespace.class)).extracting(ns -> ns.getMetadata().getName())
                .doesNotContain("dcf-build");
        assertThat(rendered.all(V1Role.class)).noneMatch(r -> r.getMetadata().getNamespace().equals("dcf-build"));
    }

    @Test
    void enabled_buildNamespaceWithARoleForJobsPodsAndLogsOnly() {
        Rendered rendered = Chart.template(Map.of("kaniko.enabled", true));

        assertThat(rendered.all(V1Namespace.class)).anySatisfy(ns -> {
            assertThat(ns.getMetadata().getName()).isEqualTo("dcf-build");
            assertThat(ns.getMetadata().getLabels()).containsEntry("app.kubernetes.io/component", "build");
        });
        V1Role role = rendered.all(V1Role.class).stream()
                .filter(r -> r.getMetadata().getNamespace().equals("dcf-build")).findFirst().orElseThrow();
        assertThat(role.getMetadata().getName()).isEqualTo("dcf-build-service");
        assertThat(role.getRules()).extracting(KanikoChartTest::rule).containsExactlyInAnyOrder(
                "batch jobs [create, delete, get, list, watch]",
                " pods [get, list, watch]",
                " pods/log [get]");
        V1RoleBinding binding = rendered.all(V1RoleBinding.class).stream()
                .filter(b -> b.getMetadata().getNamespace().equals("dcf-build")).findFirst().orElseThrow();
        assertThat(binding.getRoleRef().getName()).isEqualTo("dcf-build-service");
        assertThat(binding.getSubjects()).singleElement().satisfies(subject -> {
            assertThat(subject.getKind()).isEqualTo("ServiceAccount");
            assertThat(subject.getName()).isEqualTo("dcf-build-service");
            assertThat(subject.getNamespace()).isEqualTo(Chart.NAMESPACE);
        });
    }

    private static String rule(V1PolicyRule rule) {
        return String.join(",", rule.getApiGroups()) + " " + String.join(",", rule.getResources()) + " "
                + rule.getVerbs().stream().sorted().toList();
    }

    @Test
    void withBuildService_itsContainerGetsTheKanikoSettings() {
        Rendered rendered = Chart.templateYaml("""
                buildService: {enabled: true}
                kaniko:
                  enabled: true
                  executorImage: reg.local/kaniko:1
                  activeDeadlineSeconds: 900
                  insecureRegistries: [127.0.0.1:5000, reg.local]
                  registrySecret: push-creds
                  resources: {executor: {limits: {cpu: 2, memory: 8Gi}}}
                """);
        V1Deployment deployment = rendered.all(V1Deployment.class).stream()
                .filter(d -> d.getMetadata().getName().equals("dcf-build-service")).findFirst().orElseThrow();
        Map<String, String> env = deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
                .collect(Collectors.toMap(V1EnvVar::getName, e -> Objects.requireNonNullElse(e.getValue(), "")));

        assertThat(env).containsEntry("DCF_BUILD_KANIKO_ENABLED", "true")
                .containsEntry("DCF_BUILD_KANIKO_NAMESPACE", "dcf-build")
                .containsEntry("DCF_BUILD_KANIKO_EXECUTORIMAGE", "reg.local/kaniko:1")
                .containsEntry("DCF_BUILD_KANIKO_FETCHERIMAGE", "docker.io/library/busybox:1.37.0")
                .containsEntry("DCF_BUILD_KANIKO_CONTEXTURL", "http://dcf-build-service." + Chart.NAMESPACE
                        + ".svc.cluster.local:31114")
                .containsEntry("DCF_BUILD_KANIKO_ACTIVEDEADLINE", "900s")
                .containsEntry("DCF_BUILD_KANIKO_TTLAFTERFINISHED", "600s")
                .containsEntry("DCF_BUILD_KANIKO_KEEPFINISHEDJOBS", "false")
                .containsEntry("DCF_BUILD_KANIKO_REGISTRYSECRET", "push-creds")
                .containsEntry("DCF_BUILD_KANIKO_INSECUREREGISTRIES", "127.0.0.1:5000,reg.local")
                .containsEntry("DCF_BUILD_KANIKO_EXECUTOR_CPUREQUEST", "500m") // the default, merged
                .containsEntry("DCF_BUILD_KANIKO_EXECUTOR_CPULIMIT", "2")
                .containsEntry("DCF_BUILD_KANIKO_EXECUTOR_MEMORYLIMIT", "8Gi")
                .containsEntry("DCF_BUILD_KANIKO_FETCHER_MEMORYLIMIT", "64Mi");
        assertThat(deployment.getSpec().getTemplate().getSpec().getAutomountServiceAccountToken()).isTrue();
    }

    @Test
    void withBuildServiceWithoutKaniko_noKanikoSettings() {
        Rendered rendered = Chart.template(Map.of("buildService.enabled", true));
        V1Deployment deployment = rendered.all(V1Deployment.class).stream()
                .filter(d -> d.getMetadata().getName().equals("dcf-build-service")).findFirst().orElseThrow();

        assertThat(deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv())
                .extracting(V1EnvVar::getName).noneMatch(name -> name.startsWith("DCF_BUILD_KANIKO_"));
    }

    @Test
    void existingNamespace_noNamespaceMade_roleStillThere() {
        Rendered rendered = Chart.template(Map.of("kaniko.enabled", true, "kaniko.namespace.create", false,
                "kaniko.namespace.name", "builds"));

        assertThat(rendered.all(V1Namespace.class)).extracting(ns -> ns.getMetadata().getName())
                .doesNotContain("builds");
        assertThat(rendered.all(V1Role.class)).extracting(r -> r.getMetadata().getNamespace()).contains("builds");
    }

    @Test
    void rbacOff_noRole() {
        Rendered rendered = Chart.template(Map.of("kaniko.enabled", true, "kaniko.rbac.create", false));

        assertThat(rendered.all(V1Role.class)).noneMatch(r -> r.getMetadata().getNamespace().equals("dcf-build"));
    }

    @Test
    void buildNamespaceSameAsFunctions_refused() {
        assertThatThrownBy(() -> Chart.template(Map.of("kaniko.enabled", true, "kaniko.namespace.name", "dcf-fn")))
                .hasMessageContaining("kaniko.namespace.name: 'dcf-fn' is the function namespace too");
        assertThatThrownBy(() -> Chart.template(Map.of("kaniko.enabled", true, "kaniko.namespace.name", Chart.NAMESPACE)))
                .hasMessageContaining("kaniko.namespace.name: '" + Chart.NAMESPACE + "' is the release's own namespace");
    }

    @Test
    void badValues_refusedByTheSchema() {
        for (Map<String, Object> values : List.<Map<String, Object>>of(
                Map.of("kaniko.activeDeadlineSeconds", 0),
                Map.of("kaniko.ttlSecondsAfterFinished", -1),
                Map.of("kaniko.contextUrl", "ftp://x"),
                Map.of("kaniko.registrySecret", "Bad_Secret"),
                Map.of("kaniko.namespace.name", "Bad_NS"),
                Map.of("kaniko.executorImage", ""),
                Map.of("kaniko.resources.executor.limit.memory", "4Gi"))) {
            assertThatThrownBy(() -> Chart.template(values)).as("%s", values)
                    .hasMessageContaining("values don't meet the specifications of the schema")
                    .hasMessageContaining("kaniko");
        }
    }
}
