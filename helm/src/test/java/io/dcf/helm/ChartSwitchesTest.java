package io.dcf.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1Namespace;
import io.kubernetes.client.openapi.models.V1PodDisruptionBudget;
import io.kubernetes.client.openapi.models.V1Probe;
import io.kubernetes.client.openapi.models.V1Role;
import io.kubernetes.client.openapi.models.V1RoleBinding;
import io.kubernetes.client.openapi.models.V1Secret;
import io.kubernetes.client.openapi.models.V1SecretVolumeSource;
import io.kubernetes.client.openapi.models.V1Service;
import io.kubernetes.client.openapi.models.V1ServiceAccount;
import io.kubernetes.client.openapi.models.V1VolumeMount;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The chart's switches: each value changes what it should, and only that. */
class ChartSwitchesTest {

    @Test
    void nodePort_withAFixedPort() {
        V1Service service = Chart.template(Map.of("service.type", "NodePort", "service.nodePort", 30113))
                .one(V1Service.class);

        assertThat(service.getSpec().getType()).isEqualTo("NodePort");
        assertThat(service.getSpec().getPorts()).singleElement().satisfies(port -> {
            assertThat(port.getPort()).isEqualTo(31113);
            assertThat(port.getNodePort()).isEqualTo(30113);
        });
    }

    @Test
    void nodePort_withoutAPort_letsKubernetesPick() {
        V1Service service = Chart.template(Map.of("service.type", "NodePort")).one(V1Service.class);

        assertThat(service.getSpec().getType()).isEqualTo("NodePort");
        assertThat(service.getSpec().getPorts().get(0).getNodePort()).isNull();
    }

    @Test
    void clusterIp_ignoresANodePort() {
        V1Service service = Chart.template(Map.of("service.nodePort", 30113)).one(V1Service.class);

        assertThat(service.getSpec().getType()).isEqualTo("ClusterIP");
        assertThat(service.getSpec().getPorts().get(0).getNodePort()).isNull();
    }

    @Test
    void loadBalancer_withSourceRangesAndAnnotations() {
        V1Service service = Chart.templateYaml("""
                service:
                  type: LoadBalancer
                  port: 443
                  loadBalancerSourceRanges: [10.0.0.0/8, 192.168.0.0/16]
                  annotations: {example.com/lb: internal}
                """).one(V1Service.class);

        assertThat(service.getSpec().getType()).isEqualTo("LoadBalancer");
        assertThat(service.getSpec().getPorts().get(0).getPort()).isEqualTo(443);
        assertThat(service.getSpec().getPorts().get(0).getTargetPort().getStrValue()).isEqualTo("http");
        assertThat(service.getSpec().getLoadBalancerSourceRanges()).containsExactly("10.0.0.0/8", "192.168.0.0/16");
        assertThat(service.getMetadata().getAnnotations()).containsExactly(entry("example.com/lb", "internal"));
    }

    @Test
    void existingSecret_isMountedWithItsKey_andNoSecretIsMade() {
        Rendered rendered = Chart.template(Map.of("auth.existingSecret", "my-token",
                "auth.existingSecretKey", "gateway-token"));
        V1SecretVolumeSource token = Containers.volume(rendered.one(V1Deployment.class), "token").getSecret();

        assertThat(rendered.all(V1Secret.class)).isEmpty();
        assertThat(token.getSecretName()).isEqualTo("my-token");
        assertThat(token.getItems()).singleElement().satisfies(item -> {
            assertThat(item.getKey()).isEqualTo("gateway-token");
            assertThat(item.getPath()).isEqualTo("token");
        });
        assertThat(Containers.env(Containers.gateway(rendered.one(V1Deployment.class))))
                .containsEntry("DCF_GATEWAY_AUTH_TOKEN_FILE", "/var/dcf/auth/token");
    }

