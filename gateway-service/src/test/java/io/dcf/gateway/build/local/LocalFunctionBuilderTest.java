package io.dcf.gateway.build.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.dcf.gateway.Zips;
import io.dcf.gateway.build.BuiltFunction;
import io.dcf.gateway.error.InvalidFunctionSpecException;
import io.dcf.proto.v1.Artifact;
import io.dcf.proto.v1.BuildEvent;
import io.dcf.proto.v1.FunctionSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local build: javac into a staging directory under DCF_HOME, nothing left behind on failure. */
class LocalFunctionBuilderTest {

    private static final String HANDLER = """
            public final class Hello implements io.dcf.sdk.Handler {
                public io.dcf.sdk.Response handle(io.dcf.sdk.Request r) { return io.dcf.sdk.Response.text("hi"); }
            }
            """;

    @TempDir
    Path home;

    private LocalFunctionBuilder builder() {
        return LocalFunctionBuilder.create(home, () -> "/usr/bin/python3", CodeLimits.DEFAULT);
    }

    private static FunctionSpec java(String name) {
        return FunctionSpec.newBuilder().setName(name).setRuntime("java").build();
    }

    private static Artifact zip(Map<String, String> entries) {
        return Artifact.newBuilder().setSourceZip(ByteString.copyFrom(Zips.of(entries))).build();
    }

    @Test
    void build_javaSources_stagesCompiledClassesUnderTheHomeWithABuildId() {
        try (BuiltFunction built = builder().build(java("hello"), zip(Map.of("Hello.java", HANDLER)))) {
            BuiltFunction.LocalCode code = (BuiltFunction.LocalCode) built;
            assertThat(code.buildId()).startsWith("local-");
            assertThat(code.directory()).startsWith(home.resolve(LocalFunctionBuilder.STAGING))
                    .isEqualTo(home.resolve("staging/hello-" + code.buildId()));
            assertThat(code.directory().resolve("src/Hello.java")).exists();
            assertThat(code.directory().resolve("classes/Hello.class")).exists();
        }
    }

    @Test
    void close_stagedCodeNotTaken_removesIt() {
        BuiltFunction.LocalCode code = (BuiltFunction.LocalCode) builder().build(java("left"),
                zip(Map.of("Hello.java", HANDLER)));
        assertThat(code.directory()).isDirectory();

        code.close();

        assertThat(code.directory()).doesNotExist();
    }

    @Test
    void build_twiceForOneFunction_givesTwoIdsAndTwoDirectories() {
        LocalFunctionBuilder builder = builder();
        try (BuiltFunction a = builder.build(java("twice"), zip(Map.of("Hello.java", HANDLER)));
             BuiltFunction b = builder.build(java("twice"), zip(Map.of("Hello.java", HANDLER)))) {
            assertThat(a.buildId()).isNotEqualTo(b.buildId());
            assertThat(((BuiltFunction.LocalCode) a).directory())
                    .isNotEqualTo(((BuiltFunction.LocalCode) b).directory());
        }
    }

    @Test
    void build_compileError_invalidArgumentWithTheCompilersErrorAndNothingStaged() throws IOException {
        LocalFunctionBuilder builder = builder();

        Artifact broken = zip(Map.of("Hello.java", "class Hello { int x = \"s\"; }"));

        assertThatThrownBy(() -> builder.build(java("broken"), broken))
                .isInstanceOf(InvalidFunctionSpecException.class)
                .hasMessageContaining("function broken: compilation failed")
                .hasMessageContaining("Hello.java:1: error:");
        assertThat(staged()).isEmpty();
    }

    @Test
    void build_javaSources_tellsEachPhaseAndStepInOrderWithTheBuildId_thenSucceeded() {
        List<BuildEvent> events = new CopyOnWriteArrayList<>();

        try (BuiltFunction built = builder().build(java("told"), zip(Map.of("Hello.java", HANDLER)), events::add)) {
            assertThat(events).extracting(BuildEvent::getId).containsOnly(built.buildId());
        }

        assertThat(events).extracting(LocalFunctionBuilderTest::describe).containsExactly(
                "EXTRACTING",
                "EXTRACTING | unzipping",
                "BUILDING",
                "BUILDING | compiling",
                "BUILDING | compiled 1 Java file into 1 class",
                "SUCCEEDED done SUCCEEDED ");
    }

