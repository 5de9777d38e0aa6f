package io.dcf.cli.function;

import io.dcf.cli.CliRunner;
import io.dcf.cli.ExitCode;
import io.dcf.images.testing.Images;
import io.dcf.images.testing.LocalRegistry;
import io.dcf.images.testing.PushedImage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code dcf function build --builder jib}: a Java and a Python function made by {@code dcf function
 * init}, built by the CLI itself (no Docker, no gateway) onto a base given as a tarball and pushed to a
 * real docker-registry on loopback; each pushed image is read back by the digest the CLI printed.
 */
class JibBuildIT {

    @TempDir
    static Path shared;

    private static LocalRegistry registry;
    private static Path base;

    @TempDir
    Path dir;

    @BeforeAll
    static void startRegistry() throws Exception {
        registry = LocalRegistry.start(Files.createDirectories(shared.resolve("registry")));
        base = Images.tinyBase(Files.createDirectories(shared.resolve("base")));
    }

    @AfterAll
    static void stopRegistry() {
        if (registry != null) {
            registry.close();
        }
    }

    private CliRunner cli() {
        return new CliRunner(dir, dir.resolve("home"));
    }

    private CliRunner.Result jib(String... more) {
        String[] args = {"function", "build", "--builder", "jib", "--registry", registry.host(),
            "--insecure-registry", "--base-image", "tar://" + base};
        String[] all = java.util.stream.Stream.concat(java.util.Arrays.stream(args), java.util.Arrays.stream(more))
                .toArray(String[]::new);
        return cli().run(all);
    }

    private static String digest(String out, String function) {
        Matcher m = Pattern.compile("Built: " + function + " -> " + Pattern.quote(registry.host()) + "/" + function
                + "@(sha256:[0-9a-f]{64})").matcher(out);
        assertThat(m.find()).as(out).isTrue();
        return m.group(1);
    }

    @Test
    void buildJib_javaFunction_compiledHereAndPushedAsClassesOnTheBase() throws Exception {
        assertThat(cli().run("function", "init", "hello-java", "--runtime", "java").code()).isZero();

        CliRunner.Result result = jib();

        assertThat(result.code()).as(result.toString()).isZero();
        assertThat(result.out()).contains("Pushing: hello-java with Jib to " + registry.host() + "/hello-java:latest");
        PushedImage image = new PushedImage(registry.host(), "hello-java", digest(result.out(), "hello-java"));
        assertThat(image.layerCount()).isEqualTo(2); // the base's, then the classes (no dependency jars)
        assertThat(image.layer(1)).containsKey("/dcf/function/classes/Handler.class");
        assertThat(image.env()).containsEntry("DCF_HANDLER_PATH", "/dcf/function/classes");
        assertThat(image.label("io.dcf.runtime")).isEqualTo("java");
        assertThat(image.user()).isEqualTo("10001:10001");
    }

    @Test
    void buildJib_pythonFunction_itsDirectoryAsOneLayer_quietPrintsOnlyTheImage() throws Exception {
        assertThat(cli().run("function", "init", "hello-py", "--runtime", "python").code()).isZero();

        CliRunner.Result result = jib("-q");

        assertThat(result.code()).as(result.toString()).isZero();
        assertThat(result.out()).matches(Pattern.quote(registry.host()) + "/hello-py@sha256:[0-9a-f]{64}\n");
        String digest = result.out().strip().substring(result.out().indexOf('@') + 1);
        PushedImage image = new PushedImage(registry.host(), "hello-py", digest);
        assertThat(image.layer(1)).containsKeys("/dcf/handler/handler.py", "/dcf/handler/requirements.txt");
        assertThat(image.env()).containsEntry("DCF_HANDLER_FILE", "handler.py");
        assertThat(image.label("io.dcf.runtime")).isEqualTo("python");
    }

    @Test
    void buildJib_javaThatDoesNotCompile_exitsWithTheCompilersErrorAndPushesNothing() throws Exception {
        assertThat(cli().run("function", "init", "broken", "--runtime", "java").code()).isZero();
        Files.writeString(dir.resolve("broken/Handler.java"), "public class Handler { int x = \"text\"; }\n");

        CliRunner.Result result = jib();

        assertThat(result.code()).as(result.toString()).isEqualTo(ExitCode.GATEWAY);
        assertThat(result.err()).contains("broken", "Handler.java");
        assertThat(result.out()).doesNotContain("Built:");
    }

    @Test
    void buildJib_withoutRegistryOrBase_usageErrorsNamingTheOption() {
        assertThat(cli().run("function", "init", "hello-java", "--runtime", "java").code()).isZero();

        CliRunner.Result noRegistry = cli().run("function", "build", "--builder", "jib");
        CliRunner.Result noBase = cli().run("function", "build", "--builder", "jib", "--registry", "r.example");

        assertThat(noRegistry.code()).isEqualTo(ExitCode.USAGE);
        assertThat(noRegistry.err()).contains("--registry");
        assertThat(noBase.code()).isEqualTo(ExitCode.USAGE);
        assertThat(noBase.err()).contains("--base-image");
    }
}
