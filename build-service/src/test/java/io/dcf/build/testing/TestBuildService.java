package io.dcf.build.testing;

import com.linecorp.armeria.server.Server;
import io.dcf.build.BuildServiceApplication;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** build-service started in this JVM by its production wiring, on an ephemeral loopback port. */
public final class TestBuildService implements AutoCloseable {

    private final ConfigurableApplicationContext context;
    private final Path workDir;

    private TestBuildService(ConfigurableApplicationContext context, Path workDir) {
        this.context = context;
        this.workDir = workDir;
    }

    /** Starts it with its work directory under {@code workDir} and {@code properties} (dcf.build.*). */
    public static TestBuildService start(Path workDir, Map<String, String> properties) {
        List<String> args = new ArrayList<>(List.of("--dcf.build.port=0", "--dcf.build.work-dir=" + workDir));
        properties.forEach((k, v) -> args.add("--" + k + "=" + v));
        ConfigurableApplicationContext context = new SpringApplicationBuilder(BuildServiceApplication.class)
                .run(args.toArray(String[]::new));
        return new TestBuildService(context, workDir);
    }

    /** The Spring context, for tests of the wiring. */
    public ConfigurableApplicationContext context() {
        return context;
    }

    public int port() {
        return context.getBean(Server.class).activeLocalPort();
    }

    /** The token it generated into its work directory. */
    public String token() throws IOException {
        return Files.readString(workDir.resolve("token"), StandardCharsets.UTF_8).strip();
    }

    public Path buildDir(String id) {
        return workDir.resolve("builds").resolve(id);
    }

    @Override
    public void close() {
        context.close();
    }
}