    @Test
    void build_compileError_tellsTheCompilersDiagnosticThenFailedWithTheMessage() {
        List<BuildEvent> events = new CopyOnWriteArrayList<>();

        assertThatThrownBy(() -> builder().build(java("told-broken"),
                zip(Map.of("Hello.java", "class Hello { int x = \"s\"; }")), events::add))
                .isInstanceOf(InvalidFunctionSpecException.class);

        assertThat(events).extracting(LocalFunctionBuilderTest::describe)
                .startsWith("EXTRACTING", "EXTRACTING | unzipping", "BUILDING", "BUILDING | compiling")
                .anyMatch(e -> e.startsWith("BUILDING | Hello.java:1: error: incompatible types"));
        assertThat(describe(events.get(events.size() - 1)))
                .startsWith("FAILED done FAILED function told-broken: compilation failed:\nHello.java:1: error:");
    }

    @Test
    void build_pythonRequirements_tellsThePipStepAndPipsOutputLines() {
        FunctionSpec spec = FunctionSpec.newBuilder().setName("told-py").setRuntime("python").build();
        List<BuildEvent> events = new CopyOnWriteArrayList<>();

        try (BuiltFunction built = builder().build(spec, zip(Map.of("handler.py", "def Handler(req):\n    return b''\n",
                "requirements.txt", "grpcio\n")), events::add)) {
            assertThat(((BuiltFunction.LocalCode) built).directory().resolve("venv/bin/python")).exists();
        }

        List<String> described = events.stream().map(LocalFunctionBuilderTest::describe).toList();
        assertThat(described).startsWith("EXTRACTING", "EXTRACTING | unzipping", "BUILDING",
                "BUILDING | installing requirements.txt (pip)");
        assertThat(described).anyMatch(e -> e.startsWith("BUILDING | Requirement already satisfied: grpcio"));
        assertThat(described.get(described.size() - 1)).isEqualTo("SUCCEEDED done SUCCEEDED ");
    }

    /** {@code PHASE}, {@code PHASE | log line} or {@code PHASE done RESULT message}. */
    private static String describe(BuildEvent e) {
        String phase = e.getPhase().name().substring("BUILD_PHASE_".length());
        return switch (e.getDetailCase()) {
            case LOG -> phase + " | " + e.getLog();
            case DONE -> phase + " done " + e.getDone().getPhase().name().substring("BUILD_PHASE_".length()) + " "
                    + e.getDone().getMessage();
            default -> phase;
        };
    }

    @Test
    void build_pythonWithoutItsHandlerFile_invalidArgumentNamingTheFile() throws IOException {
        FunctionSpec spec = FunctionSpec.newBuilder().setName("nohandler").setRuntime("python").build();

        assertThatThrownBy(() -> builder().build(spec, zip(Map.of("other.py", "x = 1\n"))))
                .isInstanceOf(InvalidFunctionSpecException.class)
                .hasMessageContaining("handler.file: 'handler.py'");
        assertThat(staged()).isEmpty();
    }

    @Test
    void build_imageWithoutSource_buildsNothingAndHandsTheImageOn() throws IOException {
        FunctionSpec spec = java("img").toBuilder().setImage("registry.local/echo:1").build();

        assertThat(builder().build(spec, Artifact.getDefaultInstance()))
                .isEqualTo(BuiltFunction.prebuilt("registry.local/echo:1"));
        assertThat(staged()).isEmpty();
    }

    @Test
    void build_noCodeAtAll_invalidArgumentSayingWhatAnArtifactHolds() {
        assertThatThrownBy(() -> builder().build(java("nocode"), Artifact.getDefaultInstance()))
                .isInstanceOf(InvalidFunctionSpecException.class)
                .hasMessage("function nocode: artifact: no code given (expected: source_zip, jar or local_path)");
    }

    @Test
    void create_removesLeftoversOfAnInterruptedBuild() throws IOException {
        Path leftover = Files.createDirectories(home.resolve("staging/old-local-x/src"));
        Files.writeString(leftover.resolve("Hello.java"), HANDLER);

        builder();

        assertThat(home.resolve("staging")).isEmptyDirectory();
    }

    private java.util.List<Path> staged() throws IOException {
        try (Stream<Path> list = Files.list(home.resolve(LocalFunctionBuilder.STAGING))) {
            return list.toList();
        }
    }
}
