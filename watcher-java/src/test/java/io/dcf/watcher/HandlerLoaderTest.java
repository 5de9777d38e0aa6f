package io.dcf.watcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dcf.sdk.Context;
import io.dcf.sdk.Handler;
import io.dcf.sdk.Request;
import io.dcf.watcher.fixtures.InitFailingHandler;
import io.dcf.watcher.fixtures.NoPublicConstructorHandler;
import io.dcf.watcher.fixtures.NotAHandler;
import io.dcf.watcher.fixtures.Probe;
import io.dcf.watcher.fixtures.ScriptedHandler;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HandlerLoaderTest {

    @TempDir
    Path dir;

    private Context context;

    @BeforeEach
    void setUp() {
        Probe.reset();
        context = new Context("fn", dir, Map.of("KEY", "value"));
    }

    private HandlerLoader loader(String className) {
        return new HandlerLoader(className, List.of(dir), HandlerLoader.class.getClassLoader());
    }

    @Test
    void load_createsTheHandlerOnce_andRunsInitWithTheContext() throws Exception {
        LoadedHandler handler = loader(ScriptedHandler.class.getName()).load(context);

        assertThat(handler.className()).isEqualTo(ScriptedHandler.class.getName());
        assertThat(Probe.inits).hasValue(1);
        assertThat(Probe.context).isSameAs(context);
        assertThat(handler.call(Request.ofText("hi")).output()).asString().isEqualTo("hi");
        handler.close();
        assertThat(Probe.closes).hasValue(1);
    }

    @Test
    void load_readsAHandlerFromAJar_seeingTheWatchersSdk() throws Exception {
        Path jar = compileIntoJar("demo.Upper", """
                package demo;
                import io.dcf.sdk.*;
                public final class Upper implements Handler {
                    @Override
                    public Response handle(Request request) {
                        return Response.text(request.text().toUpperCase());
                    }
                }
                """);

        LoadedHandler handler = new HandlerLoader("demo.Upper", List.of(jar), HandlerLoader.class.getClassLoader())
                .load(context);

        assertThat(handler.call(Request.ofText("hello")).output()).asString().isEqualTo("HELLO");
        assertThat(handler.classLoader()).isNotSameAs(HandlerLoader.class.getClassLoader());
        assertThat(handler.classLoader().loadClass(Handler.class.getName())).isSameAs(Handler.class);
        handler.close();
    }

    @Test
    void missingClass_isNamedWithThePath() {
        assertThatThrownBy(() -> loader("com.example.Missing").load(context))
                .isInstanceOf(HandlerLoadException.class)
                .hasMessage("handler class com.example.Missing not found (DCF_HANDLER_PATH=" + dir + ")");
    }

    @Test
    void classOfTheWrongType_isRefused() {
        assertThatThrownBy(() -> loader(NotAHandler.class.getName()).load(context))
                .isInstanceOf(HandlerLoadException.class)
                .hasMessage("handler class " + NotAHandler.class.getName()
                        + " implements neither io.dcf.sdk.Handler nor io.dcf.sdk.StreamHandler (DCF_HANDLER_PATH="
                        + dir + ")");
    }

    @Test
    void initFailure_isReportedWithItsMessage() {
        assertThatThrownBy(() -> loader(InitFailingHandler.class.getName()).load(context))
                .isInstanceOf(HandlerLoadException.class)
                .hasMessage("handler class " + InitFailingHandler.class.getName()
                        + " failed in init: model file missing (DCF_HANDLER_PATH=" + dir + ")")
                .hasCauseInstanceOf(IllegalStateException.class);
    }

    @Test
    void handlerWithoutPublicConstructor_isRefused() {
        assertThatThrownBy(() -> loader(NoPublicConstructorHandler.class.getName()).load(context))
                .isInstanceOf(HandlerLoadException.class)
                .hasMessageContaining("has no public no-argument constructor");
    }

    @Test
    void missingPathEntry_isReported() {
        Path missing = dir.resolve("nope.jar");

        assertThatThrownBy(() -> new HandlerLoader("demo.X", List.of(missing), getClass().getClassLoader())
                .load(context))
                .isInstanceOf(HandlerLoadException.class)
                .hasMessage("handler class demo.X: " + missing + " does not exist (DCF_HANDLER_PATH=" + missing + ")");
    }

    private Path compileIntoJar(String className, String source) throws Exception {
        Path sources = Files.createDirectories(dir.resolve("src"));
        Path classes = Files.createDirectories(dir.resolve("classes"));
        Path file = sources.resolve(className.substring(className.lastIndexOf('.') + 1) + ".java");
        Files.writeString(file, source);
        String sdk = Path.of(Handler.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        int status = javac.run(null, null, null, "-cp", sdk, "-d", classes.toString(), file.toString());
        assertThat(status).as("javac exit status").isZero();
        Path jar = dir.resolve("handler.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            String entry = className.replace('.', '/') + ".class";
            out.putNextEntry(new JarEntry(entry));
            out.write(Files.readAllBytes(classes.resolve(entry)));
            out.closeEntry();
        }
        return jar;
    }
}
