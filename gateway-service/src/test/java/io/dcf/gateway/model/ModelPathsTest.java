package io.dcf.gateway.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dcf.gateway.error.InvalidFunctionSpecException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class ModelPathsTest {

    @Test
    void emptyPath_isTheFileNameUnderModels() {
        assertThat(ModelPaths.resolve("fn", "", "weights.json")).isEqualTo("/models/weights.json");
        assertThat(ModelPaths.resolve("fn", "/opt/m/w.bin", "ignored")).isEqualTo("/opt/m/w.bin");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "models/m.bin|x|must be absolute",
            "/models/../etc/passwd|x|must not contain '..'",
            "/models/./m.bin|x|must not contain '.'",
            "/models//m.bin|x|has an empty segment",
            "/|x|has an empty segment",
            "/models/|x|has an empty segment",
            "''|../x|must be a plain file name",
            "''|''|path: missing",
    })
    void badPaths_areRefusedNamingTheField(String path, String fileName, String message) {
        assertThatThrownBy(() -> ModelPaths.resolve("fn", path, fileName))
                .isInstanceOf(InvalidFunctionSpecException.class)
                .hasMessageStartingWith("function fn: ")
                .hasMessageContaining(message);
    }

    @Test
    void controlCharacters_areRefused() {
        assertThatThrownBy(() -> ModelPaths.resolve("fn", "/models/a\nb", "x")).hasMessageContaining("control");
    }
}
