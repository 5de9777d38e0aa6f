package io.dcf.cli.config;

import io.dcf.runtimes.RuntimeCatalog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigParserTest {

    static final List<String> RUNTIMES = RuntimeCatalog.standard().names();

    /** The config.yaml of the seed's "Hello DCF" guide, verbatim. */
    static final String SEED = """
            functions:
              hello-dcf:
                runtime: python
                desc: "This is Hello dcf."
                maintainer: "KETI"
                handler:
                  dir: ./hello-dcf
                  file: handler.py
                  name: Handler
                image: keti.asuscomm.com:5001/hello-dcf
                build_args:
                - PYTHON_VERSION=3.4
                build_packages:
                  - make
                  - python3-pip
                  - gcc
                  - python-numpy
            dcf:
              gateway: keti.asuscomm.com:32222
            """;

    @TempDir
    Path dir;

    private final ConfigParser parser = new ConfigParser(RUNTIMES);

    private ConfigFile parse(String yaml) {
        return parser.parse(yaml, "config.yaml", dir);
    }

    private static String error(Runnable r) {
        try {
            r.run();
        } catch (ConfigException e) {
            return e.getMessage();
        }
        throw new AssertionError("no ConfigException");
    }

    @Test
    void seedConfig_parsesEveryField() {
        ConfigFile config = parse(SEED);

        assertThat(config.gateway()).isEqualTo("keti.asuscomm.com:32222");
        FunctionConfig fn = config.functions().get(0);
        assertThat(fn.name()).isEqualTo("hello-dcf");
        assertThat(fn.line()).isEqualTo(2);
        assertThat(fn.runtime()).isEqualTo("python");
        assertThat(fn.description()).isEqualTo("This is Hello dcf.");
        assertThat(fn.maintainer()).isEqualTo("KETI");
        assertThat(fn.handler()).isEqualTo(new FunctionConfig.HandlerConfig("./hello-dcf", "handler.py", "Handler"));
        assertThat(fn.image()).isEqualTo("keti.asuscomm.com:5001/hello-dcf");
        assertThat(fn.buildArgs()).containsExactly("PYTHON_VERSION=3.4");
        assertThat(fn.buildPackages()).containsExactly("make", "python3-pip", "gcc", "python-numpy");
    }

    @Test
    void seedGpuConfig_withEmptyLimitsAndDockerRegistry_parses() {
        ConfigFile config = parse("""
                functions:
                  echo:
                    runtime: python
                    desc: ""
                    maintainer: ""
                    handler:
                      dir: ./src
                      file: ""
                      name: Handler
                    docker_registry: keti.asuscomm.com:5001
                    image: keti.asuscomm.com:5001/echo
                    limits:
                      memory: ""
                      cpu: ""
                      gpu: ""
                    build_args:
                    - CUDA_VERSION=9.0
                    - CUDNN_VERSION=7.4.1.5
                    - UBUNTU_VERSION=16.04
                openfx:
                  gateway: keti.asuscomm.com:32222
                """);

        assertThat(config.gateway()).as("openfx: is an alias of dcf:").isEqualTo("keti.asuscomm.com:32222");
        assertThat(config.functions().get(0).dockerRegistry()).isEqualTo("keti.asuscomm.com:5001");
        assertThat(config.functions().get(0).limits()).isEqualTo(FunctionConfig.ResourcesConfig.NONE);
    }

    @Test
    void ourFields_parseDurationsSizesAndScale() {
        FunctionConfig fn = parse("""
                functions:
                  f:
                    runtime: java
                    replicas: 2
                    scale: {min: 1, max: 5, target_inflight: 10, zero_after: 2m}
                    timeout: 500ms
                    max_body: 10MB
                    limits: {cpu: 1, memory: 1G, gpu: 1}
                    requests: {cpu: 500m}
                    secrets: [db-password]
                    constraints: ["disk=ssd"]
                    labels: {team: ml}
                    skip_build: true
                    build_options: [gcc]
                    triggers:
                      - mqtt: {topic: sensors/#}
                """).functions().get(0);

        assertThat(fn.replicas()).isEqualTo(2);
        assertThat(fn.scale()).isEqualTo(new FunctionConfig.ScaleConfig(1, 5, 10, Duration.ofMinutes(2), ""));
        assertThat(fn.timeout()).isEqualTo(Duration.ofMillis(500));
        assertThat(fn.maxBodyBytes()).isEqualTo(10L << 20); // 10MB = 10 MiB, as the gateway's DataSize
        assertThat(fn.limits()).isEqualTo(new FunctionConfig.ResourcesConfig("1", "1G", "1"));
        assertThat(fn.requests().cpu()).isEqualTo("500m");
        assertThat(fn.secrets()).containsExactly("db-password");
        assertThat(fn.constraints()).containsExactly("disk=ssd");
        assertThat(fn.labels()).containsExactly(Map.entry("team", "ml"));
        assertThat(fn.skipBuild()).isTrue();
        assertThat(fn.buildPackages()).as("build_options is an alias of build_packages").containsExactly("gcc");
        assertThat(fn.triggers()).hasSize(1);
        assertThat(fn.handler().dir()).as("handler.dir defaults to ./<name>").isEqualTo("./f");
    }

    @Test
    void environment_acceptsKeyValueListOrMap() {
        ConfigFile config = parse("""
                functions:
                  a:
                    runtime: python
                    environment:
                      - "PATH=/usr/local/bin"
                      - MODE=a=b
                  b:
                    runtime: python
                    environment:
                      PORT: 8080
                      DEBUG: true
                """);

        assertThat(config.functions().get(0).environment()).containsExactly(
                Map.entry("PATH", "/usr/local/bin"), Map.entry("MODE", "a=b"));
        assertThat(config.functions().get(1).environment()).containsExactly(
                Map.entry("PORT", "8080"), Map.entry("DEBUG", "true"));
    }

    @Test
    void environment_itemWithoutEquals_namesLineAndKey() {
        assertThat(error(() -> parse("""
                functions:
                  a:
                    runtime: python
                    environment:
                      - PATH
                """))).isEqualTo("config.yaml:5: function a: environment: 'PATH' is not KEY=VALUE");
    }

    @Test
    void unknownKey_namesFileLineFunctionKeyAndSuggests() {
        assertThat(error(() -> parse("""
                functions:
                  hello-dcf:
                    desc: x
                    handler:
                      dir: ./hello-dcf
                      name: Handler
                    runtme: python
                """))).isEqualTo("config.yaml:7: function hello-dcf: unknown key 'runtme' (did you mean 'runtime'?)");
    }

    @Test
    void unknownNestedKey_namesTheSection() {
        assertThat(error(() -> parse("""
                functions:
                  f:
                    runtime: python
                    limits:
                      cpus: 1
                """))).isEqualTo("config.yaml:5: function f: unknown key 'cpus' in limits (did you mean 'cpu'?)");
    }

    @Test
    void unknownTopLevelKey_isAnError() {
        assertThat(error(() -> parse("functoins:\n  f:\n    runtime: python\n")))
                .isEqualTo("config.yaml:1: unknown key 'functoins' (did you mean 'functions'?)");
    }

    @Test
    void invalidName_saysWhatANameMustBe() {
        assertThat(error(() -> parse("""
                # a comment
                functions:
                  Hello_DCF:
                    runtime: python
                """))).isEqualTo("config.yaml:3: function Hello_DCF: invalid name (expected a DNS-1123 label: "
                + "lower case letters, digits and '-', at most 63)");
        assertThat(error(() -> parse("functions:\n  " + "a".repeat(64) + ":\n    runtime: python\n")))
                .contains("invalid name");
    }

    @Test
    void malformedYaml_givesLineAndColumn() {
        assertThat(error(() -> parse("""
                functions:
                  f:
                    runtime: python
                    desc: a: b
                """))).isEqualTo("config.yaml:4:12: mapping values are not allowed here");
    }

    @Test
    void wrongType_saysWhatWasExpected() {
        assertThat(error(() -> parse("""
                functions:
                  f:
                    runtime: python
                    build_args: PYTHON_VERSION=3.4
                """))).isEqualTo("config.yaml:4: function f: build_args: expected a list of strings");
        assertThat(error(() -> parse("functions:\n  f:\n    runtime: python\n    secrets: [[a]]\n")))
                .isEqualTo("config.yaml:4: function f: secrets: expected a list of strings");
        assertThat(error(() -> parse("functions:\n  f:\n    runtime: python\n    desc: [a]\n")))
                .isEqualTo("config.yaml:4: function f: desc: expected a string");
        assertThat(error(() -> parse("functions:\n  f:\n    runtime: python\n    skip_build: maybe\n")))
                .isEqualTo("config.yaml:4: function f: skip_build: expected true or false");
        assertThat(error(() -> parse("functions:\n  f:\n    runtime: python\n    replicas: -1\n")))
                .isEqualTo("config.yaml:4: function f: replicas: -1 (expected: >= 0)");
        assertThat(error(() -> parse("functions:\n  f:\n    runtime: python\n    triggers: {a: b}\n")))
                .isEqualTo("config.yaml:4: function f: triggers: expected a list of maps");
        assertThat(error(() -> parse("functions:\n  f:\n    runtime: python\n    handler: ./f\n")))
                .isEqualTo("config.yaml:4: function f: handler: expected a map");
    }

    @Test
    void badDurationAndSize_sayTheExpectedForm() {
        assertThat(error(() -> parse("functions:\n  f:\n    runtime: python\n    timeout: 30\n")))
                .isEqualTo("config.yaml:4: function f: timeout: '30' is not a duration (expected for example 30s, 500ms, 2m or 1h30m)");
        assertThat(error(() -> parse("functions:\n  f:\n    runtime: python\n    max_body: 10 parsecs\n")))
                .startsWith("config.yaml:4: function f: max_body: '10 parsecs' is not a size");
    }

    @Test
    void unknownRuntime_namesItAndListsTheSupportedOnes() {
        assertThat(error(() -> parse("functions:\n  f:\n    runtime: pyton\n")))
                .isEqualTo("config.yaml:3: function f: runtime: 'pyton' is not supported (did you mean 'python'?); "
                        + "supported runtimes: " + RuntimeCatalog.standard().joinedNames());
    }

    @Test
    void auth_defaultsToNone_acceptsToken_andNamesAWrongValue() {
        assertThat(parse("functions:\n  f:\n    runtime: java\n").functions().get(0).auth()).isEqualTo("none");
        FunctionConfig token = parse("functions:\n  f:\n    runtime: java\n    auth: token\n").functions().get(0);
        assertThat(token.auth()).isEqualTo("token");
        assertThat(FunctionSpecs.forFunction(token, dir).getAuth()).isEqualTo("token");
        assertThat(error(() -> parse("functions:\n  f:\n    runtime: java\n    auth: tokn\n")))
                .isEqualTo("config.yaml:4: function f: auth: 'tokn' is not supported (did you mean 'token'?)"
                        + " (expected: none, anyone may call; or token, callers send the gateway's token)");
    }

    @Test
    void missingRuntime_isAnError() {
        assertThat(error(() -> parse("functions:\n  f:\n    desc: x\n")))
                .startsWith("config.yaml:2: function f: missing key 'runtime'");
    }

    @Test
    void duplicateFunction_isAnError() {
        assertThat(error(() -> parse("functions:\n  f:\n    runtime: java\n  f:\n    runtime: java\n")))
                .isEqualTo("config.yaml:4: duplicate key 'f' in functions");
    }

    @Test
    void scaleMinAboveMax_isAnError() {
        assertThat(error(() -> parse("functions:\n  f:\n    runtime: java\n    scale: {min: 3, max: 1}\n")))
                .isEqualTo("config.yaml:4: function f: scale: min 3 is greater than max 1");
    }

    @Test
    void buildPackagesAndBuildOptionsTogether_isAnError() {
        assertThat(error(() -> parse("functions:\n  f:\n    runtime: java\n    build_packages: [a]\n    build_options: [b]\n")))
                .contains("use either build_packages or its alias build_options");
    }

    @Test
    void emptyFile_hasNoFunctions() {
        assertThat(parse("").functions()).isEmpty();
    }

    @Test
    void file_isNamedAsTheUserNamedIt() throws Exception {
        Path file = Files.writeString(dir.resolve("my.yaml"), "functions:\n  f:\n    runtme: x\n");

        assertThatThrownBy(() -> parser.parse(file, "sub/my.yaml"))
                .hasMessageStartingWith("sub/my.yaml:3: function f: unknown key 'runtme'");
    }

    @Test
    void readGateway_isLenientAndReadsBothAliases() throws Exception {
        Path ok = Files.writeString(dir.resolve("a.yaml"), "openfx:\n  gateway: h:1\n");
        Path broken = Files.writeString(dir.resolve("b.yaml"), "functions: [\n");

        assertThat(ConfigParser.readGateway(ok)).isEqualTo("h:1");
        assertThat(ConfigParser.readGateway(broken)).isNull();
    }

    @Test
    void environmentFile_isMergedUnderInlineEnvironment() throws Exception {
        Files.writeString(dir.resolve("env.yml"), "environment:\n  A: from-file\n  B: from-file\n");
        FunctionConfig fn = parse("""
                functions:
                  f:
                    runtime: python
                    environment_file: env.yml
                    environment: {B: inline}
                """).functions().get(0);

        assertThat(FunctionSpecs.forFunction(fn, dir).getEnvironmentMap())
                .containsEntry("A", "from-file").containsEntry("B", "inline");
    }

    /** Hostile and mistaken config.yaml files: each names the file, the line and what is wrong. */
    static Stream<Arguments> hostileConfigs() {
        StringBuilder laughs = new StringBuilder("functions:\n  f:\n    runtime: python\n    environment:\n"
                + "      L0: &l0 [x, x, x, x, x, x, x, x, x, x]\n");
        for (int i = 1; i <= 8; i++) { // 10^9 strings if expanded
            laughs.append("      L").append(i).append(": &l").append(i).append(" [")
                  .append(String.join(", ", java.util.Collections.nCopies(10, "*l" + (i - 1)))).append("]\n");
        }
        return Stream.of(
                Arguments.of("upper-case function name", "functions:\n  Bad_Name:\n    runtime: python\n",
                        "config.yaml:2: function Bad_Name: invalid name (expected a DNS-1123 label"),
                Arguments.of("64-character name", "functions:\n  " + "a".repeat(64) + ":\n    runtime: python\n",
                        "config.yaml:2: function " + "a".repeat(64) + ": invalid name"),
                Arguments.of("functions is a list", "functions:\n  - f\n", "config.yaml:2: functions: expected a map"),
                Arguments.of("root is a list", "- functions\n", "config.yaml:1: expected a map"),
                Arguments.of("not YAML", "functions: [\n", "config.yaml:2:1: expected the node content"),
                Arguments.of("tab indentation", "functions:\n\tf:\n", "config.yaml:2:1: found character '\\t(TAB)'"),
                Arguments.of("billion laughs", laughs.toString(),
                        "config.yaml: Number of aliases for non-scalar nodes exceeds the specified max=50"),
                Arguments.of("negative replicas", "functions:\n  f:\n    runtime: python\n    replicas: -1\n",
                        "config.yaml:4: function f: replicas: -1 (expected: >= 0)"),
                Arguments.of("replicas as text", "functions:\n  f:\n    runtime: python\n    replicas: many\n",
                        "config.yaml:4: function f: replicas: expected a whole number >= 0"),
                Arguments.of("size with a fraction", "functions:\n  f:\n    runtime: python\n    max_body: 1.5MB\n",
                        "config.yaml:4: function f: max_body: '1.5MB' is not a size (expected for example 512KB,"
                                + " 10MB or 1048576; 1MB = 1048576 bytes)"),
                Arguments.of("size past a long", "functions:\n  f:\n    runtime: python\n"
                                + "    max_body: 99999999999999999999GB\n",
                        "config.yaml:4: function f: max_body: '99999999999999999999GB' is too large"),
                Arguments.of("negative timeout", "functions:\n  f:\n    runtime: python\n    timeout: -1s\n",
                        "config.yaml:4: function f: timeout: '-1s' is not a duration"),
                Arguments.of("unknown runtime", "functions:\n  f:\n    runtime: cobol\n",
                        "config.yaml:3: function f: runtime: 'cobol' is not supported"),
                Arguments.of("misspelt key", "functions:\n  f:\n    runtme: python\n",
                        "config.yaml:3: function f: unknown key 'runtme'"),
                Arguments.of("environment value is a map", "functions:\n  f:\n    runtime: python\n"
                                + "    environment: {A: {b: c}}\n",
                        "config.yaml:4: function f: environment.A: expected a string"),
                Arguments.of("duplicate function", "functions:\n  f:\n    runtime: java\n  f:\n    runtime: java\n",
                        "config.yaml:4: duplicate key 'f' in functions"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostileConfigs")
    void hostileConfig_isAnErrorNamingTheFileAndLine(String input, String yaml, String message) {
        assertThat(error(() -> parse(yaml))).as(input).startsWith(message).doesNotContain("Exception");
    }
}
