package io.dcf.cli.function;

import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.InvalidImageReferenceException;
import com.google.cloud.tools.jib.api.JibContainer;
import com.google.cloud.tools.jib.api.JibContainerBuilder;
import com.google.cloud.tools.jib.api.LogEvent;
import com.google.cloud.tools.jib.api.RegistryImage;
import io.dcf.cli.Cli;
import io.dcf.cli.CliException;
import io.dcf.cli.ExitCode;
import io.dcf.cli.config.FunctionConfig;
import io.dcf.common.FileTrees;
import io.dcf.images.FunctionImages;
import io.dcf.images.JavaFunction;
import io.dcf.images.PythonFunction;
import io.dcf.proto.v1.BuildEvent;
import io.dcf.proto.v1.BuildPhase;
import io.dcf.proto.v1.BuildStatus;
import io.dcf.runtimes.FunctionRuntime;
import io.dcf.runtimes.build.JavaCompileException;
import io.dcf.runtimes.build.JavaSources;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutionException;

/**
 * {@code dcf function build --builder jib}: a Java or Python function built here, with no Docker
 * and no gateway: Java sources compiled by the shared compile step (the one build-service and the
 * gateway use), laid on {@code --base-image} by function-images' recipes, pushed to
 * {@code --registry} as {@code REGISTRY/<function>:latest}; the digest is printed.
 */
final class JibBuild {

    private JibBuild() {
    }

    /** Builds and pushes {@code built} (packaged by FunctionBuild); returns the image by digest. */
    static String run(Cli cli, FunctionBuild.Built built, BuildOptions options, BuildDisplay display)
            throws IOException {
        FunctionConfig fn = built.function();
        if (options.registry == null || options.registry.isBlank()) {
            throw CliException.usage("--builder jib needs --registry (where the image is pushed, e.g. 127.0.0.1:5000)");
        }
        if (options.baseImage == null || options.baseImage.isBlank()) {
            throw CliException.usage("--builder jib needs --base-image: the " + fn.runtime() + " runtime's base, a"
                    + " registry reference or tar:///path/base.tar (see runtimes/base/ and docs/runtimes.md)");
        }
        FunctionRuntime runtime = Configs.runtime(cli, fn.runtime()).orElseThrow(() -> CliException.usage(
                "function " + fn.name() + ": unknown runtime " + fn.runtime()));
        String target = options.repository(fn.name()) + ":latest";
        display.starting("Pushing: " + fn.name() + " with Jib to " + target);
        Path work = Files.createTempDirectory("dcf-jib-");
        try {
            Path src = unzip(built.artifact().getSourceZip(), work.resolve("src")); // exactly what is packaged
            JibContainerBuilder image = switch (runtime.watcher()) {
                case JAVA -> java(fn.name(), src, work, options.baseImage);
                case PYTHON -> FunctionImages.python(options.baseImage, new PythonFunction(src,
                        fn.handler().file().isEmpty() ? runtime.handlerFile() : fn.handler().file()));
                default -> throw CliException.usage("function " + fn.name() + ": --builder jib builds java and python"
                        + " functions; runtime " + fn.runtime() + " is built by build-service (Kaniko)");
            };
            JibContainer pushed = image.containerize(containerizer(target, options, display));
            String digest = options.registry.replaceAll("/+$", "") + "/" + fn.name() + "@" + pushed.getDigest();
            BuildStatus done = BuildStatus.newBuilder().setFunction(fn.name()).setBuilder("jib")
                    .setPhase(BuildPhase.BUILD_PHASE_SUCCEEDED).setImage(digest)
                    .setDigest(pushed.getDigest().toString()).build();
            display.event(BuildEvent.newBuilder().setPhase(done.getPhase()).setDone(done).build());
            display.built(fn.name(), done);
            return digest;
        } catch (InvalidImageReferenceException e) {
            throw CliException.usage("function " + fn.name() + ": not an image reference: " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw CliException.usage("function " + fn.name() + ": " + e.getMessage());
        } catch (ExecutionException | com.google.cloud.tools.jib.api.CacheDirectoryCreationException
                 | com.google.cloud.tools.jib.api.RegistryException e) {
            throw new CliException(ExitCode.GATEWAY, "function " + fn.name() + ": pushing to " + target + " failed: "
                    + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage()), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(ExitCode.GATEWAY, "function " + fn.name() + ": build interrupted", e);
        } finally {
            FileTrees.delete(work);
        }
    }

    private static JibContainerBuilder java(String name, Path dir, Path work, String base)
            throws InvalidImageReferenceException, IOException {
        Path classes = work.resolve("classes");
        List<Path> jars = JavaSources.jars(dir);
        try {
            JavaSources.compile(name, dir, classes, jars);
        } catch (JavaCompileException e) {
            throw new CliException(ExitCode.GATEWAY, e.getMessage());
        }
        Files.createDirectories(classes);
        return FunctionImages.java(base, new JavaFunction(classes, jars));
    }

    private static Containerizer containerizer(String target, BuildOptions options, BuildDisplay display)
            throws InvalidImageReferenceException {
        return Containerizer.to(RegistryImage.named(target))
                .setAllowInsecureRegistries(options.insecureRegistry)
                .setToolName("dcf-cli")
                .addEventHandler(LogEvent.class, e -> {
                    if (e.getLevel() == LogEvent.Level.LIFECYCLE) {
                        display.log(e.getMessage());
                    }
                });
    }

    /** Writes our own zip (SourcePackager's: relative names, files only) under {@code dir}. */
    private static Path unzip(com.google.protobuf.ByteString zip, Path dir) throws IOException {
        Files.createDirectories(dir);
        try (java.util.zip.ZipInputStream in = new java.util.zip.ZipInputStream(zip.newInput())) {
            for (java.util.zip.ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                Path file = dir.resolve(e.getName()).normalize();
                if (!file.startsWith(dir)) {
                    throw new IOException("zip entry outside its directory: " + e.getName());
                }
                Files.createDirectories(file.getParent());
                Files.copy(in, file);
            }
        }
        return dir;
    }
}
