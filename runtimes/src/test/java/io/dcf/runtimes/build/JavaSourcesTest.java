package io.dcf.runtimes.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.DataInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JavaSourcesTest {

    @TempDir
    Path tmp;

    @Test
    void compile_handlerAgainstTheSdk_listsItsClasses() throws IOException {
        Path src = Files.createDirectories(tmp.resolve("src/com/example"));
        Files.writeString(src.resolve("Echo.java"), """
                package com.example;
                public final class Echo implements io.dcf.sdk.Handler {
                    public io.dcf.sdk.Response handle(io.dcf.sdk.Request r) { return io.dcf.sdk.Response.text("hi"); }
                }
                """);
        JavaSources.Compilation c = JavaSources.compile("fn", tmp.resolve("src"), tmp.resolve("classes"), List.of());
        assertThat(c.sourceFiles()).isEqualTo(1);
        assertThat(c.classes()).containsExactly("com.example.Echo");
        assertThat(tmp.resolve("classes/com/example/Echo.class")).exists();
    }

    @Test
    void compile_writesJava17ClassFiles_whateverJdkCompiles() throws IOException {
        Path src = Files.createDirectories(tmp.resolve("src"));
        Files.writeString(src.resolve("Handler.java"), "public final class Handler { }\n");
        JavaSources.compile("fn", src, tmp.resolve("classes"), List.of());
        try (DataInputStream in = new DataInputStream(Files.newInputStream(tmp.resolve("classes/Handler.class")))) {
            assertThat(in.readInt()).isEqualTo(0xCAFEBABE);
            in.readUnsignedShort(); // minor
            assertThat(in.readUnsignedShort()).as("class file major version (61 = Java 17)").isEqualTo(61);
        }
    }

    @Test
    void compile_errors_nameFileAndLineFirst() throws IOException {
        Path src = Files.createDirectories(tmp.resolve("src"));
        Files.writeString(src.resolve("Handler.java"), "public class Handler {\n  int x = \"text\";\n  int y = z;\n}\n");
        assertThatThrownBy(() -> JavaSources.compile("broken", src, tmp.resolve("classes"), List.of()))
                .isInstanceOfSatisfying(JavaCompileException.class, e -> {
                    assertThat(e.function()).isEqualTo("broken");
                    assertThat(e.noCompiler()).isFalse();
                    assertThat(e.errors()).hasSize(2);
                    assertThat(e.firstError()).startsWith("Handler.java:2: error: incompatible types");
                    assertThat(e.getMessage()).startsWith("function broken: compilation failed:\nHandler.java:2: error:");
                });
    }

    @Test
    void compile_nothingToCompile_isEmpty_andSkipsTarget() throws IOException {
        Path target = Files.createDirectories(tmp.resolve("src/target/generated"));
        Files.writeString(target.resolve("Broken.java"), "not java");
        JavaSources.Compilation c = JavaSources.compile("fn", tmp.resolve("src"), tmp.resolve("classes"), List.of());
        assertThat(c.empty()).isTrue();
    }

    @Test
    void compile_usesTheFunctionsJars() throws IOException {
        Path lib = Files.createDirectories(tmp.resolve("lib-src"));
        Files.writeString(lib.resolve("Greeting.java"), "public final class Greeting { public static String text() { return \"hi\"; } }");
        JavaSources.compile("lib", lib, tmp.resolve("lib-classes"), List.of());
        Path src = Files.createDirectories(tmp.resolve("src"));
        Path jar = src.resolve("greeting.jar");
        try (var out = new java.util.jar.JarOutputStream(Files.newOutputStream(jar))) {
            out.putNextEntry(new java.util.jar.JarEntry("Greeting.class"));
            out.write(Files.readAllBytes(tmp.resolve("lib-classes/Greeting.class")));
        }
        Files.writeString(src.resolve("Uses.java"), "public final class Uses { String s = Greeting.text(); }");
        assertThat(JavaSources.jars(src)).containsExactly(jar);
        JavaSources.Compilation c = JavaSources.compile("fn", src, tmp.resolve("classes"), JavaSources.jars(src));
        assertThat(c.classes()).containsExactly("Uses");
    }
}