    @Test
    void tls_mountsTheSecret_passesBothFiles_andProbesOverHttps() {
        V1Deployment deployment = Chart.template(Map.of("tls.secretName", "gateway-tls")).one(V1Deployment.class);
        V1Container gateway = Containers.gateway(deployment);

        assertThat(Containers.env(gateway)).contains(entry("DCF_GATEWAY_TLS_CERT", "/var/dcf/tls/tls.crt"),
                entry("DCF_GATEWAY_TLS_KEY", "/var/dcf/tls/tls.key"));
        assertThat(gateway.getVolumeMounts()).filteredOn(m -> m.getName().equals("tls")).singleElement()
                .satisfies(m -> {
                    assertThat(m.getMountPath()).isEqualTo("/var/dcf/tls");
                    assertThat(m.getReadOnly()).isTrue();
                });
        assertThat(Containers.volume(deployment, "tls").getSecret().getSecretName()).isEqualTo("gateway-tls");
        for (V1Probe probe : List.of(gateway.getStartupProbe(), gateway.getLivenessProbe(),
                gateway.getReadinessProbe())) {
            assertThat(probe.getHttpGet().getScheme()).isEqualTo("HTTPS");
        }
        assertThat(deployment.getSpec().getTemplate().getMetadata().getAnnotations())
                .containsEntry("prometheus.io/scheme", "https");
    }

    @Test
    void existingFunctionNamespace_isNotCreated_butTheRoleLivesThere() {
        Rendered rendered = Chart.template(Map.of("functionNamespace.create", false,
                "functionNamespace.name", "team-functions"));

        assertThat(rendered.all(V1Namespace.class)).isEmpty();
        assertThat(rendered.one(V1Role.class).getMetadata().getNamespace()).isEqualTo("team-functions");
        assertThat(rendered.one(V1RoleBinding.class).getMetadata().getNamespace()).isEqualTo("team-functions");
        assertThat(Containers.env(Containers.gateway(rendered.one(V1Deployment.class))))
                .containsEntry("DCF_GATEWAY_KUBERNETES_NAMESPACE", "team-functions");
    }

    @Test
    void functionNamespace_sameAsTheRelease_runsThereWithoutCreatingIt() {
        Rendered rendered = Chart.template(Map.of("functionNamespace.create", false,
                "functionNamespace.name", Chart.NAMESPACE));

        assertThat(rendered.all(V1Namespace.class)).isEmpty();
        assertThat(rendered.one(V1Role.class).getMetadata().getNamespace()).isEqualTo(Chart.NAMESPACE);
    }

    @Test
    void functionNamespace_createdAndSameAsTheRelease_failsNamingTheValue() {
        assertThatThrownBy(() -> Chart.template(Map.of("functionNamespace.name", Chart.NAMESPACE)))
                .hasMessageContaining("functionNamespace.name: 'dcf-system' is the release's own namespace")
                .hasMessageContaining("functionNamespace.create=false");
    }

    @Test
    void functionNamespace_keep_annotatesItForHelmToLeave() {
        V1Namespace namespace = Chart.template(Map.of("functionNamespace.keep", true)).one(V1Namespace.class);

        assertThat(namespace.getMetadata().getAnnotations()).containsEntry("helm.sh/resource-policy", "keep");
    }

    @Test
    void allowedHosts_extraNamesFollowTheServiceNames() {
        V1Container gateway = Containers.gateway(Chart.templateYaml("""
                gateway:
                  allowedHosts: [gw.example.com, 10.0.0.5]
                  clusterDomain: corp.local
                """).one(V1Deployment.class));

        assertThat(Containers.env(gateway).get("DCF_GATEWAY_ALLOWED_HOSTS")).isEqualTo("$(POD_IP),dcf-gateway,"
                + "dcf-gateway.dcf-system,dcf-gateway.dcf-system.svc,dcf-gateway.dcf-system.svc.corp.local,"
                + "gw.example.com,10.0.0.5");
    }

    @Test
    void hostAliases_reachThePodSpec() {
        V1Deployment deployment = Chart.templateYaml("""
                hostAliases:
                  - {ip: 10.244.0.1, hostnames: [kubernetes.default.svc, api.internal]}
                """).one(V1Deployment.class);

        assertThat(deployment.getSpec().getTemplate().getSpec().getHostAliases()).singleElement().satisfies(alias -> {
            assertThat(alias.getIp()).isEqualTo("10.244.0.1");
            assertThat(alias.getHostnames()).containsExactly("kubernetes.default.svc", "api.internal");
        });
        assertThat(Chart.template(Map.of()).one(V1Deployment.class).getSpec().getTemplate().getSpec().getHostAliases())
                .as("none by default").isNullOrEmpty();
    }

