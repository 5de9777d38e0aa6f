package io.dcf.runtimes;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

class RuntimeListTest {

    private static final Path MODULE = PythonRuntime.moduleDir();

    @SuppressWarnings("unchecked")
    private static Map<String, Map<String, Object>> runtimes() throws IOException {
        try (InputStream in = Files.newInputStream(MODULE.resolve("list.yml"))) {
            Map<String, Object> root = new Yaml().load(in);
            return (Map<String, Map<String, Object>>) root.get("runtimes");
        }
    }

    @Test
    void listYml_namesTheFiveRuntimes() throws IOException {
        assertThat(runtimes()).containsOnlyKeys("java", "python", "go", "tensorflow", "tensorflow-gpu");
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyRuntime_hasItsTemplateWithTheHandlerFileItNames() throws IOException {
        for (Map.Entry<String, Map<String, Object>> runtime : runtimes().entrySet()) {
            Map<String, Object> spec = runtime.getValue();
            Map<String, Object> handler = (Map<String, Object>) spec.get("handler");
            assertThat(spec).as(runtime.getKey()).containsKeys("dir", "build_args", "handler", "description");
            assertThat((List<String>) spec.get("build_args")).as(runtime.getKey())
                    .isNotEmpty().allMatch(arg -> arg.matches("[A-Z_]+=\\S+"));
            assertThat(handler).as(runtime.getKey()).containsEntry("name", "Handler");
            Path template = MODULE.resolve((String) spec.get("dir")).resolve("template");
            assertThat(template.resolve((String) handler.get("file"))).as(runtime.getKey()).isRegularFile();
        }
    }

    @Test
    void dockerfiles_declareEveryBuildArgTheListGives() throws IOException {
        for (Map.Entry<String, Map<String, Object>> runtime : runtimes().entrySet()) {
            Path dockerfile = MODULE.resolve((String) runtime.getValue().get("dir")).resolve("template/Dockerfile");
            if (runtime.getKey().equals("java")) {
                assertThat(dockerfile).as("java images are built with Jib").doesNotExist();
                continue;
            }
            String text = Files.readString(dockerfile);
            assertThat(text).as(runtime.getKey()).contains("ARG ADDITIONAL_PACKAGE");
            @SuppressWarnings("unchecked")
            List<String> args = (List<String>) runtime.getValue().get("build_args");
            for (String arg : args) {
                assertThat(text).as(runtime.getKey()).contains("ARG " + arg.substring(0, arg.indexOf('=')));
            }
        }
    }

    @Test
    void dockerfiles_endInTheWatcherContract() throws IOException {
        for (Map.Entry<String, Map<String, Object>> runtime : runtimes().entrySet()) {
            Path dockerfile = MODULE.resolve((String) runtime.getValue().get("dir")).resolve("template/Dockerfile");
            if (!Files.exists(dockerfile)) {
                continue; // java: FunctionImages (function-images) is its recipe
            }
            String text = Files.readString(dockerfile);
            String lastStage = text.substring(text.lastIndexOf("\nFROM "));
            assertThat(lastStage).as(runtime.getKey() + ": docs/watcher-contract.md, In a container")
                    .contains("\nUSER 10001:10001\n", "\nEXPOSE 50051\n")
                    .containsPattern("\nENTRYPOINT \\[\"[^\"]+\"")
                    .doesNotContain("\nCMD ", "DCF_WATCHER_PORT", "DCF_HANDLER=", "DCF_FUNCTION_NAME");
            if (text.contains("dcf_watcher.py")) {
                assertThat(lastStage).as(runtime.getKey()).contains("DCF_HANDLER_PATH=/dcf/handler",
                        "DCF_HANDLER_FILE=handler.py", "DCF_FUNCTION_DIR=/dcf/handler",
                        "ENTRYPOINT [\"python3\", \"/opt/dcf/watcher/dcf_watcher.py\"]");
            }
        }
    }

    @Test
    void jarResources_carryTheTemplatesUnderDcfRuntimes() {
        ClassLoader loader = RuntimeListTest.class.getClassLoader();
        assertThat(loader.getResource("dcf-runtimes/list.yml")).isNotNull();
        assertThat(loader.getResource("dcf-runtimes/python/template/handler.py")).isNotNull();
        assertThat(loader.getResource("dcf-runtimes/python/watcher/dcf_watcher.py")).isNotNull();
        assertThat(loader.getResource("dcf-runtimes/java/template/Handler.java")).isNotNull();
        assertThat(loader.getResource("dcf-runtimes/go/template/handler.go")).isNotNull();
        assertThat(loader.getResource("dcf-runtimes/tensorflow-gpu/template/Dockerfile")).isNotNull();
        assertThat(loader.getResource("dcf-runtimes/pom.xml")).isNull();
    }
}
