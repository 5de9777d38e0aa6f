package io.dcf.build.kaniko;

import static org.assertj.core.api.Assertions.assertThat;

import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import io.dcf.build.ImageBuilder;
import io.dcf.build.config.BuildProperties;
import io.dcf.build.testing.TestBuildService;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** build-service's production wiring with and without dcf.build.kaniko.enabled. */
class KanikoWiringTest {

    @TempDir
    Path dir;

    private static AggregatedHttpResponse get(TestBuildService service, String path) {
        return WebClient.of("http://127.0.0.1:" + service.port()).get(path).aggregate().join();
    }

    @Test
    void enabled_kanikoBuilderAndContextRouteFromTheSettings() {
        try (TestBuildService service = TestBuildService.start(dir, Map.of("dcf.build.kaniko.enabled", "true",
                "dcf.build.kaniko.namespace", "builds", "dcf.build.kaniko.context-url", "http://10.0.0.7:31114",
                "dcf.build.kaniko.active-deadline", "20m", "dcf.build.kaniko.executor.memory-limit", "3Gi",
                "dcf.build.kaniko.insecure-registries", "127.0.0.1:5000,reg.local"))) {
            KanikoSettings settings = service.context().getBean(BuildProperties.class).kaniko();
            assertThat(settings.namespace()).isEqualTo("builds");
            assertThat(settings.activeDeadline()).isEqualTo(Duration.ofMinutes(20));
            assertThat(settings.executor().memoryLimit()).isEqualTo("3Gi");
            assertThat(settings.insecureRegistries()).containsExactly("127.0.0.1:5000", "reg.local");
            assertThat(settings.executorImage()).isEqualTo(KanikoSettings.EXECUTOR_IMAGE);
            assertThat(service.context().getBeansOfType(ImageBuilder.class).values()).extracting(ImageBuilder::name)
                    .contains("jib", "kaniko");

            AggregatedHttpResponse unknown = get(service, "/contexts/no-such-token");

            assertThat(unknown.status()).isEqualTo(HttpStatus.NOT_FOUND);
            assertThat(unknown.contentUtf8()).isEqualTo("no such build context\n");
        }
    }

    @Test
    void disabledByDefault_noKanikoBuilderNorContextRoute() {
        try (TestBuildService service = TestBuildService.start(dir, Map.of())) {
            assertThat(service.context().getBeansOfType(ImageBuilder.class).values()).extracting(ImageBuilder::name)
                    .doesNotContain("kaniko");
            assertThat(get(service, "/contexts/no-such-token").contentUtf8()).doesNotContain("no such build context");
        }
    }
}
