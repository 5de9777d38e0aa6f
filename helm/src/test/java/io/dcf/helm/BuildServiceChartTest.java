package io.dcf.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1RoleBinding;
import io.kubernetes.client.openapi.models.V1Service;
import io.kubernetes.client.openapi.models.V1ServiceAccount;
import io.kubernetes.client.openapi.models.V1VolumeMount;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** buildService.*: off by default; on, a Deployment and a Service that share the gateway's token. */
class BuildServiceChartTest {

    private static final String NAME = "dcf-build-service";

    @Test
    void default_hasNoBuildService() {
        Rendered rendered = Chart.template(Map.of());
        assertThat(rendered.all(V1Deployment.class)).extracting(d -> d.getMetadata().getName()).doesNotContain(NAME);
        assertThat(rendered.all(V1Service.class)).extracting(s -> s.getMetadata().getName()).doesNotContain(NAME);
    }

    @Test
    void enabled_runsItWithTheGatewaysToken_onItsOwnPort() {
        Rendered rendered = Chart.templateYaml("""
                buildService:
                  enabled: true
                  image: {repository: reg:5000/dcf/build-service, tag: "1.2"}
                  registry: 127.0.0.1:5000
                  insecureRegistries: [127.0.0.1:5000, reg:5000]
                  jib: {javaBase: "reg:5000/dcf/java-base:17"}
                """);
        V1Deployment deployment = buildService(rendered);
        V1Container container = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(container.getImage()).isEqualTo("reg:5000/dcf/build-service:1.2");
        assertThat(Containers.env(container))
                .containsEntry("DCF_BUILD_BIND_ADDRESS", "0.0.0.0")
                .containsEntry("DCF_BUILD_PORT", "31114")
                .containsEntry("DCF_BUILD_TOKEN_FILE", "/var/dcf/auth/token")
                .containsEntry("DCF_BUILD_REGISTRY", "127.0.0.1:5000")
                .containsEntry("DCF_BUILD_JIB_INSECURE_REGISTRIES", "127.0.0.1:5000,reg:5000")
                .containsEntry("DCF_BUILD_JIB_JAVA_BASE", "reg:5000/dcf/java-base:17")
                .doesNotContainKey("DCF_BUILD_JIB_DOCKER_CONFIG");
        V1Deployment gateway = rendered.all(V1Deployment.class).stream()
                .filter(d -> d.getMetadata().getName().equals("dcf-gateway")).findFirst().orElseThrow();
        assertThat(Containers.volume(deployment, "token").getSecret())
                .isEqualTo(Containers.volume(gateway, "token").getSecret());
        assertThat(container.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/health");
        assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        assertThat(deployment.getSpec().getTemplate().getSpec().getSecurityContext().getRunAsNonRoot()).isTrue();

        V1Service service = rendered.all(V1Service.class).stream()
                .filter(s -> s.getMetadata().getName().equals(NAME)).findFirst().orElseThrow();
        assertThat(service.getSpec().getPorts()).singleElement().satisfies(p -> assertThat(p.getPort()).isEqualTo(31114));
        assertThat(service.getSpec().getSelector()).containsEntry("app.kubernetes.io/component", "build-service");
        assertThat(deployment.getSpec().getTemplate().getSpec().getServiceAccountName()).isEqualTo(NAME);
        assertThat(deployment.getSpec().getTemplate().getSpec().getAutomountServiceAccountToken()).isFalse();
        assertThat(rendered.all(V1ServiceAccount.class)).extracting(a -> a.getMetadata().getName()).contains(NAME);
    }

    @Test
    void enabled_pointsTheGatewayAtIt_andAdvertisesWhatIsSet() {
        V1Container off = gatewayContainer(Chart.template(Map.of()));
        assertThat(Containers.env(off)).doesNotContainKeys("DCF_GATEWAY_BUILD_SERVICE_ADDRESS",
                "DCF_GATEWAY_BUILD_SERVICE_ADVERTISED_ADDRESS");

        V1Container on = gatewayContainer(Chart.template(Map.of("buildService.enabled", true)));
        assertThat(Containers.env(on))
                .containsEntry("DCF_GATEWAY_BUILD_SERVICE_ADDRESS", NAME + ".dcf-system.svc.cluster.local:31114")
                .doesNotContainKey("DCF_GATEWAY_BUILD_SERVICE_ADVERTISED_ADDRESS");

        V1Container advertised = gatewayContainer(Chart.template(Map.of("buildService.enabled", true,
                "buildService.advertisedAddress", "builds.example.com:443")));
        assertThat(Containers.env(advertised))
                .containsEntry("DCF_GATEWAY_BUILD_SERVICE_ADVERTISED_ADDRESS", "builds.example.com:443");
    }

    private static V1Container gatewayContainer(Rendered rendered) {
        return rendered.all(V1Deployment.class).stream().filter(d -> d.getMetadata().getName().equals("dcf-gateway"))
                .findFirst().orElseThrow().getSpec().getTemplate().getSpec().getContainers().get(0);
    }

    @Test
    void withKaniko_mountsTheTokenOfTheAccountItsRoleIsBoundTo() {
        Rendered rendered = Chart.template(Map.of("buildService.enabled", true, "kaniko.enabled", true));
        V1Deployment deployment = buildService(rendered);
        assertThat(deployment.getSpec().getTemplate().getSpec().getAutomountServiceAccountToken()).isTrue();
        assertThat(rendered.all(V1RoleBinding.class)).filteredOn(b -> b.getMetadata().getName().equals(NAME))
                .singleElement().satisfies(b -> assertThat(b.getSubjects()).singleElement()
                        .satisfies(s -> assertThat(s.getName()).isEqualTo(NAME)));
    }

    @Test
    void registrySecret_isMountedAsDockerConfig() {
        V1Deployment deployment = buildService(Chart.template(Map.of("buildService.enabled", true,
                "buildService.registrySecret", "regcred")));
        V1Container container = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(Containers.env(container)).containsEntry("DCF_BUILD_JIB_DOCKER_CONFIG", "/var/dcf/registry/config.json");
        assertThat(Containers.volume(deployment, "registry").getSecret().getSecretName()).isEqualTo("regcred");
        assertThat(Containers.volume(deployment, "registry").getSecret().getItems())
                .singleElement().satisfies(i -> assertThat(i.getKey()).isEqualTo(".dockerconfigjson"));
        List<V1VolumeMount> mounts = container.getVolumeMounts();
        assertThat(mounts).anySatisfy(m -> {
            assertThat(m.getName()).isEqualTo("registry");
            assertThat(m.getReadOnly()).isTrue();
        });
    }

    @Test
    void schema_refusesUnknownAndWrongBuildServiceValues() {
        assertThatThrownBy(() -> Chart.template(Map.of("buildService.concurency", 2)))
                .hasMessageContaining("values don't meet the specifications of the schema");
        assertThatThrownBy(() -> Chart.template(Map.of("buildService.concurrency", 0)))
                .hasMessageContaining("values don't meet the specifications of the schema");
    }

    private static V1Deployment buildService(Rendered rendered) {
        return rendered.all(V1Deployment.class).stream().filter(d -> d.getMetadata().getName().equals(NAME))
                .findFirst().orElseThrow(() -> new AssertionError("no Deployment " + NAME));
    }
}
