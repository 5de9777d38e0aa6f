package io.dcf.runtimes;

import static org.assertj.core.api.Assertions.assertThat;

import io.dcf.runtimes.FunctionRuntime.Watcher;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The list.yml this module ships, read as the CLI and the gateway read it. */
class RuntimeListTest {

    private static final Path MODULE = PythonRuntime.moduleDir();

    private static RuntimeCatalog shipped() {
        return RuntimeCatalog.read(MODULE.resolve("list.yml"));
    }

    @Test
    void listYml_namesTheFiveRuntimesInOrder_asMessagesListThem() {
        assertThat(shipped().names()).containsExactly("java", "python", "go", "tensorflow", "tensorflow-gpu");
        assertThat(shipped().joinedNames()).isEqualTo("java, python, go, tensorflow, tensorflow-gpu");
    }

    @Test
    void classPathCatalog_isTheModulesListYml() {
        assertThat(RuntimeCatalog.standard().runtimes()).isEqualTo(shipped().runtimes());
    }

    @Test
    void watcherAndLocal_keepWhatTheLocalBackendRuns() {
        RuntimeCatalog catalog = shipped();
        assertThat(catalog.find("java")).get().extracting(FunctionRuntime::watcher, FunctionRuntime::local)
                .containsExactly(Watcher.JAVA, true);
        for (String python : new String[] {"python", "tensorflow", "tensorflow-gpu"}) {
            assertThat(catalog.find(python)).as(python).get()
                    .extracting(FunctionRuntime::watcher, FunctionRuntime::local).containsExactly(Watcher.PYTHON, true);
        }
        assertThat(catalog.find("go")).get().extracting(FunctionRuntime::watcher, FunctionRuntime::local)
                .containsExactly(Watcher.GO, false);
    }

    @Test
    void everyRuntime_hasItsTemplateWithTheHandlerFileItNames() {
        for (FunctionRuntime runtime : shipped().runtimes()) {
            assertThat(runtime.description()).as(runtime.name()).isNotBlank();
            assertThat(runtime.buildArgs()).as(runtime.name()).isNotEmpty().allMatch(arg -> arg.matches("[A-Z_]+=\\S+"));
            assertThat(runtime.handlerName()).as(runtime.name()).isEqualTo("Handler");
            Path template = MODULE.resolve(runtime.dir()).resolve("template");
            assertThat(template.resolve(runtime.handlerFile())).as(runtime.name()).isRegularFile();
        }
    }

    @Test
    void dockerfiles_declareEveryBuildArgTheListGives() throws IOException {
        for (FunctionRuntime runtime : shipped().runtimes()) {
            Path dockerfile = MODULE.resolve(runtime.dir()).resolve("template/Dockerfile");
            if (runtime.watcher() == Watcher.JAVA) {
                assertThat(dockerfile).as("java images are built with Jib").doesNotExist();
                continue;
            }
            String text = Files.readString(dockerfile);
            assertThat(text).as(runtime.name()).contains("ARG ADDITIONAL_PACKAGE");
            for (String arg : runtime.buildArgs()) {
                assertThat(text).as(runtime.name()).contains("ARG " + arg.substring(0, arg.indexOf('=')));
            }
        }
    }

    @Test
    void dockerfiles_endInTheWatcherContract() throws IOException {
        for (FunctionRuntime runtime : shipped().runtimes()) {
            Path dockerfile = MODULE.resolve(runtime.dir()).resolve("template/Dockerfile");
            if (!Files.exists(dockerfile)) {
                continue; // java: FunctionImages (function-images) is its recipe
            }
            String text = Files.readString(dockerfile);
            String lastStage = text.substring(text.lastIndexOf("\nFROM "));
            assertThat(lastStage).as(runtime.name() + ": docs/watcher-contract.md, In a container")
                    .contains("\nUSER 10001:10001\n", "\nEXPOSE 50051\n")
                    .containsPattern("\nENTRYPOINT \\[\"[^\"]+\"")
                    .doesNotContain("\nCMD ", "DCF_WATCHER_PORT", "DCF_HANDLER=", "DCF_FUNCTION_NAME");
            if (runtime.watcher() == Watcher.PYTHON) {
                assertThat(lastStage).as(runtime.name()).contains("DCF_HANDLER_PATH=/dcf/handler",
                        "DCF_HANDLER_FILE=" + runtime.handlerFile(), "DCF_FUNCTION_DIR=/dcf/handler",
                        "ENTRYPOINT [\"python3\", \"/opt/dcf/watcher/dcf_watcher.py\"]");
            }
        }
    }

    @Test
    void jarResources_carryEveryRuntimeDirectoryButNotTheBuildFiles() {
        ClassLoader loader = RuntimeListTest.class.getClassLoader();
        assertThat(loader.getResource(RuntimeCatalog.RESOURCE)).isNotNull();
        for (FunctionRuntime runtime : shipped().runtimes()) {
            assertThat(loader.getResource("dcf-runtimes/" + runtime.dir() + "/template/" + runtime.handlerFile()))
                    .as(runtime.name()).isNotNull();
        }
        assertThat(loader.getResource("dcf-runtimes/python/watcher/dcf_watcher.py")).isNotNull();
        assertThat(loader.getResource("dcf-runtimes/go/sdk/sdk.go")).isNotNull();
        assertThat(loader.getResource("dcf-runtimes/tensorflow-gpu/template/Dockerfile")).isNotNull();
        assertThat(loader.getResource("dcf-runtimes/pom.xml")).isNull();
        assertThat(loader.getResource("dcf-runtimes/base/lib.sh")).isNull();
        assertThat(loader.getResource("dcf-runtimes/src/test/java/io/dcf/runtimes/RuntimeListTest.java")).isNull();
    }
}
