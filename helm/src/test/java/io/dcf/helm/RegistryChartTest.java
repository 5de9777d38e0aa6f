package io.dcf.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1ContainerPort;
import io.kubernetes.client.openapi.models.V1DaemonSet;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1PersistentVolumeClaim;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.kubernetes.client.openapi.models.V1Service;
import io.kubernetes.client.openapi.models.V1Volume;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The optional registry (Deployment, Service, PVC) and registry-proxy DaemonSet (docs/registry-proxy.md). */
class RegistryChartTest {

    @Test
    void defaults_neitherRegistryNorProxy() {
        Rendered rendered = Chart.template(Map.of());

        assertThat(rendered.all(V1DaemonSet.class)).isEmpty();
        assertThat(rendered.all(V1PersistentVolumeClaim.class)).isEmpty();
        assertThat(rendered.all(V1Deployment.class)).extracting(d -> d.getMetadata().getName())
                .containsExactly("dcf-gateway");
    }

    @Test
    void registryAndProxy_proxyOnEveryNodeOnHostPort5000_upstreamIsTheRegistryService() {
        Rendered rendered = Chart.template(Map.of("registry.enabled", true, "registryProxy.enabled", true));

        V1Deployment registry = deployment(rendered, "dcf-registry");
        V1Container registryContainer = registry.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(registryContainer.getImage()).isEqualTo("registry:2.8.3");
        assertThat(Containers.env(registryContainer)).containsEntry("REGISTRY_STORAGE_FILESYSTEM_ROOTDIRECTORY",
                "/var/lib/registry");
        assertThat(registry.getSpec().getStrategy().getType()).isEqualTo("Recreate");
        assertThat(volume(registry.getSpec().getTemplate().getSpec(), "data").getPersistentVolumeClaim().getClaimName())
                .isEqualTo("dcf-registry");
        assertThat(registryContainer.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        V1PersistentVolumeClaim claim = rendered.one(V1PersistentVolumeClaim.class);
        assertThat(claim.getSpec().getResources().getRequests().get("storage").toSuffixedString()).isEqualTo("20Gi");
        assertThat(claim.getMetadata().getAnnotations()).contains(entry("helm.sh/resource-policy", "keep"));
        V1Service service = rendered.all(V1Service.class).stream()
                .filter(s -> s.getMetadata().getName().equals("dcf-registry")).findFirst().orElseThrow();
        assertThat(service.getSpec().getPorts().get(0).getPort()).isEqualTo(5000);
        assertThat(service.getSpec().getSelector()).containsEntry("app.kubernetes.io/component", "registry");

        V1DaemonSet proxy = rendered.one(V1DaemonSet.class);
        assertThat(proxy.getMetadata().getName()).isEqualTo("dcf-registry-proxy");
        V1PodSpec pod = proxy.getSpec().getTemplate().getSpec();
        V1Container container = pod.getContainers().get(0);
        assertThat(container.getImage()).isEqualTo("dcf/registry-proxy:" + System.getProperty("dcf.project.version"));
        V1ContainerPort port = container.getPorts().get(0);
        assertThat(port.getContainerPort()).isEqualTo(5000);
        assertThat(port.getHostPort()).isEqualTo(5000);
        assertThat(Containers.env(container)).contains(
                entry("DCF_PROXY_UPSTREAM", "http://dcf-registry.dcf-system.svc.cluster.local:5000"),
                entry("DCF_PROXY_BIND_ADDRESS", "0.0.0.0"),
                entry("DCF_PROXY_PORT", "5000"),
                entry("DCF_PROXY_CACHE_DIR", "/var/cache/dcf-registry-proxy"),
                entry("DCF_PROXY_CACHE_MAX_BYTES", "10Gi"),
                entry("DCF_PROXY_UPSTREAM_TIMEOUT", "10m"))
                .doesNotContainKey("DCF_PROXY_CREDENTIALS_FILE");
        assertThat(volume(pod, "cache").getEmptyDir().getSizeLimit().toSuffixedString()).isEqualTo("12Gi");
        assertThat(container.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
        assertThat(container.getReadinessProbe().getHttpGet().getHost()).isNull();
        assertThat(pod.getHostNetwork()).isNull();
        assertThat(container.getStartupProbe().getHttpGet().getPath()).isEqualTo("/healthz");
        assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        assertThat(container.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(pod.getAutomountServiceAccountToken()).isFalse();
        assertThat(pod.getTolerations()).singleElement().satisfies(t -> assertThat(t.getOperator()).isEqualTo("Exists"));
        assertThat(proxy.getSpec().getTemplate().getMetadata().getAnnotations())
                .contains(entry("prometheus.io/port", "5000"), entry("prometheus.io/path", "/metrics"));
    }

    @Test
    void proxyOfAnExternalRegistry_withCredentials_otherHostPort() {
        Rendered rendered = Chart.template(Map.of("registryProxy.enabled", true,
                "registryProxy.upstream", "https://registry.example.com", "registryProxy.hostPort", 5001,
                "registryProxy.credentialsSecret", "pull-creds", "registryProxy.cache.maxBytes", "2Gi"));

        assertThat(rendered.all(V1Deployment.class)).hasSize(1);
        V1PodSpec pod = rendered.one(V1DaemonSet.class).getSpec().getTemplate().getSpec();
        V1Container container = pod.getContainers().get(0);
        assertThat(container.getPorts().get(0).getHostPort()).isEqualTo(5001);
        assertThat(Containers.env(container)).contains(
                entry("DCF_PROXY_UPSTREAM", "https://registry.example.com"),
                entry("DCF_PROXY_CACHE_MAX_BYTES", "2Gi"),
                entry("DCF_PROXY_CREDENTIALS_FILE", "/var/dcf/registry-credentials/config.json"));
        V1Volume credentials = volume(pod, "credentials");
        assertThat(credentials.getSecret().getSecretName()).isEqualTo("pull-creds");
        assertThat(credentials.getSecret().getItems()).singleElement().satisfies(item -> {
            assertThat(item.getKey()).isEqualTo(".dockerconfigjson");
            assertThat(item.getPath()).isEqualTo("config.json");
        });
        assertThat(container.getVolumeMounts()).anySatisfy(m -> {
            assertThat(m.getMountPath()).isEqualTo("/var/dcf/registry-credentials");
            assertThat(m.getReadOnly()).isTrue();
        });
    }

    @Test
    void hostNetwork_listensOnTheNodesLoopbackAtTheHostPort_probesThere() {
        Rendered rendered = Chart.template(Map.of("registryProxy.enabled", true, "registryProxy.hostNetwork", true,
                "registryProxy.hostPort", 5001, "registryProxy.upstream", "http://127.0.0.1:5000"));

        V1DaemonSet proxy = rendered.one(V1DaemonSet.class);
        V1PodSpec pod = proxy.getSpec().getTemplate().getSpec();
        V1Container container = pod.getContainers().get(0);
        assertThat(pod.getHostNetwork()).isTrue();
        assertThat(pod.getDnsPolicy()).isEqualTo("ClusterFirstWithHostNet");
        assertThat(container.getPorts().get(0).getContainerPort()).isEqualTo(5001);
        assertThat(container.getPorts().get(0).getHostPort()).isEqualTo(5001);
        assertThat(Containers.env(container)).contains(entry("DCF_PROXY_BIND_ADDRESS", "127.0.0.1"),
                entry("DCF_PROXY_PORT", "5001"), entry("DCF_PROXY_UPSTREAM", "http://127.0.0.1:5000"));
        assertThat(container.getReadinessProbe().getHttpGet().getHost()).isEqualTo("127.0.0.1");
        assertThat(container.getLivenessProbe().getHttpGet().getHost()).isEqualTo("127.0.0.1");
        assertThat(container.getStartupProbe().getHttpGet().getHost()).isEqualTo("127.0.0.1");
        assertThat(proxy.getSpec().getTemplate().getMetadata().getAnnotations()).isNullOrEmpty();
    }

    @Test
    void registryWithoutPersistence_emptyDirAndNoClaim() {
        Rendered rendered = Chart.template(Map.of("registry.enabled", true, "registry.persistence.enabled", false));

        assertThat(rendered.all(V1PersistentVolumeClaim.class)).isEmpty();
        assertThat(volume(deployment(rendered, "dcf-registry").getSpec().getTemplate().getSpec(), "data").getEmptyDir())
                .isNotNull();
    }

    @Test
    void proxyWithoutUpstream_andNoRegistry_failsNamingTheValue() {
        assertThatThrownBy(() -> Chart.template(Map.of("registryProxy.enabled", true)))
                .hasMessageContaining("registryProxy.upstream: empty while registry.enabled is false");
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', textBlock = """
            registryProxy.hostPort        | 70000          | registryProxy.hostPort
            registryProxy.upstream        | registry:5000  | registryProxy.upstream
            registryProxy.upstream        | http://r/v2/   | registryProxy.upstream
            registryProxy.cache.maxBytes  | 10GB           | registryProxy.cache.maxBytes
            registryProxy.upstreamTimeout | soon           | registryProxy.upstreamTimeout
            registry.image.pullPolicy     | Sometimes      | registry.image.pullPolicy
            registry.persistence.size     | big            | registry.persistence.size
            registryProxy.cahce.maxBytes  | 1Gi            | registryProxy
            """)
    void badValue_isRefused_namingIt(String key, String value, String named) {
        assertThatThrownBy(() -> Chart.template(Map.of("registryProxy.enabled", true, "registry.enabled", true,
                key, value)))
                .hasMessageContaining("values don't meet the specifications of the schema")
                .hasMessageContaining(named);
    }

    private static V1Deployment deployment(Rendered rendered, String name) {
        return rendered.all(V1Deployment.class).stream().filter(d -> d.getMetadata().getName().equals(name))
                .findFirst().orElseThrow(() -> new AssertionError("no Deployment " + name + " in\n" + rendered.text()));
    }

    private static V1Volume volume(V1PodSpec pod, String name) {
        return pod.getVolumes().stream().filter(v -> v.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no volume '" + name + "'"));
    }
}
