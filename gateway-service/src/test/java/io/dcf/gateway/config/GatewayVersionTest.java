package io.dcf.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class GatewayVersionTest {

    @Test
    void current_isTheProjectVersion_fromTheFilteredResource_withoutAJarManifest() {
        // Surefire runs on target/classes, as Jib's image does: no manifest, so only the resource can say.
        assertThat(GatewayVersion.class.getPackage().getImplementationVersion()).isNull();

        assertThat(GatewayVersion.current()).isEqualTo(System.getProperty("dcf.test.project-version")).isNotBlank();
    }

    @Test
    void of_prefersTheResource_thenTheManifest_thenDev() throws Exception {
        assertThat(GatewayVersion.of(text("version=1.2.3\n"), "9.9.9")).isEqualTo("1.2.3");
        assertThat(GatewayVersion.of(text("version=${project.version}\n"), "9.9.9"))
                .as("not filtered (classes built outside Maven)").isEqualTo("9.9.9");
        assertThat(GatewayVersion.of(text("other=1\n"), "9.9.9")).isEqualTo("9.9.9");
        assertThat(GatewayVersion.of(null, "9.9.9")).isEqualTo("9.9.9");
        assertThat(GatewayVersion.of(null, null)).isEqualTo("dev");
        assertThat(GatewayVersion.of(text("version=${project.version}\n"), " ")).isEqualTo("dev");
    }

    private static ByteArrayInputStream text(String properties) {
        return new ByteArrayInputStream(properties.getBytes(StandardCharsets.ISO_8859_1));
    }
}