    @Test
    void rbacAndServiceAccountOff_useAnExistingAccount() {
        Rendered rendered = Chart.template(Map.of("rbac.create", false, "serviceAccount.create", false,
                "serviceAccount.name", "dcf-operator"));

        assertThat(rendered.all(V1Role.class)).isEmpty();
        assertThat(rendered.all(V1RoleBinding.class)).isEmpty();
        assertThat(rendered.all(V1ServiceAccount.class)).isEmpty();
        assertThat(rendered.one(V1Deployment.class).getSpec().getTemplate().getSpec().getServiceAccountName())
                .isEqualTo("dcf-operator");
    }

    @Test
    void podDisruptionBudget_minAvailableWins_orIsOff() {
        V1PodDisruptionBudget budget = Chart.template(Map.of("replicaCount", 3,
                "podDisruptionBudget.minAvailable", "50%")).one(V1PodDisruptionBudget.class);

        assertThat(budget.getSpec().getMinAvailable().getStrValue()).isEqualTo("50%");
        assertThat(budget.getSpec().getMaxUnavailable()).isNull();
        assertThat(Chart.template(Map.of("podDisruptionBudget.enabled", false)).all(V1PodDisruptionBudget.class))
                .isEmpty();
    }

    @Test
    void imageAndPodSettings_reachThePod() {
        V1Deployment deployment = Chart.template(Map.of("image.repository", "127.0.0.1:5000/dcf/gateway-service",
                "image.tag", "test", "image.pullPolicy", "Always", "imagePullSecrets[0].name", "regcred",
                "replicaCount", 2, "gateway.jvmOptions", "-Xmx256m",
                "nodeSelector.kubernetes\\.io/os", "linux", "podAnnotations.team", "ml",
                "gateway.extraEnv[0].name", "DCF_GATEWAY_DEFAULT_TIMEOUT",
                "gateway.extraEnv[0].value", "2m")).one(V1Deployment.class);
        V1Container gateway = Containers.gateway(deployment);
        var pod = deployment.getSpec().getTemplate();

        assertThat(gateway.getImage()).isEqualTo("127.0.0.1:5000/dcf/gateway-service:test");
        assertThat(gateway.getImagePullPolicy()).isEqualTo("Always");
        assertThat(pod.getSpec().getImagePullSecrets()).singleElement()
                .satisfies(s -> assertThat(s.getName()).isEqualTo("regcred"));
        assertThat(deployment.getSpec().getReplicas()).isEqualTo(2);
        assertThat(Containers.env(gateway)).contains(entry("JAVA_TOOL_OPTIONS", "-Xmx256m"),
                entry("DCF_GATEWAY_DEFAULT_TIMEOUT", "2m"));
        assertThat(pod.getSpec().getNodeSelector()).containsExactly(entry("kubernetes.io/os", "linux"));
        assertThat(pod.getMetadata().getAnnotations()).containsEntry("team", "ml")
                .containsEntry("prometheus.io/scrape", "true");
    }

    @Test
    void metricsScrapeOff_dropsThePrometheusAnnotations() {
        V1Deployment deployment = Chart.template(Map.of("metrics.scrape", false)).one(V1Deployment.class);

        assertThat(deployment.getSpec().getTemplate().getMetadata().getAnnotations()).isNullOrEmpty();
    }

    @Test
    void fullnameOverride_namesEveryObject() {
        Rendered rendered = Chart.template(Map.of("fullnameOverride", "edge"));

        assertThat(rendered.one(V1Deployment.class).getMetadata().getName()).isEqualTo("edge-gateway");
        assertThat(rendered.one(V1Service.class).getMetadata().getName()).isEqualTo("edge-gateway");
        assertThat(rendered.one(V1Secret.class).getMetadata().getName()).isEqualTo("edge-token");
        assertThat(Containers.gateway(rendered.one(V1Deployment.class)).getVolumeMounts())
                .extracting(V1VolumeMount::getName).contains("token");
    }
}
